/**
 * The link between the io thread and the io relay (io-relay.ts): a local
 * socket in Linux's abstract namespace, named after the kernel's pid, carrying
 * v8-serialised messages (Buffers stay binary), each after its length.
 *
 * An abstract socket has no file permissions, so before anything else both
 * ends prove to each other that they hold the connection file's key (an HMAC
 * of the other's random challenge). Until then a message may be 1 KiB at
 * most, so a stranger can neither make either end allocate much nor read or
 * inject a Jupyter message.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/** The environment variable launch.sh sets to the link's name when it starts a relay. */
export const RELAY_ENV = 'SCS_KERNEL_IO_RELAY';
const UNAUTHENTICATED_MAX = 1024;
const HANDSHAKE_MS = 5000;

export function linkAddress(name: string): string {
  return `\0${name}`;
}

type Handshake = { type: 'challenge'; nonce: Buffer } | { type: 'proof'; mac: Buffer };

export class IoLink<In extends { type: string }, Out extends { type: string }> {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private maxMessage = UNAUTHENTICATED_MAX;
  private handler: ((message: In) => void) | undefined;
  private handshake: ((message: Handshake) => void) | undefined;
  /** messages after the handshake that came before onMessage was called */
  private early: In[] = [];

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /**
   * Both ends call this first. `role` is this end's ('relay' or 'io'): a proof is bound to the
   * prover's role, so an end cannot be made to answer its own challenge. Rejects on a wrong
   * proof, a closed socket or after 5 s.
   */
  authenticate(key: string, role: 'relay' | 'io'): Promise<void> {
    const peer = role === 'relay' ? 'io' : 'relay';
    const nonce = randomBytes(32);
    const mac = (prover: string, challenge: Buffer) => createHmac('sha256', key).update(prover).update(challenge).digest();
    return new Promise<void>((resolve, reject) => {
      let proved = false;
      let answered = false;
      const fail = (why: string) => {
        cleanup();
        this.socket.destroy();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail('no proof of the connection key within 5 s'), HANDSHAKE_MS);
      const onClose = () => fail('the other end closed the link during the handshake');
      const cleanup = () => {
        clearTimeout(timer);
        this.socket.off('close', onClose);
        this.handshake = undefined;
      };
      this.socket.on('close', onClose);
      this.handshake = (message) => {
        if (message.type === 'challenge' && Buffer.isBuffer(message.nonce) && !answered) {
          answered = true;
          this.write({ type: 'proof', mac: mac(role, message.nonce) });
        } else if (message.type === 'proof' && Buffer.isBuffer(message.mac) && message.mac.length === 32 && timingSafeEqual(message.mac, mac(peer, nonce))) {
          proved = true;
        } else {
          return fail(`unexpected ${String(message.type)} during the handshake (wrong connection key?)`);
        }
        if (proved && answered) {
          cleanup();
          this.maxMessage = Number.POSITIVE_INFINITY;
          resolve();
        }
      };
      this.write({ type: 'challenge', nonce });
    });
  }

  onMessage(handler: (message: In) => void): void {
    this.handler = handler;
    const early = this.early;
    this.early = [];
    for (const message of early) handler(message);
  }

  send(message: Out): void {
    this.write(message);
  }

  private write(message: object): void {
    const body = serialize(message);
    const length = Buffer.allocUnsafe(4);
    length.writeUInt32LE(body.length);
    this.socket.cork();
    this.socket.write(length);
    this.socket.write(body);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    while (this.bufferedBytes >= 4) {
      const head = this.take(4, false);
      const length = head.readUInt32LE(0);
      if (length > this.maxMessage) {
        this.socket.destroy(new Error(`a message of ${length} bytes before the handshake`));
        return;
      }
      if (this.bufferedBytes < 4 + length) return;
      this.take(4, true);
      const message = deserialize(this.take(length, true)) as { type: string };
      if (this.handshake) this.handshake(message as Handshake);
      else if (this.maxMessage !== Number.POSITIVE_INFINITY) return void this.socket.destroy(new Error('a message before the handshake'));
      else if (this.handler) this.handler(message as In);
      else this.early.push(message as In);
    }
  }

  /** The first n buffered bytes, removed when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    const first = this.buffered[0]!;
    const out = first.subarray(0, n);
    if (consume) {
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
      this.bufferedBytes -= n;
    }
    return out;
  }
}

export type ReceivingChannel = 'shell' | 'control' | 'stdin';
export type SendingChannel = 'shell' | 'control' | 'stdin' | 'iopub';

/** What the relay tells the io thread. */
export type RelayToIo =
  /** first message: the session the relay signs with, whether it already sent 'starting', or why it could not bind */
  | { type: 'hello'; session: string; startingSent: boolean; error?: string }
  /** a message that arrived on a socket, frames as received (the io thread checks the signature) */
  | { type: 'frames'; channel: ReceivingChannel; frames: Buffer[] }
  /** the outcome of the io thread's send `id` (when it asked, or when it failed) */
  | { type: 'sent'; id: number; error?: string }
  /** after 'close': the sockets are closed */
  | { type: 'closed' };

/** What the io thread tells the relay. */
export type IoToRelay =
  /** `ack`: the io thread waits for the outcome; otherwise the relay reports a failure only */
  | { type: 'send'; id: number; channel: SendingChannel; frames: (Buffer | Uint8Array | string)[]; ack: boolean }
  | { type: 'close' };
