/**
 * A FastADC channel of a synthetic SCS run (`SCS_UTC1_MCP/ADC/1:channel_<n>.output`,
 * index group `data`, docs/run-format.md, Digitizers; the device name is unverified):
 * a photodiode seeing the SCS pump-probe laser, one positive peak per laser
 * pulse at 24 samples per 4.5 MHz bucket, plus the device's own per-pulse
 * integrals in `data.peaks`.
 */
import { Random } from '../random.js';
import { peakArea, peakShape } from './mock-adq.js';
import { fastAdcAmplitude } from './mock-physics.js';
import { type RunContext, presence } from './mock-sources.js';
import type { InstrumentSourceSpec } from './spec.js';

export const fastAdcSource = (channel: number): string => `SCS_UTC1_MCP/ADC/1:channel_${channel}.output`;
const PEAK_SLOTS = 1000;

export function fastAdcSourceSpec(ctx: RunContext, sequence: number, a: number, b: number): { source: string; spec: InstrumentSourceSpec } {
  const { phys } = ctx;
  const q = phys.fastAdc;
  const source = fastAdcSource(q.channel);
  const { counts, rows } = presence(ctx, source, a, b);
  const shape = peakShape(q.riseSamples, q.decaySamples);
  const shapeSum = peakArea(q.riseSamples, q.decaySamples);
  const laser = phys.bunchPattern.laserPulseIds;
  const starts = laser.map((p) => q.firstPulseSample + (p - laser[0]) * q.samplesPerPulseId);
  const rng = new Random((ctx.seed * 7919 + 15485863 + sequence) >>> 0);
  const raw = new Uint16Array(rows.length * q.samples);
  const peaks = new Float32Array(rows.length * PEAK_SLOTS);
  const trace = new Float64Array(q.samples);
  rows.forEach((t, r) => {
    for (let s = 0; s < q.samples; s++) trace[s] = q.baseline + q.noise * rng.normal();
    starts.forEach((start, k) => {
      const amp = fastAdcAmplitude(phys, t, k);
      for (let s = start; s < Math.min(q.samples, start + shape.length); s++) trace[s] += amp * shape[s - start];
      peaks[r * PEAK_SLOTS + k] = amp * shapeSum;
    });
    for (let s = 0; s < q.samples; s++) raw[r * q.samples + s] = Math.max(0, Math.min(65535, Math.round(trace[s])));
  });
  return {
    source,
    spec: {
      indexGroups: {
        data: {
          counts,
          keys: {
            rawData: { dtype: 'uint16', entryShape: [q.samples], values: raw },
            peaks: { dtype: 'float32', entryShape: [PEAK_SLOTS], values: peaks },
            baseline: { dtype: 'float64', entryShape: [], values: new Float64Array(rows.length).fill(q.baseline) },
          },
        },
      },
    },
  };
}
