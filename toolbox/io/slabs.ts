/**
 * Bulk numeric transfer between JS typed arrays and HDF5 datasets, one
 * bounded slab at a time. h5wasm's heap is a 2 GiB wasm memory and its
 * convenience calls copy a whole dataset into it (and back out, twice); for a
 * 1 GiB variable that is the difference between working and failing. Here
 * each slab is one contiguous run of the C-order array, copied once into a
 * reused heap buffer and moved by a single hyperslab call, and the event loop
 * gets a turn between slabs.
 */
import { ToolBoxError } from '../errors.js';
import type { TypedData } from '../arrays/dtype.js';
import type { H5Module } from './h5file.js';
import { readHyperslabDirectAsync } from './direct-read.js';

export const ioTuning = {
  /** Variables up to this size are written contiguous, in one call. */
  contiguousBytes: 16 * 2 ** 20,
  /** Target chunk size for larger variables (netCDF-C aims at 4 MiB too). */
  chunkBytes: 4 * 2 ** 20,
  /** Bytes moved through the wasm heap per call: small enough to stay in cache between the two copies. */
  slabBytes: 8 * 2 ** 20,
};

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/**
 * Chunk shape near `target` bytes: whole trailing dimensions, cut along the
 * leading ones, so reading one train (or a run of trains) touches few chunks.
 */
export function chooseChunks(shape: readonly number[], itemSize: number, target = ioTuning.chunkBytes): number[] {
  const chunks = shape.map((s) => Math.max(1, s));
  for (let i = 0; i < shape.length; i++) {
    const rest = product(chunks.slice(i + 1)) * itemSize;
    if (rest <= target) {
      chunks[i] = Math.max(1, Math.min(chunks[i], Math.floor(target / rest)));
      break;
    }
    chunks[i] = 1;
  }
  return chunks;
}

export interface Slab {
  offset: number[];
  count: number[];
  /** First element (flat C-order index) and number of elements. */
  start: number;
  length: number;
}

/**
 * Contiguous C-order pieces of at most `maxBytes` covering the array: a run
 * along one axis with everything after it whole and everything before it
 * fixed. Runs are aligned to the chunk shape along that axis when they can
 * be, so each chunk is written once.
 */
export function* slabs(shape: readonly number[], itemSize: number, chunks?: readonly number[] | null, maxBytes = ioTuning.slabBytes): Generator<Slab> {
  const n = shape.length;
  if (n === 0) {
    yield { offset: [], count: [], start: 0, length: 1 };
    return;
  }
  if (product(shape) === 0) return;
  let axis = 0;
  while (axis < n - 1 && product(shape.slice(axis + 1)) * itemSize > maxBytes) axis++;
  const rowElems = product(shape.slice(axis + 1));
  let k = Math.max(1, Math.min(shape[axis], Math.floor(maxBytes / (rowElems * itemSize))));
  const c = chunks?.[axis];
  if (c && k >= c) k -= k % c;
  const outer = shape.slice(0, axis);
  const idx = outer.map(() => 0);
  for (;;) {
    let base = 0;
    for (let d = 0; d < axis; d++) base = base * shape[d] + idx[d];
    base *= shape[axis];
    for (let j = 0; j < shape[axis]; j += k) {
      const len = Math.min(k, shape[axis] - j);
      yield {
        offset: [...idx, j, ...shape.slice(axis + 1).map(() => 0)],
        count: [...outer.map(() => 1), len, ...shape.slice(axis + 1)],
        start: (base + j) * rowElems,
        length: len * rowElems,
      };
    }
    let d = axis - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** A heap buffer that grows as needed and is freed once. */
export class HeapBuffer {
  private ptr = 0;
  private cap = 0;
  constructor(private readonly M: H5Module) {}
  get(bytes: number): number {
    if (bytes > this.cap) {
      this.free();
      this.ptr = this.M._malloc(Math.max(1, bytes));
      if (!this.ptr) throw new ToolBoxError(`cannot allocate ${bytes} bytes in the HDF5 (wasm) heap`);
      this.cap = bytes;
    }
    return this.ptr;
  }
  free(): void {
    if (this.ptr) this.M._free(this.ptr);
    this.ptr = 0;
    this.cap = 0;
  }
}

const big = (xs: number[]) => xs.map((x) => BigInt(x));

/** Write `data` (C order, the dataset's own dtype) into the existing dataset at `path`. */
export async function writeSlabs(M: H5Module, fileId: bigint, path: string, data: TypedData, shape: readonly number[], chunks?: readonly number[] | null): Promise<void> {
  const itemSize = data.BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const heap = new HeapBuffer(M);
  try {
    for (const s of slabs(shape, itemSize, chunks)) {
      const nbytes = s.length * itemSize;
      const ptr = heap.get(nbytes);
      // HEAPU8 is looked up after malloc: growing the heap replaces it.
      M.HEAPU8.set(bytes.subarray(s.start * itemSize, s.start * itemSize + nbytes), ptr);
      M.set_dataset_data(fileId, path, big(s.count), big(s.offset), s.count.map(() => 1n), BigInt(ptr));
      await nextTurn();
    }
  } finally {
    heap.free();
  }
}

type TypedCtor = { new (n: number): TypedData; BYTES_PER_ELEMENT: number };

/**
 * One hyperslab (`offset`/`count` per axis) of a numeric dataset straight into
 * `out` at byte `outByteOffset`: HDF5 reads into a reused heap buffer and the
 * bytes are copied once, instead of h5wasm's slice() allocating and copying a
 * fresh array per read. The dataset must be little-endian and `out` of its dtype.
 */
export function readHyperslabInto(M: H5Module, heap: HeapBuffer, fileId: bigint, path: string, offset: readonly number[], count: readonly number[], out: Uint8Array, outByteOffset: number, itemSize: number): void {
  const nbytes = count.reduce((a, b) => a * b, 1) * itemSize;
  if (nbytes === 0) return;
  const ptr = heap.get(nbytes);
  M.get_dataset_data(fileId, path, big([...count]), big([...offset]), count.map(() => 1n), BigInt(ptr));
  // HEAPU8 is looked up after the read: a heap that grew replaced it.
  out.set(M.HEAPU8.subarray(ptr, ptr + nbytes), outByteOffset);
}

/**
 * Read the whole dataset at `path` into a new typed array: straight from
 * `file` (its path on disk, when given) in parallel pieces where the storage
 * is plain, else through HDF5 slab by slab.
 */
export async function readSlabs(M: H5Module, fileId: bigint, path: string, shape: readonly number[], ctor: TypedCtor, chunks?: readonly number[] | null, file?: string): Promise<TypedData> {
  const itemSize = ctor.BYTES_PER_ELEMENT;
  const total = product(shape);
  const out = new ctor(total);
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (file && total > 0 && shape.length > 0) {
    const target = { M, fileId, file, dataset: path };
    if (await readHyperslabDirectAsync(target, shape.map(() => 0), shape, outBytes, 0, itemSize)) return out;
  }
  const heap = new HeapBuffer(M);
  try {
    for (const s of slabs(shape, itemSize, chunks)) {
      const nbytes = s.length * itemSize;
      const ptr = heap.get(nbytes);
      const whole = s.length === total;
      M.get_dataset_data(fileId, path, whole ? null : big(s.count), whole ? null : big(s.offset), whole ? null : s.count.map(() => 1n), BigInt(ptr));
      outBytes.set(M.HEAPU8.subarray(ptr, ptr + nbytes), s.start * itemSize);
      if (!whole) await nextTurn();
    }
  } finally {
    heap.free();
  }
  return out;
}
