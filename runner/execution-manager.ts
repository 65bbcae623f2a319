/**
 * The notebook's side of a run, papermill's NotebookExecutionManager: it
 * holds the notebook and its metadata.papermill, the saver, the progress
 * reporter, the --log-output markers and the output streams, and it is told
 * what happens through lifecycle hooks (notebook start, cell start, cell
 * exception, cell complete, notebook complete, save, autosave). Engines drive
 * the kernel and call the hooks; nothing here knows which engine runs.
 */
import { isoformatUtc, nowMicros, secondsBetween } from './clock.js';
import type { KernelInfo } from './engine/types.js';
import { addErrorCells } from './error-cells.js';
import { NotebookSaveError } from './errors.js';
import { cellEnded, cellStarted, isoNow, resetCell } from './metadata.js';
import { hasTag, joinSource } from './notebook/cells.js';
import { NotebookSaver } from './notebook/saver.js';
import type { Cell, Notebook, NotebookPapermill } from './notebook/types.js';
import { OutputCollector } from './outputs.js';
import { type ProgressMode, type ProgressReporter, cellDescription, makeProgress } from './progress.js';
import { type StreamFiles, openStreamFiles } from './stream-files.js';

/** Watches a run from outside (tests, progress UIs): called after the manager's own handling of each hook. */
export interface ExecutionObserver {
  notebookStart?(nb: Notebook): void;
  cellStart?(cell: Cell, index: number): void;
  cellException?(cell: Cell, index: number, error: unknown): void;
  cellComplete?(cell: Cell, index: number): void;
  notebookComplete?(nb: Notebook): void;
}

export interface ExecutionManagerOptions {
  /** '-' is stdout: written once, at the end */
  outputPath: string;
  requestSaveOnCellExecute: boolean;
  /** seconds; 0 disables autosave */
  autosaveCellEvery: number;
  progress: ProgressMode;
  /** stream stdout/stderr and results of cells to `log`, between Executing/Ending Cell markers */
  logOutput?: boolean;
  log: (line: string) => void;
  stdoutFile?: string;
  stderrFile?: string;
  observer?: ExecutionObserver;
  /** the run's warn channel: a failed save during the run is told here */
  warn?: (message: string) => void;
}

/** papermill's `f'{n:-<width}'`: the cell number, then dashes up to `width` characters. */
function dashed(n: number, width: number): string {
  return String(n).padEnd(width, '-');
}

/** Whether a cell goes to the kernel at all (markdown, empty and skip-execution cells do not). */
export function isExecuted(cell: Cell): boolean {
  return cell.cell_type === 'code' && joinSource(cell.source).trim() !== '' && !hasTag(cell, 'skip-execution');
}

export class NotebookExecutionManager {
  readonly saver: NotebookSaver;
  /** turns the running cell's iopub messages into outputs; there from kernelStarted on */
  collector: OutputCollector | undefined;
  cellsExecuted = 0;
  /** the first cell that failed and the error the run ends with */
  failure: { index: number; error: unknown } | undefined;
  private readonly progress: ProgressReporter;
  private streams: StreamFiles | undefined;

  constructor(readonly nb: Notebook, private readonly options: ExecutionManagerOptions) {
    this.saver = new NotebookSaver(nb, {
      outputPath: options.outputPath,
      requestSaveOnCellExecute: options.requestSaveOnCellExecute && options.outputPath !== '-',
      autosaveCellEvery: options.autosaveCellEvery,
      onFailure: options.warn,
    });
    this.progress = makeProgress(options.progress);
  }

  /** metadata.papermill, which preparing the notebook created */
  get papermill(): NotebookPapermill {
    return this.nb.metadata.papermill!;
  }

  /** Writes the output notebook now. */
  save(): void {
    this.saver.save();
  }

  /** A running cell's outputs changed: save when the autosave interval says so. */
  autosaveCell(): void {
    this.saver.outputChanged();
  }

  /** The last write of a run that ends without executing (--prepare-only). */
  saveFinal(): void {
    this.saver.final();
  }

  /** The run fails before the kernel was asked for (its kernel is missing): say so in the saved notebook. */
  abandon(): void {
    this.papermill.exception = true;
    this.saver.final();
  }

