/**
 * Strided block kernels for element-wise operations. Each kernel handles an
 * m × n block of an N-d walk (kernels.walkBlocks): for row i and column j,
 * out[o++] = a[ia + i*ta + j*sa] op b[ib + i*tb + j*sb]. One monomorphic
 * function per operation and number domain (float, wrapping integer, BigInt)
 * keeps the hot loops free of switches and callbacks.
 *
 * Integer semantics follow numpy: results wrap modulo 2^bits (typed-array
 * stores do this for us), and integer division or modulo by zero gives 0
 * (numpy also warns; we stay silent).
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type DType, floatResultType, isBigInt, isFloat, promoteTypes } from './dtype.js';

// A kernel indexes number and bigint typed arrays alike; a union type would not
// allow the arithmetic, and the loops are hot, so they stay untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Buf = any;
export type Kernel = (out: Buf, o: number, a: Buf, ia: number, sa: number, ta: number, b: Buf, ib: number, sb: number, tb: number, m: number, n: number) => void;

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'mod' | 'pow';
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type LogicalOp = 'and' | 'or' | 'xor';

// --- float (and exact small-integer) kernels -------------------------------

const add: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] + b[pb];
};
const sub: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] - b[pb];
};
const mul: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] * b[pb];
};
const div: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] / b[pb];
};
const powF: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] ** b[pb];
};

/** Python/numpy float modulo: the result takes the divisor's sign. */
function fmodPy(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}
const modF: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = fmodPy(a[pa], b[pb]);
};

/** CPython's float floor division (via divmod), so 1 // 0.1 is 9 as in numpy, not floor(10). */
function floordivPy(x: number, y: number): number {
  if (y === 0) return x / y;
  const mod = x % y;
  let d = (x - mod) / y;
  // CPython also moves mod by y here; only the quotient is needed.
  if (mod !== 0 && (y < 0) !== (mod < 0)) d -= 1;
  if (d === 0) return 0 * (x / y);
  const f = Math.floor(d);
  return d - f > 0.5 ? f + 1 : f;
}
const floordivF: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = floordivPy(a[pa], b[pb]);
};

// --- integer kernels up to 32 bits (values exact in doubles) ---------------

const imul: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = Math.imul(a[pa], b[pb]);
};
function floordivInt(x: number, y: number): number {
  return y === 0 ? 0 : Math.floor(x / y);
}
function modInt(x: number, y: number): number {
  if (y === 0) return 0;
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}
const floordivI: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = floordivInt(a[pa], b[pb]);
};
const modI: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = modInt(a[pa], b[pb]);
};
function ipow(x: number, e: number): number {
  let r = 1;
  while (e > 0) {
    if (e % 2 === 1) r = Math.imul(r, x);
    x = Math.imul(x, x);
    e = Math.floor(e / 2);
  }
  return r;
}
const powI: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = ipow(a[pa], b[pb]);
};

// --- BigInt kernels (int64/uint64: exact, wrapping on store) ---------------

// Separate literals from the float kernels: V8 compiles BigInt64 loops well only when they never see doubles.
const addB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] + b[pb];
};
const subB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] - b[pb];
};
const mulB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] * b[pb];
};
function floordivBig(x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  const q = x / y;
  return x % y !== 0n && (x < 0n) !== (y < 0n) ? q - 1n : q;
}
function modBig(x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  const r = x % y;
  return r !== 0n && (r < 0n) !== (y < 0n) ? r + y : r;
}
const floordivB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = floordivBig(a[pa], b[pb]);
};
const modB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = modBig(a[pa], b[pb]);
};
function bpow(x: bigint, e: bigint, wrap: (v: bigint) => bigint): bigint {
  let r = 1n;
  while (e > 0n) {
    if (e & 1n) r = wrap(r * x);
    x = wrap(x * x);
    e >>= 1n;
  }
  return r;
}
const wrapI64 = (v: bigint) => BigInt.asIntN(64, v);
const wrapU64 = (v: bigint) => BigInt.asUintN(64, v);
const powI64: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = bpow(a[pa], b[pb], wrapI64);
};
const powU64: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = bpow(a[pa], b[pb], wrapU64);
};

// --- comparisons and bitwise/logical ---------------------------------------
// Loose (==) equality compares bigint with number exactly; NaN stays unequal.

