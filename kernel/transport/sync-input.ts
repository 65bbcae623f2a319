/**
 * The main thread's half of synchronous input: post the request to the io
 * thread, park in Atomics.wait until it raises the shared flag, then take the
 * answer from the input port with receiveMessageOnPort. The event loop does
 * not run meanwhile, which is what lets a cell's synchronous prompt work.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { KernelInputError } from './errors.js';
import type { InputAnswer, MainToIo } from './io-protocol.js';
import type { KernelRequest } from './types.js';

export class SyncInput {
  /** Handed to the io thread in workerData (transfer list). */
  readonly flagBuffer = new SharedArrayBuffer(4);
  readonly ioPort: MessagePort;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(this.flagBuffer);
  private lastId = 0;

  constructor(private readonly toIo: (message: MainToIo) => void) {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.ioPort = channel.port2;
    // Only ever read synchronously; it must not keep the process alive.
    this.port.unref();
  }

  read(parent: KernelRequest, prompt: string, password: boolean): string {
    if (parent.content?.allow_stdin !== true) {
      throw new KernelInputError(
        `cannot read input for prompt ${JSON.stringify(prompt)}: the frontend does not allow stdin for this request (allow_stdin is false)`,
      );
    }
    const id = ++this.lastId;
    this.toIo({ type: 'input', id, parent, prompt, password });
    for (;;) {
      Atomics.wait(this.flag, 0, 0);
      Atomics.store(this.flag, 0, 0);
      // Answers to inputs abandoned earlier (an interrupted cell) may still be queued: skip them.
      for (let got = receiveMessageOnPort(this.port); got; got = receiveMessageOnPort(this.port)) {
        const answer = got.message as InputAnswer;
        if (answer.id !== id) continue;
        if ('error' in answer) throw new KernelInputError(`no input for prompt ${JSON.stringify(prompt)}: ${answer.error}`);
        return answer.value;
      }
    }
  }
}