  /** Before the kernel starts: every cell pending, the run's clock started, the notebook saved. */
  notebookStart(): void {
    for (const cell of this.nb.cells) resetCell(cell);
    const pm = this.papermill;
    pm.start_time = isoNow();
    pm.end_time = null;
    pm.duration = null;
    pm.exception = null;
    this.saver.save();
    this.options.observer?.notebookStart?.(this.nb);
  }

  /** The kernel did not start: the notebook stays, parameterized, recording that the run never began. */
  kernelStartFailed(): void {
    this.papermill.exception = true;
    this.papermill.end_time = isoNow();
    this.saver.final();
  }

  /** The kernel is up: its language goes into the notebook, and outputs start flowing. */
  kernelStarted(info: KernelInfo): void {
    this.nb.metadata.language_info = info.language_info;
    this.saver.checkpoint();
    const streams = openStreamFiles(this.options);
    const { logOutput, log } = this.options;
    this.streams = streams;
    this.collector = new OutputCollector({
      onStream: (name, text) => {
        streams.write(name, text);
        if (logOutput) log(text.replace(/\n$/, ''));
      },
      onResult: logOutput ? (text) => log(text) : undefined,
      onChange: () => this.autosaveCell(),
    });
    this.progress.start(this.nb.cells.length);
  }

  cellStart(cell: Cell, index: number): void {
    const executed = isExecuted(cell);
    cellStarted(cell);
    this.saver.state = `cell ${index + 1} of ${this.nb.cells.length} running`;
    this.saver.checkpoint();
    if (this.options.logOutput && executed) this.options.log(`Executing Cell ${dashed(index + 1, 40)}`);
    this.progress.cellStart(index, executed, cellDescription(joinSource(cell.source)));
    if (executed) this.cellsExecuted++;
    this.options.observer?.cellStart?.(cell, index);
  }

  /** The cell failed with `error` (the one the run will end with; its outputs already say why). */
  cellException(cell: Cell, index: number, error: unknown): void {
    this.failure ??= { index, error };
    this.options.observer?.cellException?.(cell, index, error);
  }

  cellComplete(cell: Cell, index: number): void {
    const executed = isExecuted(cell);
    const failed = this.failure?.index === index;
    cellEnded(cell, failed);
    if (this.options.logOutput && executed) this.options.log(`Ending Cell ${dashed(index + 1, 43)}`);
    const count = cell.cell_type === 'code' ? cell.execution_count : null;
    this.progress.cellEnd(index, executed, count, failed ? 'failed' : 'completed', cell.metadata.papermill!.duration ?? 0);
    this.saver.state = `cell ${index + 1} of ${this.nb.cells.length} ${failed ? 'failed' : 'completed'}`;
    this.saver.checkpoint();
    this.options.observer?.cellComplete?.(cell, index);
  }

  /** After the last cell ran (or the first failed): times, papermill's error cells, the final save. */
  notebookComplete(): void {
    this.progress.end();
    this.closeStreams();
    const pm = this.papermill;
    const end = nowMicros();
    pm.end_time = isoformatUtc(end);
    pm.duration = secondsBetween(pm.start_time, end);
    pm.exception = this.failure !== undefined;
    if (this.failure) {
      const cell = this.nb.cells[this.failure.index];
      addErrorCells(this.nb, this.failure.index, cell.cell_type === 'code' ? cell.execution_count : null);
    }
    this.saver.state = `run ${this.failure ? 'failed' : 'completed'}`;
    try {
      this.saver.final();
    } catch (err) {
      // the save error ends the run; the cell's failure, which only the unsaved notebook holds, goes with it
      if (err instanceof NotebookSaveError && this.failure) err.runFailure = this.failure.error;
      throw err;
    }
    const failures = this.saver.failures;
    if (failures) {
      this.options.warn?.(`${failures.count} save(s) of the output notebook during the run failed (first: ${failures.first}); the final save succeeded`);
    }
    this.options.observer?.notebookComplete?.(this.nb);
  }

  closeStreams(): void {
    this.streams?.close();
    this.streams = undefined;
  }
}
