/**
 * The io thread's end of the io link (io-link.ts): connects to the relay that
 * launch.sh started (retrying while the relay is still starting), and gives
 * the io thread stand-ins for its ZeroMQ sockets. A send resolves or rejects
 * as the relay's socket send did, so the io thread's send queues and stdin
 * broker behave as with their own sockets.
 */
import { connect } from 'node:net';
import type { Frame } from '../../protocol/index.js';
import { IoLink, linkAddress, type IoToRelay, type ReceivingChannel, type RelayToIo, type SendingChannel } from './io-link.js';

const CONNECT_RETRY_MS = 20;

export interface RelayedSockets {
  /** the session the relay has been signing its own answers with */
  session: string;
  startingSent: boolean;
  receivers: Record<ReceivingChannel, AsyncIterable<Buffer[]>>;
  senders: Record<SendingChannel, { send(frames: Frame[]): Promise<void> }>;
  /** asks the relay to close its sockets (after what was sent so far) and resolves when it has */
  close(): Promise<void>;
  /** called once if the link drops without close() (the relay died) */
  onLost(handler: () => void): void;
}

/** Connects and authenticates within `timeoutMs`; rejects naming why (the caller then binds itself). */
export async function connectRelay(name: string, key: string, timeoutMs: number, log: (line: string) => void): Promise<RelayedSockets> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = connect(linkAddress(name));
    const link = new IoLink<RelayToIo, IoToRelay>(socket);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      socket.on('error', () => undefined); // 'close' follows and is handled
      await link.authenticate(key, 'io');
      const { first: hello, rest } = await firstMessage(link);
      if (hello.type !== 'hello') throw new Error(`the relay said ${hello.type} first`);
      if (hello.error) throw new RelayBindError(hello.error);
      return relayed(link, hello, rest, log);
    } catch (err) {
      socket.destroy();
      const code = (err as NodeJS.ErrnoException).code;
      const starting = code === 'ECONNREFUSED' || code === 'ENOENT';
      if (!starting || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
    }
  }
}

/** The relay could not bind the kernel's sockets: binding again here would fail the same way. */
export class RelayBindError extends Error {}

/** The hello, and what came right after it until the caller takes over (filled synchronously). */
function firstMessage(link: IoLink<RelayToIo, IoToRelay>): Promise<{ first: RelayToIo; rest: RelayToIo[] }> {
  return new Promise((resolve, reject) => {
    const rest: RelayToIo[] = [];
    let first: RelayToIo | undefined;
    const onClose = () => reject(new Error('the relay closed the link before its hello'));
    link.socket.once('close', onClose);
    link.onMessage((message) => {
      if (first) return void rest.push(message);
      first = message;
      link.socket.off('close', onClose);
      resolve({ first, rest });
    });
  });
}

function relayed(link: IoLink<RelayToIo, IoToRelay>, hello: Extract<RelayToIo, { type: 'hello' }>, rest: RelayToIo[], log: (line: string) => void): RelayedSockets {
  const receivers = { shell: new Inbox(), control: new Inbox(), stdin: new Inbox() };
  const pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  let nextId = 0;
  let closing = false;
  let closed: (() => void) | undefined;
  let lost: (() => void) | undefined;
  const handle = (message: RelayToIo): void => {
    if (message.type === 'frames') receivers[message.channel].push(message.frames);
    else if (message.type === 'sent') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else if (waiting) waiting.reject(new Error(message.error));
      else log(`a send through the io relay failed: ${message.error}`);
    } else if (message.type === 'closed') closed?.();
  };
  for (const message of rest.splice(0)) handle(message);
  link.onMessage(handle);
  link.socket.on('close', () => {
    for (const inbox of Object.values(receivers)) inbox.end();
    for (const waiting of pending.values()) waiting.reject(new Error('the io relay is gone'));
    pending.clear();
    closed?.();
    if (!closing) lost?.();
  });
  // Only stdin waits for each outcome (its routing is mandatory: the broker must learn that a
  // frontend has no stdin connection). Elsewhere a send counts as done once it is on the link,
  // which keeps order; the relay reports a failure, and it is logged here.
  const sender = (channel: SendingChannel) => ({
    send(frames: Frame[]): Promise<void> {
      if (link.socket.destroyed) return Promise.reject(new Error('the io relay is gone'));
      const id = nextId++;
      const ack = channel === 'stdin';
      link.send({ type: 'send', id, channel, frames, ack });
      return ack ? new Promise<void>((resolve, reject) => pending.set(id, { resolve, reject })) : Promise.resolve();
    },
  });
  return {
    session: hello.session,
    startingSent: hello.startingSent,
    receivers,
    senders: { shell: sender('shell'), control: sender('control'), stdin: sender('stdin'), iopub: sender('iopub') },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        if (link.socket.destroyed) return resolve();
        closed = resolve;
        link.send({ type: 'close' });
      });
    },
    onLost(handler) {
      lost = handler;
    },
  };
}

/** Messages of one channel, handed out in order to one `for await` reader. */
class Inbox implements AsyncIterable<Buffer[]> {
  private readonly queue: Buffer[][] = [];
  private waiting: ((result: IteratorResult<Buffer[]>) => void) | undefined;
  private ended = false;

  push(frames: Buffer[]): void {
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value: frames, done: false });
    } else this.queue.push(frames);
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer[]> {
    return {
      next: () => {
        const frames = this.queue.shift();
        if (frames) return Promise.resolve({ value: frames, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}
