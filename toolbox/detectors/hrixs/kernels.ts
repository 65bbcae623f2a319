/**
 * The per-frame algorithms of hRIXS on plain typed arrays (docs/hrixs.md,
 * Algorithms), shared by the hRIXS class and MaranaX's worker threads: the
 * crop with dark subtraction, centroidOne (2 × 2 sums over a threshold,
 * centre of mass in 4 × 4), centroidTwo (the ESRF-style 3 × 3 spot search
 * with single and double hits), the spectrum histogram and the
 * pixel-splitting integration. Work buffers are passed in, so a stack of
 * frames allocates nothing per frame; hits go to a growable list.
 */

/** Where the analysed region sits in a full frame (row stride `fy`). */
export interface Crop { fy: number; x0: number; nx: number; y0: number; ny: number }

/** Settings a kernel needs (the hRIXS attributes of the same names). */
export interface KernelParams {
  threshold: number | null;
  stdThreshold: number;
  dblThreshold: number;
  curveA: number;
  curveB: number;
  aduPerEv: number;
}

/** A candidate pixel of centroidTwo exceeds this fraction of one photon's charge. */
export const SPOT_LOW = 0.1;
/** A spot of centroidTwo holds at least this fraction of one photon's charge in its 3 × 3 square. */
export const SPOT_MIN = 0.5;

/** Hit positions (cropped pixel coordinates, y corrected by the curvature) and photons per hit. */
export class HitList {
  x = new Float64Array(256);
  y = new Float64Array(256);
  n = new Uint8Array(256);
  length = 0;

  push(x: number, y: number, n: number): void {
    if (this.length === this.x.length) {
      const grow = <T extends Float64Array | Uint8Array>(a: T): T => { const b = new (a.constructor as new (n: number) => T)(a.length * 2); b.set(a); return b; };
      this.x = grow(this.x); this.y = grow(this.y); this.n = grow(this.n);
    }
    this.x[this.length] = x; this.y[this.length] = y; this.n[this.length++] = n;
  }

  clear(): void { this.length = 0; }
}

/** What one frame's search saw: for the messages on thresholds that find nothing or everything. */
export interface FrameStats { mean: number; std: number; threshold: number; above: number; windows: number; maxValue: number }

export const parabola = (p: KernelParams, x: number): number => (p.curveB * x + p.curveA) * x;

/**
 * img = crop of frame (at `offset`) minus dark (cropped, or null); returns
 * mean and std (two passes, as numpy; NaN without `withStd`, which saves the
 * second pass where only the mean is used: centroidTwo, integrate).
 */
export function cropFrame(frame: ArrayLike<number>, offset: number, c: Crop, dark: Float64Array | null, img: Float64Array, withStd = true): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < c.nx; i++) {
    const src = offset + (c.x0 + i) * c.fy + c.y0, dst = i * c.ny;
    if (dark) for (let j = 0; j < c.ny; j++) sum += (img[dst + j] = frame[src + j] - dark[dst + j]);
    else for (let j = 0; j < c.ny; j++) sum += (img[dst + j] = frame[src + j]);
  }
  const n = c.nx * c.ny, mean = sum / n;
  if (!withStd) return { mean, std: NaN };
  let ss = 0;
  for (let p = 0; p < n; p++) { const d = img[p] - mean; ss += d * d; }
  return { mean, std: Math.sqrt(ss / n) };
}

/** s2[i, j] = img[i, j] + img[i+1, j] + img[i, j+1] + img[i+1, j+1] − 4·base, over (nx−1) × (ny−1). */
function sums2x2(img: Float64Array, nx: number, ny: number, base: number, s2: Float64Array): void {
  const w = ny - 1, b4 = 4 * base;
  for (let i = 0; i < nx - 1; i++) {
    const r0 = i * ny, r1 = r0 + ny, o = i * w;
    for (let j = 0; j < w; j++) s2[o + j] = img[r0 + j] + img[r1 + j] + img[r0 + j + 1] + img[r1 + j + 1] - b4;
  }
}

/** Local maximum of a 3 × 3 neighbourhood: ≥ the neighbours before it in raster order, > those after (one winner on ties). */
function isPeak(a: Float64Array, p: number, w: number, v: number): boolean {
  return v >= a[p - w - 1] && v >= a[p - w] && v >= a[p - w + 1] && v >= a[p - 1]
    && v > a[p + 1] && v > a[p + w - 1] && v > a[p + w] && v > a[p + w + 1];
}

/**
 * centroidOne on a cropped image: a hit where a 2 × 2 sum (above the frame
 * mean) exceeds the threshold and is the local maximum of the 2 × 2 sums;
 * its position is the centre of mass of the 4 × 4 square around the 2 × 2
 * one (image minus mean), y corrected by the parabola. Hits whose 4 × 4
 * square leaves the crop are skipped.
 */
