/**
 * Real Jupyter peers for kernel tests: Debian's jupyter-server (driven with
 * @jupyterlab/services), nbclient and `jupyter execute`, all with Debian's
 * python3 and an isolated Jupyter home (data, config and runtime dirs in a
 * temporary folder; our kernelspec installed under a prefix on JUPYTER_PATH).
 *
 * The kernel under test is ours (kernel/main.js of this build). Setting
 * SCS_TEST_KERNEL=tslab points the same spec name at stock tslab instead, to
 * check the harness itself against a kernel known to work.
 *
 * Without Jupyter the suites are skipped with the reason printed; with CI set
 * they fail instead.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Context } from 'mocha';
import { KernelManager, ServerConnection, SessionManager } from '@jupyterlab/services';
import { installKernelSpec, kernelMainPath, packageRoot } from '../../kernel/kernelspec.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const KERNEL_UNDER_TEST = process.env.SCS_TEST_KERNEL === 'tslab' ? 'tslab' : 'ours';

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}):
  Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code !== 'number') reject(Object.assign(err, { stdout, stderr }));
        else resolve({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, stdout, stderr });
      });
  });
}

let status: Promise<string | null> | undefined;

/** null when Debian's Jupyter stack is usable, else why not. */
export function jupyterProblem(): Promise<string | null> {
  status ??= run(SYSTEM_PYTHON, ['-c', 'import jupyter_server, nbclient, nbformat, ipykernel, jupyter_client'], { timeoutMs: 60_000 })
    .then((r) => (r.code === 0 ? null : `${SYSTEM_PYTHON} lacks a Jupyter package: ${r.stderr.trim().split('\n').pop()}`))
    .catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? `${SYSTEM_PYTHON} not found` : err.message));
  return status;
}

/** Call from a before() hook: skip the suite (or fail under CI) when Jupyter cannot be used. */
export async function requireJupyter(ctx: Context): Promise<void> {
  const problem = await jupyterProblem();
  if (!problem) return;
  if (process.env.CI) throw new Error(`Debian's Jupyter is required when CI is set, but ${problem}; run scripts/install-test-deps.sh`);
  console.log(`      (skipping Jupyter tests: ${problem}; run scripts/install-test-deps.sh)`);
  ctx.skip();
}

/** An isolated Jupyter home with a kernelspec prefix on JUPYTER_PATH and a folder for notebooks. */
export interface JupyterSandbox {
  root: string;
  /** `scs kernel install --prefix` target; its share/jupyter is on JUPYTER_PATH. */
  prefix: string;
  /** Notebook folder (kernel cwd). */
  notebooks: string;
  /** Environment for every Jupyter process of this sandbox. */
  env: NodeJS.ProcessEnv;
  /** Only the variables the sandbox sets (JUPYTER_*, IPYTHONDIR, ...), e.g. for a runner engine's StartOptions.env. */
  jupyterEnv: Record<string, string>;
  /** Registers kernels/<name>/kernel.json under the prefix (on JUPYTER_PATH). */
  addKernel(name: string, spec: Record<string, unknown>): void;
  cleanup(): void;
}

