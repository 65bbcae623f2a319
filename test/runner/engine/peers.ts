/**
 * Real peers for the engine tests: Debian's python3 with ipykernel, kernelspecs registered in a
 * temporary JUPYTER_PATH prefix, isolated JUPYTER_* folders, and a Debian jupyter-server on a
 * free port with token auth. The sandbox and the server are test/helpers/jupyter.ts's; this adds
 * the engine suites' kernelspecs. Suites skip when that Python stack is missing, and fail under CI.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type JupyterSandbox, type JupyterServer, SYSTEM_PYTHON, makeSandbox as makeJupyterSandbox, requireJupyter, startJupyterServer,
} from '../../helpers/jupyter.js';
import { IDLE_LOSING_KERNEL } from './idle-losing-kernel.js';

export const PYTHON = SYSTEM_PYTHON;

/** before() hook: skip the suite without Debian's Jupyter stack, fail when CI is set. */
export const requirePythonJupyter = requireJupyter;

export function ipykernelArgv(): string[] {
  return [PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'];
}

/** The engine suites' sandbox: `env` holds only its own variables, as a runner engine's StartOptions.env takes them. */
export interface Sandbox extends Omit<JupyterSandbox, 'env'> {
  env: Record<string, string>;
  /** the full environment for processes of this sandbox */
  processEnv: NodeJS.ProcessEnv;
}

export function makeSandbox(): Sandbox {
  const sb = makeJupyterSandbox();
  return { ...sb, env: sb.jupyterEnv, processEnv: sb.env };
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

export type Server = JupyterServer;

/** Debian's jupyter_server rooted at the sandbox root (so kernel cwds anywhere in it are reachable), with `env` added. */
export function startServer(sb: Sandbox, env: Record<string, string> = {}): Promise<Server> {
  return startJupyterServer({ ...sb, env: sb.processEnv }, 60_000, { rootDir: sb.root, env });
}
