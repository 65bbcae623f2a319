/**
 * Element-wise arithmetic, comparisons and logic with xarray semantics:
 * operands are aligned on their index coordinates (inner join) when labels
 * differ, broadcast by dimension name (dims of a, then new dims of b), and
 * the result dtype follows numpy with NEP 50 "weak" Python scalars: a JS
 * number adopts the array's dtype when it can (float32 * 2.5 stays float32,
 * int16 + 1 stays int16) and only a fractional number turns ints into
 * float64. int64/uint64 data is computed in BigInt, so it stays exact.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import {
  type ArrayData, type BigIntArray, type DType, allocate, castData, isBigInt, isFloat, isInt, promoteTypes,
} from './dtype.js';
import { DataArray, type Operand } from './dataarray.js';
import { Dataset } from './dataset.js';
import { type Join, align } from './align.js';
import { bigintsToFloat64, broadcastStrides, product, walkBlocks } from './kernels.js';
import { indexCoordOf, isIndexCoord, sameData, sameVariable } from './common.js';
import {
  type BinaryOp, type CompareOp, type Kernel, type LogicalOp, binaryKernel, binaryResultType, compareKernel, logicalKernel,
} from './elementwise.js';
import { roundData, unaryData, unaryResultType } from './unary.js';

export type { BinaryOp, CompareOp, LogicalOp };
export type UnaryOp = 'not' | 'neg' | 'abs' | 'sqrt' | 'exp' | 'log' | 'log10';
type Num = number | bigint | boolean;

// ---------------------------------------------------------------------------
// alignment, broadcasting and coordinates (also used by missing.ts)

interface Labeled { coords: Readonly<Record<string, DataArray>>; dimNames: readonly string[] }
const labeled = (x: DataArray | Dataset): Labeled =>
  x instanceof DataArray ? { coords: x.coords, dimNames: x.dims } : { coords: x.coords, dimNames: Object.keys(x.sizes) };

/** The first shared dimension whose index labels differ between two objects, if any. */
function misalignedDim(x: Labeled, y: Labeled): string | undefined {
  for (const d of x.dimNames) {
    if (!y.dimNames.includes(d)) continue;
    const cx = indexCoordOf(x.coords, d), cy = indexCoordOf(y.coords, d);
    if (cx && cy && !sameData(cx.values, cy.values)) return d;
  }
  return undefined;
}

/**
 * Align operands like xarray's arithmetic (join 'inner'), skipping align()
 * entirely in the common case of identical labels. 'exact' reports the
 * first differing index instead of aligning.
 */
export function alignOperands<T extends DataArray | Dataset>(objs: T[], join: Join): T[] {
  const ls = objs.map(labeled);
  for (let i = 0; i < ls.length; i++) {
    for (let j = i + 1; j < ls.length; j++) {
      const d = misalignedDim(ls[i], ls[j]);
      if (d === undefined) continue;
      if (join === 'exact') {
        throw new ToolBoxValueError(`cannot align operands: index '${d}' has different labels (join='exact'); align or reindex them first`);
      }
      return align(objs, { join });
    }
  }
  return objs;
}

const ORDINAL = ['first', 'second', 'third'];

/** Result dims (in order of first appearance) and sizes; shared dims must agree in size. */
export function broadcastDims(arrays: readonly DataArray[]): { dims: string[]; shape: number[] } {
  const dims: string[] = [], shape: number[] = [];
  const seenIn: number[] = [];
  arrays.forEach((x, k) => x.dims.forEach((d, a) => {
    const i = dims.indexOf(d);
    if (i < 0) { dims.push(d); shape.push(x.shape[a]); seenIn.push(k); return; }
    if (shape[i] !== x.shape[a]) {
      throw new ToolBoxValueError(
        `dimension '${d}' has size ${shape[i]} in the ${ORDINAL[seenIn[i]] ?? 'an'} operand but ${x.shape[a]} in the ${ORDINAL[k] ?? 'another'}; `
        + 'sizes must match (give both index coordinates to align them by label)');
    }
  }));
  return { dims, shape };
}

