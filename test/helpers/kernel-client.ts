/**
 * A Jupyter client for kernel tests, speaking the wire protocol directly over
 * ZeroMQ (DEALER shell/control/stdin, SUB iopub, REQ heartbeat) the way
 * jupyter_client does, with signing and checking from the kernel's own wire
 * module. startKernel writes a connection file, spawns a kernel and waits
 * until it answers kernel_info with its idle status on iopub (so iopub is
 * subscribed before a test sends anything).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import type { ConnectionInfo } from '../../kernel/transport/connection.js';
import { SendQueue } from '../../kernel/transport/send-queue.js';
import type { JupyterMessage } from '../../kernel/transport/types.js';
import { decode, encode, newHeader, type Frame } from '../../kernel/transport/wire.js';

export type RequestChannel = 'shell' | 'control';

export interface RequestResult {
  reply: JupyterMessage;
  /** every iopub message whose parent is the request, busy … idle included, in arrival order */
  iopub: JupyterMessage[];
}

export interface RequestOptions {
  timeoutMs?: number;
  metadata?: Record<string, unknown>;
}

interface Pending {
  msgType: string;
  reply?: JupyterMessage;
  idle: boolean;
  iopub: JupyterMessage[];
  resolve(result: RequestResult): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class KernelClient {
  readonly session = randomUUID();
  /** messages from the kernel this client refused (bad signature, malformed), as text */
  readonly rejected: string[] = [];
  private readonly shell: zmq.Dealer;
  private readonly control: zmq.Dealer;
  private readonly stdin: zmq.Dealer;
  private readonly iopub = new zmq.Subscriber({ receiveHighWaterMark: 0, linger: 0 });
  private hb: zmq.Request;
  private readonly queues: Record<'shell' | 'control' | 'stdin', SendQueue>;
  private readonly pending = new Map<string, Pending>();
  private readonly iopubListeners: ((message: JupyterMessage) => void)[] = [];
  private stdinHandler: ((request: JupyterMessage) => string | Promise<string>) | undefined;
  private closed = false;
  /**
   * Settles once every socket has completed its ZeroMQ handshake with the kernel. The kernel's
   * ROUTERs only know a peer after that, so an input_request sent earlier would find no stdin.
   */
  readonly connected: Promise<void>;

  constructor(readonly info: ConnectionInfo) {
    // Shell and stdin share the routing id: the kernel sends input_request to the shell request's identity.
    this.shell = new zmq.Dealer({ routingId: this.session, linger: 0 });
    this.stdin = new zmq.Dealer({ routingId: this.session, linger: 0 });
    this.control = new zmq.Dealer({ linger: 0 });
    const onError = (err: unknown) => this.rejected.push(`send failed: ${(err as Error)?.message ?? err}`);
    this.queues = {
      shell: new SendQueue(this.shell, onError),
      control: new SendQueue(this.control, onError),
      stdin: new SendQueue(this.stdin, onError),
    };
    this.hb = new zmq.Request({ linger: 0 });
    // Observers see only what happens after they exist: listen before connecting.
    this.connected = Promise.all(
      [this.shell, this.control, this.stdin, this.iopub, this.hb].map(
        (socket) => new Promise<void>((resolve) => socket.events.on('handshake', () => resolve())),
      ),
    ).then(() => undefined);
    this.shell.connect(this.address('shell'));
    this.control.connect(this.address('control'));
    this.stdin.connect(this.address('stdin'));
    this.iopub.connect(this.address('iopub'));
    this.iopub.subscribe();
    this.hb.connect(this.address('hb'));
    void this.listen(this.shell, (m) => this.onReply(m));
    void this.listen(this.control, (m) => this.onReply(m));
    void this.listen(this.stdin, (m) => void this.onInputRequest(m));
    void this.listen(this.iopub, (m) => this.receiveIopub(m));
  }

  /** Sends a request and resolves once both its reply and its idle status arrived. */
  request(channel: RequestChannel, msgType: string, content: unknown, options: RequestOptions = {}): Promise<RequestResult> {
    const frames = this.frames(msgType, content, options.metadata);
    const msgId = JSON.parse(String(frames[2])).msg_id as string;
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const result = new Promise<RequestResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(msgId);
        this.pending.delete(msgId);
        const missing = [p?.reply ? undefined : 'reply', p?.idle ? undefined : 'idle status'].filter(Boolean).join(' and ');
        reject(new Error(`kernel did not answer ${msgType} on ${channel} within ${timeoutMs} ms: ${missing} missing (msg_id ${msgId})`));
      }, timeoutMs);
      this.pending.set(msgId, { msgType, idle: false, iopub: [], resolve, reject, timer });
    });
    this.queues[channel].send(frames).catch(() => undefined); // recorded in `rejected`
    return result;
  }

  /** A correctly signed request, as frames (tests tamper with them and use sendRaw). */
  frames(msgType: string, content: unknown, metadata: Record<string, unknown> = {}): Frame[] {
    const header = newHeader(msgType, this.session, 'test');
    return encode(this.info.key, [], { header, parent_header: {}, metadata, content });
  }

  sendRaw(channel: RequestChannel | 'stdin', frames: Frame[]): Promise<void> {
    return this.queues[channel].send(frames);
  }

  onIopub(handler: (message: JupyterMessage) => void): void {
    this.iopubListeners.push(handler);
  }

  /** Answers input_request messages with what the handler returns. */
  onStdin(handler: (request: JupyterMessage) => string | Promise<string>): void {
    this.stdinHandler = handler;
  }

  /** Round trip of one heartbeat, in ms; throws when the kernel does not echo within timeoutMs. */
  async heartbeat(timeoutMs = 10_000): Promise<number> {
    const ping = randomBytes(16);
    const start = performance.now();
    this.hb.receiveTimeout = timeoutMs;
    try {
      await this.hb.send(ping);
      const [echo] = await this.hb.receive();
      if (!echo.equals(ping)) throw new Error('heartbeat echo differs from what was sent');
      return performance.now() - start;
    } catch (err) {
      // A REQ socket without its answer cannot send again: start a fresh one.
      this.hb.close();
      this.newHeartbeatSocket();
      throw new Error(`no heartbeat within ${timeoutMs} ms: ${(err as Error).message}`, { cause: err });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`client closed before ${p.msgType} was answered`));
    }
    this.pending.clear();
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
  }

  private address(channel: 'shell' | 'control' | 'stdin' | 'iopub' | 'hb'): string {
    const port = this.info[`${channel}_port`];
    return this.info.transport === 'tcp' ? `tcp://${this.info.ip}:${port}` : `ipc://${this.info.ip}-${port}`;
  }

  private newHeartbeatSocket(): void {
    this.hb = new zmq.Request({ linger: 0 });
    this.hb.connect(this.address('hb'));
  }

  private async listen(socket: zmq.Dealer | zmq.Subscriber, handle: (message: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          handle(decode(this.info.key, frames).message);
        } catch (err) {
          this.rejected.push((err as Error).message);
        }
      }
    } catch (err) {
      if (!this.closed) this.rejected.push(`socket failed: ${(err as Error).message}`);
    }
  }

  private parentOf(message: JupyterMessage): Pending | undefined {
    const id = (message.parent_header as { msg_id?: string }).msg_id;
    return id === undefined ? undefined : this.pending.get(id);
  }

  private onReply(message: JupyterMessage): void {
    const p = this.parentOf(message);
    if (!p) return;
    p.reply = message;
    this.settle(message.parent_header as { msg_id: string }, p);
  }

  private receiveIopub(message: JupyterMessage): void {
    for (const listener of this.iopubListeners) listener(message);
    const p = this.parentOf(message);
    if (!p) return;
    p.iopub.push(message);
    if (message.header.msg_type === 'status' && message.content.execution_state === 'idle') p.idle = true;
    this.settle(message.parent_header as { msg_id: string }, p);
  }

  private settle(parent: { msg_id: string }, p: Pending): void {
    if (!p.reply || !p.idle) return;
    clearTimeout(p.timer);
    this.pending.delete(parent.msg_id);
    p.resolve({ reply: p.reply, iopub: p.iopub });
  }

  private async onInputRequest(request: JupyterMessage): Promise<void> {
    if (request.header.msg_type !== 'input_request') return;
    let value = '';
    try {
      value = this.stdinHandler ? await this.stdinHandler(request) : '';
    } catch (err) {
      this.rejected.push(`stdin handler failed: ${(err as Error).message}`);
    }
    const header = newHeader('input_reply', this.session, 'test');
    this.queues.stdin.send(encode(this.info.key, [], { header, parent_header: request.header, metadata: {}, content: { value } })).catch(() => undefined);
  }
}

