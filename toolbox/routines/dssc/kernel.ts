/**
 * The hot loop of DSSC binning: add weighted frames into one bin's
 * accumulator. Every binned frame passes through here exactly once.
 *
 * Why it is shaped this way (V8 on x64, 128×512 uint16 frames, one core: a
 * frame-at-a-time loop ran ~8,000 frames/s, this one 26,000–36,000, on par
 * with numpy's float64 sum of the same frames; bench/dssc-binning.ts):
 * - Frames are added in groups of 8 (then 4, then 1) in one pass over the
 *   pixels, so the float64 accumulator is read and written once per group
 *   instead of once per frame. Groups of 16 run out of registers: 2× slower.
 * - Raw uint16 frames are read two pixels per 32-bit word and split with a
 *   mask and a shift: half the loads and bounds checks of a Uint16Array loop.
 *   The integer sum of a group (at most 8 × 65535) is exact, and a group
 *   whose frames share one weight is multiplied once, so all-1 weights give
 *   exactly the integer sums.
 * - Every inner loop sees one array type only (no Uint16Array | Float32Array
 *   union inside a loop), so V8 keeps them monomorphic.
 * JS has no SIMD: kernel-simd.ts runs the same groups in WebAssembly SIMD,
 * ~4× faster, when the frames and the accumulator are in its memory
 * (processData reads them there); this loop is for everything else.
 */
import { ToolBoxTypeError, ToolBoxValueError } from '../../errors.js';

/** Frame pixels as read from a run: raw uint16 counts or corrected float32. */
export type FrameData = Uint16Array | Float32Array;

const GROUP = 8;
/** The word trick below assumes the even pixel sits in a word's low half. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * acc[accOffset + p] += Σ_k weights[k] · src[srcOffsets[k] + p] for p < pixels,
 * k < count. NaN pixels of float frames count as 0 (xarray's skipna sum),
 * so one bad pixel does not poison a whole bin. With all weights 1 and
 * uint16 frames the result is exact (integer sums in float64).
 */
export function accumulateFrames(
  acc: Float64Array, accOffset: number,
  src: FrameData, srcOffsets: ArrayLike<number>, weights: ArrayLike<number>, count: number,
  pixels: number,
): void {
  checkRanges(acc, accOffset, src, srcOffsets, weights, count, pixels);
  if (count === 0 || pixels === 0) return;
  if (src instanceof Uint16Array) accumulateUint16(acc, accOffset, src, srcOffsets, weights, count, pixels);
  else if (src instanceof Float32Array) accumulateFloat32(acc, accOffset, src, srcOffsets, weights, count, pixels);
  else throw new ToolBoxTypeError(`accumulateFrames: frames must be a Uint16Array or Float32Array, got ${describe(src)}`);
}

function describe(x: unknown): string {
  return x === null || typeof x !== 'object' ? typeof x : (x as object).constructor?.name ?? 'object';
}

