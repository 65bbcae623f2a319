/**
 * The precomputation behind the non-linearity criterion (docs/boz.md,
 * Non-linearity): per frame and beam, the histogram H(v) of Σ 1/flatField over
 * the ROI's unmasked pixels whose raw value is v; per pulse and beam the same
 * summed over the dark run's trains; per frame the largest raw value in ROI
 * 'sat'. Every ROI intensity is then linear in the lookup table F, so a
 * criterion evaluation never touches a pixel again.
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { type ModuleImageInput, type ModuleMaskInput, imageOf, maskOf } from './inputs.js';
import { ADC_LEVELS, BEAMS, MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames, type Roi, type Rois } from './types.js';

/**
 * Per-frame weighted histograms of one run against its dark run (nlHistograms).
 * Frame f = train · pulses + pulse; beam b in 0, 1, 2 = 'n', '0', 'p'. The
 * histogram of (f, b) is pool[offset[3f + b] + v − lo[3f + b]] for
 * lo ≤ v < lo + len: only the populated range is kept, in float64 because
 * the criterion is a variance of ratios and float32 sums would limit it to ~1e-6.
 */
export interface NlHistograms {
  readonly trainIds: BigUint64Array;
  readonly pulses: number;
  readonly frames: number;
  readonly lo: Uint16Array;
  readonly len: Uint16Array;
  readonly offset: Float64Array;
  readonly pool: Float64Array;
  /** Dark run trains averaged. */
  readonly darkTrains: number;
  /** (pulse, beam, v): Σ over the dark trains of the weighted histogram, pulses × 3 × 512. */
  readonly dark: Float64Array;
  /** Largest raw value in ROI 'sat' per frame. */
  readonly satMax: Uint16Array;
  /** Number of unmasked pixels per beam (n, 0, p). */
  readonly pixels: readonly number[];
}

/** Options of nlHistograms. */
export interface NlHistogramsOptions {
  /** Stops the streaming between chunks. */
  signal?: AbortSignal;
  /** Called after each chunk with the frames done (dark and run) and the total. */
  progress?: (framesDone: number, framesTotal: number) => void;
  /** Trains per chunk read from the ModuleFrames (default: theirs). */
  chunkTrains?: number;
}
const NL_HISTOGRAMS_OPTIONS = optionNames<NlHistogramsOptions>({ signal: true, progress: true, chunkTrains: true });

/** A ROI checked to lie inside the module and to be non-empty. */
export function checkRoi(fn: string, rois: Rois, name: string): Roi {
  const r = (rois as Partial<Rois>)[name];
  if (r === undefined) throw new ParameterError(`${fn}: rois has no '${name}' (needs 'n', '0', 'p' and 'sat')`, { parameter: 'rois', value: Object.keys(rois) });
  const ok = [r.xl, r.xh, r.yl, r.yh].every(Number.isInteger) && r.xl >= 0 && r.xl < r.xh && r.xh <= MODULE_COLS && r.yl >= 0 && r.yl < r.yh && r.yh <= MODULE_ROWS;
  if (!ok) throw new ToolBoxValueError(`${fn}: ROI '${name}' ${JSON.stringify(r)} is empty or outside the ${MODULE_ROWS} × ${MODULE_COLS} module`);
  return r;
}

interface RoiPixels { idx: Int32Array; w: Float64Array }

/** The unmasked pixels of a ROI (row-major indices) with weight 1/flatField. */
function roiPixels(fn: string, r: Roi, name: string, mask: Uint8Array, ff: Float64Array): RoiPixels {
  const idx: number[] = [], w: number[] = [];
  for (let y = r.yl; y < r.yh; y++) {
    for (let x = r.xl; x < r.xh; x++) {
      const i = y * MODULE_COLS + x;
      if (mask[i]) continue;
      const f = ff[i];
      if (!Number.isFinite(f) || f === 0) throw new ToolBoxValueError(`${fn}: flatField is ${f} at pixel (row ${y}, column ${x}) of ROI '${name}'; it must be finite and non-zero there`);
      idx.push(i);
      w.push(1 / f);
    }
  }
  if (idx.length === 0) throw new ToolBoxValueError(`${fn}: every pixel of ROI '${name}' is masked`);
  return { idx: Int32Array.from(idx), w: Float64Array.from(w) };
}

/** Largest raw value of a frame in a ROI (saturation is checked on raw values, masked or not), row by row. */
function rectMax(data: Uint16Array, base: number, r: Roi): number {
  let m = 0;
  for (let y = r.yl; y < r.yh; y++) {
    const row = base + y * MODULE_COLS;
    for (let i = row + r.xl; i < row + r.xh; i++) if (data[i] > m) m = data[i];
  }
  return m;
}

/**
 * The run's histograms, built a chunk at a time: each chunk's go into a
 * scratch block of its worst-case size (512 values per frame and beam), kept
 * trimmed to what was used; `finish` concatenates them, releasing each block
 * as it is copied, so the peak stays near twice the final pool.
 */
class Pool {
  private blocks: Float64Array[] = [];
  private cur = new Float64Array(0);
  private used = 0;
  private total = 0;
  startChunk(maxEntries: number): void {
    if (this.cur.length < maxEntries) this.cur = new Float64Array(maxEntries);
    this.used = 0;
  }
  /** Appends src[from, to); returns its global offset. */
  push(src: Float64Array, from: number, to: number): number {
    this.cur.set(src.subarray(from, to), this.used);
    this.used += to - from;
    this.total += to - from;
    return this.total - (to - from);
  }
  endChunk(): void { this.blocks.push(this.cur.slice(0, this.used)); }
  finish(): Float64Array {
    const out = new Float64Array(this.total);
    let o = 0;
    for (let i = 0; i < this.blocks.length; i++) {
      out.set(this.blocks[i], o);
      o += this.blocks[i].length;
      this.blocks[i] = new Float64Array(0);
    }
    this.cur = new Float64Array(0);
    return out;
  }
}

