/**
 * The per-frame work of the integrator: sparse (CSR) dot products of a frame
 * with a matrix whose statically invalid pixels are already removed, and whose
 * per-bin Σc·n and Σc are precomputed. A frame then costs one pass over the
 * non-zeros (signal, plus Σc²·v for a variance or the Poisson model in the
 * same pass); the azimuthal error model reads each row a second time for the
 * spread about the row's mean. Pixels found invalid in the frame (NaN, dummy)
 * are subtracted from the precomputed sums. Accumulation is in float64.
 */
import type { CsrMatrix } from './types.js';
import { isDummy } from './preprocess.js';

/** Numeric typed arrays accepted as frames. */
export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** A CSR matrix ready for frames (arrays may live in SharedArrayBuffers for workers). */
export interface PreparedMatrix {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
  /** Static per-pixel normalisation (preprocess.ts). */
  norm: Float64Array;
  /** Σc·n and Σc per row over the statically valid pixels. */
  sumNorm: Float64Array;
  sumCount: Float64Array;
}

/** What changes the per-frame computation besides the matrix. */
export interface FrameParams {
  dark: Float64Array | null;
  dummy: number | null;
  deltaDummy: number;
  /** Per-pixel variance given by the caller (takes precedence over errorModel, as in pyFAI). */
  variance: Float64Array | null;
  errorModel: 'poisson' | 'azimuthal' | null;
  /** Lower bound of the Poisson variance: pyFAI 0.21 uses max(1, raw) in integrate1d, raw in integrate2d. */
  poissonFloor: number;
}

/** Per-row sums of one frame, as pyFAI names them. */
export interface FrameSums {
  signal: Float64Array;
  normalization: Float64Array;
  count: Float64Array;
  variance: Float64Array;
}

function shared(bytes: number): ArrayBuffer {
  return new SharedArrayBuffer(bytes) as unknown as ArrayBuffer;
}

/**
 * Drop statically invalid pixels (norm 0) from `m` and precompute Σc·n, Σc
 * per row; arrays in SharedArrayBuffers, sized for all of m's non-zeros (one
 * pass; the tail past indptr[rows] is unused when pixels were dropped).
 */
export function prepareMatrix(m: CsrMatrix, norm: Float64Array): PreparedMatrix {
  const rows = m.rows;
  const nnz = m.indptr[rows];
  const indptr = new Int32Array(shared(4 * (rows + 1)));
  const indices = new Int32Array(shared(4 * nnz));
  const data = new Float32Array(shared(4 * nnz));
  const sumNorm = new Float64Array(shared(8 * rows));
  const sumCount = new Float64Array(shared(8 * rows));
  let k = 0;
  for (let r = 0; r < rows; r++) {
    let sn = 0, sc = 0;
    for (let j = m.indptr[r]; j < m.indptr[r + 1]; j++) {
      const i = m.indices[j], c = m.data[j], n = norm[i];
      if (n === 0 || c === 0) continue;
      indices[k] = i; data[k] = c; k++;
      sn += c * n; sc += c;
    }
    indptr[r + 1] = k;
    sumNorm[r] = sn; sumCount[r] = sc;
  }
  const normShared = new Float64Array(shared(8 * norm.length));
  normShared.set(norm);
  return { rows, indptr, indices, data, norm: normShared, sumNorm, sumCount };
}

/** Allocate per-row sums for `rows` bins (in SharedArrayBuffers when another thread writes part of them). */
export function frameSums(rows: number, inShared = false): FrameSums {
  const f = () => (inShared ? new Float64Array(shared(8 * rows)) : new Float64Array(rows));
  return { signal: f(), normalization: f(), count: f(), variance: f() };
}

/** Pixels found NaN in a row: their share of the precomputed Σc·n and Σc (rare, so out of the hot loop). */
function invalidShare(m: PreparedMatrix, raw: NumericArray, from: number, to: number): [number, number] {
  let badN = 0, badC = 0;
  for (let j = from; j < to; j++) {
    const i = m.indices[j];
    if (raw[i] !== raw[i]) { badN += m.data[j] * m.norm[i]; badC += m.data[j]; }
  }
  return [badN, badC];
}

