/**
 * The ADQ412 digitizer pipeline of a synthetic SCS run
 * (`SCS_UTC1_ADQ/ADC/1:network`, index group `digitizers`,
 * docs/run-format.md, Digitizers): one int16 trace per train with a
 * negative-going peak per SASE3 pulse, at the pulse's bunch-pattern
 * position, proportional to the pulse energy the XGM records.
 */
import { Random } from '../random.js';
import { type RunContext, presence } from './mock-sources.js';
import type { InstrumentSourceSpec } from './spec.js';

export const ADQ_SOURCE = 'SCS_UTC1_ADQ/ADC/1:network';
/** Entries of the on-board pulse-integral array per train (the first n hold the n pulses). */
export const ADQ_APD_SLOTS = 1000;

/** Area of the unit peak shape: a pulse of amplitude a integrates to a × this (−a × this on the negative-going ADQ). */
export function peakArea(rise: number, decay: number): number {
  return peakShape(rise, decay).reduce((acc, v) => acc + v, 0);
}

/** The unit peak shape over `length` samples (see MockPhysics.adq). */
export function peakShape(rise: number, decay: number): Float64Array {
  const length = rise + 8 * decay;
  return Float64Array.from({ length }, (_, x) => (x < rise ? (x / rise) * Math.exp(1 - x / rise) : Math.exp(-(x - rise) / decay)));
}

export function adqSource(ctx: RunContext, sequence: number, a: number, b: number): InstrumentSourceSpec {
  const { phys } = ctx;
  const q = phys.adq;
  const { counts, rows } = presence(ctx, ADQ_SOURCE, a, b);
  const shape = peakShape(q.riseSamples, q.decaySamples);
  const sase3 = phys.bunchPattern.sase3PulseIds;
  const starts = sase3.map((p) => q.firstPulseSample + (p - sase3[0]) * q.samplesPerPulseId);
  const rng = new Random((ctx.seed * 7919 + 104729 + sequence) >>> 0);
  const trace = new Float64Array(q.samples);
  const produce = (first: number, count: number, out: ArrayLike<number> & { [i: number]: number }): void => {
    for (let e = 0; e < count; e++) {
      const t = rows[first + e];
      for (let s = 0; s < q.samples; s++) trace[s] = q.baseline + q.noise * rng.normal();
      starts.forEach((start, k) => {
        const amp = ctx.dark ? 0 : q.amplitudePerUJ * ctx.energies[t * sase3.length + k];
        const end = Math.min(q.samples, start + shape.length);
        for (let s = start; s < end; s++) trace[s] -= amp * shape[s - start];
      });
      const base = e * q.samples;
      for (let s = 0; s < q.samples; s++) out[base + s] = Math.max(-32768, Math.min(32767, Math.round(trace[s])));
    }
  };
  const n = rows.length;
  // the device's own integrals: the exact (negative) area of each SASE3 pulse, in its first slots
  const shapeSum = peakArea(q.riseSamples, q.decaySamples);
  const apd = new Float32Array(n * ADQ_APD_SLOTS);
  if (!ctx.dark) rows.forEach((t, r) => sase3.forEach((_, k) => { apd[r * ADQ_APD_SLOTS + k] = -q.amplitudePerUJ * ctx.energies[t * sase3.length + k] * shapeSum; }));
  return {
    indexGroups: {
      digitizers: {
        counts,
        keys: {
          [`${q.channel}.raw.samples`]: { dtype: 'int16', entryShape: [q.samples], values: new Int16Array(0), produce: (f, c, out) => produce(f, c, out as Int16Array) },
          [`${q.channel}.raw.length`]: { dtype: 'uint32', entryShape: [], values: new Uint32Array(n).fill(q.samples) },
          [`${q.channel}.raw.position`]: { dtype: 'uint32', entryShape: [], values: new Uint32Array(n) },
          [`${q.channel}.raw.triggerId`]: { dtype: 'uint64', entryShape: [], values: BigUint64Array.from(rows, (t) => ctx.trainIds[t]) },
          [`${q.channel}.apd.pulseIntegral`]: { dtype: 'float32', entryShape: [ADQ_APD_SLOTS], values: apd },
        },
      },
    },
  };
}
