/**
 * KeyData: one key of one source over a train selection, as EXtra-data's
 * KeyData (`run.get(source, key)`; EXtra-data: `run[source, key]`). The key
 * is resolved once (file list, HDF5 path, index group); its shape, dtype,
 * counts and data are then read without looking the names up again.
 *
 * Train IDs are uint64 in the files: `trainIds` gives numbers, and
 * `trainIdsExact` and every `trainId` coordinate keep them as BigUint64Array.
 */
import { DataArray } from '../arrays/dataarray.js';
import { allocate, dtypeOfData, itemSize, viewOver, type ArrayData, type DType, type TypedData } from '../arrays/dtype.js';
import { ParameterError } from '../errors.js';
import { startProgress } from '../display/track.js';
import type { Attrs } from '../arrays/dataarray.js';
import { readAttrs } from '../io/attrs.js';
import type { H5Dataset, H5Group } from '../io/h5file.js';
import type { RunFiles } from './data-collection.js';
import { READ_OPTIONS, describeKey, readKey, trainRows, type Allocator, type KeyLocation, type ReadOptions, type RoiItem, type TrainRows } from './key-read.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { entryPieces } from './entry-pieces.js';
import { SINGLE_VALUE_OPTIONS, singleValue, type SingleValueOptions } from './single-value.js';
import { SPLIT_OPTIONS, consecutiveRanges, labelledCounts, resolveTrains, trainRanges, type SplitOptions, type TrainSelection } from './train-select.js';

export interface ChunkOptions extends ReadOptions {
  /** Trains per chunk (default 200). */
  chunksize?: number;
  /** Progress label when reading takes over a second (default "reading <source> <key>"); false: silent. */
  progress?: string | false;
  /**
   * Read every chunk into one buffer (default false). Each chunk's values are
   * then overwritten by the next chunk, so this is only for consumers done
   * with a chunk before asking for the next (binning). It saves allocating
   * and page-faulting a fresh chunk each time: DSSC modules read about 2×
   * faster in about half the memory (bench/dssc-binning.ts).
   */
  reuseBuffer?: boolean;
  /**
   * Read the next chunk while the consumer works on this one (default false).
   * Two buffers alternate: when chunk k is handed out, chunk k+1 is already
   * being read into the other one, and asking for chunk k+1 starts reading
   * chunk k+2 into chunk k's buffer. So the contract is reuseBuffer's (a
   * chunk is valid until the next one is asked for), with two chunks in
   * memory instead of one: halve `chunksize` to keep the same peak. The
   * overlap needs the direct file read (io/direct-read.ts), whose reads run
   * on libuv's thread pool; where it does not apply the next chunk is read
   * through HDF5 when the consumer asks for it, as without prefetch. Leaving
   * the loop early waits for the read in flight, so no read outlives the
   * loop (the run may be closed right after).
   */
  prefetch?: boolean;
  /**
   * Memory to read the chunks into, for consumers that need them in a place
   * of their own (DSSC binning reads into its WebAssembly kernel's memory):
   * two buffers with `prefetch`, else one, used as reuseBuffer uses its
   * buffer (so its contract applies). A chunk that does not fit gets a
   * buffer of its own, as without this option.
   */
  buffers?: Uint8Array[];
}
/** Option names of ChunkOptions (with ReadOptions'). */
export const CHUNK_OPTIONS = mergeOptionNames<ChunkOptions>(READ_OPTIONS, optionNames<Omit<ChunkOptions, keyof ReadOptions>>({ chunksize: true, progress: true, reuseBuffer: true, prefetch: true, buffers: true }));

/** entriesChunks' options: trainsChunks' with a piece size in entries instead of trains. */
export interface EntriesChunkOptions extends Omit<ChunkOptions, 'chunksize'> {
  /** Entries (rows) per chunk (default 1000). */
  entries?: number;
}
const ENTRIES_CHUNK_OPTIONS = mergeOptionNames<EntriesChunkOptions>(READ_OPTIONS, optionNames<Omit<EntriesChunkOptions, keyof ReadOptions>>({ entries: true, progress: true, reuseBuffer: true, prefetch: true, buffers: true }));

