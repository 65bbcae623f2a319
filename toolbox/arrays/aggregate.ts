/**
 * One aggregation (sum, mean, std, ...) of one array into output slots, with
 * numpy/xarray result dtypes and NaN rules. How input elements map to slots
 * is the caller's business: it passes `feed`, which pushes the whole input
 * through an accumulator once (reduce.ts walks dimension blocks, groupby.ts
 * scatters by group code). std/var call `feed` twice (mean, then deviations).
 */
import { ToolBoxTypeError } from '../errors.js';
import {
  type ArrayData, type BigIntArray, type DType, type NumberArray,
  allocate, castData, dtypeWithNaN, floatResultType, isBigInt, isFloat, itemSize,
} from './dtype.js';
import { type Accumulator, AnyAllAcc, CountAcc, MinMaxAcc, ProdAcc, SqDevAcc, SumAcc } from './accumulators.js';
import { MinMax64Acc, ProdBigAcc, StrMinMaxAcc, Sum64Acc } from './accumulators-exact.js';
import { bigintsToFloat64 } from './kernels.js';

export type AggOp = 'sum' | 'mean' | 'std' | 'var' | 'min' | 'max' | 'count' | 'prod' | 'any' | 'all';

export interface AggOptions {
  skipna?: boolean;
  ddof?: number;
  minCount?: number;
}

export interface AggInput {
  values: ArrayData;
  dtype: DType;
  nSlots: number;
  /** Input elements per slot: one number for all, or per slot. */
  sizes: number | Float64Array;
  /** Most input elements any slot receives (bounds exact integer summation). */
  maxPerSlot: number;
  feed: (acc: Accumulator) => void;
}

export interface AggResult { values: ArrayData; dtype: DType }

/** Ops that only make sense on numbers (xarray's numeric_only reductions). */
export const NUMERIC_ONLY = new Set(['sum', 'mean', 'std', 'var', 'median', 'prod']);

/** numpy's accumulator dtype for sum/prod: small ints widen to 64 bits, floats stay. */
export function sumDType(d: DType): DType {
  if (isFloat(d)) return d;
  return d.startsWith('uint') ? 'uint64' : 'int64';
}

export function checkOpDType(op: string, dtype: DType, what: string): void {
  if (dtype !== 'string') return;
  if (op === 'count' || op === 'min' || op === 'max' || op === 'argmin' || op === 'argmax') return;
  throw new ToolBoxTypeError(`cannot compute ${op} of ${what}: it holds strings (dtype string)`);
}

export function aggregate(op: AggOp, input: AggInput, opts: AggOptions, what: string): AggResult {
  const { values, dtype, nSlots } = input;
  checkOpDType(op, dtype, what);
  const float = isFloat(dtype);
  const skip = opts.skipna ?? float;
  const skipNaN = skip && float;
  const size = (s: number) => (typeof input.sizes === 'number' ? input.sizes : input.sizes[s]);

  switch (op) {
    case 'count': {
      const out = new BigInt64Array(nSlots);
      if (float) {
        const acc = new CountAcc(values as NumberArray, nSlots);
        input.feed(acc);
        for (let s = 0; s < nSlots; s++) out[s] = BigInt(acc.count[s]);
      } else {
        for (let s = 0; s < nSlots; s++) out[s] = BigInt(size(s));
      }
      return { values: out, dtype: 'int64' };
    }
    case 'any': case 'all': {
      const x = isBigInt(dtype) ? bigintsToFloat64(values as BigIntArray) : (values as NumberArray);
      const acc = new AnyAllAcc(x, nSlots, op === 'all');
      input.feed(acc);
      return { values: acc.flags, dtype: 'bool' };
    }
    case 'sum': case 'prod': {
      const res = op === 'sum' ? sum(input, skipNaN) : prod(input, skipNaN);
      const minCount = opts.minCount ?? 0;
      if (!skip || minCount <= 0) return res;
      let counts: Float64Array | null = null;
      if (skipNaN) {
        const acc = new CountAcc(values as NumberArray, nSlots);
        input.feed(acc);
        counts = acc.count;
      }
      const short: number[] = [];
      for (let s = 0; s < nSlots; s++) if ((counts ? counts[s] : size(s)) < minCount) short.push(s);
      return short.length ? fillNaN(res, short) : res;
    }
    case 'mean': case 'var': case 'std': {
      const x = isBigInt(dtype) ? bigintsToFloat64(values as BigIntArray) : (values as NumberArray);
      const acc = new SumAcc(x, nSlots, skipNaN, true);
      input.feed(acc);
      const n = acc.count ?? Float64Array.from({ length: nSlots }, (_, s) => size(s));
      const mean = acc.sum;
      for (let s = 0; s < nSlots; s++) mean[s] /= n[s];
      let out = mean;
      if (op !== 'mean') {
        const dev = new SqDevAcc(x, mean, skipNaN);
        input.feed(dev);
        out = dev.ssd;
        const ddof = opts.ddof ?? 0;
        for (let s = 0; s < nSlots; s++) {
          // numpy's nanvar gives NaN when n <= ddof; plain var divides by max(n - ddof, 0).
          const dof = n[s] - ddof;
          let v = skip && dof <= 0 ? NaN : out[s] / Math.max(dof, 0);
          if (op === 'std') v = Math.sqrt(v);
          out[s] = v;
        }
      }
      return { values: dtype === 'float32' ? Float32Array.from(out) : out, dtype: floatResultType(dtype) };
    }
    case 'min': case 'max':
      return minMax(input, op === 'max', skipNaN);
  }
}

