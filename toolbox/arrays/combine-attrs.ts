/**
 * How attrs of combined objects are combined (xarray's combine_attrs), and
 * value equality used when deciding whether variables or attrs conflict.
 */
import { ToolBoxValueError } from '../errors.js';
import type { AttrValue, Attrs } from './dataarray.js';
import type { ArrayData } from './dtype.js';

/** xarray's combine_attrs: how the attrs of combined objects become the result's. */
export type CombineAttrs = 'override' | 'drop' | 'identical' | 'no_conflicts' | 'drop_conflicts';

/** Element equality across dtypes: NaN equals NaN, int64 1n equals float 1, strings only equal strings. */
export function sameValue(p: unknown, q: unknown): boolean {
  if (p === q) return true;
  // x !== x only for NaN: two NaNs are the same value here.
  if (p !== p && q !== q) return true;
  const tp = typeof p, tq = typeof q;
  // Loose equality is exact between bigint and number, which is what mixed int64/float data needs.
  // eslint-disable-next-line eqeqeq
  return tp !== tq && tp !== 'string' && tq !== 'string' && (tp === 'bigint' || tq === 'bigint') && p == q;
}

export function arraysEqual(a: ArrayData, b: ArrayData): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Deep equality of attribute values (typed arrays compare by content). */
export function attrValuesEqual(a: AttrValue | undefined, b: AttrValue | undefined): boolean {
  if (sameValue(a, b)) return true;
  if (isArrayLike(a) && isArrayLike(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!attrValuesEqual(a[i] as AttrValue, b[i] as AttrValue)) return false;
    return true;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !isArrayLike(a) && !isArrayLike(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    const ob = b as Record<string, AttrValue>;
    return ka.every((k) => k in ob && attrValuesEqual((a as Record<string, AttrValue>)[k], ob[k]));
  }
  return false;
}

export function attrsEqual(a: Attrs, b: Attrs): boolean {
  return attrValuesEqual(a, b);
}

function show(v: AttrValue | undefined): string {
  if (typeof v === 'string') return `'${v}'`;
  if (isArrayLike(v)) return `[${Array.from(v as ArrayLike<unknown>, String).join(', ')}]`;
  if (v && typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/**
 * Attrs of a combined object from those of its parts. `what` names the
 * result ("the concatenated Dataset", "variable 'x'") in errors.
 */
export function combineAttrs(list: readonly Attrs[], how: CombineAttrs = 'override', what = 'the result'): Attrs {
  if (list.length === 0 || how === 'drop') return {};
  switch (how) {
    case 'override': return { ...list[0] };
    case 'identical': {
      list.forEach((a, i) => {
        if (i > 0 && !attrsEqual(list[0], a)) {
          throw new ToolBoxValueError(`combineAttrs='identical' but the attrs of object ${i} differ from those of object 0 for ${what}: ${show(a)} vs ${show(list[0])}`);
        }
      });
      return { ...list[0] };
    }
    case 'no_conflicts': {
      const out: Attrs = {};
      list.forEach((a, i) => {
        for (const [k, v] of Object.entries(a)) {
          if (k in out && !attrValuesEqual(out[k], v)) {
            throw new ToolBoxValueError(`combineAttrs='no_conflicts' but attribute '${k}' of ${what} differs: ${show(out[k])} before object ${i}, ${show(v)} in object ${i}`);
          }
          if (!(k in out)) out[k] = v;
        }
      });
      return out;
    }
    case 'drop_conflicts': {
      const out: Attrs = {};
      const dropped = new Set<string>();
      for (const a of list) {
        for (const [k, v] of Object.entries(a)) {
          if (dropped.has(k)) continue;
          if (k in out && !attrValuesEqual(out[k], v)) { delete out[k]; dropped.add(k); continue; }
          if (!(k in out)) out[k] = v;
        }
      }
      return out;
    }
  }
  throw new ToolBoxValueError(`unknown combineAttrs '${String(how)}'; use one of override, drop, identical, no_conflicts, drop_conflicts`);
}
