/**
 * The io relay: a plain node process that kernel/launch.sh starts next to a
 * kernel started from the startup snapshot, as
 * `SCS_KERNEL_IO_RELAY=<link name> node kernel/relay.js <connection_file>`
 * (that entry gives runRelay the kernel's kernel_info content).
 *
 * Why: the snapshot process reaches its first line only after ~0.25 s of
 * deserialising, and its io thread boots slower than in a plain process (a
 * worker there starts without Node's own snapshot), so it bound the sockets
 * ~0.45 s after launch; the relay binds them ~0.1 s after. Until the io thread
 * links up (io-link.ts), the relay echoes heartbeats, answers kernel_info on
 * shell and control (with the 'starting' status first) and keeps every other
 * message in order. From then on it passes frames both ways unchanged; the io
 * thread does everything else as before. Heartbeats stay here.
 *
 * It ends when the io thread asks it to close, when the link drops (the
 * kernel process ended) or when the kernel process ends before linking: its
 * parent is the kernel, as launch.sh exec's the kernel in its own place. An
 * interrupt signalled to the process group is the kernel's: the relay
 * ignores SIGINT.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { CHANNELS, decode, endpoint, readConnectionFile, WireError, type ConnectionInfo } from '../../protocol/index.js';
import { IoLink, linkAddress, RELAY_ENV, type IoToRelay, type ReceivingChannel, type RelayToIo } from './io-link.js';
import { bindKernelSockets, closeKernelSockets, createKernelSockets, echoHeartbeats, type Endpoints, type KernelSockets } from './kernel-sockets.js';
import { Outbox } from './outbox.js';
import { ReplayGuard } from './replay-guard.js';
import { stderrLog } from './stderr-log.js';

/** As the io thread: 'starting' goes out before the first answer, or after this long. */
const STARTING_STATUS_MS = 500;
/** How often the relay looks whether the kernel process is still its parent. */
const PARENT_POLL_MS = 200;

const log = stderrLog('[scs-kernel relay]');

class Relay {
  private readonly sockets: KernelSockets = createKernelSockets();
  private readonly session = randomUUID();
  // A failed send of the io thread's is reported back and logged there, once; the relay's own
  // (kernel_info answers before the link) fail only when the frontend is gone.
  private readonly outbox: Outbox;
  private readonly replays = new ReplayGuard();
  private readonly held: { channel: ReceivingChannel; frames: Buffer[] }[] = [];
  private readonly server: Server;
  private link: IoLink<IoToRelay, RelayToIo> | undefined;
  private linking = false;
  private startingSent = false;
  private closing = false;
  private bindError: string | undefined;
  private readonly bound: Promise<void>;

  constructor(
    private readonly info: ConnectionInfo,
    linkName: string,
    private readonly kernelInfo: Record<string, unknown>,
  ) {
    this.outbox = new Outbox(this.sockets, info.key, this.session, () => undefined);
    const endpoints = Object.fromEntries(CHANNELS.map((c) => [c, endpoint(info, c)])) as Endpoints;
    this.server = createServer((socket) => void this.onConnection(socket));
    this.server.on('error', (err) => this.end(`cannot listen for the io thread on ${JSON.stringify(linkName)}: ${err.message}`));
    this.server.listen(linkAddress(linkName));
    this.bound = bindKernelSockets(this.sockets, endpoints).then(
      () => {
        for (const channel of ['shell', 'control', 'stdin'] as const) void this.receive(channel);
        void echoHeartbeats(this.sockets.hb, () => this.closing, log);
        setTimeout(() => this.sendStarting(), STARTING_STATUS_MS).unref();
      },
      (err: unknown) => {
        this.bindError = (err as Error).message;
      },
    );
    const kernelPid = process.ppid;
    setInterval(() => process.ppid !== kernelPid && this.end(), PARENT_POLL_MS).unref();
  }