/**
 * Σc·raw per row, no dark, no dummy, no variance: the common case. Four
 * accumulators shorten the add-latency chain; a NaN makes the sum NaN, which
 * sends the row to a second pass that drops the NaN pixels.
 */
export function dotPlain(m: PreparedMatrix, raw: NumericArray, out: FrameSums, r0 = 0, r1 = m.rows): void {
  const { indptr, indices, data } = m;
  for (let r = r0; r < r1; r++) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const end = indptr[r + 1];
    let j = indptr[r];
    for (; j + 3 < end; j += 4) {
      a0 += data[j] * raw[indices[j]];
      a1 += data[j + 1] * raw[indices[j + 1]];
      a2 += data[j + 2] * raw[indices[j + 2]];
      a3 += data[j + 3] * raw[indices[j + 3]];
    }
    for (; j < end; j++) a0 += data[j] * raw[indices[j]];
    plainRow(m, r, (a0 + a1) + (a2 + a3), raw, out);
  }
}

/** Signal with dark and dummy, and Σc²·v for a given variance or the Poisson model, in one pass. */
function dotGeneral(m: PreparedMatrix, raw: NumericArray, p: FrameParams, out: FrameSums): void {
  const { rows, indptr, indices, data, norm, sumNorm, sumCount } = m;
  const { signal, normalization, count, variance } = out;
  const { dark, dummy, deltaDummy, variance: given, poissonFloor } = p;
  const poisson = !given && p.errorModel === 'poisson';
  for (let r = 0; r < rows; r++) {
    let acc = 0, accV = 0, badN = 0, badC = 0;
    const end = indptr[r + 1];
    for (let j = indptr[r]; j < end; j++) {
      const i = indices[j];
      const x = raw[i];
      const c = data[j];
      const s = dark ? x - dark[i] : x;
      if (s !== s || (dummy !== null && isDummy(x, dummy, deltaDummy))) { badN += c * norm[i]; badC += c; continue; }
      acc += c * s;
      if (given) accV += c * c * given[i];
      else if (poisson) accV += c * c * (x > poissonFloor ? x : poissonFloor); // pyFAI 0.21: the raw value, dark not added
    }
    signal[r] = acc;
    variance[r] = accV;
    normalization[r] = sumNorm[r] - badN;
    count[r] = sumCount[r] - badC;
  }
}

/** Row r of a plain dot for one frame, NaN pixels dropped (the slow path of a row whose sum came out NaN). */
function plainRowWithNaN(m: PreparedMatrix, raw: NumericArray, r: number, out: FrameSums): void {
  const start = m.indptr[r], end = m.indptr[r + 1];
  const [badN, badC] = invalidShare(m, raw, start, end);
  let acc = 0;
  for (let k = start; k < end; k++) { const v = raw[m.indices[k]]; if (v === v) acc += m.data[k] * v; }
  out.signal[r] = acc;
  out.normalization[r] = m.sumNorm[r] - badN;
  out.count[r] = m.sumCount[r] - badC;
}

function plainRow(m: PreparedMatrix, r: number, acc: number, raw: NumericArray, out: FrameSums): void {
  if (acc !== acc) return plainRowWithNaN(m, raw, r, out);
  out.signal[r] = acc;
  out.normalization[r] = m.sumNorm[r];
  out.count[r] = m.sumCount[r];
}

/**
 * The plain dot of four frames in one pass over the matrix: in a stack the
 * matrix (8 bytes per non-zero) is read once per four frames instead of once
 * per frame, which is most of the memory traffic.
 */
