/**
 * Reading one key of one source across a run: which rows of which file hold
 * the selected trains (from INDEX first/count, never the redundant
 * INSTRUMENT trainId), assembled in train order with one hyperslab read per
 * contiguous run of rows. Trains without entries contribute no rows.
 */
import { DataArray } from '../arrays/dataarray.js';
import { allocate, itemSize, type ArrayData, type DType } from '../arrays/dtype.js';
import { Slice, sliceIndices } from '../arrays/slice.js';
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { h5module, translate } from '../io/h5file.js';
import { HeapBuffer, readHyperslabInto } from '../io/slabs.js';
import { readHyperslabDirectAsync } from '../io/direct-read.js';
import { dtypeOfMetadata, describeMetadata } from '../io/conventions.js';
import type { FileAccess } from './file-access.js';
import { runTuning } from './tuning.js';
import { startProgress } from '../display/track.js';
import { optionNames } from '../options.js';

/** Where a key lives: its HDF5 path below the source section and its index group ('' = CONTROL). */
export interface KeyLocation {
  source: string;
  key: string;
  section: 'CONTROL' | 'INSTRUMENT';
  group: string;
  h5path: string;
  files: FileAccess[];
}

/** One contiguous row range of one file. */
export interface RowRun {
  file: FileAccess;
  start: number;
  count: number;
}

export type RoiItem = Slice<number | null> | number | [number | null, number | null] | null;

export interface ReadOptions {
  /** Names of the dimensions after 'trainId' (default dim_0, dim_1, ... like EXtra-data). */
  extraDims?: string[];
  /** One slice per entry dimension; only that hyperslab is read. */
  roi?: RoiItem[];
}
export const READ_OPTIONS = optionNames<ReadOptions>({ extraDims: true, roi: true });

/** Per selected train: the file holding the key there (none when count is 0), its first row and count. */
export interface TrainRows {
  trainIds: BigUint64Array;
  owner: (FileAccess | undefined)[];
  first: Float64Array;
  counts: Float64Array;
}

/** Where each selected train's entries are; one pass over every file's index. */
export function trainRows(loc: KeyLocation, trainIds: BigUint64Array, incSuspect: boolean): TrainRows {
  const pos = new Map<bigint, number>();
  for (let i = 0; i < trainIds.length; i++) pos.set(trainIds[i], i);
  const counts = new Float64Array(trainIds.length);
  const owner: (FileAccess | undefined)[] = new Array(trainIds.length);
  const first = new Float64Array(trainIds.length);
  for (const fa of loc.files) {
    const idx = fa.index(loc.source, loc.group);
    for (let i = 0; i < fa.trainIds.length; i++) {
      const p = pos.get(fa.trainIds[i]);
      if (p === undefined || idx.count[i] === 0 || (!incSuspect && !fa.validTrains[i])) continue;
      const prev = owner[p];
      if (prev) {
        throw new ToolBoxValueError(`conflicting data: source ${loc.source} has train ${trainIds[p]} in both ${prev.path} and ${fa.path}`);
      }
      owner[p] = fa;
      first[p] = idx.first[i];
      counts[p] = idx.count[i];
    }
  }
  return { trainIds, owner, first, counts };
}

/** Contiguous row runs (merged within a file) for selected trains `from` to `to`, in train order. */
function rowRuns(rows: TrainRows, from: number, to: number): RowRun[] {
  const runs: RowRun[] = [];
  for (let p = from; p < to; p++) {
    const fa = rows.owner[p];
    if (!fa) continue;
    const last = runs[runs.length - 1];
    if (last && last.file === fa && last.start + last.count === rows.first[p]) last.count += rows.counts[p];
    else runs.push({ file: fa, start: rows.first[p], count: rows.counts[p] });
  }
  return runs;
}

function roiRanges(roi: RoiItem[] | undefined, entryShape: number[], where: string): { ranges: [number, number][]; keep: boolean[] } {
  if (roi && roi.length > entryShape.length) {
    throw new ToolBoxValueError(`roi has ${roi.length} slices but ${where} entries have ${entryShape.length} dimensions (shape [${entryShape.join(', ')}])`);
  }
  const ranges: [number, number][] = [];
  const keep: boolean[] = [];
  entryShape.forEach((n, d) => {
    const r = roi?.[d] ?? null;
    if (r === null) {
      ranges.push([0, n]);
      keep.push(true);
    } else if (typeof r === 'number') {
      const i = r < 0 ? r + n : r;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new ToolBoxValueError(`roi index ${r} out of range for dimension ${d} (size ${n}) of ${where}`);
      ranges.push([i, i + 1]);
      keep.push(false);
    } else {
      const s = Array.isArray(r) ? new Slice<number | null>(r[0], r[1]) : r;
      const { start, stop, step } = sliceIndices(s, n);
      if (step !== 1) throw new ToolBoxValueError(`roi slices must have step 1 (dimension ${d} of ${where})`);
      ranges.push([start, Math.max(start, stop)]);
      keep.push(true);
    }
  });
  return { ranges, keep };
}

