/**
 * Launching a kernel from its kernelspec the way jupyter_client does: random free ports, a
 * connection file only the user can read (key: a fresh UUID, hmac-sha256), argv with
 * {connection_file} filled in, the notebook's cwd, the merged environment, and a process group
 * of its own so SIGINT reaches the whole kernel (signal-mode interrupt) but not the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  kernelArgv, kernelEnvironment, newConnectionInfo, writeConnectionFile, type ConnectionInfo, type KernelSpec,
} from '../../protocol/index.js';
import { RunnerError } from '../errors.js';
import { makeConnectionDir } from './connection-dirs.js';
import { OutputTail } from './output-tail.js';

export interface LaunchOptions {
  cwd: string;
  /** extra variables on top of the runner's environment (the kernelspec's env goes on top of both) */
  env?: Record<string, string>;
  /** receives the kernel's own stdout/stderr as it comes (it is always kept in `tail` too) */
  forwardOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface KernelProcess {
  readonly spec: KernelSpec;
  readonly connection: ConnectionInfo;
  readonly pid: number;
  /** the kernel's last stdout/stderr output */
  readonly tail: OutputTail;
  /** settles when the process has exited and its output pipes are drained */
  readonly exited: Promise<KernelExit>;
  alive(): boolean;
  /** sends `signal` to the kernel's process group (no-op once it is gone) */
  signal(signal: NodeJS.Signals): void;
  /** removes the connection file */
  cleanup(): void;
}

/** Kernels still running; killed with the runner so a crash does not leave them behind. */
const running = new Set<KernelProcess>();
let exitHookInstalled = false;
function killOnExit(kernel: KernelProcess): void {
  running.add(kernel);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const k of running) k.signal('SIGKILL');
  });
}

export async function launchKernel(spec: KernelSpec, options: LaunchOptions): Promise<KernelProcess> {
  const connection = await newConnectionInfo({ kernelName: spec.name });
  const dir = makeConnectionDir();
  const connectionFile = join(dir, `kernel-${randomUUID()}.json`);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    writeConnectionFile(connectionFile, connection);
  } catch (err) {
    cleanup();
    throw new RunnerError(`cannot start kernel '${spec.name}': ${(err as Error).message}`, { cause: err });
  }

  const argv = kernelArgv(spec, connectionFile);
  // As jupyter_client does: the kernel watches JPY_PARENT_PID and ends when the runner dies (even by
  // SIGKILL); SCS_KERNEL_CONNECTION_DIR marks the folder as made for this kernel, which our kernel
  // then removes (see docs/kernel.md, "Parent death").
  const env = { ...kernelEnvironment(spec, { ...process.env, ...options.env }), JPY_PARENT_PID: String(process.pid), SCS_KERNEL_CONNECTION_DIR: dir };
  const child: ChildProcess = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (err) {
    cleanup();
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? `${argv[0]} (or the cwd ${options.cwd}) does not exist` : e.message;
    throw new RunnerError(`cannot start kernel '${spec.name}' (${spec.resourceDir}/kernel.json): ${why}`, { cause: err });
  }

  const tail = new OutputTail();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]!.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      options.forwardOutput?.(stream, chunk);
    });
  }
  const exited = new Promise<KernelExit>((resolve) => {
    child.once('exit', (code, signal) => {
      // 'close' follows once the pipes are drained (the tail complete), unless a grandchild holds them open
      const done = () => resolve({ code, signal });
      const timer = setTimeout(done, 500);
      child.once('close', () => {
        clearTimeout(timer);
        done();
      });
    });
  });

  const pid = child.pid!;
  const kernel: KernelProcess = {
    spec, connection, pid, tail, exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    signal(signal) {
      if (!kernel.alive()) return;
      try {
        process.kill(-pid, signal);
      } catch {
        try {
          child.kill(signal); // the group is gone but the process may not be
        } catch { /* already exited */ }
      }
    },
    cleanup,
  };
  killOnExit(kernel);
  void exited.then(() => {
    running.delete(kernel);
    cleanup();
  });
  return kernel;
}
