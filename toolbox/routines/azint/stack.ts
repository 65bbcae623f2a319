/**
 * Integrating a stack of frames in worker threads: the prepared matrix and
 * the frames live in SharedArrayBuffers (frames not already shared are copied
 * once, while the workers start and work on what is already copied), each
 * worker takes a contiguous share of the frames and writes into shared
 * result arrays. Progress from all workers is summed; an abort
 * terminates every worker.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startProgress } from '../../display/track.js';
import * as errors from '../../errors.js';
import type { NumericArray } from './csr-dot.js';
import type { StackFrames } from './frames.js';
import type { IntegrationPlan } from './radial-integrator.js';
import { type StackOutputs, type StackTask, integrateFrames } from './stack-task.js';
import type { StackWorkerMessage } from './stack-worker.js';

/** How a stack is run: worker threads (0 = in the calling thread), abort, progress. */
export interface StackRunOptions {
  /** Worker threads (default os.availableParallelism(); 0 runs in the calling thread). */
  workers?: number;
  signal?: AbortSignal;
  /** Progress label (default 'integrating N frames'), false for none, or a callback given frames done and total. */
  progress?: string | false | ((framesDone: number, framesTotal: number) => void);
}

function workerFile(): string {
  const file = join(__dirname, 'stack-worker.js');
  if (!existsSync(file)) throw new errors.ToolBoxFileError(`azimuthal integration worker ${file} is missing; build the toolbox (npm run build)`, file);
  return file;
}

function sharedLike(a: NumericArray): NumericArray {
  const Ctor = a.constructor as new (b: ArrayBuffer) => NumericArray;
  return new Ctor(new SharedArrayBuffer(a.byteLength) as unknown as ArrayBuffer);
}

/** Frames copied per step of the copy that runs while the workers start and work. */
const COPY_STEP = 4;

/**
 * Copy the tasks' frames into shared memory, a few frames of each task in
 * turn, publishing each task's progress in `ready` so that its worker starts
 * on the first frames while the rest are copied.
 */
function feedFrames(src: NumericArray, dst: NumericArray, tasks: StackTask[], pixels: number, ready: Int32Array): void {
  const copied = tasks.map(() => 0);
  for (let more = true; more;) {
    more = false;
    tasks.forEach((t, k) => {
      const n = Math.min(COPY_STEP, t.end - t.start - copied[k]);
      if (n <= 0) return;
      const from = (t.start + copied[k]) * pixels, to = from + n * pixels;
      dst.set(src.subarray(from, to) as never, from);
      copied[k] += n;
      Atomics.store(ready, k, copied[k]);
      Atomics.notify(ready, k);
      more = true;
    });
  }
}

function sharedF64(n: number, fill = 0): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * n) as unknown as ArrayBuffer).fill(fill);
}

function reporter(option: StackRunOptions['progress'], total: number): { set: (done: number) => void; finish: () => void } {
  if (option === false) return { set: () => {}, finish: () => {} };
  if (typeof option === 'function') return { set: (done) => option(done, total), finish: () => {} };
  const p = startProgress(option ?? `integrating ${total} frames`, { total, unit: 'frames' });
  return { set: (done) => p.set(done), finish: () => p.finish() };
}

function rebuildError(m: Extract<StackWorkerMessage, { type: 'error' }>): Error {
  const Cls = (errors as unknown as Record<string, new (message: string) => Error>)[m.name];
  const err = typeof Cls === 'function' && m.name.startsWith('ToolBox') ? new Cls(m.message) : Object.assign(new Error(`azimuthal integration worker failed: ${m.message}`), { name: m.name });
  if (m.stack) err.stack = `${err.name}: ${m.message}\n    (in worker thread)\n${m.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

function runWorkers(tasks: StackTask[], signal: AbortSignal | undefined, onFrames: (n: number) => void, feed?: () => void): Promise<void> {
  const file = workerFile();
  const running = new Set<Worker>();
  let finished = 0, failed = false;
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of running) void w.terminate();
      reject(err);
    };
    const onAbort = () => fail(new errors.ToolBoxError(`azimuthal integration of the stack aborted (${finished} of ${tasks.length} worker shares done)`));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const task of tasks) {
      const w = new Worker(file, { workerData: task });
      running.add(w);
      let done = false;
      w.on('message', (m: StackWorkerMessage) => {
        if (failed) return;
        if (m.type === 'progress') onFrames(m.frames);
        else if (m.type === 'error') fail(rebuildError(m));
        else {
          done = true;
          running.delete(w);
          void w.terminate();
          if (++finished === tasks.length) { signal?.removeEventListener('abort', onAbort); resolve(); }
        }
      });
      w.on('error', fail);
      w.on('exit', (code) => { if (!done && !failed) fail(new errors.ToolBoxError(`azimuthal integration worker exited with code ${code} before finishing`)); });
    }
    try {
      feed?.();
    } catch (err) {
      fail(err as Error); // terminates the workers waiting for frames
    }
  });
}

/** Integrate every frame of `stack` with `plan`; resolves to the per-frame outputs (nFrames × rows each). */
export async function runStack(plan: IntegrationPlan, stack: StackFrames, pixels: number, options: StackRunOptions): Promise<StackOutputs> {
  const rows = plan.matrix.rows;
  const n = stack.nFrames;
  const out: StackOutputs = {
    intensity: sharedF64(n * rows), sigma: sharedF64(n * rows), count: sharedF64(n * rows),
    sumSignal: sharedF64(n * rows), sumNormalization: sharedF64(n * rows), sumVariance: sharedF64(n * rows, NaN),
  };
  const workers = Math.min(n, options.workers ?? availableParallelism());
  if (!(Number.isInteger(workers) && workers >= 0)) throw new errors.ToolBoxValueError(`workers must be a non-negative integer, got ${String(options.workers)}`, { val: options.workers });
  const base = { matrix: plan.matrix, params: plan.params, pixels, withSigma: plan.withSigma, empty: plan.empty, out };
  const progress = reporter(options.progress, n);
  let done = 0;
  const onFrames = (k: number) => { done += k; progress.set(done); };
  try {
    if (workers === 0) {
      if (options.signal?.aborted) throw new errors.ToolBoxError('azimuthal integration of the stack aborted before it started');
      integrateFrames({ ...base, frames: stack.values, start: 0, end: n }, onFrames);
    } else {
      const src = stack.values;
      const isShared = src.buffer instanceof SharedArrayBuffer;
      const frames = isShared ? src : sharedLike(src);
      const ready = isShared ? undefined : new Int32Array(new SharedArrayBuffer(4 * workers) as unknown as ArrayBuffer);
      const tasks: StackTask[] = Array.from({ length: workers }, (_, k) => ({
        ...base, frames, start: Math.floor((k * n) / workers), end: Math.floor(((k + 1) * n) / workers), ready, slot: k,
      }));
      await runWorkers(tasks, options.signal, onFrames, ready && (() => feedFrames(src, frames, tasks, pixels, ready)));
    }
  } finally {
    progress.finish();
  }
  return out;
}
