/**
 * In-memory input history of this kernel process (no database: a restarted
 * kernel starts empty), answering history_request as IPython does for the
 * current session: tail, range and search (glob pattern with * and ?).
 */

/** This process's history session number, as reported in every entry. */
export const HISTORY_SESSION = 1;

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

export interface HistoryRequest {
  output?: boolean;
  hist_access_type?: 'range' | 'tail' | 'search';
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

type Row = [number, number, string] | [number, number, [string, string | null]];

export class History {
  private readonly entries: Entry[] = [];

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** text/plain of the execute_result of `line`, for output=true requests */
  setOutput(line: number, output: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.line !== line) continue;
      this.entries[i]!.output = output;
      return;
    }
  }

  query(request: HistoryRequest): Row[] {
    let selected: Entry[];
    switch (request.hist_access_type) {
      case 'tail':
        selected = lastN(this.entries, request.n);
        break;
      case 'search': {
        const pattern = globToRegExp(request.pattern ?? '*');
        let found = this.entries.filter((e) => pattern.test(e.input));
        if (request.unique) found = uniqueByInput(found);
        selected = lastN(found, request.n);
        break;
      }
      default: {
        // range over the current session only: session 0 (or ours, or -0 relative) is this one.
        const session = request.session ?? 0;
        if (session !== 0 && session !== HISTORY_SESSION) return [];
        const start = request.start ?? 0;
        const stop = request.stop ?? Infinity;
        selected = this.entries.filter((e) => e.line >= start && e.line < stop);
      }
    }
    return selected.map((e): Row => (request.output ? [HISTORY_SESSION, e.line, [e.input, e.output]] : [HISTORY_SESSION, e.line, e.input]));
  }
}

function lastN(entries: Entry[], n: number | null | undefined): Entry[] {
  return typeof n === 'number' && n >= 0 ? entries.slice(Math.max(0, entries.length - n)) : entries.slice();
}

function uniqueByInput(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  const kept: Entry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    if (seen.has(entries[i]!.input)) continue;
    seen.add(entries[i]!.input);
    kept.unshift(entries[i]!);
  }
  return kept;
}

/** IPython matches search patterns with SQLite GLOB: * any run, ? one character, whole input. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`);
}
