/**
 * The io thread's half of synchronous input. The main thread is parked in
 * Atomics.wait while a cell waits for the user, so the answer goes to a
 * dedicated port (read there with receiveMessageOnPort) and a shared flag is
 * raised to wake it. One input is outstanding at a time; a newer request, an
 * interrupt or a shutdown ends the older one with an error.
 */
import type { MessagePort } from 'node:worker_threads';
import type { InputAnswer } from './io-protocol.js';
import type { Outbox } from './outbox.js';
import type { JupyterMessage } from '../../protocol/index.js';
import type { KernelRequest } from './types.js';

export class StdinBroker {
  private pending: { id: number; msgId: string } | undefined;
  private readonly flag: Int32Array;

  constructor(
    private readonly outbox: Outbox,
    flag: SharedArrayBuffer,
    private readonly port: MessagePort,
    private readonly log: (line: string) => void,
  ) {
    this.flag = new Int32Array(flag);
  }

  request(id: number, parent: KernelRequest, prompt: string, password: boolean): void {
    this.cancel('a newer input request replaced it');
    const { header, sent } = this.outbox.sendChecked('stdin', {
      identities: parent.identities,
      parent: parent.header,
      msgType: 'input_request',
      content: { prompt, password },
    });
    this.pending = { id, msgId: header.msg_id };
    // The stdin socket routes mandatorily: a frontend without a stdin connection gets an error, not a hang.
    sent.catch((err: unknown) => {
      if (this.pending?.id === id) this.cancel(`the frontend has no stdin connection to receive input_request (${(err as Error)?.message ?? err})`);
    });
  }

  /** An input_reply arrived on stdin. */
  onReply(message: JupyterMessage): void {
    const parentId = (message.parent_header as { msg_id?: string }).msg_id;
    if (!this.pending || parentId !== this.pending.msgId) {
      this.log(`ignored input_reply for ${parentId ?? 'no parent'}: no input request of that id is waiting`);
      return;
    }
    const value: unknown = message.content?.value;
    this.answer({ id: this.pending.id, value: typeof value === 'string' ? value : String(value ?? '') });
  }

  /** Ends the outstanding input, if any, with `reason` (the main thread throws KernelInputError). */
  cancel(reason: string): void {
    if (this.pending) this.answer({ id: this.pending.id, error: reason });
  }

  private answer(answer: InputAnswer): void {
    this.pending = undefined;
    this.port.postMessage(answer);
    // Raised after the post: the main thread lowers it before draining the port, so no wake-up is lost.
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }
}
