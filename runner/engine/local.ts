/**
 * The `local` engine: launches the kernel from its kernelspec and talks ZeroMQ to it directly,
 * as nbclient does, so no Jupyter server is needed (SLURM nodes). Readiness, liveness, interrupt
 * and shutdown follow jupyter_client; cell semantics are ExecutionWatch's.
 */
import { KernelChannels, parentId, type JupyterMessage } from '../../protocol/index.js';
import { DeadKernelError, KernelStartTimeoutError, RunnerError } from '../errors.js';
import type { NotebookExecutionManager } from '../execution-manager.js';
import type { Notebook } from '../notebook/types.js';
import type { Warn } from '../warnings.js';
import { ExecutionWatch, type ExecuteResult } from './execution.js';
import { launchKernel, type KernelExit, type KernelProcess } from './kernel-process.js';
import { findKernelSpec } from './kernelspecs.js';
import { chooseLocalKernel } from './local-kernel.js';
import { type ManagedExecuteOptions, executeManagedNotebook } from './managed.js';
import type { KernelChoice, KernelRequest, NotebookEngine } from './notebook-engine.js';
import type { ExecuteOptions, IopubMessage, KernelInfo, KernelSession, StartOptions } from './types.js';

/** jupyter_client's shutdown_wait_time: half of it for the shutdown_request, half after SIGTERM. */
const SHUTDOWN_WAIT_MS = 5000;
const INTERRUPT_REPLY_MS = 5000;
/**
 * ZeroMQ's reconnect interval while the kernel starts: the runner connects before the kernel has
 * bound its ports, and every request waits for the next attempt after it has (ZeroMQ's 100 ms
 * default cost 50 ms on average of every run). Attempts on localhost are cheap.
 */
const RECONNECT_MS = 10;

