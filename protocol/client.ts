/**
 * The client side of a kernel's ZeroMQ sockets, connected as jupyter_client
 * connects them: DEALER for shell, control and stdin (shell and stdin share a
 * routing id, because a kernel addresses input_request to the identity of the
 * shell request), SUB for iopub, REQ for the heartbeat. Every socket's sends
 * go through a SendQueue; replies are matched to requests by parent msg_id;
 * iopub goes to the listeners; input_request is answered by the stdin handler
 * (by default with an empty line, so a kernel asking anyway does not hang).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type * as zmq from 'zeromq';
import { endpoint, type Channel, type ConnectionInfo } from './connection.js';
import { ProtocolError } from './errors.js';
import { currentUser, newHeader, parentId, type JupyterMessage, type MessageContent, type ShellChannel } from './messages.js';
import { SendQueue } from './send-queue.js';
import { decode, encode, type Frame } from './wire.js';

/** A request on its way: `reply` settles with the message whose parent it is (rejected when the channels close first). */
export interface SentRequest {
  msgId: string;
  /** settles when the frames are handed to ZeroMQ */
  sent: Promise<void>;
  reply: Promise<JupyterMessage>;
}

export interface ClientOptions {
  /** the header's username (default: $USER, as jupyter_client) */
  username?: string;
  /** watch every socket's ZeroMQ handshake, so that `connected` settles (costs a monitor per socket) */
  watchHandshakes?: boolean;
  /**
   * ms between ZeroMQ's attempts to connect to a port nobody listens on yet (ZeroMQ's default: 100).
   * A client started together with its kernel waits up to this long after the kernel has bound.
   */
  reconnectInterval?: number;
}

interface Waiter {
  resolve(message: JupyterMessage): void;
  reject(err: Error): void;
}

/** zeromq's native addon, loaded with the first client: a runner has spawned its kernel by then. */
function zeromq(): typeof zmq {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on demand
  return require('zeromq') as typeof zmq;
}

/** How many refused messages `rejected` keeps. */
const REJECTED_KEPT = 100;

export class KernelChannels {
  readonly session = randomUUID();
  /** why received messages were refused (bad signature, malformed, failed handler), newest last */
  readonly rejected: string[] = [];
  /**
   * With `watchHandshakes`: settles once every socket has completed its ZeroMQ handshake with
   * the kernel. A kernel's ROUTER only knows a peer after that, so an input_request sent earlier
   * would find no stdin. Without, it never settles.
   */
  readonly connected: Promise<void>;
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub: zmq.Subscriber;
  private hb: zmq.Request;
  private readonly reconnect: { reconnectInterval?: number };
  private readonly queues: Record<ShellChannel | 'stdin', SendQueue>;
  private readonly waiters = new Map<string, Waiter>();
  private readonly iopubListeners: ((message: JupyterMessage) => void)[] = [];
  private stdinHandler: (request: JupyterMessage) => string | Promise<string> = () => '';
  private readonly username: string;
  private closed = false;

  constructor(readonly info: ConnectionInfo, options: ClientOptions = {}) {
    this.username = options.username ?? currentUser();
    this.reconnect = options.reconnectInterval === undefined ? {} : { reconnectInterval: options.reconnectInterval };
    const { Dealer, Subscriber, Request } = zeromq();
    this.shell = new Dealer({ linger: 0, routingId: this.session, ...this.reconnect });
    this.control = new Dealer({ linger: 0, ...this.reconnect });
    this.stdin = new Dealer({ linger: 0, routingId: this.session, ...this.reconnect });
    this.iopub = new Subscriber({ linger: 0, receiveHighWaterMark: 0, ...this.reconnect });
    this.hb = new Request({ linger: 0, ...this.reconnect });
    const onError = (err: unknown) => this.reject(`send failed: ${(err as Error)?.message ?? err}`);
    this.queues = { shell: new SendQueue(this.shell, onError), control: new SendQueue(this.control, onError), stdin: new SendQueue(this.stdin, onError) };
    // Observers see only what happens after they exist: listen before connecting.
    this.connected = options.watchHandshakes ? Promise.all(
      [this.shell, this.control, this.stdin, this.iopub, this.hb].map(
        (socket) => new Promise<void>((resolve) => socket.events.on('handshake', () => resolve())),
      ),
    ).then(() => undefined) : new Promise<void>(() => undefined);
    this.shell.connect(this.address('shell'));
    this.control.connect(this.address('control'));
    this.stdin.connect(this.address('stdin'));
    this.iopub.connect(this.address('iopub'));
    this.iopub.subscribe();
    this.hb.connect(this.address('hb'));
    void this.listen(this.shell, (m) => this.settle(m));
    void this.listen(this.control, (m) => this.settle(m));
    void this.listen(this.stdin, (m) => void this.answerInput(m));
    void this.listen(this.iopub, (m) => this.iopubListeners.forEach((listener) => listener(m)));
  }

