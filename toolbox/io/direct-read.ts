/**
 * Reading a hyperslab of a numeric dataset straight from its file into the
 * caller's memory, without passing through h5wasm's WebAssembly heap.
 *
 * HDF5 stays the library for everything else (metadata, filters, types); this
 * path only applies where the bytes lie plainly in the file: contiguous or
 * chunked storage without filters, little-endian, every needed chunk
 * allocated, in a file opened read-only that nobody writes meanwhile. Where it
 * does not apply the functions return false and the caller reads through
 * HDF5 as before, so results are bit-identical either way.
 *
 * A read is: the dataset's layout (parsed once per file version and dataset,
 * hdf5-layout.ts), the hyperslab mapped onto byte runs of the file (adjacent
 * runs merged), and one pread per run into `out`.
 */
import { closeSync, fstatSync, openSync, read, readSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { H5Module } from './h5file.js';
import { type Layout, parseLayout } from './hdf5-layout.js';

/** The dataset to read: the open HDF5 handle (for its object address) and the file on disk. */
export interface DirectTarget {
  /** the h5wasm module the file is open in */
  M: H5Module;
  /** h5wasm's file id (read-only) */
  fileId: bigint;
  /** the file's path on disk */
  file: string;
  /** the dataset's path inside the file */
  dataset: string;
}

export const directTuning = {
  /** Below this average run length HDF5's own reads (one call, its chunk cache) do better than many preads. */
  minRunBytes: 64 * 1024,
  /** Largest single pread of the async variant: big runs are split so the thread pool shares them. */
  pieceBytes: 64 * 2 ** 20,
  /** Smallest piece a run is split into for the pool's threads to share. */
  minPieceBytes: 4 * 2 ** 20,
  /** Off switch, to compare both paths. */
  enabled: true,
};

/** One byte run: `length` bytes from file offset `file` to output offset `out`. */
interface Runs {
  file: number[];
  out: number[];
  length: number[];
}

const layouts = new Map<string, Layout | null>();
const MAX_CACHED = 128;

/** Whether h5wasm holds `file` open for writing: its unflushed metadata and chunks would make the bytes on disk stale. */
function openForWriting(M: H5Module, file: string): boolean {
  const abs = resolve(file);
  const streams = (M.FS as unknown as { streams?: ({ path: string; flags: number } | null)[] }).streams ?? [];
  return streams.some((s) => s && (s.flags & 3) !== 0 && resolve(s.path) === abs);
}

/** The dataset's layout for this version of the file (identity, size and mtime), parsed on first use. */
function layoutOf(target: DirectTarget, fd: number, st: Stats): Layout | null {
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${target.dataset}`;
  if (layouts.has(key)) return layouts.get(key) ?? null;
  let layout: Layout | null;
  try {
    // HDF5's object reference is the object header's address (h5wasm hands it over as an array of bytes)
    const ref = Uint8Array.from(target.M.create_object_reference(target.fileId, target.dataset) as ArrayLike<number>);
    if (ref.length !== 8) return cache(key, null);
    const header = Number(new DataView(ref.buffer).getBigUint64(0, true));
    layout = parseLayout(fd, header);
  } catch {
    layout = null; // whatever we cannot parse, HDF5 reads
  }
  return cache(key, layout);
}

function cache(key: string, layout: Layout | null): Layout | null {
  if (layouts.size >= MAX_CACHED) layouts.delete(layouts.keys().next().value as string);
  layouts.set(key, layout);
  return layout;
}

/** Append a run, merged with the previous one when both the file and the output continue it. */
function push(runs: Runs, file: number, out: number, length: number): void {
  const n = runs.length.length - 1;
  if (n >= 0 && runs.file[n] + runs.length[n] === file && runs.out[n] + runs.length[n] === out) runs.length[n] += length;
  else {
    runs.file.push(file);
    runs.out.push(out);
    runs.length.push(length);
  }
}

/**
 * Runs of a box `lo`..`lo+cnt` inside a C-order block of shape `block` at
 * file offset `base`, written to the output (shape `outShape`, the box at
 * `outLo` in it). False once there are more runs than `maxRuns`.
 */
function blockRuns(runs: Runs, base: number, block: readonly number[], lo: readonly number[], cnt: readonly number[], outShape: readonly number[], outLo: readonly number[], itemSize: number, maxRuns: number): boolean {
  const n = block.length;
  // innermost axis of a run: trailing axes the box covers whole join into one run
  let j = n - 1;
  while (j > 0 && cnt[j] === block[j] && cnt[j] === outShape[j]) j--;
  const fileStride = new Array<number>(n), outStride = new Array<number>(n);
  for (let d = n - 1, fs = itemSize, os = itemSize; d >= 0; d--) {
    fileStride[d] = fs;
    outStride[d] = os;
    fs *= block[d];
    os *= outShape[d];
  }
  const runBytes = n === 0 ? itemSize : cnt[j] * fileStride[j];
  const idx = new Array<number>(j).fill(0);
  for (;;) {
    let f = base, o = 0;
    for (let d = 0; d < n; d++) {
      const i = d < j ? idx[d] : 0;
      f += (lo[d] + i) * fileStride[d];
      o += (outLo[d] + i) * outStride[d];
    }
    push(runs, f, o, runBytes);
    if (runs.length.length > maxRuns) return false;
    let d = j - 1;
    while (d >= 0 && ++idx[d] === cnt[d]) idx[d--] = 0;
    if (d < 0) return true;
  }
}

/** The chunks a box touches, each with the part of the box inside it. */
function chunkedRuns(runs: Runs, layout: Layout, offset: readonly number[], count: readonly number[], maxRuns: number): boolean {
  if (layout.storage.kind !== 'chunked') return false;
  const { chunk, grid, addresses } = layout.storage;
  const n = chunk.length;
  const first = offset.map((o, d) => Math.floor(o / chunk[d]));
  const last = offset.map((o, d) => Math.floor((o + count[d] - 1) / chunk[d]));
  const g = [...first];
  for (;;) {
    let cell = 0;
    for (let d = 0; d < n; d++) cell = cell * grid[d] + g[d];
    if (Number.isNaN(addresses[cell])) return false; // unallocated: HDF5 supplies the fill value
    const lo = new Array<number>(n), cnt = new Array<number>(n), outLo = new Array<number>(n);
    for (let d = 0; d < n; d++) {
      const start = Math.max(offset[d], g[d] * chunk[d]);
      const stop = Math.min(offset[d] + count[d], (g[d] + 1) * chunk[d]);
      lo[d] = start - g[d] * chunk[d];
      cnt[d] = stop - start;
      outLo[d] = start - offset[d];
    }
    if (!blockRuns(runs, addresses[cell], chunk, lo, cnt, count, outLo, layout.itemSize, maxRuns)) return false;
    let d = n - 1;
    while (d >= 0 && ++g[d] > last[d]) {
      g[d] = first[d];
      d--;
    }
    if (d < 0) return true;
  }
}

/**
 * The byte runs of the hyperslab, or null when the direct path does not
 * apply (the layout, the element size, the bounds, or too many small runs).
 */
function planRuns(layout: Layout | null, offset: readonly number[], count: readonly number[], itemSize: number): Runs | null {
  if (!layout || layout.itemSize !== itemSize || offset.length !== layout.shape.length || count.length !== offset.length) return null;
  if (offset.length === 0) return null; // a scalar: nothing to gain
  if (offset.some((o, d) => !Number.isInteger(o) || o < 0 || count[d] < 0 || o + count[d] > layout.shape[d])) return null;
  const total = count.reduce((a, b) => a * b, itemSize);
  const runs: Runs = { file: [], out: [], length: [] };
  if (total === 0) return runs;
  const maxRuns = Math.max(1, Math.ceil(total / directTuning.minRunBytes));
  const ok = layout.storage.kind === 'contiguous'
    ? blockRuns(runs, layout.storage.address, layout.shape, offset, count, count, count.map(() => 0), itemSize, maxRuns)
    : chunkedRuns(runs, layout, offset, count, maxRuns);
  return ok ? runs : null;
}

/** Open the file and plan the read; null (file closed) when not applicable. */
function prepare(target: DirectTarget, fd: number, st: Stats, offset: readonly number[], count: readonly number[], out: Uint8Array, outByteOffset: number, itemSize: number): Runs | null {
  const total = count.reduce((a, b) => a * b, itemSize);
  if (outByteOffset < 0 || outByteOffset + total > out.byteLength) return null;
  return planRuns(layoutOf(target, fd, st), offset, count, itemSize);
}

function applicable(target: DirectTarget): boolean {
  return directTuning.enabled && !openForWriting(target.M, target.file);
}

function readFully(fd: number, out: Uint8Array, at: number, length: number, pos: number): boolean {
  for (let got = 0; got < length;) {
    let k: number;
    try {
      k = readSync(fd, out, at + got, length - got, pos + got);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EINTR' || (err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw err;
    }
    if (k === 0) return false; // the file shrank under us
    got += k;
  }
  return true;
}

/** The file opened and the hyperslab's byte runs, or null (nothing open) when a direct read does not apply. */
function openPlanned(
  target: DirectTarget, offset: readonly number[], count: readonly number[],
  out: Uint8Array, outByteOffset: number, itemSize: number,
): { fd: number; runs: Runs } | null {
  if (!applicable(target)) return null;
  let fd: number;
  try {
    fd = openSync(target.file, 'r');
  } catch {
    return null;
  }
  let runs: Runs | null = null;
  try {
    runs = prepare(target, fd, fstatSync(fd), offset, count, out, outByteOffset, itemSize);
  } finally {
    if (!runs) closeSync(fd);
  }
  return runs ? { fd, runs } : null;
}

/**
 * Read `count` elements per axis from `offset` (C order, `itemSize` bytes
 * each, the dataset's own dtype) into `out` at `outByteOffset`. Returns false,
 * having written nothing, when the dataset's storage does not allow a direct read.
 */
export function readHyperslabDirect(
  target: DirectTarget, offset: readonly number[], count: readonly number[],
  out: Uint8Array, outByteOffset: number, itemSize: number,
): boolean {
  const planned = openPlanned(target, offset, count, out, outByteOffset, itemSize);
  if (!planned) return false;
  const { fd, runs } = planned;
  try {
    for (let i = 0; i < runs.length.length; i++) {
      // a short file means a concurrent writer: HDF5 rereads the whole slab and reports it
      if (!readFully(fd, out, outByteOffset + runs.out[i], runs.length[i], runs.file[i])) return false;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

function readFullyAsync(fd: number, out: Uint8Array, at: number, length: number, pos: number): Promise<boolean> {
  return new Promise((res, rej) => {
    let got = 0;
    const next = (): void => {
      if (got >= length) return res(true);
      read(fd, out, at + got, length - got, pos + got, (err, k) => {
        if (err) return (err.code === 'EINTR' || err.code === 'EAGAIN') ? next() : rej(err);
        if (k === 0) return res(false);
        got += k;
        next();
      });
    };
    next();
  });
}

/** libuv's thread pool size (what concurrent preads can use). */
const THREADS = Math.max(1, Number(process.env.UV_THREADPOOL_SIZE) || 4);

/**
 * Pieces of a long run: at most pieceBytes, and at least one per pool thread
 * once the run is big enough (several MiB) for the split to pay, so that the
 * threads copy — and fault in fresh pages — side by side. Page multiples.
 */
function pieceSize(length: number): number {
  const n = Math.max(Math.ceil(length / directTuning.pieceBytes), Math.min(THREADS, Math.floor(length / directTuning.minPieceBytes)));
  return Math.ceil(length / Math.max(1, n) / 4096) * 4096;
}

/**
 * As readHyperslabDirect, with the file reads issued at once on libuv's thread
 * pool: the calling thread is free (to compute on another buffer) until the
 * promise settles. Resolves false, having written nothing, when not applicable.
 */
export async function readHyperslabDirectAsync(
  target: DirectTarget, offset: readonly number[], count: readonly number[],
  out: Uint8Array, outByteOffset: number, itemSize: number,
): Promise<boolean> {
  // open and plan synchronously: the preads must be on the thread pool before the first await,
  // or a caller that computes right after the call (trainsChunks' prefetch) gets no overlap
  const planned = openPlanned(target, offset, count, out, outByteOffset, itemSize);
  if (!planned) return false;
  const { fd, runs } = planned;
  try {
    const pieces: Promise<boolean>[] = [];
    for (let i = 0; i < runs.length.length; i++) {
      const size = pieceSize(runs.length[i]);
      for (let a = 0; a < runs.length[i]; a += size) {
        pieces.push(readFullyAsync(fd, out, outByteOffset + runs.out[i] + a, Math.min(size, runs.length[i] - a), runs.file[i] + a));
      }
    }
    // settle every piece before the descriptor closes: a pending read must not land on a reused fd
    const results = await Promise.allSettled(pieces);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    return results.every((r) => r.status === 'fulfilled' && r.value);
  } finally {
    // closed here, not on the thread pool: another round trip through the pool, after the caller
    // has asked for the data, is a thread wake-up it would wait for (ms on a loaded machine)
    closeSync(fd);
  }
}
