/**
 * Viking.xas: the mean spectra with and without sample (It, I0) over their
 * trains, each with its standard deviation and standard error, and the
 * absorption coefficient −ln(It/I0)/thickness with both propagated
 * (independent runs); the plot shows each with its 95% band, ±1.96
 * standard errors (docs/viking.md, XAS).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import { line } from '../../plots/line.js';
import { Plot } from '../../plots/plot.js';
import { VEGALITE_SCHEMA, type VegaLiteSpec } from '../../plots/spec.js';
import { datasetWithPlot } from '../../plots/with-plot.js';

/** Half-width of a 95% confidence interval in standard errors (normal approximation). */
export const Z95 = 1.96;

/** Mean, standard deviation (ddof 0, as xarray's std) and standard error over the trains of spectra [n × nx]. */
export function trainStats(values: ArrayLike<number>, n: number, nx: number): { mean: Float64Array; std: Float64Array; stderr: Float64Array } {
  const mean = new Float64Array(nx), std = new Float64Array(nx), stderr = new Float64Array(nx);
  for (let t = 0; t < n; t++) for (let x = 0; x < nx; x++) mean[x] += values[t * nx + x];
  for (let x = 0; x < nx; x++) mean[x] /= n;
  for (let t = 0; t < n; t++) for (let x = 0; x < nx; x++) std[x] += (values[t * nx + x] - mean[x]) ** 2;
  for (let x = 0; x < nx; x++) {
    std[x] = Math.sqrt(std[x] / n);
    stderr[x] = std[x] / Math.sqrt(n);
  }
  return { mean, std, stderr };
}

/** The spectra of one dataset as [trainId × newt_x] values. */
function spectraOf(ds: Dataset, key: string, which: string): { values: Float64Array; n: number; x: Float64Array } {
  const da = ds.get(key);
  if (da.dims.length !== 2 || !da.dims.includes('trainId') || !da.dims.includes('newt_x')) {
    throw new ToolBoxValueError(`xas: ${which} '${key}' must have dims (trainId, newt_x), got (${da.dims.join(', ')})`);
  }
  const t = da.transpose('trainId', 'newt_x');
  const x = da.coords.newt_x ? Float64Array.from(da.coords.newt_x.values as ArrayLike<number>) : Float64Array.from({ length: da.sizes.newt_x }, (_, i) => i);
  return { values: Float64Array.from(t.values as ArrayLike<number>), n: da.sizes.trainId, x };
}

/** The result's variables over newt_x. */
export function xasDataset(data: Dataset, dataRef: Dataset, thickness: number): Dataset {
  if (!(Number.isFinite(thickness) && thickness > 0)) throw new ToolBoxValueError(`xas: thickness must be a positive number, got ${thickness}`);
  for (const [ds, which] of [[data, 'data'], [dataRef, 'data_ref']] as const) {
    if (!ds.has('spectrum')) throw new ToolBoxValueError(`xas: ${which} has no 'spectrum' (run integrate first); it has ${ds.dataVars.join(', ')}`);
  }
  // the baseline-free spectra when both have them, so sample and reference are treated alike
  const key = data.has('spectrum_nobl') && dataRef.has('spectrum_nobl') ? 'spectrum_nobl' : 'spectrum';
  const it = spectraOf(data, key, 'data'), i0 = spectraOf(dataRef, key, 'data_ref');
  if (it.x.length !== i0.x.length || it.x.some((v, i) => v !== i0.x[i])) {
    throw new ToolBoxValueError(`xas: data and data_ref have different newt_x axes (${it.x.length} and ${i0.x.length} points, from ${it.x[0]} and ${i0.x[0]}): load both with the same X_RANGE and ENERGY_CALIB`);
  }
  const nx = it.x.length;
  const sIt = trainStats(it.values, it.n, nx), sI0 = trainStats(i0.values, i0.n, nx);
  const mu = new Float64Array(nx), muStd = new Float64Array(nx), muErr = new Float64Array(nx);
  for (let x = 0; x < nx; x++) {
    mu[x] = -Math.log(sIt.mean[x] / sI0.mean[x]) / thickness;
    muStd[x] = Math.hypot(sI0.std[x] / sI0.mean[x], sIt.std[x] / sIt.mean[x]) / thickness;
    muErr[x] = Math.hypot(sI0.stderr[x] / sI0.mean[x], sIt.stderr[x] / sIt.mean[x]) / thickness;
  }
  const v = (a: Float64Array) => new DataArray(a, { dims: ['newt_x'] });
  return new Dataset({
    I0: v(sI0.mean), I0_std: v(sI0.std), I0_stderr: v(sI0.stderr),
    It: v(sIt.mean), It_std: v(sIt.std), It_stderr: v(sIt.stderr),
    absorptionCoef: v(mu), absorptionCoef_std: v(muStd), absorptionCoef_stderr: v(muErr),
  }, { coords: { newt_x: new DataArray(it.x, { dims: ['newt_x'] }) }, attrs: { thickness, spectrum_key: key, n_It: it.n, n_I0: i0.n } });
}

const arr = (ds: Dataset, name: string) => Float64Array.from(ds.get(name).values as ArrayLike<number>);

/** Restrict every y scale of a layered spec to [lo, hi], clipping the marks. */
function withYLimits(spec: VegaLiteSpec, ylim: readonly [number, number]): VegaLiteSpec {
  const layers = (spec.layer as { mark: Record<string, unknown>; encoding: Record<string, Record<string, unknown>> }[]).map((l) => ({
    ...l, mark: { ...l.mark, clip: true }, encoding: { ...l.encoding, y: { ...l.encoding.y, scale: { domain: [...ylim] } } },
  }));
  return { ...spec, layer: layers };
}

/** I0 and It, then the absorption coefficient, each with its 95% band when `errors`. */
export function xasPlot(ds: Dataset, errors: boolean, ylim: readonly [number, number]): Plot {
  const x = arr(ds, 'newt_x');
  const band = (name: string) => (errors ? { err: arr(ds, `${name}_stderr`).map((s) => Z95 * s) } : {});
  const strip = (s: VegaLiteSpec) => {
    const { $schema: _s, background: _b, ...rest } = s;
    void _s; void _b;
    return rest;
  };
  const views = async () => [
    await line({ I0: { x, y: arr(ds, 'I0'), ...band('I0') }, It: { x, y: arr(ds, 'It'), ...band('It') } }, { title: 'Viking spectra without (I0) and with sample (It)', xLabel: 'newt_x', yLabel: 'spectrum', height: 200 }).toSpec(),
    withYLimits(await line({ absorptionCoef: { x, y: arr(ds, 'absorptionCoef'), ...band('absorptionCoef') } }, { title: '−ln(It/I0)/thickness', xLabel: 'newt_x', yLabel: 'absorption coefficient', height: 200 }).toSpec(), ylim),
  ];
  const what = errors ? ' with 95% confidence bands (±1.96 standard errors)' : '';
  return new Plot({ description: `Viking XAS: I0, It and the absorption coefficient over ${x.length} points${what}`, spec: async () => ({ $schema: VEGALITE_SCHEMA, background: 'white', vconcat: (await views()).map(strip) }) });
}

/** The XAS dataset, carrying its plot when asked. */
export function xasWithPlot(ds: Dataset, plot: boolean, errors: boolean, ylim: readonly [number, number]): Dataset {
  return plot ? datasetWithPlot(ds, xasPlot(ds, errors, ylim)) : ds;
}
