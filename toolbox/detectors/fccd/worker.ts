/**
 * Worker-thread entry of FastCCD binning: accumulate one band of rows and
 * post the sums back (transferred). Errors go back as name and message so the
 * main thread rethrows the same ToolBoxError class.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setProgressSink } from '../../display/progress.js';
import { type FccdTask, accumulateBand } from './accumulate.js';

export type FccdWorkerMessage =
  | { type: 'progress'; frames: number }
  | { type: 'done'; sums: Float64Array }
  | { type: 'error'; name: string; message: string };

setProgressSink({ update() {} });
const port = parentPort!;

accumulateBand(workerData as FccdTask, (frames) => port.postMessage({ type: 'progress', frames }))
  .then((sums) => port.postMessage({ type: 'done', sums }, [sums.buffer as ArrayBuffer]))
  .catch((err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({ type: 'error', name: e.name, message: e.message });
  });
