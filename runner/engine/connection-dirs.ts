/**
 * The folders the runner makes for kernel connection files: named after the
 * runner's pid, so a later runner can remove those a killed runner left (a
 * SIGKILLed runner cannot clean up, and only our own kernel removes its
 * folder when it finds itself orphaned; ipykernel leaves it). The host is
 * part of the name: on a TMPDIR shared between nodes a pid means nothing on
 * another host, so only this host's folders are swept.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'scs-runner-';
const OWNED = /^scs-runner-(\d+)@(.+)-[^-]{6}$/;

/** A fresh folder for one kernel's connection file, named after this runner's pid. */
export function makeConnectionDir(): string {
  sweepStaleConnectionDirs();
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}@${hostname()}-`));
}

/** Removes the connection folders of runners that no longer exist; a folder it cannot remove is left. */
export function sweepStaleConnectionDirs(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = OWNED.exec(name);
    const pid = Number(match?.[1] ?? NaN);
    if (!Number.isInteger(pid) || match?.[2] !== hostname() || pid === process.pid || processExists(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch { /* another user's folder, or removed meanwhile */ }
  }
  return removed;
}

/** EPERM (another user's live process) counts as existing. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
