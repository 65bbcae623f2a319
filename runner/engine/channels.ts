/**
 * The client side of a kernel's ZeroMQ sockets, as jupyter_client connects them: DEALER for
 * shell, control and stdin, SUB for iopub, REQ for the heartbeat. zeromq v6 refuses a send while
 * the previous one on the same socket is pending, so every socket's sends are chained.
 * Replies are matched to requests by parent msg_id; iopub goes to one listener.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import { decode, encode, newMessage, type Message } from './wire.js';

export interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name?: string;
}

export type RequestChannel = 'shell' | 'control';

class SendChain {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly socket: { send(frames: Buffer[]): Promise<void> }) {}

  send(frames: Buffer[]): Promise<void> {
    const sent = this.tail.then(() => this.socket.send(frames));
    this.tail = sent.catch(() => undefined);
    return sent;
  }
}

interface Waiter {
  resolve(message: Message): void;
  reject(err: Error): void;
}

export class KernelChannels {
  readonly session = randomUUID();
  /** why received messages were dropped (bad signature, malformed), newest last, for diagnostics */
  readonly rejected: string[] = [];
  private readonly shell: zmq.Dealer;
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly stdin: zmq.Dealer;
  private readonly iopub = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 });
  private readonly hb = new zmq.Request({ linger: 0 });
  private readonly chains: Record<RequestChannel | 'stdin', SendChain>;
  private readonly waiters = new Map<string, Waiter>();
  private iopubListener: (message: Message) => void = () => undefined;
  private closed = false;

  constructor(private readonly info: ConnectionInfo) {
    // shell and stdin share an identity: the kernel addresses input_request to the shell requester
    this.shell = new zmq.Dealer({ linger: 0, routingId: this.session });
    this.stdin = new zmq.Dealer({ linger: 0, routingId: this.session });
    this.chains = { shell: new SendChain(this.shell), control: new SendChain(this.control), stdin: new SendChain(this.stdin) };
    const address = (port: number) => `tcp://${info.ip}:${port}`;
    this.shell.connect(address(info.shell_port));
    this.control.connect(address(info.control_port));
    this.stdin.connect(address(info.stdin_port));
    this.iopub.connect(address(info.iopub_port));
    this.iopub.subscribe();
    this.hb.connect(address(info.hb_port));
    void this.listen(this.shell, (m) => this.settle(m));
    void this.listen(this.control, (m) => this.settle(m));
    void this.listen(this.stdin, (m) => this.answerInput(m));
    void this.listen(this.iopub, (m) => this.iopubListener(m));
  }

  onIopub(listener: (message: Message) => void): void {
    this.iopubListener = listener;
  }

  /** Sends a request; `reply` settles with the message whose parent is it (rejected when closed first). */
  send(channel: RequestChannel, msgType: string, content: unknown): { msgId: string; sent: Promise<void>; reply: Promise<Message> } {
    const message = newMessage(msgType, this.session, content);
    const msgId = message.header.msg_id;
    const reply = new Promise<Message>((resolve, reject) => this.waiters.set(msgId, { resolve, reject }));
    reply.catch(() => undefined); // callers that only fire and forget must not cause unhandled rejections
    const sent = this.chains[channel].send(encode(message, this.info.key));
    sent.catch((err) => this.fail(msgId, new Error(`sending ${msgType} on ${channel} failed: ${(err as Error).message}`)));
    return { msgId, sent, reply };
  }

  /** Forget a request whose reply nobody waits for any more. */
  forget(msgId: string): void {
    this.waiters.delete(msgId);
  }

  /** One heartbeat round trip; false when the kernel does not echo within timeoutMs (the socket is then unusable). */
  async heartbeat(timeoutMs: number): Promise<boolean> {
    const ping = randomBytes(8);
    this.hb.receiveTimeout = timeoutMs;
    try {
      await this.hb.send(ping);
      const [echo] = await this.hb.receive();
      return echo.equals(ping);
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.waiters) this.fail(id, new Error('kernel channels closed'));
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
  }

  private fail(msgId: string, err: Error): void {
    const waiter = this.waiters.get(msgId);
    this.waiters.delete(msgId);
    waiter?.reject(err);
  }

  private settle(message: Message): void {
    const id = message.parent_header.msg_id;
    const waiter = id === undefined ? undefined : this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id!);
    waiter.resolve(message);
  }

  /** Cells run with allow_stdin=false; a kernel asking anyway gets an empty line rather than hanging. */
  private answerInput(request: Message): void {
    if (request.header.msg_type !== 'input_request') return;
    const reply = newMessage('input_reply', this.session, { value: '' }, request.header);
    this.chains.stdin.send(encode(reply, this.info.key)).catch(() => undefined);
  }

  private async listen(socket: zmq.Dealer | zmq.Subscriber, handle: (message: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: Message;
        try {
          message = decode(frames, this.info.key).message;
        } catch (err) {
          this.rejected.push((err as Error).message);
          if (this.rejected.length > 100) this.rejected.shift();
          continue;
        }
        try {
          handle(message);
        } catch (err) {
          // a throwing consumer must not stop the socket's receive loop
          this.rejected.push(`handler failed on ${message.header.msg_type}: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      if (!this.closed) this.rejected.push(`socket failed: ${(err as Error).message}`);
    }
  }
}
