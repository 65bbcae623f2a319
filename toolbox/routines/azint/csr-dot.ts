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

/** Drop statically invalid pixels (norm 0) from `m` and precompute Σc·n, Σc per row; arrays in SharedArrayBuffers. */
export function prepareMatrix(m: CsrMatrix, norm: Float64Array): PreparedMatrix {
  const rows = m.rows;
  let nnz = 0;
  for (let j = 0; j < m.indptr[rows]; j++) if (norm[m.indices[j]] !== 0 && m.data[j] !== 0) nnz++;
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

/** Allocate per-row sums for `rows` bins. */
export function frameSums(rows: number): FrameSums {
  return { signal: new Float64Array(rows), normalization: new Float64Array(rows), count: new Float64Array(rows), variance: new Float64Array(rows) };
}

/** Σc·raw per row, no dark, no dummy, no variance: the common case, kept minimal. */
function dotPlain(m: PreparedMatrix, raw: NumericArray, out: FrameSums): void {
  const { rows, indptr, indices, data, norm, sumNorm, sumCount } = m;
  const { signal, normalization, count } = out;
  for (let r = 0; r < rows; r++) {
    let acc = 0, badN = 0, badC = 0;
    const end = indptr[r + 1];
    for (let j = indptr[r]; j < end; j++) {
      const i = indices[j];
      const v = raw[i];
      if (v === v) acc += data[j] * v;
      else { badN += data[j] * norm[i]; badC += data[j]; }
    }
    signal[r] = acc;
    normalization[r] = sumNorm[r] - badN;
    count[r] = sumCount[r] - badC;
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
  if (!p.dark && p.dummy === null && !p.variance && p.errorModel === null) {
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
