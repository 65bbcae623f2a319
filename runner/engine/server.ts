/**
 * The `server` engine: runs the kernel on an existing Jupyter server through
 * @jupyterlab/services. The server URL and token come from StartOptions, else from
 * JUPYTER_SERVER_URL and JUPYTER_TOKEN (JUPYTER_TOKEN is also what jupyter_server reads for its
 * own token). The kernel runs in `cwd` through a session path when the server can see that
 * folder. Cell semantics are ExecutionWatch's, as for `local`; death is the kernel's status
 * turning dead or restarting (the server's auto-restart loses all state) or the kernel vanishing
 * from the server, checked every second.
 */
import { randomUUID } from 'node:crypto';
import type * as Services from '@jupyterlab/services';
import { DeadKernelError, KernelStartTimeoutError, NoSuchKernelError, RunnerError } from '../errors.js';
import type { NotebookExecutionManager } from '../execution-manager.js';
import type { Notebook } from '../notebook/types.js';
import { type Warn, defaultWarn } from '../warnings.js';
import { ExecutionWatch, type ExecuteResult } from './execution.js';
import { type ManagedExecuteOptions, executeManagedNotebook } from './managed.js';
import type { KernelChoice, KernelRequest, NotebookEngine } from './notebook-engine.js';
import { serverPathOf } from './server-cwd.js';
import type { ExecuteOptions, IopubMessage, KernelInfo, KernelSession, StartOptions } from './types.js';

const LIVENESS_MS = 1000;
const SHUTDOWN_MS = 10_000;
/** How often a starting kernel is asked for its kernel_info again. */
const KERNEL_INFO_RETRY_MS = 3_000;

type Kernel = Services.Kernel.IKernelConnection;

/** @jupyterlab/services is loaded only when the server engine is used (the local engine does not need it). */
function loadServices(): typeof Services {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@jupyterlab/services') as typeof Services;
  } catch (err) {
    throw new RunnerError(`the server engine needs the package @jupyterlab/services, which cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
}

/** Deletions under way: while one runs, the server's answers it expects are not printed (see below). */
let deleting = 0;

/**
 * The library announces every websocket and status change on console.debug, which is stdout in
 * Node; it warns of a lost websocket (the engine reports a dead kernel itself), and prints the
 * server's traceback of every error answer and the message of a 404 on a session delete, which
 * deleteFromServer expects from jupyter_server and handles.
 */
let quietened = false;
function quietenServicesLog(): void {
  if (quietened) return;
  quietened = true;
  const text = (args: unknown[]) => (typeof args[0] === 'string' ? args[0] : '');
  const debug = console.debug.bind(console);
  console.debug = (...args: unknown[]) => {
    if (/^(Starting WebSocket: |Kernel: \w+ \()/.test(text(args))) return;
    debug(...args);
  };
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (/^Connection lost, reconnecting in \d+ seconds\.$/.test(text(args))) return;
    if (deleting > 0 && /^Session not found: |^The session ".*" does not exist on the server$/.test(text(args))) return;
    warn(...args);
  };
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (deleting > 0 && text(args).startsWith('Traceback (most recent call last):')) return;
    error(...args);
  };
}

function serverLocation(options: StartOptions): { baseUrl: string; token: string } {
  const baseUrl = options.serverUrl ?? process.env.JUPYTER_SERVER_URL;
  if (!baseUrl) throw new RunnerError('the server engine needs a Jupyter server URL: pass serverUrl or set JUPYTER_SERVER_URL');
  return { baseUrl, token: options.token ?? process.env.JUPYTER_TOKEN ?? '' };
}

export class ServerEngine implements NotebookEngine {
  readonly name = 'server' as const;

  /** -k or the notebook's kernelspec, as named: only the server knows its kernels, and start() asks it. */
  chooseKernel(_nb: Notebook, request: KernelRequest, _warn: Warn): KernelChoice {
    return { name: request.kernelName };
  }

  execute(manager: NotebookExecutionManager, options: ManagedExecuteOptions): Promise<void> {
    return executeManagedNotebook(this, manager, options);
  }

  async start(options: StartOptions): Promise<KernelSession> {
    const services = loadServices();
    quietenServicesLog();
    const { baseUrl, token } = serverLocation(options);
    const settings = services.ServerConnection.makeSettings({ baseUrl, token });
    const where = `on the Jupyter server ${baseUrl}`;

    let specs: Services.KernelSpec.ISpecModels;
    try {
      specs = await services.KernelSpecAPI.getSpecs(settings);
    } catch (err) {
      throw new RunnerError(`cannot list the kernelspecs of the Jupyter server ${baseUrl} (wrong URL or token?): ${(err as Error).message}`, { cause: err });
    }
    const names = Object.keys(specs.kernelspecs).sort();
    const name = names.find((n) => n.toLowerCase() === options.kernelName.toLowerCase());
    if (!name) throw new NoSuchKernelError(options.kernelName, names);
    const language = specs.kernelspecs[name]?.language ?? '';

    const warn = options.warn ?? defaultWarn;
    const envNames = Object.keys(options.env ?? {});
    if (envNames.length) {
      warn(`the server engine cannot set the kernel's environment (a Jupyter server starts kernels with its own); ignoring ${envNames.join(', ')}`);
    }
    const kernels = new services.KernelManager({ serverSettings: settings });
    const sessions = new services.SessionManager({ serverSettings: settings, kernelManager: kernels });
    const dispose = () => {
      sessions.dispose();
      kernels.dispose();
    };
    let connection: Services.Session.ISessionConnection | undefined;
    try {
      await Promise.all([kernels.ready, sessions.ready]);
      const dir = await serverPathOf(services, settings, options.cwd);
      if (dir === undefined) {
        warn(`the Jupyter server ${baseUrl} cannot see ${options.cwd}; the kernel runs in the server's root folder`);
      }
      const path = `${dir ? `${dir}/` : ''}scs-run-${randomUUID()}.ipynb`;
      connection = await sessions.startNew({ path, name: path, type: 'notebook', kernel: { name } });
      const kernel = connection.kernel;
      if (!kernel) throw new RunnerError(`the Jupyter server ${baseUrl} started a session without a kernel`);
      const watch = diedWhileStarting(services, settings, kernel, name, where);
      const asking = askAgainForKernelInfo(kernel);
      const info = await withTimeout(Promise.race([kernel.info, watch.died]), options.startTimeout * 1000).finally(() => { watch.stop(); asking.stop(); });
      if (!info) throw new KernelStartTimeoutError(name, options.startTimeout, `no kernel_info_reply ${where}`);
      const kernelInfo = info as unknown as KernelInfo;
      return new ServerSession(services, settings, connection, kernel, name, where,
        { ...kernelInfo, language_info: kernelInfo.language_info ?? { name: language } }, dispose);
    } catch (err) {
      if (connection) await withTimeout(deleteFromServer(services, settings, connection), SHUTDOWN_MS);
      connection?.dispose();
      dispose();
      throw err instanceof RunnerError ? err : new RunnerError(`cannot start kernel '${name}' ${where}: ${(err as Error).message}`, { cause: err });
    }
  }
}

