/**
 * The picture of check_peak_params: the average trace around the first and
 * the last pulse with the baseline and pulse integration windows shaded, so
 * one sees at a glance whether the windows sit on the peaks.
 */
import type { PeakParamsCheck, PulseWindowView } from '../detectors/digitizers/check.js';
import { checkOptions, optionNames } from '../options.js';
import { Plot } from './plot.js';
import { VEGALITE_SCHEMA, type VegaLiteSpec, quantitative } from './spec.js';
import { jsonNumber } from './values.js';

/** Options of peakParamsPlot. */
export interface PeakParamsPlotOptions {
  /** Title above the two panels. */
  title?: string;
  /** Size of each of the two panels (default 300 × 200). */
  width?: number;
  /** Panel height in pixels (default 200). */
  height?: number;
}
const PEAK_PARAMS_PLOT_OPTIONS = optionNames<PeakParamsPlotOptions>({ title: true, width: true, height: true });

const WINDOW_COLOURS = { domain: ['baseline', 'pulse'], range: ['#9ecae1', '#fdae6b'] };

type Windows = Pick<PulseWindowView, 'pulseWindow' | 'baseWindow'>;

function panel(start: number, segment: Float64Array, pulses: readonly Windows[], title: string, options: PeakParamsPlotOptions): VegaLiteSpec {
  const trace = Array.from(segment, (v, i) => ({ sample: start + i, value: jsonNumber(v) }));
  // Windows are [start, stop) in samples: shade through the end of the last sample.
  const windows = pulses.flatMap((p) => [
    { window: 'baseline', from: p.baseWindow[0], to: p.baseWindow[1] },
    { window: 'pulse', from: p.pulseWindow[0], to: p.pulseWindow[1] },
  ]);
  const x = quantitative('sample', 'sample', { zero: false, nice: false, domain: [start, start + Math.max(1, segment.length - 1)] });
  return {
    title,
    width: options.width ?? 300,
    height: options.height ?? 200,
    layer: [
      {
        data: { values: windows },
        mark: { type: 'rect', opacity: 0.5, clip: true },
        encoding: { x: { ...quantitative('from', 'sample'), scale: x.scale }, x2: { field: 'to' }, color: { field: 'window', type: 'nominal', title: 'window', scale: WINDOW_COLOURS } },
      },
      {
        data: { values: trace },
        mark: { type: 'line', color: 'black', strokeWidth: 1, clip: true },
        encoding: { x, y: quantitative('value', 'average trace', { zero: false }) },
      },
    ],
  };
}

const pulsePanel = (view: PulseWindowView, which: string, options: PeakParamsPlotOptions): VegaLiteSpec => panel(view.start, view.segment, [view], `${which} pulse (${view.pulse})`, options);

/** The average trace of a checkPeakParams result with its baseline and integration windows shaded (first and last pulse, or all with showAll). */
export function peakParamsPlot(check: PeakParamsCheck, options: PeakParamsPlotOptions = {}): Plot {
  checkOptions('plot.peakParamsPlot', options, PEAK_PARAMS_PLOT_OPTIONS);
  const p = check.params;
  const title = options.title ?? `${check.autoFind ? 'found' : 'given'} parameters: pulse ${p.pulseStart}-${p.pulseStop}, baseline ${p.baseStart}-${p.baseStop}, period ${p.period}, ${p.npulses} pulses`;
  const spec: VegaLiteSpec = {
    $schema: VEGALITE_SCHEMA,
    title,
    background: 'white',
    // showAll: the entire trace with every pulse's windows (Python's show_all=True).
    ...(check.all
      ? { vconcat: [panel(check.all.start, check.all.segment, check.all.pulses, `all ${check.all.pulses.length} pulses`, { ...options, width: options.width ?? 900 })] }
      : { hconcat: [pulsePanel(check.first, 'first', options), pulsePanel(check.last, 'last', options)], resolve: { scale: { y: 'independent' } } }),
  };
  return new Plot({ description: `peak integration windows: ${title}`, spec: () => spec });
}