export interface XarrayOptions extends ReadOptions {
  /** Name of the array (default '<source>.<key>', CONTROL keys without '.value'). */
  name?: string;
}
const XARRAY_OPTIONS = mergeOptionNames<XarrayOptions>(READ_OPTIONS, optionNames<Omit<XarrayOptions, keyof ReadOptions>>({ name: true }));
const LABELLED_OPTIONS = optionNames<{ labelled?: boolean }>({ labelled: true });
const NDARRAY_OPTIONS = optionNames<{ roi?: RoiItem[] }>({ roi: true });

/**
 * An allocator handing out views of one buffer, replaced when a request does not fit it;
 * `given`'s bytes whenever a request fits them.
 */
function reusingAllocator(given?: Uint8Array): Allocator {
  let kept: TypedData | null = null;
  return (dtype, n) => {
    if (dtype === 'string') return allocate(dtype, n);
    const view = given && viewOver(dtype, given, n);
    if (view) return view;
    if (!kept || dtypeOfData(kept) !== dtype || kept.length < n) kept = allocate(dtype, n) as TypedData;
    return kept.subarray(0, n);
  };
}

/** One allocator per buffer the chunks alternate between (none: a fresh array per chunk). */
function chunkAllocators(options: ChunkOptions): (Allocator | undefined)[] {
  const slots = options.prefetch === true ? 2 : 1;
  const given = options.buffers;
  if (given !== undefined && (!Array.isArray(given) || given.length !== slots || !given.every((b) => b instanceof Uint8Array))) {
    const got = Array.isArray(given) ? `[${given.map((b) => (b as object)?.constructor?.name ?? typeof b).join(', ')}]` : typeof given;
    throw new ParameterError(`buffers must be ${slots} Uint8Array${slots > 1 ? 's (one per chunk in flight with prefetch)' : ''}, got ${got}`, { parameter: 'buffers', value: given });
  }
  if (slots === 1 && !options.reuseBuffer && !given) return [undefined];
  return Array.from({ length: slots }, (_, i) => reusingAllocator(given?.[i]));
}

export class KeyData {
  private rowsCache?: TrainRows;
  private described?: { entryShape: number[]; dtype: DType };
  private trainIdNumbers?: readonly number[];

  /** Made by DataCollection.get(source, key) and SourceData.get(key): they resolve the names. */
  /**
   * @param location where the key is stored (resolved once by the caller)
   * @internal
   */
  constructor(private readonly runFiles: RunFiles, readonly location: Readonly<KeyLocation>, readonly trainIdsExact: BigUint64Array) {}

  get source(): string {
    return this.location.source;
  }

  /** The full key as stored ('prop.value' for a CONTROL property asked for as 'prop'). */
  get key(): string {
    return this.location.key;
  }

  get section(): 'CONTROL' | 'INSTRUMENT' {
    return this.location.section;
  }

  get isControl(): boolean {
    return this.section === 'CONTROL';
  }

  get isInstrument(): boolean {
    return this.section === 'INSTRUMENT';
  }

  /** The part of the key the INDEX is kept by ('' for CONTROL keys). */
  get indexGroup(): string {
    return this.location.group;
  }

  /** The dataset's path inside each run file. */
  get hdf5Path(): string {
    return this.location.h5path;
  }

  /** The run files holding the key's source, in sequence order. */
  get files(): string[] {
    return this.location.files.map((f) => f.path);
  }

  /** Selected train IDs, ascending, as numbers (frozen). Trains without data count too. */
  get trainIds(): readonly number[] {
    this.trainIdNumbers ??= Object.freeze(Array.from(this.trainIdsExact, Number));
    return this.trainIdNumbers;
  }

  private rows(): TrainRows {
    this.rowsCache ??= trainRows(this.location, this.trainIdsExact, this.runFiles.incSuspectTrains);
    return this.rowsCache;
  }

  private description(): { entryShape: number[]; dtype: DType } {
    this.described ??= describeKey(this.location);
    return this.described;
  }

  /** Shape of one entry (a CONTROL scalar: []). */
  get entryShape(): number[] {
    return [...this.description().entryShape];
  }

  get dtype(): DType {
    return this.description().dtype;
  }

  /** Dimensions of the full data: the entries, then the entry's. */
  get ndim(): number {
    return this.description().entryShape.length + 1;
  }