interface Layout { beams: RoiPixels[]; satRoi: Roi }

function layoutOf(fn: string, rois: Rois, mask: ModuleMaskInput, flatField: ModuleImageInput): Layout {
  const m = maskOf(fn, mask), ff = imageOf(fn, 'flatField', flatField, 1);
  const beams = BEAMS.map((b) => roiPixels(fn, checkRoi(fn, rois, b), b, m, ff));
  return { beams, satRoi: checkRoi(fn, rois, 'sat') };
}

function checkRaw(fn: string, v: number, run: number, train: number): void {
  if (v >= ADC_LEVELS) throw new ToolBoxValueError(`${fn}: raw value ${v} in run ${run} (train ${train} of the selection) is not 9-bit (0…${ADC_LEVELS - 1})`);
}

/** Accumulates the dark run: Σ over trains of the weighted histogram per pulse and beam. */
async function darkHistograms(fn: string, arrDark: ModuleFrames, lay: Layout, opts: NlHistogramsOptions, tick: (n: number) => void): Promise<Float64Array> {
  const P = arrDark.pulses;
  const dark = new Float64Array(P * 3 * ADC_LEVELS);
  for await (const c of arrDark.chunks({ trains: opts.chunkTrains, signal: opts.signal })) {
    for (let f = 0; f < c.trains * P; f++) {
      const base = f * MODULE_PIXELS, k = f % P;
      lay.beams.forEach(({ idx, w }, b) => {
        const h = (k * 3 + b) * ADC_LEVELS;
        for (let j = 0; j < idx.length; j++) {
          const v = c.data[base + idx[j]];
          checkRaw(fn, v, arrDark.run, c.firstTrain + Math.floor(f / P));
          dark[h + v] += w[j];
        }
      });
    }
    tick(c.trains * P);
  }
  return dark;
}

function checkFrames(fn: string, arrDark: ModuleFrames, arr: ModuleFrames): void {
  if (arrDark.pulses !== arr.pulses) {
    throw new ToolBoxValueError(`${fn}: the dark run ${arrDark.run} has ${arrDark.pulses} frames per train but run ${arr.run} has ${arr.pulses}; the dark of each frame needs the same count`);
  }
  if (arrDark.module !== arr.module) throw new ToolBoxValueError(`${fn}: the dark run is module ${arrDark.module} but the run is module ${arr.module}`);
  if (arrDark.trainIds.length === 0) throw new ToolBoxValueError(`${fn}: the dark run ${arrDark.run} has no trains`);
  if (arr.trainIds.length === 0) throw new ToolBoxValueError(`${fn}: run ${arr.run} has no trains`);
}

/**
 * The weighted histograms of `arr` and `arrDark` over the ROIs 'n', '0', 'p'
 * (mask nonzero = bad pixel; weight 1/flatField) and the saturation maxima in
 * 'sat' (our extension: nlCrit, nlCritSk and nlFit evaluate on it). Streams
 * both runs once, chunk by chunk.
 */
export async function nlHistograms(arrDark: ModuleFrames, arr: ModuleFrames, rois: Rois, mask: ModuleMaskInput, flatField: ModuleImageInput, options: NlHistogramsOptions = {}): Promise<NlHistograms> {
  const fn = 'nlHistograms';
  const opts = checkOptions<NlHistogramsOptions>(fn, options, NL_HISTOGRAMS_OPTIONS);
  checkFrames(fn, arrDark, arr);
  const lay = layoutOf(fn, rois, mask, flatField);
  const P = arr.pulses, frames = arr.trainIds.length * P;
  const total = (arrDark.trainIds.length + arr.trainIds.length) * P;
  let done = 0;
  const tick = (n: number): void => { done += n; opts.progress?.(done, total); };
  const dark = await darkHistograms(fn, arrDark, lay, opts, tick);
  const lo = new Uint16Array(frames * 3), len = new Uint16Array(frames * 3), offset = new Float64Array(frames * 3);
  const satMax = new Uint16Array(frames);
  const pool = new Pool(), scratch = new Float64Array(ADC_LEVELS);
  for await (const c of arr.chunks({ trains: opts.chunkTrains, signal: opts.signal })) {
    pool.startChunk(c.trains * P * 3 * ADC_LEVELS);
    for (let t = 0; t < c.trains; t++) {
      for (let k = 0; k < P; k++) {
        const f = (c.firstTrain + t) * P + k, base = (t * P + k) * MODULE_PIXELS;
        satMax[f] = rectMax(c.data, base, lay.satRoi);
        lay.beams.forEach(({ idx, w }, b) => {
          let vmin = ADC_LEVELS, vmax = -1;
          for (let j = 0; j < idx.length; j++) {
            const v = c.data[base + idx[j]];
            checkRaw(fn, v, arr.run, c.firstTrain + t);
            scratch[v] += w[j];
            if (v < vmin) vmin = v;
            if (v > vmax) vmax = v;
          }
          lo[3 * f + b] = vmin;
          len[3 * f + b] = vmax - vmin + 1;
          offset[3 * f + b] = pool.push(scratch, vmin, vmax + 1);
          scratch.fill(0, vmin, vmax + 1);
        });
      }
    }
    pool.endChunk();
    tick(c.trains * P);
  }
  return {
    trainIds: arr.trainIds, pulses: P, frames, lo, len, offset, pool: pool.finish(),
    darkTrains: arrDark.trainIds.length, dark, satMax, pixels: lay.beams.map((b) => b.idx.length),
  };
}
