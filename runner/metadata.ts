/**
 * papermill's metadata: the notebook's metadata.papermill block and each
 * cell's metadata.papermill record, plus nbclient's metadata.execution
 * timestamps.
 */
import { isoformatUtc, nowMicros, secondsBetween } from './clock.js';
import type { ExecuteTimings } from './engine/types.js';
import type { Cell, Notebook, NotebookPapermill } from './notebook/types.js';
import { toolVersion } from './version.js';

/** Now, as papermill's metadata writes it. */
export function isoNow(): string {
  return isoformatUtc();
}

/** Created only when missing (so a re-run keeps the first run's version, as papermill does). */
export function ensureNotebookPapermill(nb: Notebook): NotebookPapermill {
  nb.metadata.papermill ??= { default_parameters: {}, parameters: {}, environment_variables: {}, version: toolVersion() };
  return nb.metadata.papermill;
}

export function resetCell(cell: Cell): void {
  cell.metadata.papermill = { exception: null, start_time: null, end_time: null, duration: null, status: 'pending' };
  if (cell.cell_type === 'code') {
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata.execution;
  }
}

export function cellStarted(cell: Cell): void {
  cell.metadata.papermill = { ...cell.metadata.papermill!, status: 'running', start_time: isoNow(), exception: false };
}

export function cellEnded(cell: Cell, failed: boolean): void {
  const pm = cell.metadata.papermill!;
  const end = nowMicros();
  pm.end_time = isoformatUtc(end);
  pm.duration = secondsBetween(pm.start_time, end);
  pm.status = failed ? 'failed' : 'completed';
  pm.exception = failed;
}

/** nbclient's record of the four protocol events of an execution. */
export function recordExecutionTimes(cell: Cell, t: ExecuteTimings): void {
  const execution: Record<string, string> = {};
  if (t.busy) execution['iopub.status.busy'] = t.busy;
  if (t.executeInput) execution['iopub.execute_input'] = t.executeInput;
  execution['shell.execute_reply'] = t.reply;
  if (t.idle) execution['iopub.status.idle'] = t.idle;
  cell.metadata.execution = execution;
}

/** Report mode: hide every code cell's input (the injected cell included). */
export function hideInputs(nb: Notebook): void {
  for (const cell of nb.cells) {
    if (cell.cell_type === 'code') cell.metadata.jupyter = { ...cell.metadata.jupyter, source_hidden: true };
  }
}
