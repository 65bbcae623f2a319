/**
 * The one door to h5wasm. It loads the ESM-only package from our CommonJS
 * build, switches HDF5's error reporting from "print a stack to stderr and
 * return -1" to exceptions, checks a file before HDF5 sees it (so a missing or
 * foreign file gets a plain message) and turns whatever h5wasm throws into a
 * ToolBoxError naming the file. No other module imports h5wasm.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ToolBoxError, ToolBoxFileError } from '../errors.js';

export type H5 = typeof import('h5wasm/node');
export type H5File = import('h5wasm/node').File;
export type H5Group = import('h5wasm/node').Group;
export type H5Dataset = import('h5wasm/node').Dataset;
/** The wasm module: low-level calls (bulk reads/writes into the wasm heap). */
export type H5Module = H5['Module'];

let loading: Promise<H5> | undefined;

/** h5wasm, loaded once per process. */
export function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    // A real import() (TypeScript keeps it under module NodeNext): require() cannot load ESM on Node 20.
    const mod = await import('h5wasm/node');
    const Module = await mod.ready;
    // Process-wide: every HDF5 failure becomes a JS exception carrying the HDF5 error stack.
    Module.activate_throwing_error_handler();
    return mod;
  })().catch((err: unknown) => {
    loading = undefined;
    throw new ToolBoxError(`cannot load the HDF5 library (h5wasm): ${reason(err)}`, { cause: err });
  });
  return loading;
}

/** The wasm module itself, once h5wasm is loaded. */
export async function h5module(): Promise<H5Module> {
  return (await h5wasm()).Module;
}

/**
 * The most specific line of an HDF5 error stack (the deepest frame says what
 * actually went wrong, e.g. "file signature not found"), or the message of a
 * plain JS error. A failed system call's frame spans several lines (its
 * `time = …` holds a newline; an open's frame starts its details with
 * `name = …`) and holds `error message = '…'`: that part
 * (e.g. "No space left on device") is the cause the user can act on, so it is
 * kept in place of the frame's time, file name and buffer details. The errno
 * number is not: it is the wasm runtime's numbering, not the system's.
 */
export function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const frames = [...text.matchAll(/#\d+: .*? in [\w.]+\(\): ([\s\S]*?)(?=\n\s+major:|\n\s*#\d+: |$(?![\s\S]))/g)];
  if (frames.length > 0) {
    const frame = frames[frames.length - 1][1];
    const first = frame.split('\n')[0].replace(/:\s*(?:time|name|filename) = .*$/, '').trim();
    const sys = /error message = '([^']*)'/.exec(frame);
    return sys ? `${first}: ${sys[1]}` : first;
  }
  return text.split('\n')[0].slice(0, 300);
}

/**
 * HDF5's words for file content it cannot decode: a damaged object header,
 * B-tree, heap or checksum (as opposed to a missing name or a failed system call).
 */
const CORRUPTION = /unable to load object header|bad object header|incorrect metadata checksum|wrong version number|unable to decode|bad (?:local |global )?heap|bad (?:B-tree|symbol table) signature|unable to load B-tree|truncated file/i;

/** Whether an h5wasm error says the file's content is damaged. */
export function isCorruption(err: unknown): boolean {
  if (err instanceof ToolBoxError) return false;
  return CORRUPTION.test(err instanceof Error ? err.message : String(err));
}

/** The error for an object of `file` HDF5 cannot decode: it is corrupt, not absent. */
export function corruptObject(err: unknown, file: string, path: string): ToolBoxFileError {
  const where = path.replace(/^\/+/, '') || '/';
  return new ToolBoxFileError(`${file} is corrupt: HDF5 cannot decode ${where} (${reason(err)})`, file, { cause: err });
}

