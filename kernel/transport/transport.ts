/**
 * startTransport: the main thread's side of the kernel's messaging. It reads
 * the connection file, starts the io thread (io-worker.js next to this file)
 * and turns the thread's port into the KernelTransport the session uses.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHANNELS, endpoint, readConnectionFile, type JupyterMessage } from '../../protocol/index.js';
import { KernelTransportError } from './errors.js';
import { RELAY_ENV } from './io-link.js';
import type { IoToMain, IoWorkerData, MainToIo } from './io-protocol.js';
import { SyncInput } from './sync-input.js';
import type { KernelRequest, KernelTransport, TransportOptions } from './types.js';

export const IO_WORKER_FILE = join(__dirname, 'io-worker.js');

export async function startTransport(options: TransportOptions): Promise<KernelTransport> {
  const info = readConnectionFile(options.connectionFile);
  const endpoints = Object.fromEntries(CHANNELS.map((c) => [c, endpoint(info, c)])) as IoWorkerData['endpoints'];

  const toIo = (message: MainToIo) => worker.postMessage(message);
  const input = new SyncInput(toIo);
  // The relay is this kernel's alone: a kernel a cell starts must not look for it.
  const relay = process.env[RELAY_ENV] || undefined;
  delete process.env[RELAY_ENV];
  const workerData: IoWorkerData = {
    endpoints,
    key: info.key,
    relay,
    connectionFile: options.connectionFile,
    kernelInfo: options.kernelInfo,
    inputFlag: input.flagBuffer,
    inputPort: input.ioPort,
  };
  const worker = new Worker(IO_WORKER_FILE, { workerData, transferList: [input.ioPort] });
  const transport = new WorkerTransport(worker, toIo, input);
  await transport.ready(options.connectionFile);
  return transport;
}

class WorkerTransport implements KernelTransport {
  private requestHandler: ((request: KernelRequest) => void) | undefined;
  /** requests that arrived before onRequest was called; delivered then, in order */
  private early: KernelRequest[] = [];
  private interruptHandler: (() => void) | undefined;
  private shutdownHandler: ((restart: boolean) => Promise<void> | void) | undefined;
  private closing: Promise<void> | undefined;
  private started: { resolve(): void; reject(err: Error): void } | undefined;
  private closed: (() => void) | undefined;

  constructor(
    worker: Worker,
    private readonly toIo: (message: MainToIo) => void,
    private readonly input: SyncInput,
  ) {
    worker.on('message', (message: IoToMain) => this.onIo(message));
    worker.on('error', (err) => this.fail(new KernelTransportError(`the kernel's io thread crashed: ${err.stack ?? err.message}`, { cause: err })));
    worker.on('exit', (code) => {
      if (this.closing) this.closed?.();
      else this.fail(new KernelTransportError(`the kernel's io thread exited unexpectedly (code ${code})`));
    });
  }

  ready(connectionFile: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.started = {
        resolve,
        reject: (err) => reject(new KernelTransportError(`kernel transport for ${connectionFile}: ${err.message}`, { cause: err })),
      };
    });
  }

  onRequest(handler: (request: KernelRequest) => void): void {
    this.requestHandler = handler;
    this.toIo({ type: 'serving' });
    const early = this.early;
    this.early = [];
    for (const request of early) guarded(`handling ${request.header.msg_type}`, () => handler(request));
  }

  reply(request: KernelRequest, msgType: string, content: unknown, metadata: Record<string, unknown> = {}): void {
    this.toIo({ type: 'send', channel: request.channel, identities: request.identities, msgType, ...json(msgType, request.header, metadata, content) });
  }

  publish(parent: JupyterMessage | null, msgType: string, content: unknown, metadata: Record<string, unknown> = {}, buffers?: Uint8Array[]): void {
    this.toIo({ type: 'send', channel: 'iopub', identities: [], msgType, ...json(msgType, parent?.header ?? {}, metadata, content), buffers });
  }

  inputSync(parent: KernelRequest, prompt: string, password: boolean): string {
    return this.input.read(parent, prompt, password);
  }

  onInterrupt(handler: () => void): void {
    this.interruptHandler = handler;
  }

  onShutdown(handler: (restart: boolean) => Promise<void> | void): void {
    this.shutdownHandler = handler;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.closed = resolve;
      this.toIo({ type: 'close' });
    });
    return this.closing;
  }

  private onIo(message: IoToMain): void {
    switch (message.type) {
      case 'ready':
        this.started?.resolve();
        this.started = undefined;
        break;
      case 'failed':
        this.closing = Promise.resolve();
        this.started?.reject(new Error(message.error));
        this.started = undefined;
        break;
      case 'request':
        if (this.requestHandler) guarded(`handling ${message.request.header.msg_type}`, () => this.requestHandler!(message.request));
        else this.early.push(message.request);
        break;
      case 'interrupt':
        guarded('the interrupt handler', () => this.interruptHandler?.());
        break;
      case 'shutdown':
        void this.runShutdownHandler(message.restart);
        break;
      case 'closed':
        break;
      case 'exit':
        process.exit(0);
    }
  }

  private async runShutdownHandler(restart: boolean): Promise<void> {
    try {
      await this.shutdownHandler?.(restart);
    } catch (err) {
      process.stderr.write(`[scs-kernel] shutdown handler failed: ${(err as Error)?.stack ?? err}\n`);
    }
    this.toIo({ type: 'shutdown-done' });
  }

  private fail(err: KernelTransportError): void {
    if (this.started) {
      this.started.reject(err);
      this.started = undefined;
      return;
    }
    // Without its io thread the kernel can neither answer nor be shut down: end it loudly.
    process.stderr.write(`[scs-kernel] ${err.message}\n`);
    process.exit(1);
  }
}

/** Serialised here, so a value JSON cannot hold (a BigInt, a cycle) throws to the caller, naming the message. */
function json(msgType: string, parent: object, metadata: object, content: unknown): { parent: string; metadata: string; content: string } {
  try {
    return { parent: JSON.stringify(parent), metadata: JSON.stringify(metadata), content: JSON.stringify(content ?? {}) };
  } catch (err) {
    throw new KernelTransportError(`cannot send ${msgType}: its content is not JSON-serialisable (${(err as Error).message})`, { cause: err });
  }
}

/** A throwing handler must not take the kernel down: it is logged and the next message is served. */
function guarded(what: string, run: () => void): void {
  try {
    run();
  } catch (err) {
    process.stderr.write(`[scs-kernel] ${what} failed: ${(err as Error)?.stack ?? err}\n`);
  }
}