/** Out-of-range typed-array reads give undefined (NaN) silently, so ranges are checked once per call. */
export function checkRanges(
  acc: Float64Array, accOffset: number, src: FrameData, srcOffsets: ArrayLike<number>,
  weights: ArrayLike<number>, count: number, pixels: number,
): void {
  if (!Number.isInteger(count) || count < 0) throw new ToolBoxValueError(`accumulateFrames: count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(pixels) || pixels < 0) throw new ToolBoxValueError(`accumulateFrames: pixels must be a non-negative integer, got ${pixels}`);
  if (count > srcOffsets.length || count > weights.length) {
    throw new ToolBoxValueError(`accumulateFrames: count ${count} exceeds srcOffsets (${srcOffsets.length}) or weights (${weights.length})`);
  }
  if (!Number.isInteger(accOffset) || accOffset < 0 || accOffset + pixels > acc.length) {
    throw new ToolBoxValueError(`accumulateFrames: accumulator range ${accOffset}..${accOffset + pixels} is outside its length ${acc.length}`);
  }
  for (let k = 0; k < count; k++) {
    const s = srcOffsets[k];
    if (!Number.isInteger(s) || s < 0 || s + pixels > src.length) {
      throw new ToolBoxValueError(`accumulateFrames: frame ${k} at offset ${s} (+${pixels} pixels) is outside the frame buffer of length ${src.length}`);
    }
  }
}

function accumulateUint16(
  acc: Float64Array, ao: number, src: Uint16Array, so: ArrayLike<number>, w: ArrayLike<number>, count: number, pixels: number,
): void {
  // 32-bit words need a 4-byte aligned view and frames starting on even elements
  const words = LITTLE_ENDIAN && src.byteOffset % 4 === 0 ? new Uint32Array(src.buffer, src.byteOffset, src.length >>> 1) : null;
  const pairs = pixels >>> 1;
  let k = 0;
  while (k < count) {
    const n = count - k >= GROUP ? GROUP : count - k >= 4 ? 4 : 1;
    if (n === 1 || words === null || !evenOffsets(so, k, n)) {
      for (let j = k; j < k + n; j++) addUint16Frame(acc, ao, src, so[j], w[j], pixels);
    } else {
      const uniform = sameWeights(w, k, n);
      if (n === GROUP) {
        if (uniform) addWordsSum8(acc, ao, words, so, k, w[k], pairs);
        else addWordsWeighted8(acc, ao, words, so, w, k, pairs);
      } else if (uniform) addWordsSum4(acc, ao, words, so, k, w[k], pairs);
      else addWordsWeighted4(acc, ao, words, so, w, k, pairs);
      if (pixels & 1) {
        for (let j = k; j < k + n; j++) addUint16Frame(acc, ao + pixels - 1, src, so[j] + pixels - 1, w[j], 1);
      }
    }
    k += n;
  }
}

function evenOffsets(so: ArrayLike<number>, k: number, n: number): boolean {
  for (let j = k; j < k + n; j++) if (so[j] & 1) return false;
  return true;
}

/** Whether the n weights from k are one value (the group is then summed and scaled once). */
export function sameWeights(w: ArrayLike<number>, k: number, n: number): boolean {
  const w0 = w[k];
  for (let j = k + 1; j < k + n; j++) if (w[j] !== w0) return false;
  return true;
}

function addUint16Frame(acc: Float64Array, ao: number, src: Uint16Array, s: number, wk: number, pixels: number): void {
  for (let p = 0; p < pixels; p++) acc[ao + p] += wk * src[s + p];
}

function addWordsSum8(acc: Float64Array, ao: number, words: Uint32Array, so: ArrayLike<number>, k: number, scale: number, pairs: number): void {
  const s0 = so[k] >>> 1, s1 = so[k + 1] >>> 1, s2 = so[k + 2] >>> 1, s3 = so[k + 3] >>> 1;
  const s4 = so[k + 4] >>> 1, s5 = so[k + 5] >>> 1, s6 = so[k + 6] >>> 1, s7 = so[k + 7] >>> 1;
  for (let q = 0; q < pairs; q++) {
    const v0 = words[s0 + q], v1 = words[s1 + q], v2 = words[s2 + q], v3 = words[s3 + q];
    const v4 = words[s4 + q], v5 = words[s5 + q], v6 = words[s6 + q], v7 = words[s7 + q];
    // little-endian: the low half of a word is the pixel at the even index
    const lo = ((v0 & 0xffff) + (v1 & 0xffff) + (v2 & 0xffff) + (v3 & 0xffff)) + ((v4 & 0xffff) + (v5 & 0xffff) + (v6 & 0xffff) + (v7 & 0xffff));
    const hi = ((v0 >>> 16) + (v1 >>> 16) + (v2 >>> 16) + (v3 >>> 16)) + ((v4 >>> 16) + (v5 >>> 16) + (v6 >>> 16) + (v7 >>> 16));
    const a = ao + 2 * q;
    acc[a] += scale * lo;
    acc[a + 1] += scale * hi;
  }
}

function addWordsWeighted8(acc: Float64Array, ao: number, words: Uint32Array, so: ArrayLike<number>, w: ArrayLike<number>, k: number, pairs: number): void {
  const s0 = so[k] >>> 1, s1 = so[k + 1] >>> 1, s2 = so[k + 2] >>> 1, s3 = so[k + 3] >>> 1;
  const s4 = so[k + 4] >>> 1, s5 = so[k + 5] >>> 1, s6 = so[k + 6] >>> 1, s7 = so[k + 7] >>> 1;
  const w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3], w4 = w[k + 4], w5 = w[k + 5], w6 = w[k + 6], w7 = w[k + 7];
  for (let q = 0; q < pairs; q++) {
    const v0 = words[s0 + q], v1 = words[s1 + q], v2 = words[s2 + q], v3 = words[s3 + q];
    const v4 = words[s4 + q], v5 = words[s5 + q], v6 = words[s6 + q], v7 = words[s7 + q];
    const lo = (w0 * (v0 & 0xffff) + w1 * (v1 & 0xffff) + w2 * (v2 & 0xffff) + w3 * (v3 & 0xffff))
      + (w4 * (v4 & 0xffff) + w5 * (v5 & 0xffff) + w6 * (v6 & 0xffff) + w7 * (v7 & 0xffff));
    const hi = (w0 * (v0 >>> 16) + w1 * (v1 >>> 16) + w2 * (v2 >>> 16) + w3 * (v3 >>> 16))
      + (w4 * (v4 >>> 16) + w5 * (v5 >>> 16) + w6 * (v6 >>> 16) + w7 * (v7 >>> 16));
    const a = ao + 2 * q;
    acc[a] += lo;
    acc[a + 1] += hi;
  }
}

function addWordsSum4(acc: Float64Array, ao: number, words: Uint32Array, so: ArrayLike<number>, k: number, scale: number, pairs: number): void {
  const s0 = so[k] >>> 1, s1 = so[k + 1] >>> 1, s2 = so[k + 2] >>> 1, s3 = so[k + 3] >>> 1;
  for (let q = 0; q < pairs; q++) {
    const v0 = words[s0 + q], v1 = words[s1 + q], v2 = words[s2 + q], v3 = words[s3 + q];
    const a = ao + 2 * q;
    acc[a] += scale * ((v0 & 0xffff) + (v1 & 0xffff) + (v2 & 0xffff) + (v3 & 0xffff));
    acc[a + 1] += scale * ((v0 >>> 16) + (v1 >>> 16) + (v2 >>> 16) + (v3 >>> 16));
  }
}

function addWordsWeighted4(acc: Float64Array, ao: number, words: Uint32Array, so: ArrayLike<number>, w: ArrayLike<number>, k: number, pairs: number): void {
  const s0 = so[k] >>> 1, s1 = so[k + 1] >>> 1, s2 = so[k + 2] >>> 1, s3 = so[k + 3] >>> 1;
  const w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3];
  for (let q = 0; q < pairs; q++) {
    const v0 = words[s0 + q], v1 = words[s1 + q], v2 = words[s2 + q], v3 = words[s3 + q];
    const a = ao + 2 * q;
    acc[a] += (w0 * (v0 & 0xffff) + w1 * (v1 & 0xffff)) + (w2 * (v2 & 0xffff) + w3 * (v3 & 0xffff));
    acc[a + 1] += (w0 * (v0 >>> 16) + w1 * (v1 >>> 16)) + (w2 * (v2 >>> 16) + w3 * (v3 >>> 16));
  }
}

function accumulateFloat32(
  acc: Float64Array, ao: number, src: Float32Array, so: ArrayLike<number>, w: ArrayLike<number>, count: number, pixels: number,
): void {
  let k = 0;
  while (k < count) {
    const n = count - k >= GROUP ? GROUP : count - k >= 4 ? 4 : 1;
    if (n === GROUP) addFloat8(acc, ao, src, so, w, k, pixels);
    else if (n === 4) addFloat4(acc, ao, src, so, w, k, pixels);
    else addFloat32Frame(acc, ao, src, so[k], w[k], pixels);
    k += n;
  }
}

function addFloat32Frame(acc: Float64Array, ao: number, src: Float32Array, s: number, wk: number, pixels: number): void {
  for (let p = 0; p < pixels; p++) {
    const v = src[s + p];
    if (v === v) acc[ao + p] += wk * v;
  }
}

/** A group's sum is NaN only when one of its pixels is (rare): that pixel is then redone frame by frame. */
function addFloat8(acc: Float64Array, ao: number, src: Float32Array, so: ArrayLike<number>, w: ArrayLike<number>, k: number, pixels: number): void {
  const s0 = so[k], s1 = so[k + 1], s2 = so[k + 2], s3 = so[k + 3], s4 = so[k + 4], s5 = so[k + 5], s6 = so[k + 6], s7 = so[k + 7];
  const w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3], w4 = w[k + 4], w5 = w[k + 5], w6 = w[k + 6], w7 = w[k + 7];
  for (let p = 0; p < pixels; p++) {
    const sum = (w0 * src[s0 + p] + w1 * src[s1 + p] + w2 * src[s2 + p] + w3 * src[s3 + p])
      + (w4 * src[s4 + p] + w5 * src[s5 + p] + w6 * src[s6 + p] + w7 * src[s7 + p]);
    if (sum === sum) acc[ao + p] += sum;
    else addPixelSkippingNaN(acc, ao + p, src, so, w, k, GROUP, p);
  }
}

function addFloat4(acc: Float64Array, ao: number, src: Float32Array, so: ArrayLike<number>, w: ArrayLike<number>, k: number, pixels: number): void {
  const s0 = so[k], s1 = so[k + 1], s2 = so[k + 2], s3 = so[k + 3];
  const w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3];
  for (let p = 0; p < pixels; p++) {
    const sum = (w0 * src[s0 + p] + w1 * src[s1 + p]) + (w2 * src[s2 + p] + w3 * src[s3 + p]);
    if (sum === sum) acc[ao + p] += sum;
    else addPixelSkippingNaN(acc, ao + p, src, so, w, k, 4, p);
  }
}

function addPixelSkippingNaN(acc: Float64Array, a: number, src: Float32Array, so: ArrayLike<number>, w: ArrayLike<number>, k: number, n: number, p: number): void {
  for (let j = k; j < k + n; j++) {
    const v = src[so[j] + p];
    if (v === v) acc[a] += w[j] * v;
  }
}
