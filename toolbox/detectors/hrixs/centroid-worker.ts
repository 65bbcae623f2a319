/**
 * Worker-thread entry of MaranaX's parallel centroiding: runs the jobs it is
 * sent (a range of frames in shared memory, outputs in shared memory) one
 * after the other, reporting frames done; errors go back as name and message.
 */
import { parentPort } from 'node:worker_threads';
import { type CentroidTask, centroidFrames } from './frame-loop.js';

export type CentroidWorkerMessage =
  | { type: 'progress'; frames: number }
  | { type: 'done'; job: number }
  | { type: 'error'; job: number; name: string; message: string; stack?: string };

const port = parentPort!;
port.on('message', (m: { job: number; task: CentroidTask }) => {
  try {
    centroidFrames(m.task, (frames) => port.postMessage({ type: 'progress', frames } satisfies CentroidWorkerMessage));
    port.postMessage({ type: 'done', job: m.job } satisfies CentroidWorkerMessage);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ type: 'error', job: m.job, name: e.name, message: e.message, stack: e.stack } satisfies CentroidWorkerMessage);
  }
});
