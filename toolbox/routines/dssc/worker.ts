/**
 * Worker-thread entry of DSSC binning: accumulate one AccumulateTask and
 * post the sums back (transferred, not copied). Errors go back as name and
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
  .then((sums) => post({ type: 'done', sums }, [sums.buffer as ArrayBuffer]))
  .catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', name: e.name, message: e.message, stack: e.stack });
  });
