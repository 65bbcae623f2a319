/**
 * Atomic file replacement: every write goes to a hidden temporary file in the
 * target's folder and is renamed over the target only once complete, so a
 * crash or an error mid-write leaves either the old file or nothing — never
 * a truncated file under the real name. Modifying an existing file
 * (mode 'a') works on a copy of it, for the same reason.
 *
 * Not covered: durability across power loss (no fsync before the rename, as
 * h5py/xarray do none either), and a temporary file left behind when the
 * process is killed outright (it is hidden and named `.<name>.tmp-<pid>-<hex>`);
 * one still being written when the process exits is removed (temp-files.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ToolBoxFileError, ToolBoxPathError } from '../errors.js';
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

/**
 * Run `write(tmp)` on a temporary file next to `target` — a copy of the
 * current file when `copyExisting` — then rename it over the target. The
 * temporary file is removed when `write` fails.
 */
export async function replaceAtomically(target: Target, copyExisting: boolean, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(target.path), `.${basename(target.path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
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
    throw err;
  } finally {
    forgetTempFile(tmp);
  }
}
