/**
 * Turns a cell's iopub messages into nbformat outputs the way nbclient does:
 * streams of the same name merge (with carriage returns and backspaces
 * applied, as a terminal would show them), display_data and execute_result
 * are kept (without the transient block, which nbformat does not allow),
 * update_display_data rewrites every earlier output with the same display_id
 * (in any cell), clear_output clears now or, with wait, before the next output.
 */
import type { IopubMessage } from './engine/types.js';
import type { CodeCell, DisplayDataOutput, ExecuteResultOutput, Output, StreamOutput } from './notebook/types.js';
import { joinSource } from './notebook/cells.js';

// whatever precedes a \r on its line is overwritten by what follows it
const CARRIAGE_RETURN = /[^\n\r]*\r(?=[^\n\r])|\r+(?=\n)/g;
const BACKSPACE = /[^\n\x08]\x08/;

export function applyControlCharacters(text: string): string {
  let t = text.replace(CARRIAGE_RETURN, '');
  while (BACKSPACE.test(t)) t = t.replace(BACKSPACE, '');
  return t;
}

export interface OutputEvents {
  /** stream text as it arrives (for --log-output, --stdout-file, --stderr-file) */
  onStream?: (name: 'stdout' | 'stderr', text: string) => void;
  /** execute_result / display_data text/plain (for --log-output) */
  onResult?: (text: string) => void;
  /** an output was added or changed (for autosave) */
  onChange?: () => void;
}

/** One per notebook run: display ids live across cells. */
export class OutputCollector {
  private readonly displays = new Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>();
  private clearBeforeNext = false;

  constructor(private readonly events: OutputEvents = {}) {}

  /** Starts collecting into `cell` (whose outputs were reset). */
  forCell(cell: CodeCell): (msg: IopubMessage) => void {
    this.clearBeforeNext = false;
    return (msg) => this.handle(cell, msg);
  }

  private handle(cell: CodeCell, msg: IopubMessage): void {
    const c = msg.content ?? {};
    switch (msg.header.msg_type) {
      case 'stream':
        this.add(cell, { output_type: 'stream', name: c.name === 'stderr' ? 'stderr' : 'stdout', text: joinSource(c.text) });
        this.events.onStream?.(c.name === 'stderr' ? 'stderr' : 'stdout', joinSource(c.text));
        break;
      case 'display_data':
        this.add(cell, { output_type: 'display_data', data: c.data ?? {}, metadata: c.metadata ?? {} }, c.transient?.display_id);
        this.reportResult(c.data);
        break;
      case 'execute_result':
        this.add(cell, {
          output_type: 'execute_result', data: c.data ?? {}, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null,
        }, c.transient?.display_id);
        if (typeof c.execution_count === 'number') cell.execution_count = c.execution_count;
        this.reportResult(c.data);
        break;
      case 'error':
        this.add(cell, { output_type: 'error', ename: String(c.ename ?? ''), evalue: String(c.evalue ?? ''), traceback: (c.traceback ?? []).map(String) });
        break;
      case 'update_display_data':
        this.update(c.transient?.display_id, c.data ?? {}, c.metadata ?? {});
        break;
      case 'clear_output':
        if (c.wait) this.clearBeforeNext = true;
        else this.clear(cell);
        break;
      case 'execute_input':
        if (typeof c.execution_count === 'number') cell.execution_count = c.execution_count;
        break;
      default:
        return; // status, comm_*: nothing to record
    }
  }

  private clear(cell: CodeCell): void {
    cell.outputs = [];
    this.clearBeforeNext = false;
    this.events.onChange?.();
  }

  private add(cell: CodeCell, out: Output, displayId?: string): void {
    if (this.clearBeforeNext) this.clear(cell);
    const last = cell.outputs[cell.outputs.length - 1];
    if (out.output_type === 'stream' && last?.output_type === 'stream' && last.name === out.name) {
      (last as StreamOutput).text = applyControlCharacters(joinSource(last.text) + out.text);
    } else {
      if (out.output_type === 'stream') out.text = applyControlCharacters(joinSource(out.text));
      cell.outputs.push(out);
      if (displayId && (out.output_type === 'display_data' || out.output_type === 'execute_result')) {
        const list = this.displays.get(displayId) ?? [];
        list.push(out);
        this.displays.set(displayId, list);
      }
    }
    this.events.onChange?.();
  }

  private update(displayId: string | undefined, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    if (!displayId) return;
    for (const out of this.displays.get(displayId) ?? []) {
      out.data = data;
      out.metadata = metadata;
    }
    this.events.onChange?.();
  }

  private reportResult(data: Record<string, unknown> | undefined): void {
    const text = data?.['text/plain'];
    if (text !== undefined && this.events.onResult) this.events.onResult(joinSource(text as string | string[]));
  }
}
