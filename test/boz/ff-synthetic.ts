/**
 * A small synthetic BOZ run for the flat-field tests (until the generator
 * lands): three Gaussian beams of one shape side by side, the 'n' and 'p'
 * beams multiplied by known planes (mirror images), per-frame intensity and
 * pointing jitter, a per-pixel dark, Gaussian noise, 9-bit rounding and
 * clipping at 511.
 */
import { MODULE_COLS, MODULE_PIXELS, type ModuleFrames, type Rois } from '../../toolbox/routines/boz/types.js';
import { rng as mulberry32 } from '../arrays/reduce-helpers.js';

export { mulberry32 };


export function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export const ROIS: Rois = {
  n: { xl: 100, xh: 140, yl: 40, yh: 70 },
  '0': { xl: 200, xh: 240, yl: 40, yh: 70 },
  p: { xl: 300, xh: 340, yl: 40, yh: 70 },
  sat: { xl: 100, xh: 340, yl: 40, yh: 70 },
};

/** The true plane (c = −1: z = a·x + b·y + d over pixel positions relative to the ROI centre). */
export const TRUE_PLANE = [0.004, -0.003, -1, 0.8];

export interface SyntheticRun { dark: ModuleFrames; run: ModuleFrames; darkRaw: Uint16Array; raw: Uint16Array }

function frames(data: Uint16Array, trains: number, pulses: number, run: number): ModuleFrames {
  return {
    proposal: 1, run, module: 15, trainIds: BigUint64Array.from({ length: trains }, (_, i) => 1000n + BigInt(i)), pulses,
    async *chunks() {
      const per = 7;
      for (let t = 0; t < trains; t += per) {
        const n = Math.min(per, trains - t);
        yield { firstTrain: t, trains: n, pulses, data: data.subarray(t * pulses * MODULE_PIXELS, (t + n) * pulses * MODULE_PIXELS) };
      }
    },
  };
}

export interface SyntheticOptions { trains?: number; pulses?: number; seed?: number; plane?: number[]; mirror?: boolean; planeP?: number[]; peak?: number }

/** A dark run and a run (intra-darks already dropped). */
export function syntheticRun(o: SyntheticOptions = {}): SyntheticRun {
  const trains = o.trains ?? 30, pulses = o.pulses ?? 10, rand = mulberry32(o.seed ?? 1);
  const pn = o.plane ?? TRUE_PLANE;
  const pp = o.planeP ?? [-pn[0], pn[1], pn[2], pn[3]];
  const pedestal = Float64Array.from({ length: pulses * MODULE_PIXELS }, () => 30 + 10 * rand());
  const darkRaw = new Uint16Array(trains * pulses * MODULE_PIXELS), raw = new Uint16Array(trains * pulses * MODULE_PIXELS);
  for (let f = 0; f < trains * pulses; f++) {
    const base = (f % pulses) * MODULE_PIXELS;
    for (let i = 0; i < MODULE_PIXELS; i++) darkRaw[f * MODULE_PIXELS + i] = Math.round(pedestal[base + i] + gauss(rand));
  }
  const beams = [[ROIS.n, pn], [ROIS['0'], null], [ROIS.p, pp]] as const;
  for (let f = 0; f < trains * pulses; f++) {
    const base = (f % pulses) * MODULE_PIXELS, out = raw.subarray(f * MODULE_PIXELS, (f + 1) * MODULE_PIXELS);
    for (let i = 0; i < MODULE_PIXELS; i++) out[i] = Math.round(pedestal[base + i] + gauss(rand));
    const peak = (o.peak ?? 250) * (0.3 + 0.7 * rand()), cx = 2 * gauss(rand), cy = 1.5 * gauss(rand);
    for (const [r, plane] of beams) {
      const w = r.xh - r.xl, h = r.yh - r.yl;
      for (let y = r.yl; y < r.yh; y++) {
        for (let x = r.xl; x < r.xh; x++) {
          const X = x - r.xl - (w - 1) / 2, Y = y - r.yl - (h - 1) / 2;
          const t = plane ? plane[0] * X + plane[1] * Y + plane[3] : 1;
          const s = peak * t * Math.exp(-((X - cx) ** 2) / (2 * 12 ** 2) - ((Y - cy) ** 2) / (2 * 9 ** 2));
          const k = y * MODULE_COLS + x;
          out[k] = Math.min(511, Math.max(0, Math.round(out[k] + s + Math.sqrt(Math.max(s, 0) / 2) * gauss(rand))));
        }
      }
    }
  }
  return { dark: frames(darkRaw, trains, pulses, 2), run: frames(raw, trains, pulses, 3), darkRaw, raw };
}
