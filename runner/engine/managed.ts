/**
 * The execution path both engines share (papermill's execute_managed_notebook):
 * start the engine's kernel, run the cells in order while calling the
 * manager's lifecycle hooks, stop at the first failure, complete the
 * notebook, shut the kernel down. How the kernel is reached is the engine's
 * business (its start()); what a run looks like is the same for every engine.
 */
import { type NotebookExecutionManager, isExecuted } from '../execution-manager.js';
import { hasTag, joinSource } from '../notebook/cells.js';
import type { Cell, CodeCell } from '../notebook/types.js';
import { type Stop, failure, runCell, shutdownQuietly } from '../run-cell.js';
import { type SignalWatch, watchSignals } from '../signals.js';
import type { ExecutionEngine, KernelSession, StartOptions } from './types.js';

export interface ManagedExecuteOptions extends StartOptions {
  /** seconds per cell (default: none) */
  executionTimeout?: number;
  /** turn SIGTERM/SIGINT into a saved, failed notebook */
  handleSignals?: boolean;
  warn: (message: string) => void;
}

/** Runs the manager's notebook on a kernel `engine` starts; failures end up in the manager (its `failure`). */
export async function executeManagedNotebook(
  engine: ExecutionEngine, manager: NotebookExecutionManager, options: ManagedExecuteOptions,
): Promise<void> {
  manager.notebookStart();
  let session: KernelSession;
  try {
    session = await engine.start(options);
  } catch (err) {
    manager.kernelStartFailed();
    throw err;
  }
  let hurry = true;
  try {
    manager.kernelStarted(session.info);
    const signals = options.handleSignals ? watchSignals() : undefined;
    try {
      hurry = await runCells(session, manager, options, signals);
    } finally {
      signals?.dispose();
    }
    manager.notebookComplete();
  } finally {
    manager.closeStreams();
    await shutdownQuietly(session, hurry);
  }
}

/** The cells in order until one stops the run; true when the kernel should be shut down without waiting long. */
async function runCells(
  session: KernelSession, manager: NotebookExecutionManager, options: ManagedExecuteOptions, signals: SignalWatch | undefined,
): Promise<boolean> {
  const cells = manager.nb.cells;
  for (let i = 0; i < cells.length; i++) {
    let stop: Stop | undefined;
    try {
      stop = await runOneCell(session, manager, cells[i], i, options, signals);
    } catch (err) {
      // an engine or I/O failure mid-cell: recorded like a cell failure so the notebook and kernel are not lost
      recordEngineFailure(cells[i], err);
      manager.cellException(cells[i], i, err);
      manager.cellComplete(cells[i], i);
      return true;
    }
    // a signalled run still gets the polite shutdown (request, SIGTERM, SIGKILL): writes in progress clean up
    if (stop) return stop.kind === 'dead';
  }
  return false;
}

async function runOneCell(
  session: KernelSession, manager: NotebookExecutionManager, cell: Cell, index: number, options: ManagedExecuteOptions,
  signals: SignalWatch | undefined,
): Promise<Stop | undefined> {
  manager.cellStart(cell, index);
  let stop: Stop | undefined;
  if (isExecuted(cell)) {
    stop = await runCell(session, cell as CodeCell, joinSource(cell.source), manager.collector!, options, signals);
    if (stop?.kind === 'error' && hasTag(cell, 'raises-exception')) stop = undefined;
  }
  if (stop && stop.kind !== 'exit') manager.cellException(cell, index, failure(stop, cell as CodeCell, index));
  manager.cellComplete(cell, index);
  return stop;
}

function recordEngineFailure(cell: Cell, err: unknown): void {
  if (cell.cell_type !== 'code') return;
  const e = err as Error;
  cell.outputs.push({ output_type: 'error', ename: e.name ?? 'Error', evalue: String(e.message ?? err), traceback: [] });
}
