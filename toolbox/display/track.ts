/**
 * startProgress: how long toolbox calls tell the user how far they are.
 * Reports are throttled (a tight loop may tick millions of times) and the end
 * is always reported, unless the whole job finished within `quietMs`: calls
 * that are usually quick pass a quiet time so they never print anything.
 */
import { randomUUID } from 'node:crypto';
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, optionNames } from '../options.js';
import { type ProgressState, progressSink } from './progress.js';
import { stderrProgressSink } from './progress-text.js';

/** Options of startProgress. */
export interface StartProgressOptions {
  /** Amount of work, in `unit`s; omit when unknown (streams). */
  total?: number;
  /** What is counted (default "items"). */
  unit?: string;
  /** Report nothing at all if finished within this many ms (default 0: always report the end). */
  quietMs?: number;
  /** Minimum time between reports (default 250 ms). */
  intervalMs?: number;
  /** Milliseconds clock; tests pass a fake one. */
  clock?: () => number;
}
const START_PROGRESS_OPTIONS = optionNames<StartProgressOptions>({ total: true, unit: true, quietMs: true, intervalMs: true, clock: true });

/** A running job's progress; report with tick/set, always end with finish. */
export interface Progress {
  /** Progress id (the kernel uses it as the display id). */
  readonly id: string;
  /** The current state (tick and set update it). */
  readonly state: Readonly<ProgressState>;
  /** `n` more units done. */
  tick(n?: number): void;
  /** `done` units done in total. */
  set(done: number): void;
  /** The work ended (also after an error or an early break); reports the final state. */
  finish(): void;
}

/** Start reporting the progress of a job named `label` to the installed progress sink (stderr without one). */
export function startProgress(label: string, options: StartProgressOptions = {}): Progress {
  const { total, unit = 'items', quietMs = 0, intervalMs = 250, clock = Date.now } = checkOptions('startProgress', options, START_PROGRESS_OPTIONS);
  if (total !== undefined && !(total >= 0)) throw new ToolBoxValueError(`progress total must be a non-negative number, got ${total}`);
  const id = randomUUID();
  const start = clock();
  const state: ProgressState = { label, done: 0, unit, finished: false, elapsedMs: 0, ...(total !== undefined ? { total } : {}) };
  let lastReport = start;
  let reported = false;
  const report = (now: number) => {
    state.elapsedMs = now - start;
    lastReport = now;
    reported = true;
    (progressSink() ?? stderrProgressSink()).update(id, { ...state });
  };
  const maybeReport = () => {
    if (state.finished) return;
    const now = clock();
    if (now - start >= quietMs && now - lastReport >= intervalMs) report(now);
  };
  return {
    id,
    state,
    tick(n = 1) { state.done += n; maybeReport(); },
    set(done: number) { state.done = done; maybeReport(); },
    finish() {
      if (state.finished) return;
      state.finished = true;
      const now = clock();
      if (reported || now - start >= quietMs) report(now);
    },
  };
}

/** Iterate `items` and report one unit per item; the end is reported however the loop ends. */
export async function* trackProgress<T>(items: AsyncIterable<T> | Iterable<T>, label: string, options: StartProgressOptions = {}): AsyncGenerator<T> {
  checkOptions('trackProgress', options, START_PROGRESS_OPTIONS);
  const total = options.total ?? (Array.isArray(items) ? items.length : undefined);
  const progress = startProgress(label, { ...options, ...(total !== undefined ? { total } : {}) });
  try {
    for await (const item of items) {
      yield item;
      progress.tick();
    }
  } finally {
    progress.finish();
  }
}
