/**
 * Everything the kernel sends leaves through here: the io thread's only
 * writer. It builds the header (this kernel's session, a fresh msg_id),
 * signs, and hands the frames to the channel's SendQueue, so each socket has
 * one send in flight and iopub messages leave in the order they were made.
 */
import { encodeJson, newHeader, SendQueue, type Frame, type MessageHeader } from '../../protocol/index.js';

export type OutChannel = 'shell' | 'control' | 'stdin' | 'iopub';

/** A message to send, its parent, metadata and content already JSON text. */
export interface OutgoingJson {
  identities: readonly Frame[];
  msgType: string;
  parent: string;
  metadata: string;
  content: string;
  buffers?: readonly Uint8Array[];
}

/** The same, as values (for messages the io thread makes itself). */
export interface Outgoing {
  identities: readonly Frame[];
  msgType: string;
  parent: MessageHeader | Record<string, never>;
  content: unknown;
}

export class Outbox {
  private readonly queues: Record<OutChannel, SendQueue>;

  constructor(
    sockets: Record<OutChannel, { send(frames: Frame[]): Promise<void> }>,
    private readonly key: string,
    readonly session: string,
    log: (line: string) => void,
  ) {
    const queue = (channel: OutChannel) =>
      new SendQueue(sockets[channel], (err) => log(`send on ${channel} failed: ${(err as Error)?.message ?? err}`));
    this.queues = { shell: queue('shell'), control: queue('control'), stdin: queue('stdin'), iopub: queue('iopub') };
  }

  /** Queues one message; returns its header (the stdin broker matches replies by msg_id). */
  send(channel: OutChannel, out: Outgoing): MessageHeader {
    const { header, sent } = this.sendChecked(channel, out);
    sent.catch(() => undefined); // already logged by the queue
    return header;
  }

  /** Like send, with the outcome of this one send (a ROUTER with mandatory routing refuses unknown peers). */
  sendChecked(channel: OutChannel, out: Outgoing): { header: MessageHeader; sent: Promise<void> } {
    return this.sendJson(channel, {
      identities: out.identities,
      msgType: out.msgType,
      parent: JSON.stringify(out.parent),
      metadata: '{}',
      content: JSON.stringify(out.content),
    });
  }

  sendJson(channel: OutChannel, out: OutgoingJson): { header: MessageHeader; sent: Promise<void> } {
    const header = newHeader(out.msgType, this.session, 'kernel');
    const frames = encodeJson(this.key, out.identities, [JSON.stringify(header), out.parent, out.metadata, out.content], out.buffers);
    const sent = this.queues[channel].send(frames);
    sent.catch(() => undefined); // logged by the queue; callers that care hold `sent`
    return { header, sent };
  }

  /** Frames made elsewhere (the io thread's, passed on by the relay), in order with the rest. */
  sendFrames(channel: OutChannel, frames: Frame[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  publish(parent: MessageHeader | Record<string, never>, msgType: string, content: unknown): MessageHeader {
    return this.send('iopub', { identities: [this.topic(msgType)], parent, msgType, content });
  }

  status(parent: MessageHeader | Record<string, never>, state: 'busy' | 'idle' | 'starting'): void {
    this.publish(parent, 'status', { execution_state: state });
  }

  /** iopub topic, as ipykernel forms it (frontends subscribe to everything anyway). */
  topic(msgType: string): string {
    return `kernel.${this.session}.${msgType}`;
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ. */
  async drained(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.drained()));
  }
}
