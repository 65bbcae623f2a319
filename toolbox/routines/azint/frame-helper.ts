/**
 * A second thread for single frames: pyFAI's CSR engine runs a frame on all
 * cores (OpenMP), so integrate1d / integrate2d of one large frame split the
 * plain dot's rows in two halves of equal non-zeros, one for a helper
 * worker (started once, unref'd) and one for the calling thread, which then
 * waits on a shared flag (Atomics.wait, a few milliseconds). The frame is
 * copied into shared memory for the helper unless it is there already. Any
 * trouble (no second core, small matrix, a helper that does not answer)
 * and the caller does all the rows itself: results are identical either way.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FrameSums, type NumericArray, type PreparedMatrix, dotPlain } from './csr-dot.js';
import type { FrameHelperRequest } from './frame-helper-worker.js';

/** Below this many non-zeros a frame takes well under a millisecond and the hand-off does not pay. */
const MIN_NNZ = 400_000;
/** How long the caller waits for the helper's half before doing it itself and retiring the helper. */
const WAIT_MS = 2000;

function sharedLike(a: NumericArray): NumericArray {
  const Ctor = a.constructor as new (b: ArrayBuffer) => NumericArray;
  return new Ctor(new SharedArrayBuffer(a.byteLength) as unknown as ArrayBuffer);
}

class FrameHelper {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 1;
  private seq = 0;
  private readonly control = new Int32Array(new SharedArrayBuffer(4) as unknown as ArrayBuffer);
  private readonly ids = new WeakMap<PreparedMatrix, number>();
  private readonly splits = new WeakMap<PreparedMatrix, number>();
  private scratch: NumericArray | null = null;
  private readonly dropped = new FinalizationRegistry<number>((id) => this.worker?.postMessage({ type: 'drop', id } satisfies FrameHelperRequest));

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    const file = join(__dirname, 'frame-helper-worker.js');
    if (!existsSync(file)) { this.broken = true; return null; }
    const w = new Worker(file);
    w.unref();
    w.on('error', () => this.retire());
    w.on('exit', () => { if (this.worker === w) this.worker = null; });
    this.worker = w;
    return w;
  }

  private retire(): void {
    this.broken = true;
    void this.worker?.terminate();
    this.worker = null;
  }

  /** First row of the helper's half: the rows after it hold half of the non-zeros. */
  private split(m: PreparedMatrix): number {
    let s = this.splits.get(m);
    if (s === undefined) {
      const half = m.indptr[m.rows] / 2;
      let lo = 0, hi = m.rows;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (m.indptr[mid] < half) lo = mid + 1; else hi = mid; }
      this.splits.set(m, s = lo);
    }
    return s;
  }

  private shared(raw: NumericArray): NumericArray {
    if (raw.buffer instanceof SharedArrayBuffer) return raw;
    if (!this.scratch || this.scratch.constructor !== raw.constructor || this.scratch.length !== raw.length) this.scratch = sharedLike(raw);
    this.scratch.set(raw as never);
    return this.scratch;
  }

  /** The plain dot of one frame on two threads into `out` (SharedArrayBuffer-backed); false when not used. */
  dot(m: PreparedMatrix, raw: NumericArray, out: FrameSums): boolean {
    if (this.broken || availableParallelism() < 2 || m.indptr[m.rows] < MIN_NNZ) return false;
    const w = this.start();
    if (!w) return false;
    let id = this.ids.get(m);
    if (id === undefined) {
      this.ids.set(m, id = this.nextId++);
      this.dropped.register(m, id);
      w.postMessage({ type: 'matrix', id, matrix: m } satisfies FrameHelperRequest);
    }
    const split = this.split(m);
    this.seq = (this.seq % 0x3fffffff) + 1;
    Atomics.store(this.control, 0, 0);
    w.postMessage({ type: 'run', id, seq: this.seq, frame: this.shared(raw), out, r0: split, r1: m.rows, control: this.control } satisfies FrameHelperRequest);
    dotPlain(m, raw, out, 0, split);
    const answered = Atomics.wait(this.control, 0, 0, WAIT_MS) !== 'timed-out' && Atomics.load(this.control, 0) === this.seq;
    if (!answered) {
      this.retire();
      dotPlain(m, raw, out, split, m.rows);
    }
    return true;
  }
}

/** The process's helper (one worker thread at most, started on first use). */
export const frameHelper = new FrameHelper();