  /** [entries over the selected trains, ...entryShape], from the INDEX without reading data. */
  get shape(): number[] {
    let total = 0;
    for (const c of this.rows().counts) total += c;
    return [total, ...this.description().entryShape];
  }

  /** Bytes the data takes in memory (0 for strings, whose size is not known before reading). */
  get nbytes(): number {
    return this.shape.reduce((a, b) => a * b, 1) * itemSize(this.dtype);
  }

  /** How many selected trains have at least one entry. */
  get trainsWithData(): number {
    let n = 0;
    for (const c of this.rows().counts) if (c > 0) n++;
    return n;
  }

  /** Entries per selected train (0 where absent), labelled by trainId; `{labelled: false}`: the counts alone. */
  dataCounts(): DataArray;
  dataCounts(options: { labelled: true }): DataArray;
  dataCounts(options: { labelled: false }): Int32Array;
  dataCounts(options?: { labelled?: boolean }): DataArray | Int32Array;
  dataCounts(options: { labelled?: boolean } = {}): DataArray | Int32Array {
    checkOptions('KeyData.dataCounts', options, LABELLED_OPTIONS);
    const counts = Int32Array.from(this.rows().counts);
    if (options.labelled === false) return counts;
    return labelledCounts(counts, this.trainIdsExact, this.source);
  }

  /** The train ID of each entry: the trainId coordinate of xarray(), without reading the data. */
  trainIdCoordinates(): BigUint64Array {
    const rows = this.rows();
    const out = new BigUint64Array(this.shape[0]);
    for (let p = 0, k = 0; p < rows.trainIds.length; p++) {
      out.fill(rows.trainIds[p], k, k + rows.counts[p]);
      k += rows.counts[p];
    }
    return out;
  }

  /** The data as a labelled array: first dim 'trainId' (one label per entry), then dim_0, dim_1, ... or `extraDims`. */
  async xarray(options: XarrayOptions = {}): Promise<DataArray> {
    checkOptions('KeyData.xarray', options, XARRAY_OPTIONS);
    const da = await readKey(this.location, this.rows(), options);
    return options.name === undefined ? da : da.rename(options.name);
  }

  /** The same as xarray(): the name the Python toolbox and DataCollection use. */
  getArray(options: XarrayOptions = {}): Promise<DataArray> {
    checkOptions('KeyData.getArray', options, XARRAY_OPTIONS);
    return this.xarray(options);
  }

  /**
   * The values alone, flat in row-major order over [entries, ...entry shape
   * after `roi`] (see `shape`); xarray() gives them with their dims.
   */
  async ndarray(options: { roi?: RoiItem[] } = {}): Promise<ArrayData> {
    checkOptions('KeyData.ndarray', options, NDARRAY_OPTIONS);
    return (await readKey(this.location, this.rows(), { roi: options.roi })).values;
  }

  /** The data in pieces of `chunksize` trains, so data larger than memory can be streamed. */
  async *trainsChunks(options: ChunkOptions = {}): AsyncGenerator<DataArray> {
    checkOptions('KeyData.trainsChunks', options, CHUNK_OPTIONS);
    const ranges = consecutiveRanges(this.trainIdsExact.length, options.chunksize ?? 200, 'chunksize');
    // The index is resolved once for the whole selection; each chunk is then only its reads.
    yield* this.chunks(this.rows(), ranges, options, { total: this.trainIdsExact.length, unit: 'trains', at: (i) => ranges[i][1] });
  }

  /**
   * The data in pieces of `entries` entries (rows) each, the last shorter, in
   * train order; a train's entries may end one piece and begin the next. The
   * trainId coordinate names every entry's train. For consumers that work
   * entry by entry and want pieces of a size of their choosing (DSSC binning
   * reads a few MiB of frames at a time, which stay in the CPU's cache while
   * they are binned). Options and buffer contract as trainsChunks'.
   */
  async *entriesChunks(options: EntriesChunkOptions = {}): AsyncGenerator<DataArray> {
    checkOptions('KeyData.entriesChunks', options, ENTRIES_CHUNK_OPTIONS);
    const pieces = entryPieces(this.rows(), options.entries ?? 1000);
    const { firstEntry } = pieces;
    yield* this.chunks(pieces.rows, pieces.ranges, options, { total: firstEntry[firstEntry.length - 1], unit: 'entries', at: (i) => firstEntry[i + 1] });
  }

