/**
 * Integrating a stack of frames in worker threads: the prepared matrix and
 * the frames live in SharedArrayBuffers (frames not already shared are copied
 * once), each worker takes a contiguous share of the frames and writes into
 * shared result arrays. Progress from all workers is summed; an abort
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

function sharedCopy(a: NumericArray): NumericArray {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: ArrayBuffer) => NumericArray;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength) as unknown as ArrayBuffer);
  out.set(a as never);
  return out;
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

function runWorkers(tasks: StackTask[], signal: AbortSignal | undefined, onFrames: (n: number) => void): Promise<void> {
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
      const frames = sharedCopy(stack.values);
      const tasks = Array.from({ length: workers }, (_, k) => ({
        ...base, frames, start: Math.floor((k * n) / workers), end: Math.floor(((k + 1) * n) / workers),
      }));
      await runWorkers(tasks, options.signal, onFrames);
    }
  } finally {
    progress.finish();
  }
  return out;
}