class ServerSession implements KernelSession {
  readonly died: Promise<DeadKernelError>;
  private markDead!: (err: DeadKernelError) => void;
  private dead: DeadKernelError | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private readonly liveness: NodeJS.Timeout;
  private readonly watches = new Set<ExecutionWatch>();
  /** after the server restarted the kernel: settles when the library has reconnected to the new one */
  private reconnecting: Promise<void> | undefined;

  constructor(
    private readonly services: typeof Services,
    private readonly settings: Services.ServerConnection.ISettings,
    private readonly connection: Services.Session.ISessionConnection,
    private readonly kernel: Kernel,
    readonly kernelName: string,
    private readonly where: string,
    readonly info: KernelInfo,
    private readonly disposeManagers: () => void,
  ) {
    this.died = new Promise((resolve) => { this.markDead = resolve; });
    kernel.statusChanged.connect((_sender, status) => {
      if (status === 'dead') this.declareDead('its status is dead');
      // the server's auto-restart gives a fresh kernel: everything the notebook built is gone;
      // stop() waits for the library's reconnect to the new kernel and its kernel_info first
      if ((status === 'autorestarting' || status === 'restarting') && !this.dead && !this.stopping) {
        this.reconnecting = reconnected(kernel).then(() => kernel.info).then(() => undefined, () => undefined);
        this.declareDead('the server restarted it (the process had died)');
      }
    });
    this.liveness = setInterval(() => void this.checkAlive(), LIVENESS_MS);
  }

  execute(code: string, options: ExecuteOptions): Promise<ExecuteResult> {
    if (this.stopping) return Promise.reject(new RunnerError(`kernel '${this.kernelName}' has been shut down`));
    if (this.dead) return Promise.reject(this.dead);
    const watch = new ExecutionWatch({ ...options, kernelName: this.kernelName, interrupt: () => this.interrupt() });
    this.watches.add(watch);
    let future: ReturnType<Kernel['requestExecute']>;
    try {
      future = this.kernel.requestExecute({
        code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: options.stopOnError ?? true,
      });
    } catch (err) {
      return Promise.reject(new RunnerError(`cannot send the cell to kernel '${this.kernelName}' ${this.where}: ${(err as Error).message}`, { cause: err }));
    }
    future.onIOPub = (msg) => watch.iopub(msg as unknown as IopubMessage);
    future.onReply = (msg) => watch.reply(msg.content, msg.header.date);
    future.done.catch((err: Error) => {
      // a death is reported by `died` a moment later, with the better message
      setTimeout(() => watch.fail(this.dead ?? new RunnerError(`kernel '${this.kernelName}' ${this.where} dropped the cell: ${err.message}`)), 100);
    });
    return watch.result.finally(() => {
      this.watches.delete(watch);
      if (!future.isDisposed) future.dispose();
    });
  }

