/**
 * Worker-thread entry of the single-frame helper (frame-helper.ts): keeps
 * the prepared matrices it is sent, and on each request runs the plain dot
 * over its share of the rows, then flags completion in the shared control
 * word the calling thread is waiting on.
 */
import { parentPort } from 'node:worker_threads';
import { type FrameSums, type NumericArray, type PreparedMatrix, dotPlain } from './csr-dot.js';

export type FrameHelperRequest =
  | { type: 'matrix'; id: number; matrix: PreparedMatrix }
  | { type: 'drop'; id: number }
  | { type: 'run'; id: number; seq: number; frame: NumericArray; out: FrameSums; r0: number; r1: number; control: Int32Array };

const matrices = new Map<number, PreparedMatrix>();

parentPort!.on('message', (m: FrameHelperRequest) => {
  if (m.type === 'matrix') matrices.set(m.id, m.matrix);
  else if (m.type === 'drop') matrices.delete(m.id);
  else {
    const matrix = matrices.get(m.id);
    // a missing matrix leaves the flag unset: the caller times out and does the rows itself
    if (matrix) dotPlain(matrix, m.frame, m.out, m.r0, m.r1);
    Atomics.store(m.control, 0, matrix ? m.seq : -m.seq);
    Atomics.notify(m.control, 0);
  }
});