/** Rethrow anything that is not already a ToolBoxError as a ToolBoxFileError about `file`. */
export function translate(err: unknown, file: string, action: string): never {
  if (err instanceof ToolBoxError) throw err;
  const corrupt = isCorruption(err) ? ' (the file is corrupt)' : '';
  throw new ToolBoxFileError(`${action} ${file} failed${corrupt}: ${reason(err)}`, file, { cause: err });
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Whether the file holds the HDF5 signature where the format allows it: at
 * offset 0 or after a user block of 512, 1024, 2048, ... bytes.
 */
async function hasHdf5Signature(path: string, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      const { bytesRead } = await fh.read(buf, 0, 8, offset);
      if (bytesRead === 8 && SIGNATURE.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

/** Fail with a message naming `file` unless it exists, is a regular file and is HDF5. */
export async function checkHdf5File(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'file not found' : `cannot access file (${code ?? reason(err)})`;
    throw new ToolBoxFileError(`${what}: ${file}`, file, { cause: err });
  }
  if (!info.isFile()) throw new ToolBoxFileError(`${file} is not a file`, file);
  let ok: boolean;
  try {
    ok = await hasHdf5Signature(file, info.size);
  } catch (err) {
    throw new ToolBoxFileError(`cannot read ${file}: ${reason(err)}`, file, { cause: err });
  }
  if (!ok) throw new ToolBoxFileError(`${file} is not an HDF5 file`, file);
}

export type OpenMode = 'r' | 'a' | 'w';

/**
 * Open `path` with h5wasm, run `fn`, close. Errors name `displayName` (the
 * user's file when `path` is a temporary copy). New and modified files are
 * written with the HDF5 1.10 format at most, which the HDF5 1.10 builds
 * behind Python's h5py and netCDF4 can read.
 */
export async function withH5File<T>(
  path: string, mode: OpenMode, fn: (f: H5File, h5: H5) => Promise<T> | T, displayName = path,
): Promise<T> {
  const h5 = await h5wasm();
  if (mode !== 'w') await checkHdf5File(path);
  let f: H5File;
  try {
    f = new h5.File(resolve(path), mode, { track_order: true, libver: ['earliest', 'v110'] });
  } catch (err) {
    translate(err, displayName, mode === 'w' ? 'creating' : 'opening');
  }
  let result: T;
  try {
    result = await fn(f, h5);
  } catch (err) {
    try { f.close(); } catch { /* the first error is the one to report */ }
    translate(err, displayName, mode === 'r' ? 'reading' : 'writing');
  }
  try {
    f.close();
  } catch (err) {
    translate(err, displayName, 'closing');
  }
  return result;
}

/**
 * Free the disk space of a deleted file HDF5 failed to close. When a write
 * fails for lack of space, HDF5's close fails too (it cannot flush) and keeps
 * the file descriptor open, so the deleted temporary file would hold its
 * blocks until the process — a notebook kernel — exits. Truncating it through
 * the same descriptor frees them; the descriptor itself stays open so that its
 * number cannot be handed to another file HDF5 might still write to.
 * Only for files the caller has just deleted.
 */
export async function releaseDeletedFile(path: string): Promise<void> {
  if (!loading) return;
  let M: H5Module;
  try {
    M = await h5module();
  } catch {
    return;
  }
  const abs = resolve(path);
  const fs = M.FS as unknown as { streams: ({ fd: number; path: string } | null)[]; ftruncate(fd: number, len: number): void };
  for (const stream of fs.streams ?? []) {
    if (stream?.path !== abs) continue;
    try { fs.ftruncate(stream.fd, 0); } catch { /* best effort: the space comes back when the process exits */ }
  }
}

/**
 * Kind of the object at an absolute path: 'group', 'dataset', 'other' or null
 * when absent. An object HDF5 cannot decode is not absent: that throws a
 * ToolBoxFileError saying the file is corrupt and naming the object.
 */
export function objectKind(f: H5File, h5: H5, path: string): 'group' | 'dataset' | 'other' | null {
  if (path === '/') return 'group';
  // Walk down so a missing parent is "absent" rather than an HDF5 error.
  let cur = '';
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    cur += '/' + parts[i];
    let type: number;
    try {
      type = f.get_type(cur);
    } catch (err) {
      if (isCorruption(err)) throw corruptObject(err, f.filename, cur);
      return null;
    }
    const last = i === parts.length - 1;
    if (type === h5.Module.H5G_GROUP) continue;
    if (!last) return null;
    if (type === h5.Module.H5G_DATASET) return 'dataset';
    return type < 0 ? null : 'other';
  }
  return 'group';
}

/** Every group path in the file ('/' excluded), for messages that list what is there. */
export function listGroups(f: H5File, h5: H5): string[] {
  const out: string[] = [];
  for (const p of f.paths()) {
    try {
      if (f.get_type('/' + p) === h5.Module.H5G_GROUP) out.push(p);
    } catch { /* broken links are not groups */ }
  }
  return out;
}
