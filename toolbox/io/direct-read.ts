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
 * CONTRACT (PERF issue, base branch): signatures fixed; the implementation
 * replaces the stub bodies.
 */
import type { H5Module } from './h5file.js';

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

/**
 * Read `count` elements per axis from `offset` (C order, `itemSize` bytes
 * each, the dataset's own dtype) into `out` at `outByteOffset`. Returns false,
 * having written nothing, when the dataset's storage does not allow a direct read.
 */
export function readHyperslabDirect(
  _target: DirectTarget, _offset: readonly number[], _count: readonly number[],
  _out: Uint8Array, _outByteOffset: number, _itemSize: number,
): boolean {
  return false;
}

/**
 * As readHyperslabDirect, with the file reads issued at once on libuv's thread
 * pool: the calling thread is free (to compute on another buffer) until the
 * promise settles. Resolves false, having written nothing, when not applicable.
 */
export async function readHyperslabDirectAsync(
  _target: DirectTarget, _offset: readonly number[], _count: readonly number[],
  _out: Uint8Array, _outByteOffset: number, _itemSize: number,
): Promise<boolean> {
  return false;
}
