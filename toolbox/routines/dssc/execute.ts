/**
 * Running accumulation tasks on worker threads, at most nJobs at a time.
 * Progress from all workers is summed into one report; an abort terminates
 * every worker; a worker's error comes back as the same ToolBoxError class.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as errors from '../../errors.js';
import { type AccumulateTask, accumulateModule } from './accumulate.js';
import type { WorkerMessage } from './worker.js';
import { markModule } from './module-outcome.js';

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  ToolBoxError: errors.ToolBoxError,
  ToolBoxValueError: errors.ToolBoxValueError,
  ToolBoxTypeError: errors.ToolBoxTypeError,
  ToolBoxFileError: errors.ToolBoxFileError,
  ToolBoxPathError: errors.ToolBoxPathError,
};

function rebuildError(m: Extract<WorkerMessage, { type: 'error' }>, module: number): Error {
  const Cls = ERROR_CLASSES[m.name];
  const err = Cls ? new Cls(m.message) : Object.assign(new Error(`worker binning DSSC module ${module} failed: ${m.message}`), { name: m.name });
  if (m.stack) err.stack = `${err.name}: ${m.message}\n    (in worker thread)\n${m.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

/** The compiled worker next to this file: works from dist/ and from any outDir. */
export function workerFile(): string {
  const file = join(__dirname, 'worker.js');
  if (!existsSync(file)) throw new errors.ToolBoxFileError(`DSSC binning worker ${file} is missing; build the toolbox (npm run build)`, file);
  return file;
}

export interface RunTasksOptions {
  nJobs: number;
  signal?: AbortSignal;
  /** Frames accumulated, summed over all workers since the start. */
  onFrames?: (total: number) => void;
  /** Each task's sums as soon as it is done (tasks start in order), so they need not all be held at once. */
  onResult: (task: number, sums: Float64Array) => void;
}

/** Run every task, at most nJobs at a time; resolves when all are done. */
export function runTasks(tasks: AccumulateTask[], options: RunTasksOptions): Promise<void> {
  const file = workerFile();
  const running = new Set<Worker>();
  let next = 0;
  let finished = 0;
  let frames = 0;
  let failed = false;
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of running) void w.terminate();
      running.clear();
      reject(err);
    };
    const onAbort = () => fail(new errors.ToolBoxError(`DSSC binning aborted (${finished} of ${tasks.length} tasks done); no output was written for unfinished modules`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const start = () => {
      if (failed || next >= tasks.length) return;
      const i = next++;
      const task = tasks[i];
      const w = new Worker(file, { workerData: task });
      running.add(w);
      let done = false;
      w.on('message', (m: WorkerMessage) => {
        if (failed) return; // messages already queued when the workers were terminated
        if (m.type === 'progress') {
          frames += m.frames;
          try {
            options.onFrames?.(frames);
          } catch (err) {
            fail(err as Error); // a throwing progress callback must not crash the process
          }
        } else if (m.type === 'done') {
          done = true;
          running.delete(w);
          void w.terminate();
          finished++;
          try {
            options.onResult(i, m.sums);
          } catch (err) {
            return fail(err as Error);
          }
          if (finished === tasks.length) {
            options.signal?.removeEventListener('abort', onAbort);
            resolve();
          } else start();
        } else {
          const err = rebuildError(m, task.module);
          markModule(err, task.module);
          fail(err);
        }
      });
      w.on('error', (err) => {
        markModule(err, task.module);
        fail(err);
      });
      w.on('exit', (code) => {
        if (done || failed) return;
        const err = new errors.ToolBoxError(`worker binning DSSC module ${task.module} exited with code ${code} before finishing`);
        markModule(err, task.module);
        fail(err);
      });
    };
    if (tasks.length === 0) return resolve();
    for (let k = 0; k < Math.max(1, options.nJobs); k++) start();
  });
}

/**
 * The same, one task after the other in this thread: what nJobs 1 does. A
 * worker would add only its start (loading HDF5's wasm anew, ~0.2–0.3 s) to a
 * binning that runs one module at a time anyway: the file reads still run on
 * libuv's thread pool, overlapped with the binning (trainsChunks' prefetch).
 * Each task reopens its module's files by path, as a worker does. An abort is
 * seen between chunks; the error is then the one runTasks gives.
 */
export async function runTasksHere(tasks: AccumulateTask[], options: RunTasksOptions): Promise<void> {
  let frames = 0;
  let finished = 0;
  const aborted = () => options.signal?.aborted ?? false;
  const abortError = () => new errors.ToolBoxError(`DSSC binning aborted (${finished} of ${tasks.length} tasks done); no output was written for unfinished modules`);
  for (const [i, task] of tasks.entries()) {
    if (aborted()) throw abortError();
    let sums: Float64Array;
    try {
      sums = await accumulateModule(task, (n) => options.onFrames?.(frames += n), { aborted });
    } catch (err) {
      if (aborted()) throw abortError();
      markModule(err, task.module);
      throw err;
    }
    finished++;
    options.onResult(i, sums);
  }
}
