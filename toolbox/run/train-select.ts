/**
 * Train selections as EXtra-data spells them: by_id[...] / by_index[...],
 * or a plain index, slice or list (positions). Resolved against the
 * collection's ascending train IDs.
 */
import { Slice, sliceIndices } from '../arrays/slice.js';
import { ToolBoxValueError } from '../errors.js';

type Positional = number | number[] | Slice<number | null>;
type IdLike = number | bigint;

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
      throw new ToolBoxValueError(`train ID(s) ${missing.slice(0, 5).join(', ')} not in this run (trains ${ids[0]}..${ids[ids.length - 1]}, ${ids.length} in all)`);
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
    if (!Number.isInteger(j) || j < 0 || j >= n) throw new ToolBoxValueError(`train index ${i} out of range for ${n} trains`);
    return j;
  });
  return BigUint64Array.from([...new Set(idx)].sort((a, b) => a - b).map((j) => ids[j]));
}
