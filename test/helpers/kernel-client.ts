/**
 * A Jupyter client for kernel tests: the protocol package's client sockets
 * (KernelChannels, as the runner uses them), plus what tests wait for: a
 * request's reply together with its iopub messages up to idle. startKernel
 * writes a connection file, spawns a kernel and waits until it answers
 * kernel_info with its idle status on iopub (so iopub is subscribed before a
 * test sends anything).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KernelChannels, newConnectionInfo, parentId, writeConnectionFile,
  type ConnectionInfo, type Frame, type JupyterMessage, type MessageContent, type ShellChannel,
} from '../../protocol/index.js';

export type RequestChannel = ShellChannel;

/**
 * A message as tests read it: they dig into the kernel's JSON field by field
 * and let the assertion judge, so the content is not narrowed first.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReceivedMessage = Omit<JupyterMessage, 'content'> & { content: any };

export interface RequestResult {
  reply: ReceivedMessage;
  /** every iopub message whose parent is the request, busy … idle included, in arrival order */
  iopub: ReceivedMessage[];
}

export interface RequestOptions {
  timeoutMs?: number;
  metadata?: Record<string, unknown>;
}

interface Pending {
  msgType: string;
  reply?: ReceivedMessage;
  idle: boolean;
  iopub: ReceivedMessage[];
  resolve(result: RequestResult): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class KernelClient extends KernelChannels {
  private readonly pending = new Map<string, Pending>();

  constructor(info: ConnectionInfo) {
    super(info, { username: 'test', watchHandshakes: true });
    this.onIopub((m) => this.collectIopub(m));
  }

  /** Sends a request and resolves once both its reply and its idle status arrived. */
  request(channel: RequestChannel, msgType: string, content: MessageContent, options: RequestOptions = {}): Promise<RequestResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const { msgId, reply } = this.send(channel, msgType, content, options.metadata);
    const result = new Promise<RequestResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(msgId);
        this.pending.delete(msgId);
        this.forget(msgId);
        const missing = [p?.reply ? undefined : 'reply', p?.idle ? undefined : 'idle status'].filter(Boolean).join(' and ');
        reject(new Error(`kernel did not answer ${msgType} on ${channel} within ${timeoutMs} ms: ${missing} missing (msg_id ${msgId})`));
      }, timeoutMs);
      this.pending.set(msgId, { msgType, idle: false, iopub: [], resolve, reject, timer });
    });
    reply.then((message) => {
      const p = this.pending.get(msgId);
      if (!p) return;
      p.reply = message;
      this.finish(msgId, p);
    }, () => undefined); // close() rejects the pending requests itself
    return result;
  }

  /** Every iopub message, in arrival order, as tests read them. */
  override onIopub(listener: (message: ReceivedMessage) => void): void {
    super.onIopub(listener);
  }

  /** A correctly signed request, as frames (tests tamper with them and use sendRaw). */
  frames(msgType: string, content: MessageContent, metadata: Record<string, unknown> = {}): Frame[] {
    return this.signedRequest(msgType, content, metadata).frames;
  }

  /** Round trip of one heartbeat, in ms; throws when the kernel does not echo within timeoutMs. */
  override heartbeat(timeoutMs = 10_000): Promise<number> {
    return super.heartbeat(timeoutMs);
  }

  override close(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`client closed before ${p.msgType} was answered`));
    }
    this.pending.clear();
    super.close();
  }

  private collectIopub(message: JupyterMessage): void {
    const id = parentId(message);
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || id === undefined) return;
    p.iopub.push(message);
    if (message.header.msg_type === 'status' && message.content.execution_state === 'idle') p.idle = true;
    this.finish(id, p);
  }

  private finish(msgId: string, p: Pending): void {
    if (!p.reply || !p.idle) return;
    clearTimeout(p.timer);
    this.pending.delete(msgId);
    p.resolve({ reply: p.reply, iopub: p.iopub });
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
  const info = await newConnectionInfo({ key: options.key });
  const connectionFile = join(dir, `kernel-${randomUUID()}.json`);
  writeConnectionFile(connectionFile, info);

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