export interface LocalEngineOptions {
  /** receives the kernel process's own stdout/stderr (always kept for error messages anyway) */
  forwardKernelOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export class LocalEngine implements NotebookEngine {
  readonly name = 'local' as const;

  constructor(private readonly engineOptions: LocalEngineOptions = {}) {}

  /** An installed kernelspec: the notebook's, -k, or one of the notebook's language. */
  chooseKernel(nb: Notebook, request: KernelRequest, warn: Warn): KernelChoice {
    return chooseLocalKernel(nb, request, warn);
  }

  execute(manager: NotebookExecutionManager, options: ManagedExecuteOptions): Promise<void> {
    return executeManagedNotebook(this, manager, options);
  }

  async start(options: StartOptions): Promise<KernelSession> {
    // options.env may carry JUPYTER_PATH & co., so the lookup sees what the kernel will see
    const spec = findKernelSpec(options.kernelName, { ...process.env, ...options.env });
    const kernel = await launchKernel(spec, { cwd: options.cwd, env: options.env, forwardOutput: this.engineOptions.forwardKernelOutput });
    const session = new LocalSession(kernel, new KernelChannels(kernel.connection, { reconnectInterval: RECONNECT_MS }));
    try {
      await session.waitForReady(options.startTimeout);
    } catch (err) {
      await session.shutdown({ now: true });
      throw err;
    }
    return session;
  }
}

function describeExit(exit: KernelExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function withTail(message: string, kernel: KernelProcess): string {
  const tail = kernel.tail.text();
  return tail ? `${message}\nlast kernel output:\n${tail}` : message;
}

class LocalSession implements KernelSession {
  readonly kernelName: string;
  info!: KernelInfo;
  readonly died: Promise<DeadKernelError>;
  private readonly watches = new Map<string, ExecutionWatch>();
  private iopubSeen = false;
  /** settles with the first iopub message */
  private readonly iopubArrived: Promise<void>;
  private onFirstIopub!: () => void;
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(private readonly kernel: KernelProcess, private readonly channels: KernelChannels) {
    this.kernelName = kernel.spec.name;
    this.iopubArrived = new Promise((resolve) => { this.onFirstIopub = resolve; });
    channels.onIopub((m) => this.routeIopub(m));
    // settles only for an unexpected death; after shutdown() it stays pending
    this.died = kernel.exited.then((exit) => (this.stopping
      ? new Promise<never>(() => undefined)
      : new DeadKernelError(withTail(`kernel '${this.kernelName}' (pid ${kernel.pid}) died: ${describeExit(exit)}`, kernel))));
    void this.died.then((err) => {
      for (const watch of this.watches.values()) watch.fail(err);
    });
  }

  /** jupyter_client's wait_for_ready: kernel_info_request every second until a reply and some iopub traffic arrived. */
  async waitForReady(startTimeout: number): Promise<void> {
    const deadline = Date.now() + startTimeout * 1000;
    let info: KernelInfo | undefined;
    const pending: string[] = [];
    try {
      while (!(info && this.iopubSeen)) {
        if (!this.kernel.alive()) {
          const exit = await this.kernel.exited;
          throw new DeadKernelError(withTail(`kernel '${this.kernelName}' died before it was ready: ${describeExit(exit)}`, this.kernel));
        }
        if (Date.now() >= deadline) {
          const tail = this.kernel.tail.text();
          throw new KernelStartTimeoutError(this.kernelName, startTimeout,
            `${info ? 'it answered kernel_info but no iopub message arrived' : 'no kernel_info_reply'}${tail ? `; last kernel output:\n${tail}` : ''}`);
        }
        const request = this.channels.send('shell', 'kernel_info_request', {});
        pending.push(request.msgId);
        request.reply.then((m) => { info ??= m.content as KernelInfo; }, () => undefined);
        await Promise.race([request.reply.catch(() => undefined), sleep(Math.min(1000, Math.max(10, deadline - Date.now())))]);
        // the reply's own busy/idle follows it at once, unless iopub has not connected yet
        if (info && !this.iopubSeen) await Promise.race([this.iopubArrived, sleep(50)]);
      }
    } finally {
      for (const id of pending) this.channels.forget(id);
    }
    const reply = info as KernelInfo;
    this.info = { ...reply, language_info: reply.language_info ?? { name: this.kernel.spec.language } };
  }

  execute(code: string, options: ExecuteOptions): Promise<ExecuteResult> {
    if (this.stopping) return Promise.reject(new RunnerError(`kernel '${this.kernelName}' has been shut down`));
    if (!this.kernel.alive()) {
      return this.died.then((err) => { throw err; }); // settles with the DeadKernelError once the exit is processed
    }
    const request = this.channels.send('shell', 'execute_request', {
      code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: options.stopOnError ?? true,
    });
    const watch = new ExecutionWatch({ ...options, kernelName: this.kernelName, interrupt: () => this.interrupt() });
    this.watches.set(request.msgId, watch);
    request.reply.then((m) => watch.reply(m.content, m.header.date), (err: Error) => watch.fail(err));
    return watch.result.finally(() => {
      this.watches.delete(request.msgId);
      this.channels.forget(request.msgId);
    });
  }

  async interrupt(): Promise<void> {
    if (!this.kernel.alive()) return;
    if (this.kernel.spec.interruptMode === 'signal') {
      this.kernel.signal('SIGINT');
      return;
    }
    const request = this.channels.send('control', 'interrupt_request', {});
    try {
      await Promise.race([request.reply, sleep(INTERRUPT_REPLY_MS)]);
    } finally {
      this.channels.forget(request.msgId);
    }
  }

  /** shutdown_request on control, then SIGTERM, then SIGKILL (jupyter_client's timings); `now` skips the polite part. */
  shutdown(options: { now?: boolean } = {}): Promise<void> {
    this.stopped ??= this.stop(options.now ?? false);
    return this.stopped;
  }

  private async stop(now: boolean): Promise<void> {
    this.stopping = true;
    for (const watch of this.watches.values()) watch.fail(new RunnerError(`kernel '${this.kernelName}' was shut down while a cell was running`));
    const exited = () => this.kernel.exited.then(() => true);
    if (this.kernel.alive() && !now) {
      const request = this.channels.send('control', 'shutdown_request', { restart: false });
      if (!(await Promise.race([exited(), sleep(SHUTDOWN_WAIT_MS / 2).then(() => false)]))) {
        this.kernel.signal('SIGTERM');
        if (!(await Promise.race([exited(), sleep(SHUTDOWN_WAIT_MS / 2).then(() => false)]))) this.kernel.signal('SIGKILL');
      }
      this.channels.forget(request.msgId);
    } else {
      this.kernel.signal('SIGKILL');
    }
    await this.kernel.exited;
    this.channels.close();
    this.kernel.cleanup();
  }

  private routeIopub(message: JupyterMessage): void {
    if (!this.iopubSeen) this.onFirstIopub();
    this.iopubSeen = true;
    const id = parentId(message);
    // the kernel's JSON, trusted to have the fields its msg_type defines
    if (id !== undefined) this.watches.get(id)?.iopub(message as unknown as IopubMessage);
  }
}

/** A pause that does not keep Node alive by itself (the kernel and its sockets do while they matter). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
