/**
 * Train selections as EXtra-data spells them: by_id[...] / by_index[...],
 * or a plain index, slice or list (positions). Resolved against the
 * collection's ascending train IDs.
 */
import { DataArray } from '../arrays/dataarray.js';
import { Slice, sliceIndices } from '../arrays/slice.js';
import { ParameterError, TrainIdError } from '../errors.js';
import { optionNames } from '../options.js';

/** Train positions in the selection: an index, a list of indices or a slice. */
export type Positional = number | number[] | Slice<number | null>;
/** A train ID, as a number or exactly as uint64. */
export type IdLike = number | bigint;

export interface ById { byId: IdLike | IdLike[] | Slice<IdLike | null> }
export interface ByIndex { byIndex: Positional }
export type TrainSelection = Positional | ById | ByIndex;

/** Select trains by train ID: one ID, a list, or slice(start, stop) with stop exclusive like EXtra-data. */
export function byId(sel: IdLike | IdLike[] | Slice<IdLike | null>): ById {
  return { byId: sel };
}

/** Select trains by position in the collection. */
export function byIndex(sel: Positional): ByIndex {
  return { byIndex: sel };
}

function pick(ids: BigUint64Array, keep: (id: bigint, i: number) => boolean): BigUint64Array {
  const out: bigint[] = [];
  ids.forEach((id, i) => { if (keep(id, i)) out.push(id); });
  return BigUint64Array.from(out);
}

export function resolveTrains(ids: BigUint64Array, sel: TrainSelection): BigUint64Array {
  if (typeof sel === 'object' && sel !== null && 'byId' in sel) {
    const s = sel.byId;
    if (s instanceof Slice) {
      const lo = s.start === null ? null : BigInt(s.start);
      const hi = s.stop === null ? null : BigInt(s.stop);
      const step = BigInt(s.step ?? 1);
      const base = lo ?? ids[0] ?? 0n;
      return pick(ids, (id) => (lo === null || id >= lo) && (hi === null || id < hi) && (id - base) % step === 0n);
    }
    const wanted = (Array.isArray(s) ? s : [s]).map((x) => BigInt(x));
    const have = new Set(ids);
    const missing = wanted.filter((w) => !have.has(w));
    if (missing.length === wanted.length && wanted.length > 0) {
      throw new TrainIdError(`train ID(s) ${missing.slice(0, 5).join(', ')} not in this run (trains ${ids[0]}..${ids[ids.length - 1]}, ${ids.length} in all)`, { trainIds: missing });
    }
    const set = new Set(wanted);
    return pick(ids, (id) => set.has(id));
  }
  const p: Positional = typeof sel === 'object' && sel !== null && 'byIndex' in sel ? sel.byIndex : sel as Positional;
  const n = ids.length;
  if (p instanceof Slice) {
    const { start, step, length } = sliceIndices(p, n);
    const out = new BigUint64Array(length);
    for (let i = 0; i < length; i++) out[i] = ids[start + i * step];
    // Keep ascending order even for a negative step: the collection is ordered by train ID.
    return out.sort();
  }
  const list = Array.isArray(p) ? p : [p];
  const idx = list.map((i) => {
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new ParameterError(`train index ${i} out of range for ${n} trains`, { parameter: 'trains', value: i });
    return j;
  });
  return BigUint64Array.from([...new Set(idx)].sort((a, b) => a - b).map((j) => ids[j]));
}

/** How to cut a train selection into parts (EXtra-data's split_trains): a number of parts, a maximum per part, or both. */
export interface SplitOptions {
  /** How many parts (fewer when there are fewer trains); with trainsPerPart, at least this many. */
  parts?: number;
  /** At most this many trains per part. */
  trainsPerPart?: number;
}
export const SPLIT_OPTIONS = optionNames<SplitOptions>({ parts: true, trainsPerPart: true });

export function positiveInteger(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
    throw new ParameterError(`${name} must be a positive integer, got ${v}`, { parameter: name, value: v });
  }
}

/**
 * [start, stop) position ranges splitting `n` trains into parts of even size
 * (11 trains at most 8 per part: 5 and 6, not 8 and 3), so that different
 * keys of one run split into matching parts.
 */
export function splitTrainRanges(n: number, opts: SplitOptions): [number, number][] {
  const { parts, trainsPerPart } = opts;
  positiveInteger('parts', parts);
  positiveInteger('trainsPerPart', trainsPerPart);
  let count: number;
  if (trainsPerPart !== undefined) {
    count = Math.ceil(n / trainsPerPart);
    if (parts !== undefined) count = Math.max(count, Math.min(parts, n));
  } else if (parts !== undefined) count = Math.min(parts, n);
  else throw new ParameterError('splitTrains needs parts or trainsPerPart', { parameter: 'parts', value: undefined });
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) out.push([Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count)]);
  return out;
}

/** [start, stop) ranges of at most `size` consecutive trains (the last part may be shorter). */
export function consecutiveRanges(n: number, size: number, name: string): [number, number][] {
  positiveInteger(name, size);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i += size) out.push([i, Math.min(n, i + size)]);
  return out;
}

/**
 * The [start, stop) ranges of a splitTrains call: a number is at most that
 * many consecutive trains per part; options split evenly as EXtra-data does.
 */
export function trainRanges(n: number, split: number | SplitOptions): [number, number][] {
  return typeof split === 'number' ? consecutiveRanges(n, split, 'trainsPerPart') : splitTrainRanges(n, split);
}

/** Entries per train as data counts are shown: a DataArray over trainId named after the source. */
export function labelledCounts(counts: Int32Array, trainIds: BigUint64Array, source: string): DataArray {
  return new DataArray(counts, { dims: ['trainId'], coords: { trainId: trainIds.slice() }, name: source });
}
