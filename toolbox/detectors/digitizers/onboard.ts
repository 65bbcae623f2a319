/**
 * Peaks from the digitizer's own integrals instead of the raw trace (the
 * Python toolbox's useRaw=False): ADQ `…apd.pulseIntegral` and FastADC
 * `data.peaks` hold one value per pulse, the k-th pulse in entry k, so they
 * go on the bunch-pattern pulse axis like the XGM. The ADQ integrates a
 * negative-going signal; its sign is flipped so larger pulses are larger.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import { type PulseLocation, checkLocation } from '../../misc/bunch-pattern-bits.js';
import type { DataCollection } from '../../run/data-collection.js';
import { PULSE_DIMS, onPulseAxis, pulsesByTrain } from '../pulse-axis.js';

/** On-board integral mnemonics: MCP<n>apd (ADQ412) and FastADC<n>peaks. */
export const ONBOARD_PEAKS = /^(MCP\d+apd|FastADC\d+peaks)$/;

/** The on-board counterpart of a raw-trace mnemonic (MCP1raw → MCP1apd, FastADC5raw → FastADC5peaks). */
export function onboardName(rawMnemonic: string): string {
  if (/^MCP\d+raw$/.test(rawMnemonic)) return rawMnemonic.replace(/raw$/, 'apd');
  if (/^FastADC\d+raw$/.test(rawMnemonic)) return rawMnemonic.replace(/raw$/, 'peaks');
  throw new ParameterError(`'${rawMnemonic}' has no on-board peak counterpart; use MCP<n>raw or FastADC<n>raw`, { parameter: 'mnemonic', value: rawMnemonic });
}

export interface OnboardPeaksOptions {
  /** Pulses the entries belong to (default 'sase3'). */
  bunchPattern?: PulseLocation | string;
  /** Polarity: -1 (default for the ADQ412) negates, +1 (default for the FastADC) keeps. */
  sign?: 1 | -1;
}

/** The device's per-pulse integrals of `mnemonic` (MCP<n>apd or FastADC<n>peaks) on the pulse axis. */
export async function getOnboardPeaks(run: DataCollection, mnemonic: string, options: OnboardPeaksOptions = {}): Promise<DataArray> {
  if (!ONBOARD_PEAKS.test(mnemonic)) throw new ParameterError(`'${mnemonic}' is not an on-board peak mnemonic; use MCP<n>apd or FastADC<n>peaks`, { parameter: 'mnemonic', value: mnemonic });
  const loc = checkLocation(options.bunchPattern ?? 'sase3');
  const m = resolveMnemonic(mnemonic, run);
  const sign = options.sign ?? (mnemonic.startsWith('MCP') ? -1 : 1);
  const raw = await run.getArray(m.source, m.key, { extraDims: ['peakId'] });
  const pulses = await pulsesByTrain(run, loc);
  if (!pulses) throw new ToolBoxValueError(`no bunch pattern in this run: cannot tell which pulses the entries of ${mnemonic} belong to`);
  return onPulseAxis(raw, mnemonic, PULSE_DIMS[loc], pulses, (k) => k, sign)
    .assignAttrs({ source: m.source, key: m.key, sign, onboard: true });
}
