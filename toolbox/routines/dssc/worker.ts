/**
 * Worker-thread entry of DSSC binning: accumulate one AccumulateTask and
 * post the sums back (transferred where they can be). Errors go back as name and
 * message so the main thread rethrows the same ToolBoxError class.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setProgressSink } from '../../display/progress.js';
import { type AccumulateTask, accumulateModule } from './accumulate.js';

export type WorkerMessage =
  | { type: 'progress'; frames: number }
  | { type: 'done'; sums: Float64Array }
  | { type: 'error'; name: string; message: string; stack?: string };

// The main thread shows one progress for all workers; readers here stay silent.
setProgressSink({ update() {} });
const port = parentPort!;
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

accumulateModule(workerData as AccumulateTask, (frames) => post({ type: 'progress', frames }))
  // sums in the SIMD kernel's memory cannot be transferred (a WebAssembly memory's buffer is
  // not detachable): they are copied, with the frame buffers left behind
  .then((sums) => {
    const own = sums.byteLength === sums.buffer.byteLength ? sums : sums.slice();
    post({ type: 'done', sums: own }, [own.buffer as ArrayBuffer]);
  })
  .catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
  });