  /** Stream readKey's reads of `ranges` of `rows`, with trainsChunks' buffers, prefetch and progress. */
  private async *chunks(rows: TrainRows, ranges: [number, number][], options: ChunkOptions, progressOf: { total: number; unit: string; at: (i: number) => number }): AsyncGenerator<DataArray> {
    const prefetch = options.prefetch === true;
    const allocs = chunkAllocators(options);
    const read = (i: number): Promise<DataArray> => readKey(this.location, rows, options, ranges[i][0], ranges[i][1], {
      report: false, alloc: allocs[i % allocs.length], ahead: prefetch,
    });
    const label = options.progress ?? `reading ${this.source} ${this.key}`;
    const progress = label === false ? null : startProgress(label, { total: progressOf.total, unit: progressOf.unit, quietMs: 1000 });
    let pending: Promise<DataArray> | null = null;
    try {
      for (let i = 0; i < ranges.length; i++) {
        const chunk = await (pending ?? read(i));
        pending = prefetch && i + 1 < ranges.length ? read(i + 1) : null;
        // awaited on the next turn or in `finally`; must not count as unhandled meanwhile
        pending?.catch(() => {});
        progress?.set(progressOf.at(i));
        yield chunk;
      }
    } finally {
      // a consumer leaving early (break, error) must not leave a read writing into the buffers
      if (pending) await pending.catch(() => {});
      progress?.finish();
    }
  }

  private withTrains(ids: BigUint64Array): KeyData {
    return new KeyData(this.runFiles, this.location, ids);
  }

  /** The same key for a train selection (by position, byIndex or byId), as a new KeyData. */
  selectTrains(selection: TrainSelection): KeyData {
    return this.withTrains(resolveTrains(this.trainIdsExact, selection));
  }

  /** Only the trains where the key has data, as a new KeyData. */
  dropEmptyTrains(): KeyData {
    const counts = this.rows().counts;
    return this.withTrains(this.trainIdsExact.filter((_, i) => counts[i] > 0));
  }

  /**
   * Parts of the train selection as new KeyData: at most `trainsPerPart`
   * consecutive trains each (as DataCollection.splitTrains), or with
   * `{parts, trainsPerPart}` parts of even size as EXtra-data splits them.
   * Trains without data count, so keys of one run split alike.
   */
  *splitTrains(split: number | SplitOptions): Generator<KeyData> {
    if (typeof split === 'object') checkOptions('KeyData.splitTrains', split, SPLIT_OPTIONS);
    const n = this.trainIdsExact.length;
    for (const [from, to] of trainRanges(n, split)) yield this.withTrains(this.trainIdsExact.slice(from, to));
  }

  /**
   * The one value the key holds over the selection (a setting recorded every
   * train): the median (or `reduceBy`) when every entry is within
   * rtol/atol of it, else an error. Strings must all be equal.
   */
  async asSingleValue(options: SingleValueOptions = {}): Promise<number | string | Float64Array> {
    checkOptions('KeyData.asSingleValue', options, SINGLE_VALUE_OPTIONS);
    const da = await this.xarray();
    return singleValue(da.values, da.shape, { source: this.source, key: this.key }, options);
  }

  /** The dataset's HDF5 attributes; a CONTROL '.value' also has those of its property group. */
  attributes(): Attrs {
    const file = this.location.files[0].file();
    const dataset = file.get(this.hdf5Path) as H5Dataset;
    let attrs = readAttrs(dataset);
    if (this.isControl && this.key.endsWith('.value')) {
      attrs = { ...attrs, ...readAttrs(file.get(this.hdf5Path.slice(0, -'/value'.length)) as H5Group) };
    }
    return attrs;
  }

  /** The unit symbol Karabo recorded, with its metric prefix ('μJ'), or null when none was. */
  get units(): string | null {
    const attrs = this.attributes();
    const base = attrs.unitSymbol;
    if (typeof base !== 'string' || !base) return null;
    const prefix = typeof attrs.metricPrefixSymbol === 'string' ? attrs.metricPrefixSymbol : '';
    return (prefix === 'u' ? 'μ' : prefix) + base;
  }

  toString(): string {
    return `KeyData(${this.source} ${this.key}, ${this.trainIdsExact.length} trains)`;
  }
}