export function makeSandbox(): JupyterSandbox {
  // resolved: kernels report their cwd with symlinks resolved
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-jupyter-')));
  const dir = (name: string) => {
    mkdirSync(join(root, name), { recursive: true });
    return join(root, name);
  };
  const prefix = dir('prefix');
  const jupyterEnv: Record<string, string> = {
    JUPYTER_DATA_DIR: dir('data'),
    JUPYTER_CONFIG_DIR: dir('config'),
    JUPYTER_RUNTIME_DIR: dir('runtime'),
    JUPYTER_PATH: join(prefix, 'share', 'jupyter'),
    // ipykernel's debugger warns about frozen modules on every start
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    // no ipython history database in the user's home
    IPYTHONDIR: dir('ipython'),
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...jupyterEnv };
  const addKernel = (name: string, spec: Record<string, unknown>) => {
    const kernelDir = join(prefix, 'share', 'jupyter', 'kernels', name);
    mkdirSync(kernelDir, { recursive: true });
    writeFileSync(join(kernelDir, 'kernel.json'), JSON.stringify(spec, null, 1));
  };
  return { root, prefix, notebooks: dir('notebooks'), env, jupyterEnv, addKernel, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Stock tslab through its own launcher (as `tslab install` would, without the Python detour). */
export function tslabArgv(): string[] {
  return [join(packageRoot(), 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'];
}

/** Installs the kernel under test as `name` into the sandbox prefix (with kernel/kernelspec.ts). */
export function installTestKernel(sandbox: JupyterSandbox, name = 'scs-test'): string {
  if (KERNEL_UNDER_TEST === 'tslab') {
    installKernelSpec({ name, location: { prefix: sandbox.prefix }, argv: tslabArgv(), displayName: 'stock tslab' });
  } else {
    if (!existsSync(kernelMainPath())) throw new Error(`the kernel is not built: ${kernelMainPath()} is missing`);
    installKernelSpec({ name, location: { prefix: sandbox.prefix } });
  }
  return name;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface JupyterServer {
  baseUrl: string;
  token: string;
  settings: ServerConnection.ISettings;
  process: ChildProcess;
  /** Server log so far (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface JupyterServerOptions {
  /** The server's root_dir; default the sandbox's notebook folder. */
  rootDir?: string;
  /** Variables added to the sandbox's environment for the server (and so for the kernels it starts). */
  env?: Record<string, string>;
}

/** Starts `python3 -m jupyter_server` on 127.0.0.1 with token auth, rooted at the sandbox's notebook folder unless told otherwise. */
export async function startJupyterServer(sandbox: JupyterSandbox, timeoutMs = 60_000, options: JupyterServerOptions = {}): Promise<JupyterServer> {
  const port = await freePort();
  const token = randomUUID().replace(/-/g, '');
  const proc = spawn(SYSTEM_PYTHON, ['-m', 'jupyter_server', '--no-browser', '--allow-root', '--ip=127.0.0.1', `--port=${port}`,
    '--port-retries=0', `--ServerApp.token=${token}`, `--ServerApp.root_dir=${options.rootDir ?? sandbox.notebooks}`],
  { env: { ...sandbox.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const baseUrl = `http://127.0.0.1:${port}/`;
  const exited = once(proc, 'exit');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter server exited with ${proc.exitCode} before it was ready:\n${log}`);
    try {
      const res = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`jupyter server not ready after ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const settings = ServerConnection.makeSettings({ baseUrl, token });
  return {
    baseUrl, token, settings, process: proc, log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      // /api/shutdown stops the kernels it started too; kill only if it hangs
      await fetch(`${baseUrl}api/shutdown`, { method: 'POST', headers: { Authorization: `token ${token}` } }).catch(() => undefined);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kernel and session managers for a server; dispose() them, or their polling keeps Node alive. */
export async function openManagers(server: JupyterServer): Promise<{ kernels: KernelManager; sessions: SessionManager; dispose(): void }> {
  const kernels = new KernelManager({ serverSettings: server.settings });
  const sessions = new SessionManager({ serverSettings: server.settings, kernelManager: kernels });
  await kernels.ready;
  await sessions.ready;
  return { kernels, sessions, dispose: () => { sessions.dispose(); kernels.dispose(); } };
}

// ---- notebooks -------------------------------------------------------------

// Tests read whatever a kernel or nbclient wrote into outputs and metadata; loose types keep the assertions short.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Notebook {
  cells: Array<{ cell_type: string; source: string; outputs?: Array<Record<string, any>>; execution_count?: number | null; metadata: Record<string, unknown> }>;
  metadata: Record<string, any>;
  nbformat: number;
  nbformat_minor: number;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A v4 notebook of TypeScript code cells for kernel `kernelName`. */
export function codeNotebook(sources: string[], kernelName: string): Notebook {
  return {
    cells: sources.map((source, i) => ({ cell_type: 'code', id: `cell-${i}`, source, outputs: [], execution_count: null, metadata: {} })),
    metadata: { kernelspec: { name: kernelName, display_name: kernelName, language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export interface NbclientResult {
  ok: boolean;
  /** Exception class when not ok: CellExecutionError, CellTimeoutError, DeadKernelError, ... */
  type?: string;
  ename?: string;
  evalue?: string;
  message?: string;
  /** The notebook as nbclient left it, outputs included. */
  notebook: Notebook;
}

const NBCLIENT = String.raw`
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
a = json.loads(sys.argv[1])
nb = nbformat.read(a['input'], as_version=4)
client = NotebookClient(nb, kernel_name=a['kernel_name'], timeout=a['timeout'], startup_timeout=60,
                        allow_errors=a['allow_errors'], raise_on_iopub_timeout=a['raise_on_iopub_timeout'],
                        resources={'metadata': {'path': a['cwd']}})
result = {'ok': True}
try:
    client.execute()
except CellExecutionError as e:
    result = {'ok': False, 'type': 'CellExecutionError', 'ename': e.ename, 'evalue': e.evalue, 'message': str(e)}
except Exception as e:
    result = {'ok': False, 'type': type(e).__name__, 'message': str(e)}
nbformat.write(nb, a['output'])
print(json.dumps(result))
`;

export interface NbclientOptions {
  kernelName: string;
  /** Seconds per cell (nbclient's timeout); default 120. */
  timeout?: number;
  allowErrors?: boolean;
  /** papermill's setting: a lost idle status fails the run instead of a warning. Default true. */
  raiseOnIopubTimeout?: boolean;
}

/** Runs `nb` with nbclient's NotebookClient in the sandbox (kernel cwd: its notebook folder) and returns the executed notebook. */
export async function runWithNbclient(sandbox: JupyterSandbox, nb: Notebook, opts: NbclientOptions): Promise<NbclientResult> {
  const id = randomUUID();
  const input = join(sandbox.notebooks, `${id}.ipynb`);
  const output = join(sandbox.notebooks, `${id}.out.ipynb`);
  writeFileSync(input, JSON.stringify(nb));
  const args = JSON.stringify({
    input, output, kernel_name: opts.kernelName, cwd: sandbox.notebooks, timeout: opts.timeout ?? 120,
    allow_errors: opts.allowErrors ?? false, raise_on_iopub_timeout: opts.raiseOnIopubTimeout ?? true,
  });
  const r = await run(SYSTEM_PYTHON, ['-c', NBCLIENT, args], { env: sandbox.env, cwd: sandbox.notebooks });
  if (r.code !== 0) throw new Error(`nbclient failed (exit ${r.code}):\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1]) as Omit<NbclientResult, 'notebook'>;
  return { ...result, notebook: joinLines(JSON.parse(readFileSync(output, 'utf8')) as Notebook) };
}

/** nbformat stores multi-line strings as lists of lines; join them back so tests compare plain strings. */
function joinLines(nb: Notebook): Notebook {
  const join = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join('') : v);
  for (const cell of nb.cells) {
    cell.source = join(cell.source) as string;
    for (const out of cell.outputs ?? []) {
      if ('text' in out) out.text = join(out.text);
      for (const mime of Object.keys(out.data ?? {})) if (!mime.endsWith('json')) out.data[mime] = join(out.data[mime]);
    }
  }
  return nb;
}

/** `jupyter execute --kernel_name=NAME nb.ipynb` (nbclient 0.7.2's CLI; it does not save outputs). */
export async function jupyterExecute(sandbox: JupyterSandbox, nb: Notebook, kernelName: string, extraArgs: string[] = []):
  Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(sandbox.notebooks, `${randomUUID()}.ipynb`);
  writeFileSync(file, JSON.stringify(nb));
  return run('/usr/bin/jupyter', ['execute', `--kernel_name=${kernelName}`, ...extraArgs, file], { env: sandbox.env, cwd: sandbox.notebooks });
}

/** `jupyter kernelspec list --json` in the sandbox. */
export async function jupyterKernelspecs(env: NodeJS.ProcessEnv): Promise<Record<string, { resource_dir: string; spec: Record<string, unknown> }>> {
  const r = await run('/usr/bin/jupyter', ['kernelspec', 'list', '--json'], { env });
  if (r.code !== 0) throw new Error(`jupyter kernelspec list failed (exit ${r.code}):\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: Record<string, unknown> }> }).kernelspecs;
}