/** Union of coordinates; a non-index name with different values on two operands is dropped, as xarray does. */
export function mergeCoords(sources: readonly Readonly<Record<string, DataArray>>[]): Record<string, DataArray> {
  const out: Record<string, DataArray> = {};
  const conflicted = new Set<string>();
  for (const coords of sources) {
    for (const [name, c] of Object.entries(coords)) {
      if (conflicted.has(name)) continue;
      const have = out[name];
      if (!have) { out[name] = c; continue; }
      if (isIndexCoord(name, have) || sameVariable(have, c)) continue;
      delete out[name];
      conflicted.add(name);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// scalars and number domains

export function checkScalar(v: unknown, what: string): asserts v is Num {
  if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean') {
    throw new ToolBoxTypeError(`${what}: operand must be a DataArray, number, bigint or boolean, got ${typeof v}`);
  }
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n], int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 2n ** 8n - 1n], uint16: [0n, 2n ** 16n - 1n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/**
 * The dtype a scalar takes next to an array of dtype `d` (NEP 50): booleans
 * and integers adopt the array's kind, fractional numbers need a float.
 * An integer that does not fit the array's integer dtype is an error, as in
 * numpy 2, rather than a silent wrap.
 */
export function weakScalarType(d: DType, v: Num): DType {
  if (d === 'string') throw new ToolBoxTypeError(`cannot combine a string array with the ${typeof v} ${String(v)}`);
  if (typeof v === 'boolean') return d;
  const integral = typeof v === 'bigint' || Number.isInteger(v);
  if (isFloat(d)) return d;
  if (!integral) return 'float64';
  if (d === 'bool') return 'int64';
  const [lo, hi] = INT_RANGE[d];
  if (v < lo || v > hi) {
    throw new ToolBoxValueError(`scalar ${String(v)} is out of range for the array's dtype ${d}; convert the array first (astype)`);
  }
  return d;
}

/** Array data in the number domain of result dtype `r`: BigInt arrays for int64/uint64, numbers otherwise. */
export function inDomain(data: ArrayData, d: DType, r: DType): ArrayData {
  if (isBigInt(r)) return d === r ? data : castData(data, r);
  return isBigInt(d) ? bigintsToFloat64(data as BigIntArray) : data;
}

export function scalarInDomain(v: Num, r: DType): ArrayData {
  if (r === 'int64') return BigInt64Array.of(BigInt(v));
  if (r === 'uint64') return BigUint64Array.of(BigInt(v));
  return Float64Array.of(Number(v));
}

const ZEROS = (n: number) => new Array<number>(n).fill(0);

function run(k: Kernel, r: DType, shape: number[], A: ArrayData, sa: number[], B: ArrayData, sb: number[]): ArrayData {
  const out = allocate(r, product(shape));
  walkBlocks(shape, [sa, sb], (o, m, n, off, t, s) => k(out, o, A, off[0], s[0], t[0], B, off[1], s[1], t[1], m, n));
  return out;
}

interface Layout {
  a: DataArray; b: DataArray | null; dims: string[]; shape: number[]; sa: number[]; sb: number[];
  coords: Record<string, DataArray>; name: string | null;
}

/** Aligned, broadcast layout of a ⊕ b (b an array) or of a alone (b a scalar). */
function layout(a: DataArray, b: DataArray | null): Layout {
  if (!b) {
    return { a, b, dims: [...a.dims], shape: [...a.shape], sa: broadcastStrides(a.dims, a.shape, a.dims), sb: ZEROS(a.ndim), coords: { ...a.coords }, name: a.name };
  }
  [a, b] = alignOperands([a, b], 'inner');
  const { dims, shape } = broadcastDims([a, b]);
  return {
    a, b, dims, shape,
    sa: broadcastStrides(a.dims, a.shape, dims), sb: broadcastStrides(b.dims, b.shape, dims),
    coords: mergeCoords([a.coords, b.coords]), name: a.name === b.name ? a.name : null,
  };
}

function checkExponent(b: DataArray | Num, r: DType): void {
  if (!isInt(r)) return;
  let negative: boolean;
  if (b instanceof DataArray) {
    negative = false;
    if (isInt(b.dtype) && !b.dtype.startsWith('u')) {
      const v = b.values as ArrayLike<number | bigint>;
      for (let i = 0; i < v.length; i++) if (v[i] < 0) { negative = true; break; }
    }
  } else {
    negative = (b as number | bigint) < 0;
  }
  if (negative) throw new ToolBoxValueError('integers to negative integer powers are not allowed; convert to float first (astype)');
}

// ---------------------------------------------------------------------------
// public API

export function binary(a: DataArray, b: Operand, op: BinaryOp): DataArray {
  const arr = b instanceof DataArray ? b : null;
  if (!arr) checkScalar(b, op);
  const L = layout(a, arr);
  let r: DType;
  if (L.b) {
    r = binaryResultType(op, L.a.dtype, L.b.dtype);
  } else {
    const w = weakScalarType(a.dtype, b as Num);
    r = binaryResultType(op, w, w);
  }
  if (op === 'pow') checkExponent(L.b ?? (b as Num), r);
  const A = inDomain(L.a.values, L.a.dtype, r);
  const B = L.b ? inDomain(L.b.values, L.b.dtype, r) : scalarInDomain(b as Num, r);
  const values = run(binaryKernel(op, r), r, L.shape, A, L.sa, B, L.sb);
  return DataArray.fromParts({ values, dims: L.dims, shape: L.shape, dtype: r, coords: L.coords, name: L.name });
}

export function compare(a: DataArray, b: Operand | string, op: CompareOp): DataArray {
  const arr = b instanceof DataArray ? b : null;
  if (!arr && typeof b !== 'string') checkScalar(b, op);
  const L = layout(a, arr);
  const strA = L.a.dtype === 'string';
  const strB = L.b ? L.b.dtype === 'string' : typeof b === 'string';
  const n = product(L.shape);
  let values: Uint8Array;
  if (strA !== strB) {
    // numpy 2: == between strings and numbers is simply false everywhere.
    if (op !== 'eq' && op !== 'ne') {
      throw new ToolBoxTypeError(`'${op}' cannot compare ${strA ? 'strings' : L.a.dtype} with ${strB ? 'strings' : (L.b?.dtype ?? typeof b)}`);
    }
    values = new Uint8Array(n).fill(op === 'ne' ? 1 : 0);
  } else {
    const B: ArrayData = L.b ? L.b.values : typeof b === 'boolean' ? Float64Array.of(b ? 1 : 0) : ([b] as string[]);
    const big = isBigInt(L.a.dtype) || (L.b ? isBigInt(L.b.dtype) : typeof b === 'bigint');
    values = run(compareKernel(op, big), 'bool', L.shape, L.a.values, L.sa, B, L.sb) as Uint8Array;
  }
  return DataArray.fromParts({ values, dims: L.dims, shape: L.shape, dtype: 'bool', coords: L.coords, name: L.name });
}

export function logical(a: DataArray, b: Operand, op: LogicalOp): DataArray {
  const arr = b instanceof DataArray ? b : null;
  if (!arr) checkScalar(b, op);
  const L = layout(a, arr);
  const bd = L.b ? L.b.dtype : null;
  for (const d of [L.a.dtype, bd]) {
    if (d !== null && !(d === 'bool' || isInt(d))) {
      throw new ToolBoxTypeError(`'${op}' needs bool or integer operands, got dtype ${d}`);
    }
  }
  if (!L.b && typeof b === 'number' && !Number.isInteger(b)) throw new ToolBoxTypeError(`'${op}' needs a bool or integer operand, got ${b}`);
  const r: DType = bd !== null ? promoteTypes(L.a.dtype, bd) : weakScalarType(L.a.dtype, b as Num);
  const A = inDomain(L.a.values, L.a.dtype, r);
  const B = L.b ? inDomain(L.b.values, L.b.dtype, r) : r === 'bool' ? Uint8Array.of(b ? 1 : 0) : scalarInDomain(b as Num, r);
  const values = run(logicalKernel(op), r, L.shape, A, L.sa, B, L.sb);
  return DataArray.fromParts({ values, dims: L.dims, shape: L.shape, dtype: r, coords: L.coords, name: L.name });
}

/** Unary operations keep coords, name and attrs, as xarray's do. */
export function unary(a: DataArray, op: UnaryOp): DataArray {
  const r = unaryResultType(op, a.dtype);
  return a.with({ values: unaryData(op, a.values, a.dtype, r), dtype: r });
}

/** numpy's round: half to even, at `decimals` places (negative: tens, hundreds, ...). */
export function round(a: DataArray, decimals: number): DataArray {
  if (!Number.isInteger(decimals)) throw new ToolBoxValueError(`round: decimals must be an integer, got ${decimals}`);
  if (a.dtype === 'string') throw new ToolBoxTypeError('round is not defined for strings');
  return a.with({ values: roundData(a.values, a.dtype, decimals), dtype: a.dtype });
}

export function mapValues(a: DataArray, fn: (v: number) => number): DataArray {
  if (a.dtype === 'string') throw new ToolBoxTypeError('map needs numeric data, got strings');
  const src = (isBigInt(a.dtype) ? bigintsToFloat64(a.values as BigIntArray) : a.values) as ArrayLike<number>;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]);
  return a.with({ values: out, dtype: 'float64' });
}

