/**
 * Run from a freshly built snapshot before it is kept (snapshot.ts): what a
 * kernel does first — HMAC on the main thread, a worker thread that uses
 * crypto (the io thread signs messages). Exit 0 when all of it works. Node 24
 * aborts on the worker's crypto in a process started from a user-land
 * snapshot; such a node keeps starting the kernel without one.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';

createHmac('sha256', 'key').update(randomUUID()).digest('hex');
const worker = new Worker(
  'const c = require("node:crypto"); c.createHmac("sha256", "key").update(c.randomUUID()).digest("hex"); require("node:worker_threads").parentPort.postMessage("ok");',
  { eval: true },
);
worker.once('message', () => process.exit(0));
worker.once('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
