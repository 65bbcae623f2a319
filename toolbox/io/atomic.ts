/**
 * Atomic file replacement: every write goes to a hidden temporary file in the
 * target's folder and is renamed over the target only once complete, so a
 * crash or an error mid-write leaves either the old file or nothing — never
 * a truncated file under the real name. Modifying an existing file
 * (mode 'a') works on a copy of it, for the same reason.
 *
 * The temporary file is hidden and named `.<name>.tmp-<host>-<pid>-<hex>`.
 * It is removed when the write fails, and when the process exits (e.g. a
 * kernel's shutdown) while the write is in progress. A process killed
 * outright (SIGKILL, the OOM killer) cannot remove it, so each write first
 * removes the temporary files of the same target left by writers of this
 * host that are no longer running; those of other hosts (a shared
 * filesystem) and of live processes are left alone.
 *
 * Not covered: durability across power loss (no fsync before the rename, as
 * h5py/xarray do none either).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ToolBoxFileError, ToolBoxPathError } from '../errors.js';
import { releaseDeletedFile } from './h5file.js';
import { forgetTempFile, trackTempFile } from './temp-files.js';

export interface Target {
  /** Absolute path that will be replaced (symlinks resolved, so the link stays a link). */
  path: string;
  /** Whether a file is there now. */
  exists: boolean;
}

/** Check the output folder exists and `file` is not a folder; resolve where the data really goes. */
export async function resolveTarget(file: string): Promise<Target> {
  const abs = resolve(file);
  const dir = dirname(abs);
  let dirInfo;
  try {
    dirInfo = await stat(dir);
  } catch {
    throw new ToolBoxPathError(`output folder does not exist: ${dir} (for ${file})`, dir);
  }
  if (!dirInfo.isDirectory()) throw new ToolBoxPathError(`output folder is not a folder: ${dir} (for ${file})`, dir);
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path: abs, exists: false };
    throw new ToolBoxFileError(`cannot access ${file}: ${(err as Error).message}`, file, { cause: err });
  }
  if (info.isDirectory()) throw new ToolBoxPathError(`${file} is a folder, not a file`, abs);
  return { path: await realpath(abs), exists: true };
}

/** Host names may hold characters unsafe in a file name; only these are kept. */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'localhost';
}

/** Whether a process with this id runs on this host (EPERM: it runs, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temporary files of `target` whose writer, on this host, is gone.
 * Best effort: a file another process removes first, or one we may not
 * remove, is not this write's concern.
 */
export async function removeStaleTemporaries(target: string): Promise<string[]> {
  const prefix = `.${basename(target)}.tmp-`;
  const host = hostTag();
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(.+)-(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (!m || m[1] !== host) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isAlive(pid)) continue;
    const path = join(dirname(target), name);
    try {
      await rm(path, { force: true });
      removed.push(path);
    } catch { /* see above */ }
  }
  return removed;
}

/**
 * Run `write(tmp)` on a temporary file next to `target` — a copy of the
 * current file when `copyExisting` — then rename it over the target. The
 * temporary file is removed when `write` fails.
 */
export async function replaceAtomically(target: Target, copyExisting: boolean, write: (tmp: string) => Promise<void>): Promise<void> {
  await removeStaleTemporaries(target.path);
  const tmp = join(dirname(target.path), `.${basename(target.path)}.tmp-${hostTag()}-${process.pid}-${randomBytes(4).toString('hex')}`);
  trackTempFile(tmp);
  try {
    if (copyExisting) {
      try {
        // A reflink where the filesystem offers one, a plain copy elsewhere.
        await copyFile(target.path, tmp, constants.COPYFILE_FICLONE);
      } catch (err) {
        throw new ToolBoxFileError(`cannot copy ${target.path} to modify it: ${(err as Error).message}`, target.path, { cause: err });
      }
    }
    await write(tmp);
    try {
      await rename(tmp, target.path);
    } catch (err) {
      throw new ToolBoxFileError(`cannot move the finished file into place at ${target.path}: ${(err as Error).message}`, target.path, { cause: err });
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    await releaseDeletedFile(tmp);
    throw err;
  } finally {
    forgetTempFile(tmp);
  }
}
