/**
 * inspect_saturation: histograms of the ROI intensities in photons, all
 * frames and the saturated ones, to see from which intensity on frames
 * saturate (docs/boz.md, Data, dark and ROIs).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { Plot } from '../../plots/plot.js';
import { quantitative, topLevel } from '../../plots/spec.js';
import { withPlot } from '../../plots/with-plot.js';
import { BEAMS } from './types.js';

export interface InspectSaturationOptions {
  /** Number of bins (default 200). */
  Nbins?: number;
}
const INSPECT_SATURATION_OPTIONS = optionNames<InspectSaturationOptions>({ Nbins: true });

/** What inspectSaturation shows: per beam b, counts 'b' of all frames and 'b_sat' of saturated frames over the bin centres 'photons'. */
export interface SaturationInspection { h: Dataset; plot: Plot }

/**
 * Python: inspect_saturation(data, gain, Nbins). `data` is processModule's
 * Dataset; `gain` in photons per ADU (Python's gain), so I·gain is in photons.
 * A frame is saturated where 'sat_sat' (else the beam's own '<b>_sat') is true.
 * The bins span 0 to the largest beam intensity.
 */
export function inspectSaturation(data: Dataset, gain: number, options: InspectSaturationOptions = {}): SaturationInspection {
  checkOptions('inspectSaturation', options, INSPECT_SATURATION_OPTIONS);
  const Nbins = options.Nbins ?? 200;
  if (!Number.isInteger(Nbins) || Nbins < 1) throw new ToolBoxValueError(`inspectSaturation: Nbins must be a positive integer, got ${Nbins}`);
  if (!(gain > 0)) throw new ToolBoxValueError(`inspectSaturation: gain must be > 0 photons per ADU, got ${gain}`);
  const vals = (name: string) => {
    if (!data.dataVars.includes(name)) throw new ToolBoxValueError(`inspectSaturation: data lacks variable '${name}' (processModule gives 'n', '0', 'p' and '<roi>_sat')`);
    return Float64Array.from(data.get(name).values as ArrayLike<number>);
  };
  const beams = BEAMS.map((b) => ({ b, I: vals(b).map((v) => v * gain), sat: vals(data.dataVars.includes('sat_sat') ? 'sat_sat' : `${b}_sat`) }));
  let hi = 0;
  for (const { I } of beams) for (const v of I) if (v > hi) hi = v;
  if (!(hi > 0)) throw new ToolBoxValueError('inspectSaturation: no positive ROI intensity to histogram');
  const width = hi / Nbins;
  const centres = Float64Array.from({ length: Nbins }, (_, i) => (i + 0.5) * width);
  const vars: Record<string, DataArray> = {};
  const rows: { photons: number; count: number; beam: string }[] = [];
  for (const { b, I, sat } of beams) {
    const all = new Float64Array(Nbins), s = new Float64Array(Nbins);
    I.forEach((v, i) => {
      if (!(v >= 0)) return;
      const k = Math.min(Nbins - 1, Math.floor(v / width));
      all[k]++;
      if (sat[i]) s[k]++;
    });
    vars[b] = new DataArray(all, { dims: ['photons'], coords: { photons: centres }, name: b });
    vars[`${b}_sat`] = new DataArray(s, { dims: ['photons'], coords: { photons: centres }, name: `${b}_sat` });
    all.forEach((c, k) => rows.push({ photons: centres[k], count: c, beam: b }, { photons: centres[k], count: s[k], beam: `${b} saturated` }));
  }
  const h = new Dataset(vars, { attrs: { gain, Nbins } });
  const spec = topLevel({ title: 'ROI intensity and saturation' }, {
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: { x: quantitative('photons', 'ROI intensity (photons)'), y: quantitative('count', 'frames'), color: { field: 'beam', type: 'nominal', title: null } },
  });
  const plot = new Plot({ description: `histograms of the ROI intensities n, 0, p in ${Nbins} bins, with the saturated frames`, spec: () => spec });
  return withPlot({ h }, plot, `ROI intensity histograms (${Nbins} bins up to ${hi.toPrecision(4)} photons)`);
}
