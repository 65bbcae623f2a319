/**
 * A small in-memory BOZ run for the non-linearity tests: three beams on one
 * module, a dark run, a known ideal lookup table F_true (raw values are the
 * quantisation of the analog signal through F_true⁻¹), Gaussian noise, some
 * saturated frames. Only the ROI band of the module is filled (the rest is 0).
 */
import { inMemoryModule } from '../../toolbox/routines/boz/load.js';
import type { NlHistograms } from '../../toolbox/routines/boz/nl-histograms.js';
import { nlDomain, nlLut } from '../../toolbox/routines/boz/nl-lut.js';
import { MODULE_COLS, MODULE_PIXELS, type ModuleFrames, type Rois } from '../../toolbox/routines/boz/types.js';
import { rng } from '../arrays/reduce-helpers.js';

export { rng };


export function gauss(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** In-memory ModuleFrames over (trains × pulses) full module frames, in chunks of 7 trains unless asked otherwise (several chunks per test run). */
export function memoryFrames(run: number, trains: number, pulses: number, data: Uint16Array): ModuleFrames {
  const inner = inMemoryModule({ proposal: 1, run, module: 15, trainIds: BigUint64Array.from({ length: trains }, (_, i) => 1000n + BigInt(i)), pulses }, data);
  return { ...inner, chunks: (options = {}) => inner.chunks({ trains: 7, ...options }) };
}

export const ROIS: Rois = {
  n: { xl: 100, xh: 116, yl: 40, yh: 56 },
  '0': { xl: 200, xh: 216, yl: 40, yh: 56 },
  p: { xl: 300, xh: 316, yl: 40, yh: 56 },
  sat: { xl: 100, xh: 316, yl: 40, yh: 56 },
};

export interface NlRun {
  arrDark: ModuleFrames; arr: ModuleFrames; rois: Rois;
  mask: Uint8Array; flatField: Float64Array;
  /** The ideal correction and the domain and dy it is made of. */
  Ftrue: Float64Array; domain: Int32Array; dyTrue: Float64Array;
}

export interface NlRunOptions {
  trains: number; pulses: number; seed?: number;
  /** Segments, low, high of the true table's domain. */
  N?: number; low?: number; high?: number;
  /** Amplitude of the true deviation (ADU). */
  amplitude?: number;
  /** Flat field: 1 (false) or a tilt on 'n' and 'p' (true). */
  flatField?: boolean;
  /** Scale of the noise (default 1: 1.2 + 0.35·√signal ADU). */
  noise?: number;
}

/** raw = the value whose F is nearest to the analog t (F increasing), clipped to 0…511. */
function quantiser(F: Float64Array): (t: number) => number {
  const cut = new Float64Array(511);
  for (let v = 0; v < 511; v++) cut[v] = (F[v] + F[v + 1]) / 2;
  return (t) => {
    let lo = 0, hi = 511;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cut[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo;
  };
}

const BEAM_T: Record<string, number> = { n: 0.5, '0': 1, p: 0.6 };

export function nlRun(o: NlRunOptions): NlRun {
  const N = o.N ?? 40, low = o.low ?? 40, high = o.high ?? 470, A = o.amplitude ?? 10;
  const domain = nlDomain(N, low, high);
  const dyTrue = Float64Array.from({ length: N }, (_, k) => A * Math.sin((Math.PI * (k + 0.5)) / N) * (1 - 0.8 * (k / N)));
  const Ftrue = nlLut(domain, dyTrue);
  const q = quantiser(Ftrue);
  const u = rng(o.seed ?? 1), g = gauss(u);
  const mask = new Uint8Array(MODULE_PIXELS);
  mask[45 * MODULE_COLS + 105] = 1;
  mask[50 * MODULE_COLS + 210] = 1;
  const flatField = new Float64Array(MODULE_PIXELS).fill(1);
  const pedestal = new Float64Array(MODULE_PIXELS);
  const profile = new Float64Array(MODULE_PIXELS);
  for (const b of ['n', '0', 'p']) {
    const r = ROIS[b];
    for (let y = r.yl; y < r.yh; y++) {
      for (let x = r.xl; x < r.xh; x++) {
        const i = y * MODULE_COLS + x, dx = (x - (r.xl + r.xh) / 2) / 5, dz = (y - (r.yl + r.yh) / 2) / 5;
        const ff = o.flatField && b !== '0' ? 0.9 + 0.2 * (x - r.xl) / (r.xh - r.xl) : 1;
        flatField[i] = ff;
        profile[i] = BEAM_T[b] * ff * (0.08 + 0.92 * Math.exp(-(dx * dx + dz * dz) / 2));
      }
    }
  }
  const sat = ROIS.sat;
  for (let y = sat.yl; y < sat.yh; y++) for (let x = sat.xl; x < sat.xh; x++) pedestal[y * MODULE_COLS + x] = 28 + 6 * u();
  const frames = (trains: number, signal: (f: number) => number): Uint16Array => {
    const data = new Uint16Array(trains * o.pulses * MODULE_PIXELS);
    for (let f = 0; f < trains * o.pulses; f++) {
      const s = signal(f), base = f * MODULE_PIXELS;
      for (let y = sat.yl; y < sat.yh; y++) {
        for (let x = sat.xl; x < sat.xh; x++) {
          const i = y * MODULE_COLS + x, mean = s * profile[i];
          data[base + i] = q(pedestal[i] + mean + (o.noise ?? 1) * (1.2 + 0.35 * Math.sqrt(mean)) * g());
        }
      }
    }
    return data;
  };
  const dark = frames(Math.max(4, Math.ceil(o.trains / 4)), () => 0);
  // Peak 0-order signal from ~20 ADU to beyond saturation (1 frame in ~15).
  const arr = frames(o.trains, () => 20 + 480 * Math.pow(u(), 0.7) + (u() < 0.07 ? 100 : 0));
  return {
    arrDark: memoryFrames(2, dark.length / (o.pulses * MODULE_PIXELS), o.pulses, dark),
    arr: memoryFrames(3, o.trains, o.pulses, arr),
    rois: ROIS, mask, flatField, Ftrue, domain, dyTrue,
  };
}

/** Frames counted per raw value over the three beams (unsaturated frames), from the histograms. */
export function populated(h: NlHistograms): Float64Array {
  const c = new Float64Array(512);
  for (let fb = 0; fb < h.frames * 3; fb++) {
    if (h.satMax[Math.floor(fb / 3)] >= 511) continue;
    for (let j = 0; j < h.len[fb]; j++) c[h.lo[fb] + j] += h.pool[h.offset[fb] + j];
  }
  return c;
}
