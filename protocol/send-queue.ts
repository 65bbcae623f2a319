/**
 * One send in flight per socket. zeromq v6 rejects a send() issued while the
 * previous one on the same socket is still pending; tslab fires sends without
 * waiting and so loses messages (the lost idle status). Every send of a socket
 * goes through its queue, in order, and nothing is dropped: a failed send is
 * reported and the queue carries on with the next message.
 */
import type { Frame } from './wire.js';

interface Sendable {
  send(frames: Frame[]): Promise<void>;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Sendable,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Resolves once these frames are handed to ZeroMQ (after all earlier ones); rejects if this
   * send failed (onError has been told already, so callers that do not care may ignore it).
   */
  send(frames: Frame[]): Promise<void> {
    const sent = this.tail.then(() => this.socket.send(frames));
    this.tail = sent.catch(this.onError);
    return sent;
  }

  /** Resolves when everything queued so far has been handed over. */
  drained(): Promise<void> {
    return this.tail;
  }
}