export function dotPlain4(m: PreparedMatrix, f: readonly [NumericArray, NumericArray, NumericArray, NumericArray], out: readonly FrameSums[]): void {
  const { rows, indptr, indices, data } = m;
  const [f0, f1, f2, f3] = f;
  // lanes j mod 4 per frame, summed as dotPlain sums them, so a stack gives single-frame results bit for bit
  for (let r = 0; r < rows; r++) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    const end = indptr[r + 1];
    let j = indptr[r];
    for (; j + 3 < end; j += 4) {
      let i = indices[j], c = data[j];
      a0 += c * f0[i]; b0 += c * f1[i]; c0 += c * f2[i]; d0 += c * f3[i];
      i = indices[j + 1]; c = data[j + 1];
      a1 += c * f0[i]; b1 += c * f1[i]; c1 += c * f2[i]; d1 += c * f3[i];
      i = indices[j + 2]; c = data[j + 2];
      a2 += c * f0[i]; b2 += c * f1[i]; c2 += c * f2[i]; d2 += c * f3[i];
      i = indices[j + 3]; c = data[j + 3];
      a3 += c * f0[i]; b3 += c * f1[i]; c3 += c * f2[i]; d3 += c * f3[i];
    }
    for (; j < end; j++) {
      const i = indices[j], c = data[j];
      a0 += c * f0[i]; b0 += c * f1[i]; c0 += c * f2[i]; d0 += c * f3[i];
    }
    plainRow(m, r, (a0 + a1) + (a2 + a3), f0, out[0]);
    plainRow(m, r, (b0 + b1) + (b2 + b3), f1, out[1]);
    plainRow(m, r, (c0 + c1) + (c2 + c3), f2, out[2]);
    plainRow(m, r, (d0 + d1) + (d2 + d3), f3, out[3]);
  }
}

/** True when frames need only the plain dot (no dark, dummy, variance or error model). */
export function isPlain(p: FrameParams): boolean {
  return !p.dark && p.dummy === null && !p.variance && p.errorModel === null;
}

/** The azimuthal model: Σ c·n·(s/n − Ī)² per row over its valid pixels (second pass over each row). */
function azimuthalVariance(m: PreparedMatrix, raw: NumericArray, p: FrameParams, out: FrameSums): void {
  const { rows, indptr, indices, data, norm } = m;
  const { dark, dummy, deltaDummy } = p;
  for (let r = 0; r < rows; r++) {
    const w = out.normalization[r];
    if (!(out.count[r] > 0) || w === 0) { out.variance[r] = 0; continue; }
    const mean = out.signal[r] / w;
    let acc = 0;
    const end = indptr[r + 1];
    for (let j = indptr[r]; j < end; j++) {
      const i = indices[j];
      const x = raw[i];
      const s = dark ? x - dark[i] : x;
      if (s !== s || (dummy !== null && isDummy(x, dummy, deltaDummy))) continue;
      const n = norm[i];
      const d = s / n - mean;
      acc += data[j] * n * d * d;
    }
    out.variance[r] = acc;
  }
}

/** All per-row sums of one frame into `out` (reused between frames). */
export function integrateFrame(m: PreparedMatrix, raw: NumericArray, p: FrameParams, out: FrameSums): void {
  if (isPlain(p)) {
    dotPlain(m, raw, out);
    out.variance.fill(0);
    return;
  }
  dotGeneral(m, raw, p, out);
  if (!p.variance && p.errorModel === 'azimuthal') azimuthalVariance(m, raw, p, out);
}

/** intensity = Σc·s/Σc·n, sigma = √(Σc²·v)/Σc·n; bins without a valid pixel get `empty`. */
export function finishFrame(sums: FrameSums, withSigma: boolean, empty: number, intensity: Float64Array, sigma: Float64Array): void {
  const n = sums.signal.length;
  for (let r = 0; r < n; r++) {
    if (sums.count[r] > 0) {
      const w = sums.normalization[r];
      intensity[r] = sums.signal[r] / w;
      sigma[r] = withSigma ? Math.sqrt(sums.variance[r]) / w : NaN;
    } else {
      intensity[r] = empty;
      sigma[r] = withSigma ? empty : NaN;
    }
  }
}
