/**
 * The worker threads of MaranaX: started once per call, each takes its
 * share of every batch of frames (contiguous ranges) from shared memory.
 * Progress from all workers is summed; an abort (signal, or SIGINT: the
 * kernel's interrupt) terminates them all and fails the batch in flight
 * (docs/hrixs.md, Parallel centroiding).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as errors from '../../errors.js';
import type { CentroidWorkerMessage } from './centroid-worker.js';
import type { CentroidTask } from './frame-loop.js';

function workerFile(): string {
  const file = join(__dirname, 'centroid-worker.js');
  if (!existsSync(file)) throw new errors.ToolBoxFileError(`MaranaX centroiding worker ${file} is missing; build the toolbox (npm run build)`, file);
  return file;
}

function rebuildError(m: Extract<CentroidWorkerMessage, { type: 'error' }>): Error {
  const Cls = (errors as unknown as Record<string, new (message: string) => Error>)[m.name];
  const err = typeof Cls === 'function' && m.name.startsWith('ToolBox') ? new Cls(m.message) : Object.assign(new Error(`MaranaX centroiding worker failed: ${m.message}`), { name: m.name });
  if (m.stack) err.stack = `${err.name}: ${m.message}\n    (in worker thread)\n${m.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

export class CentroidPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { left: number; resolve: () => void; reject: (e: Error) => void }>();
  private nextJob = 0;
  private failure: Error | null = null;
  private framesDone = 0;
  private closing = false;

  constructor(count: number, private readonly onFrames: (done: number) => void) {
    const file = workerFile();
    for (let k = 0; k < count; k++) {
      const w = new Worker(file);
      w.on('message', (m: CentroidWorkerMessage) => this.message(m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => { if (code !== 0 && !this.failure && !this.closing) this.fail(new errors.ToolBoxError(`MaranaX centroiding worker exited with code ${code}`)); });
      this.workers.push(w);
    }
  }

  private message(m: CentroidWorkerMessage): void {
    if (m.type === 'progress') { this.framesDone += m.frames; this.onFrames(this.framesDone); return; }
    const job = this.waiting.get(m.job);
    if (!job) return;
    if (m.type === 'error') { this.fail(rebuildError(m)); return; }
    if (--job.left === 0) { this.waiting.delete(m.job); job.resolve(); }
  }

  /** Frames finished so far by all workers. */
  get done(): number { return this.framesDone; }

  /** Stop every worker and fail what is in flight. */
  fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.workers) void w.terminate();
    for (const job of this.waiting.values()) job.reject(err);
    this.waiting.clear();
  }

  /** Run frames [task.start, task.end) split over the workers; resolves when all parts are done. */
  run(task: CentroidTask): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const n = task.end - task.start, parts = Math.min(this.workers.length, n);
    if (parts === 0) return Promise.resolve();
    const job = this.nextJob++;
    const done = new Promise<void>((resolve, reject) => this.waiting.set(job, { left: parts, resolve, reject }));
    for (let k = 0; k < parts; k++) {
      const start = task.start + Math.floor((n * k) / parts), end = task.start + Math.floor((n * (k + 1)) / parts);
      this.workers[k].postMessage({ job, task: { ...task, start, end } });
    }
    return done;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
