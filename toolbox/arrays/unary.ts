/**
 * Unary element-wise operations and numpy-compatible rounding on flat
 * buffers. Kept apart from arithmetic.ts so each file reads in one sitting.
 */
import { ToolBoxTypeError } from '../errors.js';
import { type ArrayData, type BigIntArray, type DType, allocate, isBigInt, isFloat, itemSize } from './dtype.js';
import { bigintsToFloat64 } from './kernels.js';
import type { UnaryOp } from './arithmetic.js';

/**
 * numpy's output dtype: floats stay, `not` is bitwise on integers, and the
 * transcendental functions give the smallest float holding the input
 * (numpy's float16 for 8-bit input does not exist here, so float32).
 */
export function unaryResultType(op: UnaryOp, d: DType): DType {
  if (d === 'string') throw new ToolBoxTypeError(`'${op}' is not defined for strings`);
  switch (op) {
    case 'not':
      if (isFloat(d)) throw new ToolBoxTypeError(`'not' needs bool or integer data, got ${d}`);
      return d;
    case 'neg':
      if (d === 'bool') throw new ToolBoxTypeError("'neg' is not defined for bool data (numpy forbids it); use not()");
      return d;
    case 'abs':
      return d;
    default:
      if (isFloat(d)) return d;
      return d === 'bool' || itemSize(d) <= 2 ? 'float32' : 'float64';
  }
}

// Number and bigint buffers go through the same loops (see elementwise.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Buf = any;

export function unaryData(op: UnaryOp, values: ArrayData, d: DType, r: DType): ArrayData {
  const n = values.length;
  const out = allocate(r, n) as Buf;
  const v = values as Buf;
  switch (op) {
    case 'not':
      if (d === 'bool') for (let i = 0; i < n; i++) out[i] = v[i] ^ 1;
      else for (let i = 0; i < n; i++) out[i] = ~v[i];
      return out;
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -v[i];
      return out;
    case 'abs':
      if (isBigInt(d)) for (let i = 0; i < n; i++) { const x: bigint = v[i]; out[i] = x < 0n ? -x : x; }
      else for (let i = 0; i < n; i++) out[i] = Math.abs(v[i]);
      return out;
    default: {
      const src = (isBigInt(d) ? bigintsToFloat64(values as BigIntArray) : values) as Buf;
      const f = op === 'sqrt' ? Math.sqrt : op === 'exp' ? Math.exp : op === 'log' ? Math.log : Math.log10;
      for (let i = 0; i < n; i++) out[i] = f(src[i]);
      return out;
    }
  }
}

/** Round half to even (numpy's rint). */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function roundData(values: ArrayData, d: DType, decimals: number): ArrayData {
  if (d === 'bool' || (!isFloat(d) && decimals >= 0)) return values;
  const n = values.length;
  const v = values as Buf;
  const out = allocate(d, n) as Buf;
  if (isBigInt(d)) {
    const F = 10n ** BigInt(-decimals);
    for (let i = 0; i < n; i++) {
      const x: bigint = v[i];
      let q = x / F;
      const rem = x % F;
      const twice = 2n * (rem < 0n ? -rem : rem);
      if (twice > F || (twice === F && q % 2n !== 0n)) q += x < 0n ? -1n : 1n;
      out[i] = q * F;
    }
    return out;
  }
  // Same operation order as numpy (scale, rint, unscale) so results match bit for bit;
  // float32 data rounds at each step like numpy's float32 loops.
  const f32 = d === 'float32';
  const scale = 10 ** Math.abs(decimals);
  const f = f32 ? Math.fround(scale) : scale;
  if (decimals >= 0) {
    if (f32) for (let i = 0; i < n; i++) out[i] = Math.fround(rint(Math.fround(v[i] * f)) / f);
    else for (let i = 0; i < n; i++) out[i] = rint(v[i] * f) / f;
  } else if (f32) {
    for (let i = 0; i < n; i++) out[i] = Math.fround(rint(Math.fround(v[i] / f)) * f);
  } else {
    for (let i = 0; i < n; i++) out[i] = rint(v[i] / f) * f;
  }
  return out;
}
