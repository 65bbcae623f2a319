/**
 * histogram_module and inspect_histogram: how often each 9-bit raw value
 * occurs over a module (all trains, pulses and unmasked pixels), the
 * picture the non-linearity fit works on (docs/boz.md, Data, dark and ROIs).
 */
import { checkOptions, optionNames } from '../../options.js';
import { Plot } from '../../plots/plot.js';
import { quantitative, topLevel } from '../../plots/spec.js';
import { withPlot } from '../../plots/with-plot.js';
import { type ModuleMaskInput, eachChunk, maskOf } from './inputs.js';
import { ADC_LEVELS, MODULE_PIXELS, type ModuleFrames } from './types.js';

export interface HistogramModuleOptions {
  /** Bad pixels (1 = bad) are not counted. */
  mask?: ModuleMaskInput;
  signal?: AbortSignal;
}
const HISTOGRAM_OPTIONS = optionNames<HistogramModuleOptions>({ mask: true, signal: true });

/** Python: histogram_module. Counts of raw values 0…511 over all frames and unmasked pixels (512 entries). */
export async function histogramModule(arr: ModuleFrames, options: HistogramModuleOptions = {}): Promise<Float64Array> {
  checkOptions('histogramModule', options, HISTOGRAM_OPTIONS);
  return histogramOf(arr, maskOf(`histogramModule (run ${arr.run}, module ${arr.module})`, options.mask), options.signal);
}

async function histogramOf(arr: ModuleFrames, mask: Uint8Array, signal?: AbortSignal): Promise<Float64Array> {
  const good = Int32Array.from({ length: MODULE_PIXELS }, (_, p) => p).filter((p) => !mask[p]);
  const counts = new Float64Array(ADC_LEVELS);
  // integer counts per chunk: exact, and a Uint32 bin cannot overflow within one chunk of ≤ 4e9 values
  const bins = new Uint32Array(ADC_LEVELS);
  await eachChunk(arr, 'histogramModule', signal, (c) => {
    bins.fill(0);
    const d = c.data;
    for (let f = 0; f < c.trains * c.pulses; f++) {
      const base = f * MODULE_PIXELS;
      for (let i = 0; i < good.length; i++) bins[d[base + good[i]]]++;
    }
    for (let v = 0; v < ADC_LEVELS; v++) counts[v] += bins[v];
  });
  return counts;
}

export interface InspectHistogramOptions {
  /** The dark run's frames: their histogram is drawn too. */
  arrDark?: ModuleFrames;
  mask?: ModuleMaskInput;
  /** Draw rules every 32 raw values (the ADC's periodic structure shows as steps there). Default false. */
  extraLines?: boolean;
  signal?: AbortSignal;
}
const INSPECT_HISTOGRAM_OPTIONS = optionNames<InspectHistogramOptions>({ arrDark: true, mask: true, extraLines: true, signal: true });

/** What inspectHistogram shows (Python returns (h, hd) and the figure). */
export interface HistogramInspection { h: Float64Array; hd: Float64Array | null; plot: Plot }

/** Python: inspect_histogram. The histograms of the run (and dark run) on a log scale. */
export async function inspectHistogram(arr: ModuleFrames, options: InspectHistogramOptions = {}): Promise<HistogramInspection> {
  checkOptions('inspectHistogram', options, INSPECT_HISTOGRAM_OPTIONS);
  const mask = maskOf(`inspectHistogram (run ${arr.run}, module ${arr.module})`, options.mask);
  const h = await histogramOf(arr, mask, options.signal);
  const hd = options.arrDark ? await histogramOf(options.arrDark, mask, options.signal) : null;
  const rows: { v: number; count: number; run: string }[] = [];
  const add = (x: Float64Array, name: string) => x.forEach((c, v) => { if (c > 0) rows.push({ v, count: c, run: name }); });
  add(h, `run ${arr.run}`);
  if (hd && options.arrDark) add(hd, `dark run ${options.arrDark.run}`);
  const layers: object[] = [{
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: { x: quantitative('v', 'raw value (ADU)', { domain: [0, ADC_LEVELS] }), y: quantitative('count', 'counts', { type: 'log' }), color: { field: 'run', type: 'nominal', title: null } },
  }];
  if (options.extraLines) {
    layers.push({ data: { values: Array.from({ length: ADC_LEVELS / 32 - 1 }, (_, i) => ({ at: 32 * (i + 1) })) }, mark: { type: 'rule', opacity: 0.3 }, encoding: { x: { field: 'at', type: 'quantitative' } } });
  }
  const spec = topLevel({ title: `raw value histogram, module ${arr.module}` }, { data: { values: rows }, layer: layers });
  const plot = new Plot({ description: `histogram of the 9-bit raw values of run ${arr.run} module ${arr.module}${hd ? ' and its dark run' : ''}`, spec: () => spec });
  return withPlot({ h, hd }, plot, `raw value histogram of run ${arr.run} module ${arr.module}: ${h.reduce((a, b) => a + b, 0)} values`);
}
