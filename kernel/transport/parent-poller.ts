/**
 * Ends the kernel when the process that started it dies, as ipykernel's
 * ParentPollerUnix does: the launcher (jupyter_client, `scs run`) puts its pid
 * in JPY_PARENT_PID; the kernel polls it from the io thread, so a cell busy in
 * a synchronous loop on the main thread does not delay the exit. Gone means:
 * the kernel was reparented (its ppid changed: to init, or to a subreaper,
 * which ipykernel's ppid == 1 test misses) or the pid no longer exists.
 */
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** How often the parent is checked (ipykernel: 1 s). */
export const PARENT_POLL_MS = 500;

export interface ParentWatch {
  /** JPY_PARENT_PID; no watch without it (a kernel started by hand outlives its shell, as ipykernel does) */
  parentPid: number;
  /** the kernel's ppid when it started */
  startPpid: number;
  /** the connection file the kernel was given */
  connectionFile: string;
  /** SCS_KERNEL_CONNECTION_DIR: the folder the launcher made for this kernel alone */
  ownedDir: string | undefined;
}

export function parentWatchFromEnv(env: NodeJS.ProcessEnv, connectionFile: string, ppid: number): ParentWatch | undefined {
  const parentPid = Number(env.JPY_PARENT_PID ?? '');
  // Windows handles and pid 1 (started by init itself) are not watched, as in ipykernel.
  if (!Number.isInteger(parentPid) || parentPid <= 1) return undefined;
  return { parentPid, startPpid: ppid, connectionFile, ownedDir: env.SCS_KERNEL_CONNECTION_DIR || undefined };
}

export function parentGone(watch: ParentWatch, ppid: number): boolean {
  if (ppid !== watch.startPpid) return true;
  try {
    process.kill(watch.parentPid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The launcher cannot clean up after SIGKILL, so the orphaned kernel removes
 * its connection file and folder — only when the launcher marked that folder
 * as made for this kernel (SCS_KERNEL_CONNECTION_DIR is the connection file's
 * folder) and only if nothing else is in it. Says what it removed, or why not.
 */
export function removeOwnedConnection(watch: ParentWatch): string {
  const file = resolve(watch.connectionFile);
  const dir = dirname(file);
  if (!watch.ownedDir || resolve(watch.ownedDir) !== dir) return `connection file ${file} left (its folder is not marked as the kernel's own)`;
  try {
    const others = readdirSync(dir).filter((name) => name !== basename(file));
    if (others.length > 0) return `connection folder ${dir} left: it holds other files (${others.join(', ')})`;
    rmSync(file, { force: true });
    rmdirSync(dir);
    return `removed the connection folder ${dir}`;
  } catch (err) {
    return `cannot remove the connection folder ${dir}: ${(err as Error).message}`;
  }
}

/** Polls the parent; when it is gone, calls onGone once (the io thread then ends the process). */
export function watchParent(watch: ParentWatch, ppid: () => number, onGone: () => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    if (!parentGone(watch, ppid())) return;
    clearInterval(timer);
    onGone();
  }, PARENT_POLL_MS);
  // The poll alone must not keep the io thread (and so the kernel) alive after shutdown.
  timer.unref();
  return timer;
}
