/**
 * Running the external tools an environment is made with (git, npm, node),
 * with their output kept for the error message instead of mixed into ours.
 * The long steps run asynchronously so that a SIGINT/SIGTERM reaches our
 * handler while they run (see create.ts), and can stop them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { ToolBoxError } from '../toolbox/errors.js';

/** An external tool failed; the message names the command and ends with what it printed. */
export class EnvironmentCommandError extends ToolBoxError {}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the command (SIGTERM). */
  signal?: AbortSignal;
}

/** For quick queries (git rev-parse, describe). */
export function runCommand(cmd: string, args: string[], opts: CommandOptions = {}): CommandResult {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) {
    throw new EnvironmentCommandError(`cannot run ${cmd}: ${r.error.message}`, { cause: r.error });
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a step; a non-zero exit (or a kill) is an EnvironmentCommandError saying `what` failed. */
export function mustRun(what: string, cmd: string, args: string[], opts: CommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, signal: opts.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).name === 'AbortError') return; // reported by 'close' with the signal
      reject(new EnvironmentCommandError(`cannot run ${cmd} (${what}): ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(stdout);
      const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      reject(new EnvironmentCommandError(`${what} failed (${cmd} ${args.join(' ')} ${how})${tail ? `:\n${tail}` : ''}`));
    });
  });
}