  private async receive(channel: ReceivingChannel): Promise<void> {
    try {
      for await (const frames of this.sockets[channel]) {
        if (this.link) this.link.send({ type: 'frames', channel, frames });
        else this.early(channel, frames);
      }
    } catch (err) {
      if (!this.closing) log(`${channel} socket failed: ${(err as Error)?.message ?? err}`);
    }
  }

  /** Before the io thread links: kernel_info is answered here, anything else kept for it. */
  private early(channel: ReceivingChannel, frames: Buffer[]): void {
    if (channel !== 'stdin') {
      try {
        const { identities, message, signature } = decode(this.info.key, frames);
        if (message.header.msg_type === 'kernel_info_request') {
          if (!this.replays.admit(signature)) return void log(`rejected kernel_info_request message on ${channel}: signature seen before (replayed message)`);
          this.sendStarting();
          this.outbox.status(message.header, 'busy');
          this.outbox.send(channel, { identities, parent: message.header, msgType: 'kernel_info_reply', content: this.kernelInfo });
          this.outbox.status(message.header, 'idle');
          return;
        }
      } catch (err) {
        // The io thread checks it again and logs why it refused it.
        if (!(err instanceof WireError)) throw err;
      }
    }
    this.held.push({ channel, frames });
  }

  private sendStarting(): void {
    if (this.startingSent || this.link) return;
    this.startingSent = true;
    this.outbox.status({}, 'starting');
  }

  private async onConnection(socket: Socket): Promise<void> {
    const link = new IoLink<IoToRelay, RelayToIo>(socket);
    try {
      await link.authenticate(this.info.key, 'relay');
    } catch (err) {
      log(`refused a connection to the io link: ${(err as Error).message}`);
      return;
    }
    if (this.linking || this.closing) return void socket.destroy();
    this.linking = true;
    this.server.close();
    await this.bound;
    link.send({ type: 'hello', session: this.session, startingSent: this.startingSent, error: this.bindError });
    if (this.bindError) {
      socket.end();
      return this.end();
    }
    for (const { channel, frames } of this.held.splice(0)) link.send({ type: 'frames', channel, frames });
    this.link = link;
    link.onMessage((message) => this.onIo(message));
    socket.on('close', () => this.end());
    socket.on('error', () => undefined); // 'close' follows
  }

  private onIo(message: IoToRelay): void {
    if (message.type === 'send') {
      this.outbox.sendFrames(message.channel, message.frames).then(
        () => message.ack && this.link?.send({ type: 'sent', id: message.id }),
        (err: unknown) => this.link?.send({ type: 'sent', id: message.id, error: (err as Error)?.message ?? String(err) }),
      );
    } else if (message.type === 'close') {
      void this.outbox.drained().then(() => {
        this.end();
        this.link?.send({ type: 'closed' });
      });
    }
  }

  /** Closes the sockets (pending sends still leave within the linger) and lets the process end. */
  private end(why?: string): void {
    if (why) log(why);
    if (this.closing) return;
    this.closing = true;
    this.server.close();
    closeKernelSockets(this.sockets);
  }
}

/** The relay process's main: its link name from the environment, the connection file from argv. */
export function runRelay(kernelInfo: Record<string, unknown>): void {
  const linkName = process.env[RELAY_ENV];
  const connectionFile = process.argv[2];
  if (!linkName || !connectionFile) {
    log(`usage: ${RELAY_ENV}=<link name> node ${process.argv[1]} <connection_file> (started by the kernel's launch.sh)`);
    process.exit(2);
  }
  // An interrupt is the kernel's: Jupyter signals the whole process group.
  process.on('SIGINT', () => undefined);
  let info: ConnectionInfo;
  try {
    info = readConnectionFile(connectionFile);
  } catch {
    // The kernel reads the same file first and reports what is wrong with it.
    process.exit(1);
  }
  new Relay(info, linkName, kernelInfo);
}
