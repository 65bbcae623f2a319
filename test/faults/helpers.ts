/**
 * Shared pieces of the fault tests: real processes, a real full disk (a small
 * tmpfs, mounted as root), notebooks that fill it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeNotebook } from '../helpers/jupyter.js';
import type { OutNotebook } from '../runner/helpers.js';

export { alive } from '../helpers/processes.js';

/** A tmpfs of `size` at a fresh folder; undefined when mounting is not allowed (not root). */
export function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'scs-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmdirSync(dir);
    return undefined;
  }
}

export function unmount(dir: string | undefined): void {
  if (!dir) return;
  execFileSync('umount', [dir], { stdio: 'ignore' });
  rmdirSync(dir);
}

/**
 * A tmpfs of `size` for the enclosing describe block: mounted before its
 * tests (which are skipped when mounting is not allowed), unmounted after.
 */
export function useTmpfs(size: string): { readonly dir: string } {
  let dir: string | undefined;
  before(function () {
    dir = mountTmpfs(size);
    if (!dir) this.skip();
  });
  after(() => unmount(dir));
  return { get dir() { return dir!; } };
}

/** A Python notebook of code cells. */
export function pythonNotebook(sources: string[]): OutNotebook {
  const nb = codeNotebook(sources, 'python3') as unknown as OutNotebook;
  nb.metadata.kernelspec = { name: 'python3', display_name: 'Python 3', language: 'python' };
  return nb;
}

/** Python that fills the folder of `out` (the kernel's cwd is elsewhere) until ENOSPC. */
export const FILL = (folder: string) =>
  `import os\ntry:\n    with open(${JSON.stringify(join(folder, 'filler'))}, 'wb') as f:\n        while True:\n            f.write(b'x' * 4096)\n            f.flush()\nexcept OSError as e:\n    print('disk full:', e.strerror)`;
