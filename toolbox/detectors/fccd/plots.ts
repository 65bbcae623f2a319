/**
 * FastCCD plots through toolbox/plots (vega-lite with a PNG fallback): scan
 * statistics, XGM histogram, mask, pumped/unpumped images, azimuthal maps and
 * line cuts at chosen q.
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import { histogram } from '../../plots/histogram.js';
import { image } from '../../plots/image.js';
import { line } from '../../plots/line.js';
import type { Plot } from '../../plots/plot.js';
import { DELTA_Q } from './azimuthal.js';

/** Percentile p (0..100) of the finite values, linear interpolation as numpy's. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const v = Float64Array.from(values).filter((x) => Number.isFinite(x)).sort();
  if (v.length === 0) return NaN;
  const pos = (p / 100) * (v.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export function scanPlot(bins: Float64Array, counts: Int32Array, name: string, run: number): Plot {
  return line({ x: bins, y: counts, name: 'trains' }, { title: `run ${run}: trains per ${name} bin`, xLabel: name, yLabel: 'trains', points: true });
}

export function xgmHistogram(values: Float64Array, nbins: number, run: number): Plot {
  return histogram(values.filter((v) => Number.isFinite(v)), { bins: nbins, title: `run ${run}: SASE3 SCS XGM`, xLabel: 'pulse energy (µJ)', yLabel: 'pulses' });
}

export function maskPlot(mask: Float64Array, shape: [number, number], file: string): Plot {
  return image(new DataArray(mask, { dims: ['x', 'y'], shape }), { title: `mask ${file} (1: good)`, vmin: 0, vmax: 1 });
}

/** Unpumped and pumped images (colour limits from percentiles of each unless vmin/vmax), and their difference. */
export function pumpedImages(unpumped: DataArray, pumped: DataArray, o: { pLow: number; pHigh: number; vmin?: number; vmax?: number; title: string }): Plot[] {
  const limits = (da: DataArray): { vmin: number; vmax: number } => ({
    vmin: o.vmin ?? percentile(da.values as ArrayLike<number>, o.pLow), vmax: o.vmax ?? percentile(da.values as ArrayLike<number>, o.pHigh),
  });
  const diff = pumped.sub(unpumped);
  const m = Math.max(Math.abs(percentile(diff.values as ArrayLike<number>, o.pLow)), Math.abs(percentile(diff.values as ArrayLike<number>, o.pHigh))) || 1;
  return [
    image(unpumped, { title: `${o.title} unpumped`, ...limits(unpumped) }),
    image(pumped, { title: `${o.title} pumped`, ...limits(pumped) }),
    image(diff, { title: `${o.title} pumped − unpumped`, vmin: -m, vmax: m, scheme: 'redblue' }),
  ];
}

/** 'difference' = pumped − unpumped, 'relative' = (pumped − unpumped)/unpumped, over (scan_variable, delta_q). */
export function azimuthalMap(az: Dataset, kind: 'difference' | 'relative'): DataArray {
  if (kind !== 'difference' && kind !== 'relative') throw new ToolBoxValueError(`plotAzimuthalInt: kind must be 'difference' or 'relative', got '${String(kind)}'`);
  const d = az.get('pumped').sub(az.get('unpumped'));
  return (kind === 'relative' ? d.div(az.get('unpumped')) : d).rename(kind);
}

export function azimuthalPlot(map: DataArray, kind: string, lim: [number, number] | undefined, title: string): Plot {
  return image(map, { x: 'scan_variable', title: `${title}: ${kind}`, ...(lim ? { vmin: lim[0], vmax: lim[1] } : {}), scheme: 'redblue', colourLabel: kind });
}

/** Per q range: the mean over |delta_q − q| ≤ width/2 against scan_variable. */
export function lineCuts(data: DataArray, qranges: number[], qwidths: number[]): Record<string, DataArray> {
  if (!data.dims.includes(DELTA_Q) || !data.dims.includes('scan_variable')) {
    throw new ToolBoxValueError(`plotAzimuthalLineCut: data needs dims 'scan_variable' and '${DELTA_Q}', got (${data.dims.join(', ')})`);
  }
  if (!Array.isArray(qranges) || !Array.isArray(qwidths) || qranges.length !== qwidths.length || qranges.length === 0) {
    throw new ToolBoxValueError(`plotAzimuthalLineCut: qranges and qwidths must be lists of the same, non-zero length, got ${JSON.stringify(qranges)} and ${JSON.stringify(qwidths)}`);
  }
  const q = data.coords[DELTA_Q].values as ArrayLike<number>;
  const out: Record<string, DataArray> = {};
  qranges.forEach((qc, i) => {
    const idx = Array.from(q, (v, k) => (Math.abs(v - qc) <= qwidths[i] / 2 ? k : -1)).filter((k) => k >= 0);
    if (idx.length === 0) throw new ToolBoxValueError(`plotAzimuthalLineCut: no delta_q within ${qc} ± ${qwidths[i] / 2} 1/nm (data spans ${q[0]} to ${q[q.length - 1]})`);
    out[`q=${qc}±${qwidths[i] / 2}`] = data.isel({ [DELTA_Q]: idx }).mean(DELTA_Q, { skipna: true });
  });
  return out;
}
