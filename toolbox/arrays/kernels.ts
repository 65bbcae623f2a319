/**
 * Layout kernels shared by indexing, reshaping and element-wise operations:
 * gathering positions along axes, strided copies (transpose, broadcast) and a
 * row walker for N-operand loops. They work on flat C-order buffers and never
 * allocate per element; contiguous runs are moved with subarray/set.
 */
import type { ArrayData, BigIntArray, TypedData } from './dtype.js';

/** Element strides of a C-order array of this shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** An empty array of the same storage type as `like`. */
export function allocateLike(like: ArrayData, n: number): ArrayData {
  if (Array.isArray(like)) return new Array<string>(n);
  const C = like.constructor as new (n: number) => TypedData;
  return new C(n);
}

/**
 * Positions kept along one axis: the explicit list `idx`, or the arithmetic
 * progression start + k*step (k < n) when idx is null. Progressions are kept
 * symbolic so slicing a 1e9-element axis never materialises 1e9 positions.
 */
export interface AxisTake { n: number; idx: Int32Array | null; start: number; step: number }

export function fullAxis(n: number): AxisTake { return { n, idx: null, start: 0, step: 1 }; }

function isFull(t: AxisTake, size: number): boolean {
  return t.idx === null && t.step === 1 && t.start === 0 && t.n === size;
}

/** Below this length a plain loop beats creating a subarray view for set(). */
const SET_MIN = 32;

// Element copies between buffers of one storage kind, whichever it is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any[];

/** Copy `len` elements from src[s] to out[o] (same storage kind). */
export function copyRun(out: ArrayData, o: number, src: ArrayData, s: number, len: number): void {
  if (len >= SET_MIN && !Array.isArray(src)) {
    (out as TypedData as Float64Array).set((src as Float64Array).subarray(s, s + len), o);
  } else {
    const ou = out as Loose, sr = src as Loose;
    for (let i = 0; i < len; i++) ou[o + i] = sr[s + i];
  }
}

/**
 * Outer (orthogonal) selection: keep `takes[a]` positions along each axis a.
 * When the result is one contiguous block of a typed source, the source
 * buffer is shared (subarray), as numpy basic indexing returns a view.
 */
export function take(src: ArrayData, shape: readonly number[], takes: readonly AxisTake[]): ArrayData {
  const nd = shape.length;
  let k = nd - 1;
  let block = 1;
  while (k >= 0 && isFull(takes[k], shape[k])) { block *= shape[k]; k--; }
  if (k < 0) return src;
  let total = 1;
  for (const t of takes) total *= t.n;
  const strides = stridesOf(shape);
  const tk = takes[k];
  const contiguous = tk.idx === null && tk.step === 1;
  const outerCount = total / (tk.n * block);
  const posAt = (t: AxisTake, j: number) => (t.idx ? t.idx[j] : t.start + j * t.step);

  if (total === 0) return allocateLike(src, 0);
  if (contiguous && !Array.isArray(src)) {
    let single = true;
    for (let a = 0; a < k; a++) if (takes[a].n !== 1) { single = false; break; }
    if (single) {
      let off = tk.start * strides[k];
      for (let a = 0; a < k; a++) off += posAt(takes[a], 0) * strides[a];
      return (src as Float64Array).subarray(off, off + total);
    }
  }

  const out = allocateLike(src, total);
  const ctr = new Array<number>(k).fill(0);
  const sk = strides[k];
  const idx = tk.idx;
  let o = 0;
  for (let outer = 0; outer < outerCount; outer++) {
    let base = 0;
    for (let a = 0; a < k; a++) base += posAt(takes[a], ctr[a]) * strides[a];
    if (contiguous) {
      const len = tk.n * block;
      copyRun(out, o, src, base + tk.start * sk, len);
      o += len;
    } else if (block === 1) {
      const ou = out as Loose, sr = src as Loose;
      if (idx) {
        for (let j = 0; j < tk.n; j++) ou[o++] = sr[base + idx[j] * sk];
      } else {
        const step = tk.step * sk;
        let s = base + tk.start * sk;
        for (let j = 0; j < tk.n; j++, s += step) ou[o++] = sr[s];
      }
    } else {
      for (let j = 0; j < tk.n; j++) {
        copyRun(out, o, src, base + posAt(tk, j) * sk, block);
        o += block;
      }
    }
    for (let a = k - 1; a >= 0; a--) {
      if (++ctr[a] < takes[a].n) break;
      ctr[a] = 0;
    }
  }
  return out;
}

/**
 * Merge axes a walk can treat as one (every operand's stride composes) and
 * drop length-1 axes. Strides are per operand, per axis.
 */
export function simplifyAxes(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const sh: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let a = 0; a < shape.length; a++) {
    if (shape[a] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && strides.every((s, i) => st[i][last] === s[a] * shape[a])) {
      sh[last] *= shape[a];
      strides.forEach((s, i) => { st[i][last] = s[a]; });
    } else {
      sh.push(shape[a]);
      strides.forEach((s, i) => { st[i].push(s[a]); });
    }
  }
  return { shape: sh, strides: st };
}

