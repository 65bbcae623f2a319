/**
 * Peaks from the digitizer's own integrals instead of the raw trace (the
 * Python toolbox's useRaw=False): ADQ `…apd.pulseIntegral` and FastADC
 * `data.peaks` hold one value per pulse, the k-th pulse in entry k, so they
 * go on the bunch-pattern pulse axis like the XGM. The ADQ integrates a
 * negative-going signal; its sign is flipped so larger pulses are larger.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { type Slice, sliceIndices } from '../../arrays/slice.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import type { PulseLocation } from '../../misc/bunch-pattern-bits.js';
import { type PulseIdsPerTrain, pulseIdsPerTrain } from '../../misc/bunch-pattern.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataCollection } from '../../run/data-collection.js';
import { PULSE_DIMS, onPulseAxis } from '../pulse-axis.js';
import { isOnboardPeaks, patternFromTable, peaksLocation } from './names.js';

export { ONBOARD_PEAKS, onboardName } from './names.js';

export interface OnboardPeaksOptions {
  /** Pulses the entries belong to (default 'sase3'); null or 'None': no bunch pattern, entries chosen by `indices`. */
  bunchPattern?: PulseLocation | string | null;
  /** Polarity: -1 (default for the ADQ412) negates, +1 (default for the FastADC) keeps. */
  sign?: 1 | -1;
  /** The integrals already loaded, dims (trainId, entry), e.g. MCP2apd from load(…, {extractDigitizers: false}); default: read from the run. */
  data?: DataArray;
  /** A bunch pattern table (trainId, pulse_slot) to take the pulses from instead of the run's (Python's bpt). */
  bpt?: DataArray;
  /** Name of the pulse dimension (default from the bunch pattern: sa3_pId, sa1_pId, ol_pId; 'pulseNb' without). */
  extraDim?: string;
  /** Without a bunch pattern: the entries to keep, positions or a slice (required then). */
  indices?: readonly number[] | Slice<number | null>;
  /** The bunch pattern as pulseIdsPerTrain returned it, so that several channels share one read. */
  pulsePattern?: PulseIdsPerTrain | null;
}
export const ONBOARD_PEAKS_OPTIONS = optionNames<OnboardPeaksOptions>({
  bunchPattern: true, sign: true, data: true, bpt: true, extraDim: true, indices: true, pulsePattern: true,
});

/** Entries `indices` of every train, on a 'pulseNb' (or extraDim) axis labelled by the entry. */
function entriesByIndex(raw: DataArray, name: string, indices: readonly number[] | Slice<number | null>, dim: string, sign: number): DataArray {
  const n = raw.shape[1];
  const pos = Array.isArray(indices) ? [...indices as readonly number[]] : (() => {
    const s = sliceIndices(indices as Slice<number | null>, n);
    return Array.from({ length: s.length }, (_, k) => s.start + k * s.step);
  })();
  const bad = pos.find((p) => !Number.isInteger(p) || p < 0 || p >= n);
  if (bad !== undefined) throw new ToolBoxValueError(`${name}: index ${bad} is outside the ${n} entries the device records`);
  const src = raw.values as ArrayLike<number>;
  const rows = raw.shape[0];
  const out = new Float32Array(rows * pos.length);
  for (let r = 0; r < rows; r++) pos.forEach((p, k) => { out[r * pos.length + k] = sign * src[r * n + p]; });
  return new DataArray(out, {
    dims: ['trainId', dim], shape: [rows, pos.length], name, attrs: raw.attrs,
    coords: { trainId: raw.coords.trainId, [dim]: BigInt64Array.from(pos, (p) => BigInt(p)) },
  });
}

/** The device's per-pulse integrals of `mnemonic` (MCP<n>apd, FastADC<n>peaks or FastADC2_<n>peaks) on the pulse axis. */
export async function getOnboardPeaks(run: DataCollection, mnemonic: string, options: OnboardPeaksOptions = {}): Promise<DataArray> {
  options = checkOptions('getOnboardPeaks', options, ONBOARD_PEAKS_OPTIONS);
  return onboardPeaks(run, mnemonic, options);
}

/** getOnboardPeaks without the options check, for the entry points that checked their own. */
export async function onboardPeaks(run: DataCollection, mnemonic: string, options: OnboardPeaksOptions): Promise<DataArray> {
  if (!isOnboardPeaks(mnemonic)) throw new ParameterError(`'${mnemonic}' is not an on-board peak mnemonic; use MCP<n>apd, FastADC<n>peaks or FastADC2_<n>peaks`, { parameter: 'mnemonic', value: mnemonic });
  const loc = peaksLocation(options.bunchPattern, 'sase3');
  const m = options.data ? null : resolveMnemonic(mnemonic, run);
  const sign = options.sign ?? (mnemonic.startsWith('MCP') ? -1 : 1);
  const raw = options.data ?? await run.getArray(m!.source, m!.key, { extraDims: ['peakId'] });
  if (raw.ndim !== 2 || raw.dims[0] !== 'trainId' || !raw.coords.trainId) {
    throw new ToolBoxValueError(`${mnemonic}: the device integrals must have dims (trainId, entry) with a trainId coordinate, got (${raw.dims.join(', ')})`);
  }
  const where = { ...(m ? { source: m.source, key: m.key } : {}), sign, onboard: true };
  if (loc === null) {
    if (options.indices === undefined) throw new ParameterError(`${mnemonic}: without a bunch pattern, give indices (the entries of the device integrals to keep)`, { parameter: 'indices', value: undefined });
    return entriesByIndex(raw, mnemonic, options.indices, options.extraDim ?? 'pulseNb', sign).assignAttrs(where);
  }
  const pattern = options.bpt ? patternFromTable(options.bpt, loc) : options.pulsePattern === undefined ? await pulseIdsPerTrain(run, loc) : options.pulsePattern;
  if (!pattern) throw new ToolBoxValueError(`no bunch pattern in this run: cannot tell which pulses the entries of ${mnemonic} belong to; give bunchPattern: null with indices`);
  const pulses = new Map(pattern.trainIds.map((t, i) => [t, pattern.pulseIds[i]] as const));
  return onPulseAxis(raw, mnemonic, options.extraDim ?? PULSE_DIMS[loc], pulses, (k) => k, sign).assignAttrs(where);
}