/**
 * Dataset arithmetic: per data variable; Dataset ⊕ Dataset keeps the
 * variables both have (inner join on names). Alignment is done once for the
 * whole Dataset, then variables are combined bare and coords merged once.
 */
export function binaryDataset(a: Dataset, b: Operand | Dataset, op: BinaryOp): Dataset {
  const bare = (v: DataArray) => (Object.keys(v.coords).length ? v.with({ coords: {} }) : v);
  const vars = new Map<string, DataArray>();
  if (b instanceof Dataset || b instanceof DataArray) {
    const [x, y] = alignOperands<Dataset | DataArray>([a, b], 'inner') as [Dataset, Dataset | DataArray];
    if (y instanceof Dataset) {
      const theirs = new Set(y.dataVars);
      const names = x.dataVars.filter((n) => theirs.has(n));
      for (const n of names) vars.set(n, binary(x.variable(n), y.variable(n), op));
    } else {
      const other = bare(y);
      for (const n of x.dataVars) vars.set(n, binary(x.variable(n), other, op));
    }
    return Dataset.fromParts(vars, mergeCoords([x.coords, y.coords]));
  }
  checkScalar(b, op);
  for (const n of a.dataVars) vars.set(n, binary(a.variable(n), b, op));
  return Dataset.fromParts(vars, a.coords, a.attrs);
}

