/**
 * Progress as one line of text, and the sink used when nobody installed one:
 * stderr, so progress never mixes with a script's output on stdout.
 */
import type { ProgressSink, ProgressState } from './progress.js';

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** e.g. "reading X: 120/500 trains (24%), 3.2 s" or "reading X: 500 trains, done in 9.8 s". */
export function formatProgress(s: ProgressState): string {
  const count = s.total !== undefined ? `${s.done}/${s.total} ${s.unit}` : `${s.done} ${s.unit}`;
  if (s.finished) return `${s.label}: ${count}, done in ${seconds(s.elapsedMs)}`;
  const pct = s.total ? ` (${Math.floor((100 * s.done) / s.total)}%)` : '';
  return `${s.label}: ${count}${pct}, ${seconds(s.elapsedMs)}`;
}

/** Minimum time between lines on a non-terminal stderr (a log file wants few lines). */
const LOG_INTERVAL_MS = 10_000;

/** Options of the text progress sink. */
export interface TextProgressOptions {
  /** Rewrite one line with \r (a terminal) or print separate lines (a log). */
  tty?: boolean;
  /** Where the text goes (default stderr). */
  write?: (text: string) => void;
}

/** A terminal gets one line redrawn in place; a log gets a line every 10 s and the final one. */
export class TextProgressSink implements ProgressSink {
  private readonly tty: boolean;
  private readonly write: (text: string) => void;
  private readonly lastLine = new Map<string, number>();
  private width = 0;

  constructor(options: TextProgressOptions = {}) {
    this.tty = options.tty ?? process.stderr.isTTY === true;
    this.write = options.write ?? ((text) => { process.stderr.write(text); });
  }

  update(id: string, state: ProgressState): void {
    const line = formatProgress(state);
    if (this.tty) {
      // Pad over the remains of a longer previous line.
      this.write(`\r${line.padEnd(this.width)}${state.finished ? '\n' : ''}`);
      this.width = state.finished ? 0 : line.length;
      return;
    }
    const last = this.lastLine.get(id);
    if (state.finished) this.lastLine.delete(id);
    else if (last !== undefined && state.elapsedMs - last < LOG_INTERVAL_MS) return;
    else this.lastLine.set(id, state.elapsedMs);
    this.write(`${line}\n`);
  }
}

let fallback: TextProgressSink | undefined;

/** The stderr sink, created on first use (so it sees the final isTTY). */
export function stderrProgressSink(): TextProgressSink {
  fallback ??= new TextProgressSink();
  return fallback;
}