  /** Every iopub message, in arrival order. */
  onIopub(listener: (message: JupyterMessage) => void): void {
    this.iopubListeners.push(listener);
  }

  /** Answers input_request messages with what the handler returns. */
  onStdin(handler: (request: JupyterMessage) => string | Promise<string>): void {
    this.stdinHandler = handler;
  }

  send(channel: ShellChannel, msgType: string, content: MessageContent, metadata: Record<string, unknown> = {}): SentRequest {
    const { msgId, frames } = this.signedRequest(msgType, content, metadata);
    const reply = new Promise<JupyterMessage>((resolve, reject) => this.waiters.set(msgId, { resolve, reject }));
    reply.catch(() => undefined); // callers that only fire and forget must not cause unhandled rejections
    const sent = this.queues[channel].send(frames);
    sent.catch((err) => this.fail(msgId, new ProtocolError(`sending ${msgType} on ${channel} failed: ${(err as Error).message}`, { cause: err })));
    return { msgId, sent, reply };
  }

  /** A correctly signed request as frames, for sendRaw (tests tamper with them). */
  signedRequest(msgType: string, content: MessageContent, metadata: Record<string, unknown> = {}): { msgId: string; frames: Frame[] } {
    const header = newHeader(msgType, this.session, this.username);
    return { msgId: header.msg_id, frames: encode(this.info.key, [], { header, parent_header: {}, metadata, content }) };
  }

  /** Frames as given, through the channel's queue; a reply is not matched to them. */
  sendRaw(channel: ShellChannel | 'stdin', frames: Frame[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  /** Forget a request whose reply nobody waits for any more. */
  forget(msgId: string): void {
    this.waiters.delete(msgId);
  }

  /** Round trip of one heartbeat in ms; throws ProtocolError when the kernel does not echo within timeoutMs. */
  async heartbeat(timeoutMs: number): Promise<number> {
    const ping = randomBytes(16);
    const start = performance.now();
    this.hb.receiveTimeout = timeoutMs;
    try {
      await this.hb.send(ping);
      const [echo] = await this.hb.receive();
      if (!echo.equals(ping)) throw new Error('the echo differs from what was sent');
      return performance.now() - start;
    } catch (err) {
      // A REQ socket without its answer cannot send again: start a fresh one.
      this.hb.close();
      this.hb = new (zeromq().Request)({ linger: 0, ...this.reconnect });
      this.hb.connect(this.address('hb'));
      throw new ProtocolError(`no heartbeat within ${timeoutMs} ms: ${(err as Error).message}`, { cause: err });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id] of this.waiters) this.fail(id, new ProtocolError('kernel channels closed before the reply arrived'));
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
  }

  private address(channel: Channel): string {
    return endpoint(this.info, channel);
  }

  private fail(msgId: string, err: Error): void {
    const waiter = this.waiters.get(msgId);
    this.waiters.delete(msgId);
    waiter?.reject(err);
  }

  private settle(message: JupyterMessage): void {
    const id = parentId(message);
    const waiter = id === undefined ? undefined : this.waiters.get(id);
    if (!waiter || id === undefined) return;
    this.waiters.delete(id);
    waiter.resolve(message);
  }

  private async answerInput(request: JupyterMessage): Promise<void> {
    if (request.header.msg_type !== 'input_request') return;
    let value = '';
    try {
      value = await this.stdinHandler(request);
    } catch (err) {
      this.reject(`stdin handler failed: ${(err as Error).message}`);
    }
    const header = newHeader('input_reply', this.session, this.username);
    this.queues.stdin.send(encode(this.info.key, [], { header, parent_header: request.header, metadata: {}, content: { value } })).catch(() => undefined);
  }

  private reject(why: string): void {
    this.rejected.push(why);
    if (this.rejected.length > REJECTED_KEPT) this.rejected.shift();
  }

  private async listen(socket: zmq.Dealer | zmq.Subscriber, handle: (message: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decode(this.info.key, frames).message;
        } catch (err) {
          this.reject((err as Error).message);
          continue;
        }
        try {
          handle(message);
        } catch (err) {
          // a throwing consumer must not stop the socket's receive loop
          this.reject(`handler failed on ${message.header.msg_type}: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      if (!this.closed) this.reject(`socket failed: ${(err as Error).message}`);
    }
  }
}