function toDType(raw: unknown, dtype: DType): ArrayData {
  if (dtype === 'bool' && raw instanceof Int8Array) return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  if (dtype === 'string') return (raw as unknown[]).map((s) => String(s));
  return raw as ArrayData;
}

/** Whether the key is stored little-endian in every file (the byte order JS typed arrays use here); cached per file. */
function describeEndian(loc: KeyLocation): boolean {
  return loc.files.every((fa) => fa.datasetInfo(loc.h5path).metadata.littleEndian !== false);
}

/** Entry shape and dtype of a key (from the first file holding it). */
export function describeKey(loc: KeyLocation): { entryShape: number[]; dtype: DType } {
  const fa = loc.files[0];
  const { shape, metadata } = fa.datasetInfo(loc.h5path);
  const dtype = dtypeOfMetadata(metadata);
  if (dtype === null) {
    throw new ToolBoxTypeError(`${loc.source} ${loc.key} in ${fa.path} has HDF5 type ${describeMetadata(metadata)}, which the toolbox cannot read`);
  }
  return { entryShape: shape.slice(1), dtype };
}

/** Where readKey puts the values: a fresh zero-filled array by default; trainsChunks may hand out a reused one. */
export type Allocator = (dtype: DType, n: number) => ArrayData;

/** How readKey reads, besides what: trainsChunks' knobs. */
export interface ReadHow {
  /** Show progress when the read takes over a second (default true; callers reporting their own pass false). */
  report?: boolean;
  /** Where the values go (default: a fresh array). */
  alloc?: Allocator;
  /**
   * Issue the file reads at once on libuv's thread pool before readKey first
   * awaits (readHyperslabDirectAsync), so they proceed while the caller
   * computes on another buffer (trainsChunks' prefetch). Row runs the direct
   * read does not apply to are read through HDF5 afterwards, as without it.
   */
  ahead?: boolean;
}

/** The INDEX must not point past the dataset's rows. */
function checkRows(loc: KeyLocation, r: RowRun, where: string): void {
  const have = r.file.datasetInfo(loc.h5path).shape[0] ?? 0;
  if (r.start + r.count > have) {
    throw new ToolBoxValueError(`${where}: INDEX points at rows ${r.start}..${r.start + r.count - 1} but ${loc.h5path} in ${r.file.path} has only ${have} rows`);
  }
}

/**
 * Start one direct read per row run, all at once; resolves with which runs it
 * read (the others are left to HDF5). Every read has settled before it
 * resolves or rejects, so nothing writes into `out` afterwards.
 */
function startDirectReads(loc: KeyLocation, runs: RowRun[], ranges: [number, number][], out: Uint8Array, rowBytes: number, itemBytes: number, where: string): Promise<boolean[]> {
  const entryCount = ranges.map(([a, b]) => b - a);
  let row = 0;
  const reads = runs.map(async (r) => {
    const at = row;
    row += r.count;
    try {
      checkRows(loc, r, where);
      // the file's id, not a Dataset opened per read: opening one costs HDF5 more than planning the read
      const target = { M: r.file.module, fileId: r.file.file().file_id, file: r.file.path, dataset: loc.h5path };
      return await readHyperslabDirectAsync(target, [r.start, ...ranges.map(([lo]) => lo)], [r.count, ...entryCount], out, at * rowBytes, itemBytes);
    } catch (err) {
      return translate(err, r.file.path, `reading ${where} from`);
    }
  });
  return Promise.allSettled(reads).then((settled) => settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  }));
}

/**
 * The key for selected trains `from` to `to` of `rows` as a DataArray with a
 * 'trainId' coordinate per entry (uint64, exact).
 */