export function centroidOneImage(img: Float64Array, c: Crop, mean: number, std: number, p: KernelParams, s2: Float64Array, hits: HitList): FrameStats {
  const { nx, ny } = c, w = ny - 1;
  const threshold = p.threshold ?? p.stdThreshold * std;
  sums2x2(img, nx, ny, mean, s2);
  let above = 0, maxValue = -Infinity;
  for (let q = 0; q < (nx - 1) * w; q++) { const v = s2[q]; if (v > threshold) above++; if (v > maxValue) maxValue = v; }
  if (above === 0) return { mean, std, threshold, above, windows: (nx - 1) * w, maxValue };
  for (let i = 1; i <= nx - 3; i++) {
    for (let j = 1; j <= ny - 3; j++) {
      const q = i * w + j, v = s2[q];
      if (!(v > threshold) || !isPeak(s2, q, w, v)) continue;
      let s = 0, sx = 0, sy = 0;
      for (let a = i - 1; a <= i + 2; a++) {
        for (let b = j - 1; b <= j + 2; b++) { const u = img[a * ny + b] - mean; s += u; sx += u * a; sy += u * b; }
      }
      const x = sx / s;
      hits.push(x, sy / s - parabola(p, x), 1);
    }
  }
  return { mean, std, threshold, above, windows: (nx - 1) * w, maxValue };
}

/** The dark's sum and minimum over the crop (once per dark): centroidTwo's mean and pre-filter. */
export interface DarkStats { sum: number; min: number }

export function darkStats(dark: Float64Array | null): DarkStats {
  if (!dark) return { sum: 0, min: 0 };
  let sum = 0, min = Infinity;
  for (let p = 0; p < dark.length; p++) { sum += dark[p]; if (dark[p] < min) min = dark[p]; }
  return { sum, min };
}

/** Reused between the frames of a series: candidate pixels, and the last frame's mean (a hint for the next). */
export class TwoScratch {
  idx = new Int32Array(4096);
  n = 0;
  meanHint = NaN;

  push(q: number): void {
    if (this.n === this.idx.length) { const b = new Int32Array(this.idx.length * 2); b.set(this.idx); this.idx = b; }
    this.idx[this.n++] = q;
  }
}

/** Σ of one row of the raw frame from `r` (integer adds for integer frames: much faster than float adds). */
function rowSum(frame: ArrayLike<number>, r: number, ny: number, integers: boolean): number {
  let row = 0;
  if (integers) for (let j = 0; j < ny; j++) row = (row + frame[r + j]) | 0;
  else for (let j = 0; j < ny; j++) row += frame[r + j];
  return row;
}

/** Σ of the raw region. */
function rawSum(frame: ArrayLike<number>, offset: number, c: Crop, integers: boolean): number {
  let raw = 0;
  for (let i = 0; i < c.nx; i++) raw += rowSum(frame, offset + (c.x0 + i) * c.fy + c.y0, c.ny, integers);
  return raw;
}

/** One pass: Σ of the raw region, and the interior pixels whose raw value exceeds `cut`, in raster order. */
function sumAndCandidates(frame: ArrayLike<number>, offset: number, c: Crop, cut: number, integers: boolean, sc: TwoScratch): number {
  const { nx, ny } = c;
  sc.n = 0;
  let raw = 0;
  for (let i = 0; i < nx; i++) {
    const r = offset + (c.x0 + i) * c.fy + c.y0;
    if (i === 0 || i === nx - 1 || !integers) {
      if (i > 0 && i < nx - 1) for (let j = 1; j <= ny - 2; j++) if (frame[r + j] > cut) sc.push(i * ny + j);
      raw += rowSum(frame, r, ny, integers);
      continue;
    }
    let row = frame[r] + frame[r + ny - 1];
    for (let j = 1; j <= ny - 2; j++) {
      const x = frame[r + j];
      row = (row + x) | 0;
      if (x > cut) sc.push(i * ny + j);
    }
    raw += row;
  }
  return raw;
}

/**
 * centroidTwo on a raw frame (ESRF RIXS toolbox style): with the image
 * v = frame − dark over the crop and its mean m, one photon carries
 * cp = energy × ADU per eV; a spot is a pixel with v > m + SPOT_LOW·cp that
 * is the local maximum of its 3 × 3 square; its charge is the 3 × 3 sum of
 * v − m. Charges below SPOT_MIN·cp are noise, above DBL_THRESHOLD·cp a double
 * hit (counted twice), else a single hit; the position is the 3 × 3 centre
 * of mass, y corrected by the parabola. The image is never materialised:
 * m = (Σ frame − Σ dark) / n, and pixels are pre-selected on their raw value
 * (raw > m + SPOT_LOW·cp + min(dark) is necessary) in the same pass as the sum,
 * against a cut from the previous frame's mean, lowered by SPOT_LOW·cp / 2
 * (a frame whose mean rose by less than that needs no second pass).
 */
