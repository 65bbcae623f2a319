/**
 * Running the bands of a FastCCD binning on worker threads, all at once (one
 * band per worker): progress summed over the workers, an abort (signal or
 * SIGINT) terminates them, a worker's error comes back as the same class.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as errors from '../../errors.js';
import { type FccdTask, accumulateBand } from './accumulate.js';
import type { FccdWorkerMessage } from './worker.js';

const CLASSES: Record<string, new (message: string) => Error> = {
  ToolBoxError: errors.ToolBoxError, ToolBoxValueError: errors.ToolBoxValueError, ToolBoxTypeError: errors.ToolBoxTypeError,
  ToolBoxFileError: errors.ToolBoxFileError, ToolBoxPathError: errors.ToolBoxPathError,
};

function workerFile(): string {
  const file = join(__dirname, 'worker.js');
  if (!existsSync(file)) throw new errors.ToolBoxFileError(`FastCCD binning worker ${file} is missing; build the toolbox (npm run build)`, file);
  return file;
}

export interface RunBandsOptions {
  signal: AbortSignal;
  onFrames: (total: number) => void;
}

/** Every task on its own worker; resolves with each task's sums, in task order. */
export function runBands(tasks: FccdTask[], options: RunBandsOptions): Promise<Float64Array[]> {
  const file = workerFile();
  const results: Float64Array[] = new Array<Float64Array>(tasks.length);
  const workers: Worker[] = [];
  let frames = 0, finished = 0, failed = false;
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      options.signal.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      reject(err);
    };
    const onAbort = () => fail(new errors.ToolBoxError(`FastCCD binning aborted (${finished} of ${tasks.length} row bands done); nothing was kept`));
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    tasks.forEach((task, i) => {
      const w = new Worker(file, { workerData: task });
      workers.push(w);
      let done = false;
      w.on('message', (m: FccdWorkerMessage) => {
        if (failed) return;
        if (m.type === 'progress') options.onFrames(frames += m.frames);
        else if (m.type === 'done') {
          done = true;
          results[i] = m.sums;
          void w.terminate();
          if (++finished === tasks.length) {
            options.signal.removeEventListener('abort', onAbort);
            resolve(results);
          }
        } else {
          const Cls = CLASSES[m.name];
          fail(Cls ? new Cls(m.message) : new errors.ToolBoxError(`FastCCD binning worker failed: ${m.name}: ${m.message}`));
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => { if (!done && !failed) fail(new errors.ToolBoxError(`FastCCD binning worker exited with code ${code} before finishing`)); });
    });
  });
}

/** The same in this thread, one band after the other (nJobs 1: no worker start-up). */
export async function runBandsHere(tasks: FccdTask[], options: RunBandsOptions): Promise<Float64Array[]> {
  const out: Float64Array[] = [];
  let frames = 0;
  const aborted = () => options.signal.aborted;
  for (const task of tasks) {
    try {
      out.push(await accumulateBand(task, (n) => options.onFrames(frames += n), aborted));
    } catch (err) {
      if (aborted()) throw new errors.ToolBoxError(`FastCCD binning aborted (${out.length} of ${tasks.length} row bands done); nothing was kept`);
      throw err;
    }
  }
  return out;
}
