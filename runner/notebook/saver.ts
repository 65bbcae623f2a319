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
 *
 * A checkpoint is written at the end of the current turn of the event loop rather than at
 * once: a cell's end and the next cell's start then make one write, which happens after the
 * next execute_request has gone to the kernel, while the kernel works, instead of before it.
 * Checkpoints closer together than CHECKPOINT_GAP times the last write's duration are
 * coalesced into one, written when the gap has passed: short cells (a few ms each) do not
 * spend their run writing the notebook, whatever its size. Any other save (explicit,
 * autosave, final) writes the current state synchronously and takes a pending checkpoint's
 * place, so the final state is never lost; a crash loses at most the last few ms of a run.
 */
import { performance } from 'node:perf_hooks';
import { isoNow } from '../metadata.js';
import { NotebookSaveError } from '../errors.js';
import { writeNotebook } from './io.js';
import type { Notebook } from './types.js';

/** A save that went through: when, and what the notebook then recorded (`after cell 3 started`). */
export interface GoodSave { time: string; state: string }

/** Saves during the run that failed; the run goes on and the final save decides. */
export interface SaveFailures { count: number; first: string }

export interface SaverOptions {
  /** '-' means stdout: written once at the end only */
  outputPath: string;
  requestSaveOnCellExecute: boolean;
  /** seconds; 0 disables autosave */
  autosaveCellEvery: number;
  /** replaceable for tests; writes the file by default (`durable` on the last write) */
  write?: (nb: Notebook, path: string, durable: boolean) => void;
  /** told of each failed save during the run (the runner's warn channel); the run goes on */
  onFailure?: (message: string) => void;
}

const MAX_AUTOSAVE_FRACTION = 0.25;
/** Checkpoint writes take at most 1/(1 + CHECKPOINT_GAP) of the run's time. */
const CHECKPOINT_GAP = 4;

export class NotebookSaver {
  private lastSave = 0;
  private timer: NodeJS.Timeout | undefined;
  /** cancels the checkpoint not written yet (see above) */
  private pendingCheckpoint: (() => void) | undefined;
  /** how long the last write took (ms) */
  private lastWriteMs = 0;
  private dirty = false;
  /** current autosave interval in seconds (grows with the backoff) */
  autosaveEvery: number;
  saves = 0;
  /** the last save that reached the file: the output path holds it (saves are atomic) */
  lastGood: GoodSave | undefined;
  /** failed saves during the run (checkpoints, autosaves), reported at the end */
  failures: SaveFailures | undefined;
  /** what the notebook records now, for naming the last good save */
  state = 'before the kernel started';
  private readonly write: (nb: Notebook, path: string, durable: boolean) => void;

  constructor(private readonly nb: Notebook, private readonly options: SaverOptions) {
    this.autosaveEvery = options.autosaveCellEvery;
    this.write = options.write ?? writeNotebook;
    this.lastSave = performance.now();
  }

  private get toStdout(): boolean {
    return this.options.outputPath === '-';
  }

  /** Saves now (not for stdout outputs, which are written once by final()); throws when the write fails. */
  save(): void {
    if (this.toStdout) return;
    this.cancelTimer();
    this.cancelCheckpoint();
    const start = performance.now();
    this.write(this.nb, this.options.outputPath, false);
    this.succeeded();
    this.lastSave = performance.now();
    this.lastWriteMs = this.lastSave - start;
  }

  /**
   * A save during the run: a failure (disk full, folder gone) is recorded and told to onFailure,
   * not thrown, so neither the running cell nor the kernel is lost over it; the final save decides.
   */
  private saveDuringRun(): void {
    try {
      this.save();
    } catch (err) {
      const message = (err as Error).message;
      this.dirty = false;
      this.lastSave = performance.now();
      if (this.failures) {
        this.failures.count++;
        return;
      }
      this.failures = { count: 1, first: message };
      // told once; the count goes into the report at the end
      this.options.onFailure?.(`${message}; the run goes on${this.lastGood ? `, the last good save is ${this.describeLastGood()}` : ''}`);
    }
  }

  /** At each cell start and end: saves when requested, at the end of this turn of the event loop or once the gap has passed. */
  checkpoint(): void {
    if (!this.options.requestSaveOnCellExecute || this.toStdout || this.pendingCheckpoint) return;
    const write = () => {
      this.pendingCheckpoint = undefined;
      this.saveDuringRun();
    };
    const wait = this.lastSave + CHECKPOINT_GAP * this.lastWriteMs - performance.now();
    if (wait > 0) {
      const timer = setTimeout(write, wait);
      this.pendingCheckpoint = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(write);
      this.pendingCheckpoint = () => clearImmediate(immediate);
    }
  }

  /** `out.ipynb as saved at <time> (<state>)`, or undefined before any save went through. */
  describeLastGood(): string | undefined {
    if (!this.lastGood) return undefined;
    return `${this.options.outputPath} as saved at ${this.lastGood.time} (${this.lastGood.state})`;
  }

  private succeeded(): void {
    this.saves++;
    this.dirty = false;
    this.lastGood = { time: isoNow(), state: this.state };
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
    this.saveDuringRun();
    const took = (performance.now() - start) / 1000;
    if (took > this.autosaveEvery * MAX_AUTOSAVE_FRACTION) this.autosaveEvery *= 2;
  }

  /** The last write of the run (also the only one when the output is stdout); its failure names the last good save. */
  final(): void {
    this.cancelTimer();
    this.cancelCheckpoint();
    try {
      this.write(this.nb, this.options.outputPath, true);
    } catch (err) {
      throw new NotebookSaveError(this.options.outputPath, (err as Error).message, this.describeLastGood(), err);
    }
    this.succeeded();
  }

  private cancelCheckpoint(): void {
    this.pendingCheckpoint?.();
    this.pendingCheckpoint = undefined;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
