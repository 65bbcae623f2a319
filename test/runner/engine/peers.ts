/**
 * Real peers for the engine tests: Debian's python3 with ipykernel, kernelspecs registered in a
 * temporary JUPYTER_PATH prefix, isolated JUPYTER_* folders, and a Debian jupyter-server on a
 * free port with token auth. Suites skip when that Python stack is missing, and fail under CI.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Context } from 'mocha';
import { IDLE_LOSING_KERNEL } from './idle-losing-kernel.js';

export const PYTHON = '/usr/bin/python3';

export function ipykernelArgv(): string[] {
  return [PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'];
}

let problem: Promise<string | null> | undefined;
function pythonProblem(): Promise<string | null> {
  problem ??= new Promise((resolve) => {
    execFile(PYTHON, ['-c', 'import ipykernel, jupyter_server, jupyter_client'], (err, _out, stderr) => {
      if (!err) resolve(null);
      else resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? `${PYTHON} not found` : `${PYTHON} lacks a Jupyter package: ${stderr.trim().split('\n').pop()}`);
    });
  });
  return problem;
}

/** before() hook: skip the suite without Debian's Jupyter stack, fail when CI is set. */
export async function requirePythonJupyter(ctx: Context): Promise<void> {
  const why = await pythonProblem();
  if (!why) return;
  if (process.env.CI) throw new Error(`Debian's ipykernel and jupyter-server are required when CI is set, but ${why}`);
  console.log(`      (skipping engine tests: ${why})`);
  ctx.skip();
}

export interface Sandbox {
  root: string;
  /** kernel cwd (under the server's root_dir) */
  notebooks: string;
  /** the JUPYTER_* variables of this sandbox, to hand to the engines and servers */
  env: Record<string, string>;
  /** registers kernels/<name>/kernel.json under the sandbox's JUPYTER_PATH prefix */
  addKernel(name: string, spec: Record<string, unknown>): void;
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-engine-')));
  const dir = (...names: string[]) => {
    const d = join(root, ...names);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const share = dir('prefix', 'share', 'jupyter');
  const env = {
    JUPYTER_PATH: share,
    JUPYTER_DATA_DIR: dir('data'),
    JUPYTER_CONFIG_DIR: dir('config'),
    JUPYTER_RUNTIME_DIR: dir('runtime'),
    IPYTHONDIR: dir('ipython'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  return {
    root, env, notebooks: dir('notebooks'),
    addKernel(name, spec) {
      writeFileSync(join(dir('prefix', 'share', 'jupyter', 'kernels', name), 'kernel.json'), JSON.stringify(spec, null, 1));
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The kernelspecs every suite uses: ipykernel in both interrupt modes, one losing idle statuses, one never starting, one exiting at once. */
export function addTestKernels(sb: Sandbox): void {
  sb.addKernel('py-signal', { argv: ipykernelArgv(), display_name: 'ipykernel (signal)', language: 'python', env: { GREETING: 'hello ${ENGINE_TEST_NAME}' } });
  sb.addKernel('py-message', { argv: ipykernelArgv(), display_name: 'ipykernel (message)', language: 'python', interrupt_mode: 'message' });
  sb.addKernel('sleeper', { argv: ['/bin/sleep', '600'], display_name: 'never answers', language: 'python' });
  writeFileSync(join(sb.root, 'idle-losing-kernel.py'), IDLE_LOSING_KERNEL);
  sb.addKernel('idle-loser', { argv: [PYTHON, join(sb.root, 'idle-losing-kernel.py'), '{connection_file}'], display_name: 'loses idle', language: 'text' });
  sb.addKernel('crasher', {
    argv: [PYTHON, '-c', 'import sys; sys.stderr.write("crasher: no luck today\\n"); sys.exit(3)', '{connection_file}'],
    display_name: 'exits at once', language: 'python',
  });
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

export interface Server {
  url: string;
  token: string;
  log(): string;
  stop(): Promise<void>;
}

/** Debian's jupyter_server rooted at the sandbox root, on a free port, with a random token. */
export async function startServer(sb: Sandbox, timeoutMs = 60_000): Promise<Server> {
  const port = await freePort();
  const token = randomUUID().replace(/-/g, '');
  const proc = spawn(PYTHON, ['-m', 'jupyter_server', `--ServerApp.token=${token}`, '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    '--allow-root', '--no-browser', `--ServerApp.root_dir=${sb.root}`], { env: { ...process.env, ...sb.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = once(proc, 'exit');
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter server exited with ${proc.exitCode} before it was ready:\n${log}`);
    try {
      if ((await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } })).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`jupyter server not ready after ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, token, log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM'); // jupyter_server shuts its kernels down on SIGTERM
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