export interface StartKernelOptions {
  cwd?: string;
  /** added to this process's environment */
  env?: NodeJS.ProcessEnv;
  /** command line, `{connection_file}` replaced; default: node <build>/kernel/main.js */
  argv?: string[];
  /** signing key; default a random uuid, '' for unsigned messages */
  key?: string;
  /** how long to wait for the first kernel_info answer (default 60 s) */
  readyTimeoutMs?: number;
}

export interface StartedKernel {
  client: KernelClient;
  process: ChildProcess;
  connectionFile: string;
  /** everything the kernel wrote to stderr / stdout so far */
  stderr(): string;
  stdout(): string;
  /** settles when the kernel process ends */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export const DEFAULT_KERNEL_MAIN = join(__dirname, '..', '..', 'kernel', 'main.js');

export async function startKernel(options: StartKernelOptions = {}): Promise<StartedKernel> {
  const dir = await mkdtemp(join(tmpdir(), 'scs-kernel-test-'));
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
  const info: ConnectionInfo = {
    transport: 'tcp', ip: '127.0.0.1', key: options.key ?? randomUUID(), signature_scheme: 'hmac-sha256',
    shell_port, iopub_port, stdin_port, control_port, hb_port,
  };
  const connectionFile = join(dir, `kernel-${randomUUID()}.json`);
  await writeFile(connectionFile, JSON.stringify(info, null, 1), { mode: 0o600 });

  const argv = (options.argv ?? [process.execPath, DEFAULT_KERNEL_MAIN, '{connection_file}']).map((a) => a.replaceAll('{connection_file}', connectionFile));
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd ?? dir,
    env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  const client = new KernelClient(info);

  const stop = async () => {
    client.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForReady(client, exited, options.readyTimeoutMs ?? 60_000, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { client, process: child, connectionFile, stderr: () => stderr, stdout: () => stdout, exited, stop };
}

/** kernel_info until one is answered with reply and idle (iopub subscriptions take a moment), like jupyter_client. */
async function waitForReady(client: KernelClient, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const handshakes = await Promise.race([
    client.connected.then(() => 'ok' as const),
    exited.then(() => 'died' as const),
    new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), timeoutMs).unref()),
  ]);
  if (handshakes !== 'ok') throw new Error(`kernel sockets did not all accept a connection (${handshakes}); stderr:\n${stderr()}`);
  let died: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (died = e));
  for (;;) {
    const attempt = client.request('shell', 'kernel_info_request', {}, { timeoutMs: 1000 });
    const outcome = await Promise.race([attempt.then(() => 'ok' as const, () => 'retry' as const), exited.then(() => 'died' as const)]);
    if (outcome === 'ok') return;
    if (outcome === 'died' || died) {
      throw new Error(`kernel exited before answering kernel_info (code ${died?.code}, signal ${died?.signal}); stderr:\n${stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`kernel did not answer kernel_info within ${timeoutMs} ms; stderr:\n${stderr()}`);
  }
}

async function freePorts(count: number): Promise<number[]> {
  // All held open together so the same port is not handed out twice.
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
