/**
 * Digitizer mnemonic families as the Python toolbox names them: raw traces
 * (`MCP<n>raw`, `FastADC<n>raw`, `FastADC2_<n>raw`) and the devices' own
 * per-pulse integrals (`MCP<n>apd`, `FastADC<n>peaks`, `FastADC2_<n>peaks`).
 * Once on the pulse axis, both forms of a channel become one variable,
 * `<channel>peaks`, as in the Python toolbox (MCP2raw and MCP2apd → MCP2peaks).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { type PulseLocation, checkLocation, extractBunchPattern } from '../../misc/bunch-pattern-bits.js';
import type { PulseIdsPerTrain } from '../../misc/bunch-pattern.js';

/** Raw-trace mnemonics of the ADQ412 and both FastADCs. */
export const RAW_TRACE = /^(MCP\d+|FastADC\d+|FastADC2_\d+)raw$/;
/** On-board integral mnemonics: MCP<n>apd (ADQ412), FastADC<n>peaks, FastADC2_<n>peaks. */
export const ONBOARD_PEAKS = /^(MCP\d+apd|FastADC\d+peaks|FastADC2_\d+peaks)$/;

export const isRawTrace = (mnemonic: string): boolean => RAW_TRACE.test(mnemonic);
export const isOnboardPeaks = (mnemonic: string): boolean => ONBOARD_PEAKS.test(mnemonic);
/** A mnemonic load() and the peak wrappers put on the pulse axis. */
export const isDigitizerMnemonic = (mnemonic: string): boolean => isRawTrace(mnemonic) || isOnboardPeaks(mnemonic);

/** The on-board counterpart of a raw-trace mnemonic (MCP1raw → MCP1apd, FastADC5raw → FastADC5peaks). */
export function onboardName(rawMnemonic: string): string {
  if (/^MCP\d+raw$/.test(rawMnemonic)) return rawMnemonic.replace(/raw$/, 'apd');
  if (isRawTrace(rawMnemonic)) return rawMnemonic.replace(/raw$/, 'peaks');
  throw new ParameterError(`'${rawMnemonic}' has no on-board peak counterpart; use MCP<n>raw, FastADC<n>raw or FastADC2_<n>raw`, { parameter: 'mnemonic', value: rawMnemonic });
}

/** The raw-trace counterpart of an on-board mnemonic (MCP1apd → MCP1raw, FastADC5peaks → FastADC5raw). */
export function rawName(onboardMnemonic: string): string {
  if (!isOnboardPeaks(onboardMnemonic)) throw new ParameterError(`'${onboardMnemonic}' is not an on-board peak mnemonic; use MCP<n>apd, FastADC<n>peaks or FastADC2_<n>peaks`, { parameter: 'mnemonic', value: onboardMnemonic });
  return onboardMnemonic.replace(/(apd|peaks)$/, 'raw');
}

/** The variable a digitizer mnemonic becomes on the pulse axis (MCP2raw, MCP2apd → MCP2peaks). */
export const peaksName = (mnemonic: string): string => mnemonic.replace(/(raw|apd)$/, 'peaks');

/**
 * Throws when two of `mnemonics` would become the same peaks variable (a raw
 * trace and its device integrals): the Python toolbox then fails with a bare
 * merge conflict; here the message says why and what to do.
 */
export function checkPeakNameClashes(fn: string, mnemonics: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const mn of mnemonics) {
    if (!isDigitizerMnemonic(mn)) continue;
    const name = peaksName(mn);
    const other = seen.get(name);
    if (other !== undefined && other !== mn) {
      const [raw, onboard] = isRawTrace(other) ? [other, mn] : [mn, other];
      const way = fn === 'load' ? `keep the raw trace as it is with extractDigitizers: false (load) and integrate it with getPeaks(run, '${raw}')`
        : `get the other one with getPeaks(run, '${other}') and rename it`;
      throw new ToolBoxValueError(`${fn}: '${raw}' and '${onboard}' would both become the variable '${name}': the raw trace ${raw} is integrated into ${name}, `
        + `and ${onboard} is the device's own ${name}. Ask for one of them, or ${way}.`);
    }
    seen.set(name, mn);
  }
}

/** Python's bunchPattern: a location, or null / 'None' for no bunch pattern. */
export function peaksLocation(bunchPattern: PulseLocation | string | null | undefined, dflt: PulseLocation): PulseLocation | null {
  if (bunchPattern === undefined) return dflt;
  if (bunchPattern === null || bunchPattern === 'None') return null;
  return checkLocation(bunchPattern);
}

/** Pulse IDs per train of `loc` from a bunch pattern table (Python's `bpt` argument), dims (trainId, pulse_slot). */
export function patternFromTable(bpt: DataArray, loc: PulseLocation): PulseIdsPerTrain {
  if (!(bpt instanceof DataArray) || !bpt.coords.trainId) throw new ParameterError('bpt must be a bunch pattern table DataArray (trainId, pulse_slot) with a trainId coordinate', { parameter: 'bpt', value: bpt });
  const { bunchPattern, npulses } = extractBunchPattern(bpt, loc);
  const width = bunchPattern.shape[1];
  const ids = bunchPattern.values as BigUint64Array;
  const counts = Array.from(npulses.values as BigInt64Array, Number);
  return {
    trainIds: Array.from(bpt.coords.trainId.values as ArrayLike<bigint | number>, Number),
    pulseIds: counts.map((c, t) => Array.from({ length: c }, (_, k) => Number(ids[t * width + k]))),
    from: 'table',
  };
}