export function centroidTwoFrame(
  frame: ArrayLike<number>, offset: number, c: Crop, dark: Float64Array | null, ds: DarkStats, energy: number, p: KernelParams, hits: HitList, sc = new TwoScratch(),
): FrameStats {
  const { nx, ny, fy } = c;
  const integers = (frame instanceof Uint16Array || frame instanceof Uint8Array) && ny < 32768;
  const cp = energy * p.aduPerEv;
  if (Number.isNaN(sc.meanHint)) sc.meanHint = (rawSum(frame, offset, c, integers) - ds.sum) / (nx * ny);
  const pre = Math.floor(sc.meanHint + SPOT_LOW * cp / 2 + ds.min);
  const mean = (sumAndCandidates(frame, offset, c, pre, integers, sc) - ds.sum) / (nx * ny);
  const low = mean + SPOT_LOW * cp, cut = Math.floor(low + ds.min);
  // the mean fell so far that the pre-selection may have missed pixels: select again with the exact cut
  if (cut < pre) sumAndCandidates(frame, offset, c, cut, integers, sc);
  sc.meanHint = mean;
  const v = (i: number, j: number) => frame[offset + (c.x0 + i) * fy + c.y0 + j] - (dark ? dark[i * ny + j] : 0);
  let above = 0;
  for (let k = 0; k < sc.n; k++) {
    const q = sc.idx[k], i = Math.floor(q / ny), j = q - i * ny;
    const x0 = v(i, j);
    if (!(x0 > low)) continue;
    above++;
    if (!(x0 >= v(i - 1, j - 1) && x0 >= v(i - 1, j) && x0 >= v(i - 1, j + 1) && x0 >= v(i, j - 1)
      && x0 > v(i, j + 1) && x0 > v(i + 1, j - 1) && x0 > v(i + 1, j) && x0 > v(i + 1, j + 1))) continue;
    let s = 0, sx = 0, sy = 0;
    for (let a = i - 1; a <= i + 1; a++) {
      for (let b = j - 1; b <= j + 1; b++) { const u = v(a, b) - mean; s += u; sx += u * a; sy += u * b; }
    }
    if (s < SPOT_MIN * cp) continue;
    const x = sx / s;
    hits.push(x, sy / s - parabola(p, x), s > p.dblThreshold * cp ? 2 : 1);
  }
  // the largest value is only needed to explain a frame without photons
  let maxValue = -Infinity;
  if (hits.length === 0) for (let i = 1; i <= nx - 2; i++) for (let j = 1; j <= ny - 2; j++) maxValue = Math.max(maxValue, v(i, j) - mean);
  return { mean, std: NaN, threshold: low - mean, above, windows: (nx - 2) * (ny - 2), maxValue };
}

/** Add hits (weighted by their photons) to `out` (bins over corrected y in [−0.5, ny − 0.5)). */
export function histogramHits(hits: HitList, ny: number, bins: number, out: Float64Array, outOffset: number): void {
  const scale = bins / ny;
  for (let k = 0; k < hits.length; k++) {
    const b = Math.floor((hits.y[k] + 0.5) * scale);
    if (b >= 0 && b < bins) out[outOffset + b] += hits.n[k];
  }
}

/** Bin centres of histogramHits in corrected pixels. */
export function binCentres(ny: number, bins: number): Float64Array {
  return Float64Array.from({ length: bins }, (_, k) => -0.5 + ((k + 0.5) * ny) / bins);
}

/**
 * Row shifts of the integration: row i is moved by −parabola(i); a pixel of
 * corrected centre d = j − parabola(i) spans [d − ½, d + ½) and splits over
 * bins floor(d) (weight 1 − frac(d)) and floor(d) + 1 (weight frac(d)).
 */
export function integrationWeights(c: Crop, p: KernelParams): { floor: Int32Array; frac: Float64Array; weight: Float64Array } {
  const floor = new Int32Array(c.nx), frac = new Float64Array(c.nx), weight = new Float64Array(c.ny);
  for (let i = 0; i < c.nx; i++) {
    const s = -parabola(p, i), fl = Math.floor(s);
    floor[i] = fl; frac[i] = s - fl;
    for (let j = 0; j < c.ny; j++) {
      const k = j + fl;
      if (k >= 0 && k < c.ny) weight[k] += 1 - frac[i];
      if (k + 1 >= 0 && k + 1 < c.ny) weight[k + 1] += frac[i];
    }
  }
  return { floor, frac, weight };
}

/** Split the pixels of a cropped, dark-subtracted image into bins; divided by the bins' weights (per pixel); NaN where no pixel falls. */
export function integrateImage(img: Float64Array, c: Crop, w: ReturnType<typeof integrationWeights>, out: Float64Array, outOffset: number): void {
  const acc = out.subarray(outOffset, outOffset + c.ny);
  acc.fill(0);
  for (let i = 0; i < c.nx; i++) {
    const fl = w.floor[i], f = w.frac[i], g = 1 - f, r = i * c.ny;
    for (let j = 0; j < c.ny; j++) {
      const k = j + fl, v = img[r + j];
      if (k >= 0 && k < c.ny) acc[k] += g * v;
      if (k + 1 >= 0 && k + 1 < c.ny) acc[k + 1] += f * v;
    }
  }
  for (let k = 0; k < c.ny; k++) acc[k] = w.weight[k] > 0 ? acc[k] / w.weight[k] : NaN;
}