  async interrupt(): Promise<void> {
    if (this.dead || this.stopping) return;
    await this.kernel.interrupt();
  }

  shutdown(): Promise<void> {
    this.stopped ??= this.stop();
    return this.stopped;
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.liveness);
    // Also after a death: the server may have restarted the kernel, which must not linger there.
    // The library reconnects to a restarted kernel by itself, and its reconnect promise (which
    // nobody can catch) rejects if the connection goes away first: let that finish.
    if (this.reconnecting) await withTimeout(this.reconnecting, SHUTDOWN_MS);
    await withTimeout(deleteFromServer(this.services, this.settings, this.connection), SHUTDOWN_MS);
    if (!this.connection.isDisposed) this.connection.dispose();
    this.disposeManagers();
  }

  private declareDead(why: string): void {
    if (this.dead || this.stopping) return;
    this.dead = new DeadKernelError(`kernel '${this.kernelName}' (${this.kernel.id}) ${this.where} died: ${why}`);
    clearInterval(this.liveness);
    this.markDead(this.dead);
    for (const watch of this.watches) watch.fail(this.dead);
  }

  private async checkAlive(): Promise<void> {
    if (this.dead || this.stopping) return;
    try {
      const model = await this.services.KernelAPI.getKernelModel(this.kernel.id, this.settings);
      if (!model) this.declareDead('it is gone from the server');
      else if (model.execution_state === 'dead') this.declareDead('the server reports it dead');
    } catch {
      // the server not answering once is not the kernel's death; the websocket status tells
    }
  }
}

/**
 * Rejects when the kernel dies before it answered kernel_info: its status turns dead, or it
 * vanishes from the server (jupyter_server drops a kernel after its auto-restarts failed, and the
 * websocket never reports those restarts while the kernel has not started).
 */
function diedWhileStarting(services: typeof Services, settings: Services.ServerConnection.ISettings, kernel: Kernel, name: string, where: string):
  { died: Promise<never>; stop(): void } {
  let stop = () => undefined as void;
  const died = new Promise<never>((_resolve, reject) => {
    const fail = (why: string) => {
      stop();
      reject(new DeadKernelError(`kernel '${name}' ${where} died before it was ready (${why}); the server's log says why`));
    };
    const onStatus = (_sender: Kernel, status: Services.Kernel.Status) => {
      if (status === 'dead' || status === 'autorestarting' || status === 'restarting') fail(`status ${status}`);
    };
    const poll = setInterval(() => {
      services.KernelAPI.getKernelModel(kernel.id, settings).then((model) => {
        if (!model) fail('the server gave up restarting it');
      }, () => undefined);
    }, LIVENESS_MS);
    stop = () => {
      clearInterval(poll);
      kernel.statusChanged.disconnect(onStatus);
    };
    kernel.statusChanged.connect(onStatus);
  });
  return { died, stop: () => stop() };
}

/**
 * Deletes the session and its kernel. jupyter_server 1.23 answers 500 while an auto-restarted
 * kernel is still starting, so the kernel delete is retried until it goes through.
 */
/**
 * The services library sends one kernel_info_request when its websocket
 * opens; one the server forwards before the kernel's sockets are connected is
 * lost, and `kernel.info` would never resolve. So, as jupyter_client's
 * wait_for_ready does, ask again every few seconds until a reply comes.
 */
function askAgainForKernelInfo(kernel: Kernel, everyMs = KERNEL_INFO_RETRY_MS): { stop(): void } {
  const timer = setInterval(() => {
    if (kernel.connectionStatus === 'connected' && !kernel.isDisposed) void kernel.requestKernelInfo().catch(() => undefined);
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}

async function deleteFromServer(services: typeof Services, settings: Services.ServerConnection.ISettings, connection: Services.Session.ISessionConnection): Promise<void> {
  deleting++;
  try {
    await deleteSessionAndKernel(services, settings, connection);
  } finally {
    deleting--;
  }
}

async function deleteSessionAndKernel(services: typeof Services, settings: Services.ServerConnection.ISettings, connection: Services.Session.ISessionConnection): Promise<void> {
  const kernelId = connection.kernel?.id;
  try {
    await connection.shutdown();
    return;
  } catch { /* retried below, kernel only */ }
  if (!kernelId) return;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await services.KernelAPI.shutdownKernel(kernelId, settings);
      return;
    } catch (err) {
      if ((err as { response?: { status?: number } }).response?.status === 404) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Settles when the kernel's websocket next becomes connected (the library reconnects after a restart). */
function reconnected(kernel: Kernel): Promise<void> {
  return new Promise((resolve) => {
    const check = (_sender: Kernel, status: Services.Kernel.ConnectionStatus) => {
      if (status !== 'connected') return;
      kernel.connectionStatusChanged.disconnect(check);
      resolve();
    };
    kernel.connectionStatusChanged.connect(check);
  });
}

/** `promise`'s value, or undefined when it takes longer than `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