export async function readKey(loc: KeyLocation, rows: TrainRows, opts: ReadOptions = {}, from = 0, to = rows.trainIds.length, how: ReadHow = {}): Promise<DataArray> {
  const { report = true, alloc = allocate } = how;
  const where = `${loc.source} ${loc.key}`;
  const runs = rowRuns(rows, from, to);
  const { entryShape, dtype } = describeKey(loc);
  const { ranges, keep } = roiRanges(opts.roi, entryShape, where);
  const outEntry = ranges.map(([a, b]) => b - a);
  const entrySize = outEntry.reduce((a, b) => a * b, 1);
  const shapeAfter = outEntry.filter((_, d) => keep[d]);
  const extra = opts.extraDims ?? entryShape.map((_, d) => `dim_${d}`).filter((_, d) => keep[d]);
  if (extra.length !== shapeAfter.length) {
    throw new ToolBoxValueError(`extraDims [${extra.join(', ')}] has ${extra.length} names but ${where} has ${shapeAfter.length} dimensions after trainId (entry shape [${shapeAfter.join(', ')}])`);
  }
  let total = 0;
  for (const r of runs) total += r.count;
  const out = alloc(dtype, total * entrySize);
  const bytesPerRow = Math.max(1, entrySize * (itemSize(dtype) || 8));
  const rowsPerSlab = Math.max(1, Math.floor(runTuning.slabBytes / bytesPerRow));
  // numeric little-endian data goes through one reused heap buffer and a single copy
  const fast = !Array.isArray(out) && dtype !== 'string' && describeEndian(loc) && total * entrySize > 0;
  const outBytes = fast ? new Uint8Array((out as Uint8Array).buffer, (out as Uint8Array).byteOffset, (out as Uint8Array).byteLength) : null;
  const elementBytes = fast ? (out as Uint8Array).BYTES_PER_ELEMENT : 0;
  // issued before the first await: the reads run while the caller goes on computing
  const ahead = how.ahead && outBytes ? startDirectReads(loc, runs, ranges, outBytes, entrySize * elementBytes, elementBytes, where) : null;
  ahead?.catch(() => {}); // awaited below; not unhandled should an await before fail
  const M = fast ? await h5module() : null;
  const heap = M ? new HeapBuffer(M) : null;
  let row = 0;
  const progress = report ? startProgress(`reading ${where}`, { total, unit: 'rows', quietMs: 1000 }) : null;
  try {
    const done = ahead ? await ahead : null;
    for (const [i, r] of runs.entries()) {
      if (done?.[i]) {
        row += r.count;
        progress?.set(row);
        continue;
      }
      checkRows(loc, r, where);
      for (let a = 0; a < r.count; a += rowsPerSlab) {
        const n = Math.min(rowsPerSlab, r.count - a);
        try {
          // Fetched per slab: during the pause below another read may have closed the file (LRU).
          const d = r.file.dataset(loc.h5path);
          if (M && heap && outBytes) {
            const off = [r.start + a, ...ranges.map(([lo]) => lo)], cnt = [n, ...outEntry], at = row * entrySize * elementBytes;
            // straight from the file where the storage is plain, else through HDF5's heap
            const target = { M, fileId: d.file_id, file: r.file.path, dataset: d.path };
            // pieces on the thread pool: both cores fault in and fill fresh memory (docs/benchmarks.md, PERF — direct reads)
            if (!await readHyperslabDirectAsync(target, off, cnt, outBytes, at, elementBytes)) {
              const again = r.file.dataset(loc.h5path); // the await let other reads run (and close files)
              readHyperslabInto(M, heap, again.file_id, again.path, off, cnt, outBytes, at, elementBytes);
            }
          } else {
            const part = toDType(entrySize === 0 ? [] : d.slice([[r.start + a, r.start + a + n], ...ranges]), dtype);
            if (Array.isArray(out)) for (let i = 0; i < part.length; i++) out[row * entrySize + i] = (part as string[])[i];
            else (out as Float64Array).set(part as Float64Array, row * entrySize);
          }
        } catch (err) {
          if (err instanceof ToolBoxValueError) throw err;
          translate(err, r.file.path, `reading ${where} from`);
        }
        row += n;
        progress?.set(row);
        // Let other work run between big reads.
        if (n * bytesPerRow > 2 ** 20) await new Promise<void>((res) => setImmediate(res));
      }
    }
  } finally {
    heap?.free();
    progress?.finish();
  }
  const trainCoord = new BigUint64Array(total);
  for (let p = from, k = 0; p < to; p++) {
    if (!rows.owner[p]) continue;
    trainCoord.fill(rows.trainIds[p], k, k + rows.counts[p]);
    k += rows.counts[p];
  }
  const name = `${loc.source}.${loc.section === 'CONTROL' ? loc.key.replace(/\.value$/, '') : loc.key}`;
  return new DataArray(out, { dims: ['trainId', ...extra], shape: [total, ...shapeAfter], dtype, name, coords: { trainId: trainCoord } });
}
