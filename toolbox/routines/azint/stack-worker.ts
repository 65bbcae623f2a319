/**
 * Worker-thread entry of stack integration: integrates frames [start, end)
 * of a stack held in a SharedArrayBuffer with the shared prepared matrix, and
 * writes each frame's results into shared output arrays. Reports progress
 * every few frames; errors go back as name and message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type StackTask, integrateFrames } from './stack-task.js';

export type StackWorkerMessage =
  | { type: 'progress'; frames: number }
  | { type: 'done' }
  | { type: 'error'; name: string; message: string; stack?: string };

const port = parentPort!;
const post = (m: StackWorkerMessage) => port.postMessage(m);

try {
  integrateFrames(workerData as StackTask, (frames) => post({ type: 'progress', frames }));
  post({ type: 'done' });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
}
