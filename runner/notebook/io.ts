/**
 * Reading and writing notebooks: a path or '-' (stdin/stdout). Input is
 * checked to be nbformat 4 and upgraded to 4.5 (cell ids); output files are
 * written under a temporary name in the same folder and renamed, so a crash
 * or SIGKILL mid-write never leaves a truncated notebook behind.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NotebookFormatError } from '../errors.js';
import { newCellId } from './cells.js';
import type { Cell, Notebook } from './types.js';

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function describe(path: string): string {
  return path === '-' ? 'notebook on stdin' : `notebook ${path}`;
}

/** Reads a notebook from a file or, for '-', all of stdin. */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : (err as Error).message;
    throw new NotebookFormatError(`cannot read ${describe(path)}: it ${why}`, path, { cause: err });
  }
  return parseNotebook(text, path);
}

/** Parses notebook JSON; `origin` only names the source in error messages. */
export function parseNotebook(text: string, origin = '<string>'): Notebook {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, checked field by field below
  let raw: any;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(`${describe(origin)} is not valid JSON: ${(err as Error).message}`, origin, { cause: err });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new NotebookFormatError(`${describe(origin)} is not a JSON object`, origin);
  if (raw.nbformat !== 4) {
    const got = raw.nbformat === undefined ? 'no "nbformat" field' : `nbformat ${JSON.stringify(raw.nbformat)}`;
    throw new NotebookFormatError(`${describe(origin)} is not an nbformat 4 notebook (${got}); convert it with jupyter nbconvert --to notebook`, origin);
  }
  if (!Array.isArray(raw.cells)) throw new NotebookFormatError(`${describe(origin)} has no "cells" list`, origin);
  raw.metadata = raw.metadata && typeof raw.metadata === 'object' ? raw.metadata : {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as raw
  raw.cells.forEach((cell: any, i: number) => {
    if (!cell || typeof cell !== 'object' || !['code', 'markdown', 'raw'].includes(cell.cell_type)) {
      throw new NotebookFormatError(`${describe(origin)}: cell ${i} has no valid cell_type (code, markdown or raw)`, origin);
    }
    cell.metadata = cell.metadata && typeof cell.metadata === 'object' ? cell.metadata : {};
    cell.source ??= '';
    if (cell.cell_type === 'code') {
      cell.outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
      cell.execution_count ??= null;
    }
  });
  upgradeToV45(raw as Notebook);
  return raw as Notebook;
}

/** nbformat 4.5 requires unique cell ids; older 4.x notebooks get fresh ones (as nbformat's upgrade does). */
function upgradeToV45(nb: Notebook): void {
  const seen = new Set<string>();
  for (const cell of nb.cells as Cell[]) {
    if (typeof cell.id !== 'string' || !CELL_ID.test(cell.id) || seen.has(cell.id)) cell.id = newCellId(seen);
    seen.add(cell.id);
  }
  if (nb.nbformat_minor === undefined || nb.nbformat_minor < 5) nb.nbformat_minor = 5;
}

/** nbformat's own layout: one-space indent, keys in insertion order, trailing newline. */
function serializeNotebook(nb: Notebook): string {
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Fails early, before a kernel is started, when the output cannot be written. */
export function checkWritable(path: string): void {
  if (path === '-') return;
  const dir = dirname(resolve(path));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new NotebookFormatError(`cannot write output notebook ${path}: folder ${dir} does not exist`, path);
  }
  if (!st.isDirectory()) throw new NotebookFormatError(`cannot write output notebook ${path}: ${dir} is not a folder`, path);
  const probe = join(dir, `.${basename(path)}.${process.pid}.probe`);
  try {
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
  } catch (err) {
    throw new NotebookFormatError(`cannot write output notebook ${path}: folder ${dir} is not writable (${(err as NodeJS.ErrnoException).code})`, path);
  }
}

/**
 * Writes the notebook atomically (temp file + rename): a crash of this process
 * never leaves a truncated notebook. `durable` also fsyncs before the rename
 * (for the last write of a run; per-cell saves skip it, as it would dominate
 * the run time of short cells). Synchronous on purpose: the process may exit
 * right after (signals).
 */
export function writeNotebook(nb: Notebook, path: string, durable = true): void {
  const text = serializeNotebook(nb);
  if (path === '-') {
    writeAllSync(1, text);
    return;
  }
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeAllSync(fd, text);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw new NotebookFormatError(`cannot write output notebook ${path}: ${(err as Error).message}`, path, { cause: err });
  }
}

function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length;) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      // a non-blocking stdout pipe that is full: wait until it drains
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
