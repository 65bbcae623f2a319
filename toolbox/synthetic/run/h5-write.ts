/**
 * Creating the datasets of a run file: entries stacked along an unlimited,
 * chunked first axis (as the DAQ writes them), filled either from a typed
 * array or streamed from a producer straight into the wasm heap, one bounded
 * block of entries at a time, so a multi-GB detector key never exists in JS
 * memory at once.
 */
import { ToolBoxValueError } from '../../errors.js';
import { type ArrayData, type DType, type TypedData, allocate, itemSize } from '../../arrays/dtype.js';
import { H5_DTYPE } from '../../io/conventions.js';
import type { H5, H5Dataset, H5File, H5Group } from '../../io/h5file.js';
import { writeSlabs } from '../../io/slabs.js';

export const runWriteTuning = {
  /** Target chunk size; a detector frame bigger than this gets a chunk of its own (as the DAQ does). */
  chunkBytes: 1 << 20,
  /** Entries handed to a producer per call, in bytes. */
  blockBytes: 16 << 20,
};

export interface EntrySource {
  values?: ArrayData;
  produce?: (first: number, count: number, out: TypedData) => void;
  /** Deflate level (0–9); undefined = uncompressed. */
  gzip?: number;
}

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Create the group at `path` and any missing parents (h5wasm creates one level at a time). */
export function ensureGroup(f: H5File, path: string): H5Group {
  let cur: H5Group = f;
  for (const part of path.split('/').filter(Boolean)) {
    const next = cur.get(part);
    cur = next && (next as { type?: string }).type === 'Group' ? (next as H5Group) : cur.create_group(part, true);
  }
  return cur;
}

function isAscii(xs: readonly string[]): boolean {
  return xs.every((s) => /^[\x00-\x7f]*$/.test(s));
}

/** A small contiguous dataset (METADATA): strings as vlen (ASCII when possible, as the DAQ), numbers as given. */
export function writeSmall(g: H5Group, name: string, dtype: DType, data: ArrayData, shape: number[]): H5Dataset {
  if (dtype === 'string') {
    const strs = data as string[];
    return g.create_dataset({ name, data: strs, shape, dtype: isAscii(strs) ? 'A' : 'S' });
  }
  return g.create_dataset({ name, data: data as never, shape, dtype: H5_DTYPE[dtype] });
}

/**
 * `entries` rows of `entryShape`, chunked with an unlimited first axis, plus
 * `padEntries` rows never written (they read as 0). `where` names the
 * dataset in errors.
 */
export async function writeEntries(
  f: H5File, h5: H5, g: H5Group, name: string, dtype: DType, entries: number, entryShape: readonly number[],
  src: EntrySource, where: string, padEntries = 0,
): Promise<H5Dataset> {
  const perEntry = product(entryShape);
  const shape = [entries, ...entryShape];
  if (dtype === 'string') {
    const strs = src.values as string[];
    if (strs.length !== entries * perEntry) throw new ToolBoxValueError(`${where}: ${strs.length} strings for shape [${shape}]`);
    // h5wasm cannot chunk vlen data here; strings only occur in small keys (state, classId).
    return g.create_dataset({ name, data: strs, shape, dtype: isAscii(strs) ? 'A' : 'S' });
  }
  if (!src.produce && src.values && src.values.length !== entries * perEntry) {
    throw new ToolBoxValueError(`${where}: ${src.values.length} values for shape [${shape}] (${entries} entries)`);
  }
  const bytes = itemSize(dtype);
  const entryBytes = Math.max(1, perEntry * bytes);
  // Capped by the length too: HDF5 allocates whole chunks, and a file has hundreds of tiny index datasets.
  const chunkEntries = Math.max(1, Math.min(entries + padEntries, Math.floor(runWriteTuning.chunkBytes / entryBytes)));
  const chunks = [chunkEntries, ...entryShape.map((d) => Math.max(1, d))];
  const ds = g.create_dataset({
    name, data: allocate(dtype, 0) as never, shape: [0, ...entryShape], maxshape: [null, ...entryShape],
    chunks, dtype: H5_DTYPE[dtype],
    ...(src.gzip === undefined ? {} : { compression: 'gzip' as const, compression_opts: src.gzip }),
  });
  if (entries + padEntries > 0) ds.resize([entries + padEntries, ...entryShape]);
  if (entries === 0 || perEntry === 0) return ds;
  if (src.produce) await streamEntries(f, h5, ds.path, dtype, entries, entryShape, chunkEntries, src.produce);
  else if (src.values) await writeSlabs(h5.Module, f.file_id, ds.path, src.values as TypedData, shape, chunks);
  return ds;
}

type TypedCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedData;

/** Blocks of whole chunks: the producer fills wasm memory directly, then one hyperslab write per block. */
async function streamEntries(
  f: H5File, h5: H5, path: string, dtype: DType, entries: number, entryShape: readonly number[],
  chunkEntries: number, produce: NonNullable<EntrySource['produce']>,
): Promise<void> {
  const M = h5.Module;
  const perEntry = product(entryShape);
  const entryBytes = perEntry * itemSize(dtype);
  let block = Math.max(1, Math.floor(runWriteTuning.blockBytes / entryBytes));
  if (block >= chunkEntries) block -= block % chunkEntries;
  block = Math.min(block, entries);
  const ptr = M._malloc(block * entryBytes);
  if (!ptr) throw new ToolBoxValueError(`cannot allocate ${block * entryBytes} bytes in the HDF5 (wasm) heap for ${path}`);
  const Ctor = allocate(dtype, 0).constructor as TypedCtor;
  const rest = entryShape.map((d) => BigInt(d));
  try {
    for (let first = 0; first < entries; first += block) {
      const n = Math.min(block, entries - first);
      // The view is rebuilt each time: an HDF5 call may grow the heap and detach the old buffer.
      const view = new Ctor(M.HEAPU8.buffer, ptr, n * perEntry);
      // Zeroed so a producer that skips elements leaves zeros, not the previous block.
      if (view instanceof BigInt64Array || view instanceof BigUint64Array) view.fill(0n);
      else view.fill(0);
      produce(first, n, view);
      M.set_dataset_data(f.file_id, path, [BigInt(n), ...rest], [BigInt(first), ...rest.map(() => 0n)], [1n, ...rest.map(() => 1n)], BigInt(ptr));
      await nextTurn();
    }
  } finally {
    M._free(ptr);
  }
}
