/**
 * Synthetic per-module results of DSSC binning, in the layout the Python
 * toolbox writes (group 'data': binned images over (scan variable, pulse
 * pattern, x, y) plus counts per bin), with known physics so a reader can
 * check what it recovers: a scattering ring whose pumped intensity rises as
 * amplitude * (1 - exp(-delay / tau)) for delay > 0.
 */
import { DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { Random } from './random.js';

export interface BinnedTruth {
  amplitude: number;
  tau: number;
  background: number;
  ringRadius: number;
  ringWidth: number;
  noise: number;
}

export interface SyntheticBinnedOptions {
  module: number;
  delays?: number[];
  x?: number;
  y?: number;
  seed?: number;
  truth?: Partial<BinnedTruth>;
}

export const DEFAULT_TRUTH: BinnedTruth = {
  amplitude: 0.25, tau: 1.5, background: 10, ringRadius: 12, ringWidth: 3, noise: 0.01,
};

/** The relative pump-probe signal at a delay (ps), as put into the data. */
export function pumpProbeSignal(delay: number, truth: BinnedTruth = DEFAULT_TRUTH): number {
  return delay > 0 ? truth.amplitude * (1 - Math.exp(-delay / truth.tau)) : 0;
}

/** One module's binned result: variables 'data' (delay, pulse, x, y) float32 and 'counts' (delay) int64. */
export function syntheticBinnedModule(options: SyntheticBinnedOptions): Dataset {
  const delays = options.delays ?? [-1, -0.5, 0, 0.5, 1, 2, 3, 5];
  const nx = options.x ?? 16;
  const ny = options.y ?? 32;
  const truth = { ...DEFAULT_TRUTH, ...(options.truth ?? {}) };
  const rng = new Random((options.seed ?? 1) * 7919 + options.module);
  const pulses = ['pumped', 'unpumped'];
  const img = new Float32Array(delays.length * pulses.length * nx * ny);
  // every module sees the ring (a demo with few modules must still show the
  // signal); a small per-module shift keeps the modules distinguishable
  const x0 = -nx / 2 - (options.module % 4);
  const y0 = -ny / 2 - Math.floor(options.module / 4);
  let k = 0;
  for (const delay of delays) {
    for (const pulse of pulses) {
      const gain = pulse === 'pumped' ? 1 + pumpProbeSignal(delay, truth) : 1;
      for (let ix = 0; ix < nx; ix++) {
        for (let iy = 0; iy < ny; iy++) {
          const r = Math.hypot(x0 + ix, y0 + iy);
          const ring = Math.exp(-0.5 * ((r - truth.ringRadius) / truth.ringWidth) ** 2);
          img[k++] = truth.background * (1 + gain * ring) * (1 + truth.noise * rng.normal());
        }
      }
    }
  }
  const counts = BigInt64Array.from(delays, (_, i) => BigInt(100 + ((i * 37 + options.module) % 11)));
  return new Dataset(
    {
      data: new DataArray(img, { dims: ['module', 'delay', 'pulse', 'x', 'y'], shape: [1, delays.length, pulses.length, nx, ny] }),
      counts: new DataArray(counts, { dims: ['module', 'delay'], shape: [1, delays.length] }),
    },
    {
      coords: {
        module: ['module', [options.module]],
        delay: ['delay', Float64Array.from(delays), { units: 'ps' }],
        pulse: ['pulse', pulses],
      },
      attrs: { description: 'synthetic DSSC binning result', ...truth },
    },
  );
}