/**
 * Walk a C-order iteration over `shape` in 2-D blocks: the last two (merged)
 * axes form an m × n block handed to `block(o, m, n, offsets, outer, inner)`,
 * where offsets[i] is operand i's start offset, inner[i] its stride along a
 * row and outer[i] its stride between rows; `o` is the output offset (the
 * output is C-order and contiguous). Kernels loop over whole blocks, so even
 * short rows (shape [5e6, 2]) cost one call per block, not per row, and
 * same-layout operands collapse to a single call.
 */
export function walkBlocks(
  shape: readonly number[], strides: readonly (readonly number[])[],
  block: (o: number, m: number, n: number, offsets: number[], outer: number[], inner: number[]) => void,
): void {
  const total = product(shape);
  if (total === 0) return;
  const simp = simplifyAxes(shape, strides);
  const nops = strides.length;
  const offsets = new Array<number>(nops).fill(0);
  const nd = simp.shape.length;
  const zeros = new Array<number>(nops).fill(0);
  if (nd === 0) { block(0, 1, 1, offsets, zeros, zeros); return; }
  const n = simp.shape[nd - 1];
  const inner = simp.strides.map((s) => s[nd - 1]);
  if (nd === 1) { block(0, 1, n, offsets, zeros, inner); return; }
  const m = simp.shape[nd - 2];
  const outer = simp.strides.map((s) => s[nd - 2]);
  const ctr = new Array<number>(Math.max(0, nd - 2)).fill(0);
  const size = m * n;
  for (let o = 0; o < total; o += size) {
    block(o, m, n, offsets, outer, inner);
    for (let a = nd - 3; a >= 0; a--) {
      for (let i = 0; i < nops; i++) offsets[i] += simp.strides[i][a];
      if (++ctr[a] < simp.shape[a]) break;
      for (let i = 0; i < nops; i++) offsets[i] -= simp.strides[i][a] * simp.shape[a];
      ctr[a] = 0;
    }
  }
}

/**
 * Copy `src` into a new C-order array of `outShape`, reading element
 * (i0, i1, ...) at sum(i_a * strides[a]). Covers transposition (permuted
 * strides) and broadcasting (stride 0).
 */
export function stridedCopy(src: ArrayData, outShape: readonly number[], strides: readonly number[]): ArrayData {
  const out = allocateLike(src, product(outShape));
  const ou = out as Loose, sr = src as Loose;
  walkBlocks(outShape, [strides], (o, m, n, offsets, outer, inner) => {
    const step = inner[0], rowStep = outer[0];
    let s = offsets[0];
    if (n >= SET_MIN && step === 1) {
      for (let i = 0; i < m; i++, s += rowStep, o += n) copyRun(out, o, src, s, n);
    } else if (n >= SET_MIN && step === 0 && !Array.isArray(out)) {
      for (let i = 0; i < m; i++, s += rowStep, o += n) (out as Float64Array).fill(sr[s], o, o + n);
    } else {
      for (let i = 0; i < m; i++, s += rowStep) {
        for (let j = 0, p = s; j < n; j++, p += step) ou[o++] = sr[p];
      }
    }
  });
  return out;
}

/** Tile edge for blocked 2-D transposes (keeps both sides in cache). */
const TILE = 64;

/** Reorder axes: result axis i is source axis perm[i]. Identity orders share the buffer. */
export function transposeData(src: ArrayData, shape: readonly number[], perm: readonly number[]): ArrayData {
  const kept = perm.filter((p) => shape[p] !== 1);
  if (kept.every((p, i) => i === 0 || kept[i - 1] < p)) return src;
  const st = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  if (perm.length === 2 && !Array.isArray(src)) return transpose2d(src, shape[0], shape[1]);
  return stridedCopy(src, outShape, perm.map((p) => st[p]));
}

function transpose2d(src: TypedData, rows: number, cols: number): ArrayData {
  const out = allocateLike(src, rows * cols) as Loose;
  const s = src as unknown as Loose;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        let o = c * rows + r0;
        for (let r = r0; r < r1; r++) out[o++] = s[r * cols + c];
      }
    }
  }
  return out as unknown as ArrayData;
}

/**
 * Strides to read an array with dims `dims`/`shape` as if it had `outDims`
 * (each of its dims must be in outDims with equal size; missing ones read 0).
 */
export function broadcastStrides(dims: readonly string[], shape: readonly number[], outDims: readonly string[]): number[] {
  const st = stridesOf(shape);
  return outDims.map((d) => {
    const a = dims.indexOf(d);
    return a < 0 || shape[a] === 1 ? 0 : st[a];
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * int64/uint64 values as doubles (rounded to nearest, like Number(bigint)),
 * read as two 32-bit halves: hi * 2^32 is exact, so the one addition is the
 * only rounding. About 4x faster than Number() per element.
 */
export function bigintsToFloat64(src: BigIntArray): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[i] = Number(src[i]);
    return out;
  }
  const lo = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
  if (src instanceof BigInt64Array) {
    const hi = new Int32Array(src.buffer, src.byteOffset, 2 * n);
    for (let i = 0, k = 0; i < n; i++, k += 2) out[i] = hi[k + 1] * 4294967296 + lo[k];
  } else {
    for (let i = 0, k = 0; i < n; i++, k += 2) out[i] = lo[k + 1] * 4294967296 + lo[k];
  }
  return out;
}
