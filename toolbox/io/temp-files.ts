/**
 * Temporary files of writes in progress, removed when the process exits in
 * the middle of one: a Jupyter kernel ends with process.exit() on a shutdown
 * request, possibly while an interrupted cell's write still runs in the
 * background, and that write's own cleanup never gets its turn. Exit hooks
 * run synchronously, so the removal is too. A process killed outright
 * (SIGKILL, Node's default SIGTERM) runs no hook; later writes of the same
 * target deal with what such a writer left.
 */
import { rmSync } from 'node:fs';

const inFlight = new Set<string>();
let hooked = false;

/** `tmp` is being written: remove it should the process exit before forget(tmp). */
export function trackTempFile(tmp: string): void {
  inFlight.add(tmp);
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const path of inFlight) {
      try {
        rmSync(path, { force: true });
      } catch { /* the process is ending; nothing else to do */ }
    }
  });
}

/** The write of `tmp` is over (renamed into place or removed). */
export function forgetTempFile(tmp: string): void {
  inFlight.delete(tmp);
}
