/**
 * Peak-integration parameters (Python: integParams) and their automatic
 * determination from an average trace (find_integ_params).
 *
 * Windows are sample indices of the *first* pulse, stop exclusive; pulse k
 * sits `k × period` samples later. `period` and `npulses` only matter when
 * the run has no bunch pattern: otherwise the pattern decides both (see
 * peaks.ts).
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import type { PeakWindows } from './integrate.js';
import { checkOptions, optionNames } from '../../options.js';

export interface IntegParams extends PeakWindows {
  /** Samples between consecutive pulses. */
  period: number;
  /** Pulses per train. */
  npulses: number;
}

/** Throws naming `what` when a window is not integer indices (ParameterError), is empty or leaves the trace for some pulse. */
export function checkWindows(w: PeakWindows, nsamples: number, lastOffset: number, what: string): void {
  for (const [a, b, label] of [[w.pulseStart, w.pulseStop, 'pulse'], [w.baseStart, w.baseStop, 'baseline']] as const) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a >= b) {
      throw new ParameterError(`${what}: ${label} window [${a}, ${b}) must be integer sample indices with start < stop`, { parameter: 'integParams', value: w });
    }
    if (a < 0 || b + lastOffset > nsamples) {
      throw new ToolBoxValueError(`${what}: ${label} window [${a}, ${b}) shifted by up to ${lastOffset} samples for the last pulse lies outside the trace of ${nsamples} samples`);
    }
  }
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface FindIntegParamsOptions {
  /** -1 for negative-going signals (ADQ), +1 for positive ones. Default -1. */
  sign?: number;
  /** Samples between pulses, when known (from the bunch pattern); bounds the windows. */
  period?: number;
  /** Pulses per train; default 1. */
  npulses?: number;
  /** Name used in error messages. */
  name?: string;
}

const FIND_INTEG_PARAMS_OPTIONS = optionNames<FindIntegParamsOptions>({ sign: true, period: true, npulses: true, name: true });

/**
 * find_integ_params: locate the first peak of an average trace and derive
 * its integration and baseline windows.
 *
 * The baseline level is the trace median (most samples are baseline); the
 * first peak is the first sample above half the largest excursion; its
 * extent is where the signal stays above max(1 % of the peak, 3 noise σ)
 * (σ from the median absolute deviation). The pulse window pads that extent
 * by a quarter of its width before and a full width after, because
 * detector tails decay slowly and a clipped tail biases the area low. The
 * baseline window ends where the pulse window starts and is at most half the
 * free room between pulses, so that for later pulses it stays clear of the
 * previous pulse's tail.
 */
export function findIntegParams(trace: ArrayLike<number>, options: FindIntegParamsOptions = {}): IntegParams {
  options = checkOptions('findIntegParams', options, FIND_INTEG_PARAMS_OPTIONS);
  const name = options.name ?? 'trace';
  const sign = options.sign ?? -1;
  const n = trace.length;
  if (n < 4) throw new ToolBoxValueError(`${name}: the average trace has only ${n} samples, cannot find integration parameters`);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = trace[i];
  const level = median(s);
  for (let i = 0; i < n; i++) s[i] = sign * (s[i] - level);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(s[i]);
  const sigma = 1.4826 * median(dev);
  let amp = -Infinity;
  for (let i = 0; i < n; i++) if (s[i] > amp) amp = s[i];
  if (!(amp > 5 * sigma) || !(amp > 0)) {
    throw new ToolBoxValueError(`${name}: no peak found in the average trace (largest excursion ${amp} vs noise ${sigma.toPrecision(3)}); give integParams explicitly`);
  }
  let i0 = 0;
  while (s[i0] < 0.5 * amp) i0++;
  let ip = i0;
  for (let i = i0; i < n && s[i] >= 0.5 * amp; i++) if (s[i] > s[ip]) ip = i;
  const low = Math.max(0.01 * s[ip], 3 * sigma);
  let rise = ip;
  while (rise > 0 && s[rise - 1] > low) rise--;
  let fall = ip + 1;
  while (fall < n && s[fall] > low) fall++;
  const width = fall - rise;
  const period = options.period ?? 0;
  const npulses = options.npulses ?? 1;
  const pulseStart = Math.max(0, rise - Math.ceil(width / 4) - 2);
  let pulseStop = Math.min(n, fall + width);
  if (npulses > 1 && period > 0) pulseStop = Math.min(pulseStop, pulseStart + period);
  const room = npulses > 1 && period > 0 ? period - (pulseStop - pulseStart) : pulseStart;
  const baseLen = Math.min(pulseStart, Math.floor(room / 2));
  if (baseLen < 1) {
    throw new ToolBoxValueError(`${name}: no room for a baseline window before the first peak (pulse window [${pulseStart}, ${pulseStop}), period ${period}); give integParams explicitly`);
  }
  return { pulseStart, pulseStop, baseStart: pulseStart - baseLen, baseStop: pulseStart, period: period || n, npulses };
}