function sum(input: AggInput, skipNaN: boolean): AggResult {
  const { values, dtype, nSlots } = input;
  const outType = sumDType(dtype);
  if (isFloat(dtype)) {
    const acc = new SumAcc(values as NumberArray, nSlots, skipNaN, false);
    input.feed(acc);
    return { values: dtype === 'float32' ? Float32Array.from(acc.sum) : acc.sum, dtype };
  }
  // float64 sums of small integers are exact below 2^53; beyond that count words.
  const bits = dtype === 'bool' ? 1 : itemSize(dtype) * 8;
  if (!isBigInt(dtype) && input.maxPerSlot * 2 ** bits <= 2 ** 53) {
    const acc = new SumAcc(values as NumberArray, nSlots, false, false);
    input.feed(acc);
    const out = allocate(outType, nSlots) as BigIntArray;
    for (let s = 0; s < nSlots; s++) out[s] = BigInt(acc.sum[s]);
    return { values: out, dtype: outType };
  }
  const acc = new Sum64Acc(values as NumberArray | BigIntArray, nSlots);
  input.feed(acc);
  return { values: acc.result(outType === 'uint64'), dtype: outType };
}

function prod(input: AggInput, skipNaN: boolean): AggResult {
  const { values, dtype, nSlots } = input;
  if (isFloat(dtype)) {
    const acc = new ProdAcc(values as NumberArray, nSlots, skipNaN);
    input.feed(acc);
    return { values: dtype === 'float32' ? Float32Array.from(acc.prod) : acc.prod, dtype };
  }
  const outType = sumDType(dtype);
  const acc = new ProdBigAcc(values as NumberArray | BigIntArray, nSlots, outType === 'uint64');
  input.feed(acc);
  const out = allocate(outType, nSlots) as BigIntArray;
  for (let s = 0; s < nSlots; s++) out[s] = acc.prod[s];
  return { values: out, dtype: outType };
}

function minMax(input: AggInput, isMax: boolean, skipNaN: boolean): AggResult {
  const { values, dtype, nSlots } = input;
  if (dtype === 'string') {
    const acc = new StrMinMaxAcc(values as string[], nSlots, isMax);
    input.feed(acc);
    return { values: acc.acc, dtype };
  }
  if (isBigInt(dtype)) {
    const acc = new MinMax64Acc(values as BigIntArray, nSlots, isMax);
    input.feed(acc);
    return { values: acc.result(), dtype };
  }
  const acc = new MinMaxAcc(values as NumberArray, nSlots, isMax ? -1 : 1, skipNaN);
  input.feed(acc);
  const res = acc.result();
  if (dtype === 'float64') return { values: res, dtype };
  const out = allocate(dtype, nSlots) as NumberArray;
  out.set(res);
  return { values: out, dtype };
}

/** Set some slots to NaN, promoting the dtype the way xarray does when it must. */
export function fillNaN(res: AggResult, slots: ArrayLike<number>): AggResult {
  const dtype = dtypeWithNaN(res.dtype);
  if (dtype === 'string') {
    const out = (res.values as string[]).slice();
    for (let i = 0; i < slots.length; i++) out[slots[i]] = 'nan';
    return { values: out, dtype };
  }
  const out = (dtype === res.dtype ? res.values : castData(res.values, dtype)) as NumberArray;
  for (let i = 0; i < slots.length; i++) out[slots[i]] = NaN;
  return { values: out, dtype };
}