/* eslint-disable eqeqeq */
const eq: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] == b[pb] ? 1 : 0;
};
const ne: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] != b[pb] ? 1 : 0;
};
/* eslint-enable eqeqeq */
const lt: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] < b[pb] ? 1 : 0;
};
const le: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] <= b[pb] ? 1 : 0;
};
const gt: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] > b[pb] ? 1 : 0;
};
const ge: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] >= b[pb] ? 1 : 0;
};

// The same comparisons for operands holding bigints, kept apart so each stays monomorphic.
/* eslint-disable eqeqeq */
const eqB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] == b[pb] ? 1 : 0;
};
const neB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] != b[pb] ? 1 : 0;
};
const ltB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] < b[pb] ? 1 : 0;
};
const leB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] <= b[pb] ? 1 : 0;
};
const gtB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] > b[pb] ? 1 : 0;
};
const geB: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] >= b[pb] ? 1 : 0;
};
/* eslint-enable eqeqeq */

const and: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] & b[pb];
};
const or: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] | b[pb];
};
const xor: Kernel = (out, o, a, ia, sa, ta, b, ib, sb, tb, m, n) => {
  for (let i = 0; i < m; i++, ia += ta, ib += tb) for (let j = 0, pa = ia, pb = ib; j < n; j++, pa += sa, pb += sb) out[o++] = a[pa] ^ b[pb];
};

/** `where`: out = cond ? x : y over an m × n block (strides s inner, t outer per operand). */
export type Kernel3 = (out: Buf, o: number, c: Buf, ic: number, sc: number, tc: number, x: Buf, ix: number, sx: number, tx: number,
  y: Buf, iy: number, sy: number, ty: number, m: number, n: number) => void;
export const select: Kernel3 = (out, o, c, ic, sc, tc, x, ix, sx, tx, y, iy, sy, ty, m, n) => {
  for (let i = 0; i < m; i++, ic += tc, ix += tx, iy += ty) {
    for (let j = 0, pc = ic, px = ix, py = iy; j < n; j++, pc += sc, px += sx, py += sy) out[o++] = c[pc] ? x[px] : y[py];
  }
};

// ---------------------------------------------------------------------------

/**
 * numpy's result dtype for an arithmetic operation on two (already
 * promoted-for-scalars) dtypes: true division is always float; numpy's
 * special bool/bool rules (+ is or, * is and, - is an error) are kept.
 */
export function binaryResultType(op: BinaryOp, a: DType, b: DType): DType {
  if (a === 'string' || b === 'string') throw new ToolBoxTypeError(`'${op}' is not defined for strings (dtypes ${a} and ${b})`);
  if (a === 'bool' && b === 'bool') {
    if (op === 'add' || op === 'mul') return 'bool';
    if (op === 'sub') throw new ToolBoxTypeError("'sub' is not defined for two bool operands (numpy forbids boolean subtract); use xor");
    if (op === 'div') return 'float64';
    return 'int8';
  }
  const r = promoteTypes(a, b);
  if (op === 'div') return floatResultType(r);
  return r;
}

/** Kernel computing `op` into an array of dtype `r` (operands already in r's number domain). */
export function binaryKernel(op: BinaryOp, r: DType): Kernel {
  if (r === 'bool') return op === 'add' ? or : and;
  if (isBigInt(r)) {
    switch (op) {
      case 'add': return addB;
      case 'sub': return subB;
      case 'mul': return mulB;
      case 'floordiv': return floordivB;
      case 'mod': return modB;
      case 'pow': return r === 'int64' ? powI64 : powU64;
      case 'div': break;
    }
    throw new ToolBoxValueError(`no BigInt kernel for '${op}'`);
  }
  if (isFloat(r)) {
    switch (op) {
      case 'add': return add;
      case 'sub': return sub;
      case 'mul': return mul;
      case 'div': return div;
      case 'floordiv': return floordivF;
      case 'mod': return modF;
      case 'pow': return powF;
    }
  }
  switch (op) {
    case 'add': return add;
    case 'sub': return sub;
    // 32-bit products can exceed 2^53; imul keeps the low bits exact.
    case 'mul': return r === 'int32' || r === 'uint32' ? imul : mul;
    case 'floordiv': return floordivI;
    case 'mod': return modI;
    case 'pow': return powI;
    case 'div': return div;
  }
}

export function compareKernel(op: CompareOp, bigints = false): Kernel {
  return bigints ? { eq: eqB, ne: neB, lt: ltB, le: leB, gt: gtB, ge: geB }[op] : { eq, ne, lt, le, gt, ge }[op];
}

export function logicalKernel(op: LogicalOp): Kernel {
  return { and, or, xor }[op];
}
