/**
 * check_peak_params: the integration parameters get_peaks would use, and
 * the average-trace segments around the first and last pulse with their
 * windows, so a notebook (or the optional vega-lite spec) can show whether
 * the windows sit on the peaks.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import type { PulseLocation } from '../../misc/bunch-pattern-bits.js';
import type { DataCollection } from '../../run/data-collection.js';
import { getDigAvgTrace } from './avg-trace.js';
import { type ChannelSpec, traceChannel, traceInfo } from './channels.js';
import type { IntegParams } from './params.js';
import { peaksLocation } from './names.js';
import { pulseLayout, resolveParams } from './peaks.js';
import { checkOptions, optionNames } from '../../options.js';

export interface PulseWindowView {
  /** Pulse ID (or pulse number without bunch pattern). */
  pulse: number;
  /** Sample index of segment[0]. */
  start: number;
  /** Average trace around the pulse. */
  segment: Float64Array;
  /** Absolute sample windows of this pulse, stop exclusive. */
  pulseWindow: [number, number];
  baseWindow: [number, number];
}

/** The whole average trace with every pulse's windows (showAll). */
export interface AllPulsesView {
  /** Sample index of segment[0] (0: the whole trace). */
  start: number;
  segment: Float64Array;
  /** Every pulse with its absolute windows, stop exclusive. */
  pulses: { pulse: number; pulseWindow: [number, number]; baseWindow: [number, number] }[];
}

export interface PeakParamsCheck {
  params: IntegParams;
  autoFind: boolean;
  first: PulseWindowView;
  last: PulseWindowView;
  /** Differences between given parameters and the bunch pattern (the pattern wins). */
  warnings: string[];
  /** With showAll: the entire trace and the windows of all pulses. */
  all?: AllPulsesView;
}

export interface CheckPeakParamsOptions {
  /** Average trace to use instead of loading one. */
  rawTrace?: DataArray | ArrayLike<number>;
  /** Trains for the average trace (default 200, evenly spaced). */
  ntrains?: number;
  /** Given parameters; none → found automatically. */
  params?: Partial<IntegParams>;
  /** Pulses to check the parameters against (default 'sase3'); null or 'None': integParams' period and npulses. */
  bunchPattern?: PulseLocation | 'None' | null;
  /** Also give the entire trace with the windows of every pulse (default false: first and last pulse only). */
  showAll?: boolean;
}
export const CHECK_PEAK_PARAMS_OPTIONS = optionNames<CheckPeakParamsOptions>({ rawTrace: true, ntrains: true, params: true, bunchPattern: true, showAll: true });

/**
 * check_peak_params: the integration parameters get_peaks would use for a
 * channel (raw or on-board mnemonic: MCP2apd names the trace of MCP2raw)
 * and the average trace around the first and last pulse with the windows.
 */
export async function checkPeakParams(run: DataCollection, mnemonic: ChannelSpec, options: CheckPeakParamsOptions = {}): Promise<PeakParamsCheck> {
  return peakParamsCheck(run, mnemonic, checkOptions('checkPeakParams', options, CHECK_PEAK_PARAMS_OPTIONS));
}

/** checkPeakParams without the options check, for the entry points that checked their own. */
export async function peakParamsCheck(run: DataCollection, mnemonic: ChannelSpec, options: CheckPeakParamsOptions): Promise<PeakParamsCheck> {
  const ch = traceChannel(run, mnemonic);
  const { nsamples } = traceInfo(run, ch);
  const loc = peaksLocation(options.bunchPattern, 'sase3');
  const layout = await pulseLayout(run, ch, loc, options.params ?? {});
  const { params, auto } = await resolveParams(run, ch, layout, nsamples, { integParams: options.params, ntrainsAvg: options.ntrains });
  const warnings: string[] = [];
  const g = options.params ?? {};
  if (g.period !== undefined && g.period !== params.period) warnings.push(`period ${g.period} differs from the bunch pattern's ${params.period} samples; using ${params.period}`);
  if (g.npulses !== undefined && g.npulses !== params.npulses) warnings.push(`npulses ${g.npulses} differs from the bunch pattern's ${params.npulses}; using ${params.npulses}`);
  const raw = options.rawTrace;
  const trace = raw === undefined ? (await getDigAvgTrace(run, ch, { ntrains: options.ntrains ?? 200 })).values as Float64Array
    : Float64Array.from(('values' in raw ? raw.values : raw) as ArrayLike<number>);
  const windows = (pulse: number) => {
    const off = layout.offsetOf(pulse);
    return { pulse, pulseWindow: [params.pulseStart + off, params.pulseStop + off] as [number, number], baseWindow: [params.baseStart + off, params.baseStop + off] as [number, number] };
  };
  const view = (pulse: number): PulseWindowView => {
    const off = layout.offsetOf(pulse);
    const lo = Math.min(params.baseStart, params.pulseStart) + off;
    const hi = Math.max(params.baseStop, params.pulseStop) + off;
    const pad = Math.ceil((hi - lo) / 4);
    const start = Math.max(0, lo - pad);
    return { ...windows(pulse), start, segment: trace.slice(start, Math.min(trace.length, hi + pad)) };
  };
  const result: PeakParamsCheck = { params, autoFind: auto, first: view(layout.ids[0]), last: view(layout.ids[layout.ids.length - 1]), warnings };
  if (options.showAll) result.all = { start: 0, segment: trace, pulses: layout.ids.map(windows) };
  return result;
}
