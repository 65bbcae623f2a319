/**
 * When the output notebook is written during a run. Papermill's policy: at
 * the start, at each cell start and end (when --request-save-on-cell-execute),
 * on error and at the end; in the middle of a long cell every N seconds while
 * outputs arrive, doubling N whenever one save takes longer than 25 % of it
 * so that huge notebooks do not spend their time saving.
 *
 * Beyond papermill, a pending change is also saved by a timer when N seconds
 * pass without a new output (papermill only saves on the next output, so the
 * last line before a silent hour was lost on a crash).
 */
import { performance } from 'node:perf_hooks';
import { writeNotebook } from './io.js';
import type { Notebook } from './types.js';

export interface SaverOptions {
  /** '-' means stdout: written once at the end only */
  outputPath: string;
  requestSaveOnCellExecute: boolean;
  /** seconds; 0 disables autosave */
  autosaveCellEvery: number;
  /** replaceable for tests; writes the file by default (`durable` on the last write) */
  write?: (nb: Notebook, path: string, durable: boolean) => void;
}

const MAX_AUTOSAVE_FRACTION = 0.25;

export class NotebookSaver {
  private lastSave = 0;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** current autosave interval in seconds (grows with the backoff) */
  autosaveEvery: number;
  saves = 0;
  private readonly write: (nb: Notebook, path: string, durable: boolean) => void;

  constructor(private readonly nb: Notebook, private readonly options: SaverOptions) {
    this.autosaveEvery = options.autosaveCellEvery;
    this.write = options.write ?? writeNotebook;
    this.lastSave = performance.now();
  }

  private get toStdout(): boolean {
    return this.options.outputPath === '-';
  }

  /** Saves now (not for stdout outputs, which are written once by final()). */
  save(): void {
    if (this.toStdout) return;
    this.cancelTimer();
    this.write(this.nb, this.options.outputPath, false);
    this.saves++;
    this.dirty = false;
    this.lastSave = performance.now();
  }

  /** At notebook start and at each cell start and end: saves when requested. */
  checkpoint(): void {
    if (this.options.requestSaveOnCellExecute && !this.toStdout) this.save();
  }

  /** A cell's outputs changed: save if the autosave interval has passed, else make sure a timer will. */
  outputChanged(): void {
    if (this.toStdout || this.autosaveEvery <= 0) return;
    this.dirty = true;
    const due = this.lastSave + this.autosaveEvery * 1000;
    if (performance.now() >= due) this.autosave();
    else this.timer ??= setTimeout(() => { this.timer = undefined; if (this.dirty) this.autosave(); }, due - performance.now()).unref();
  }

  private autosave(): void {
    const start = performance.now();
    this.save();
    const took = (performance.now() - start) / 1000;
    if (took > this.autosaveEvery * MAX_AUTOSAVE_FRACTION) this.autosaveEvery *= 2;
  }

  /** The last write of the run (also the only one when the output is stdout). */
  final(): void {
    this.cancelTimer();
    this.write(this.nb, this.options.outputPath, true);
    this.saves++;
    this.dirty = false;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
