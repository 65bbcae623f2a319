/**
 * The flat-field inspection plots (Python: inspect_flat_field_domain,
 * inspect_plane_fitting): the ratio images side by side as one image, with
 * the colour limits at the 5th and 99.8th percentiles unless given, as
 * Python's imshow levels.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { image } from '../../plots/image.js';
import type { Plot } from '../../plots/plot.js';
import { withPlot } from '../../plots/with-plot.js';
import type { ModuleImage, Thresholds } from './ff-params.js';
import { type PlaneFittingDomain, domainValues, planeFittingDomain } from './plane-fitting-domain.js';
import type { Rois } from './types.js';

export interface InspectFlatFieldDomainOptions {
  /** Lower colour limit (default the 5th percentile). */
  vmin?: number;
  /** Upper colour limit (default the 99.8th percentile). */
  vmax?: number;
}
const INSPECT_DOMAIN_OPTIONS = optionNames<InspectFlatFieldDomainOptions>({ vmin: true, vmax: true });

export interface InspectPlaneFittingOptions extends InspectFlatFieldDomainOptions {
  /** The domains 'n' and 'p' (planeFittingDomain's nM, pM); default every pixel with a finite ratio. */
  domain?: { nM: DataArray | ArrayLike<number>; pM: DataArray | ArrayLike<number> };
}
const INSPECT_PLANE_OPTIONS = optionNames<InspectPlaneFittingOptions>({ vmin: true, vmax: true, domain: true });

/** Panels side by side, a NaN column between them, as one (rows, columns) image. */
function panels(images: Float64Array[], rows: number, cols: number, name: string): DataArray {
  const width = images.length * (cols + 1) - 1;
  const out = new Float64Array(rows * width).fill(NaN);
  images.forEach((img, k) => {
    for (let i = 0; i < rows; i++) out.set(img.subarray(i * cols, (i + 1) * cols), i * width + k * (cols + 1));
  });
  return new DataArray(out, { dims: ['row', 'column'], shape: [rows, width], name });
}

function masked(r: Float64Array, m: ArrayLike<number>): Float64Array {
  return r.map((v, i) => (m[i] ? v : NaN));
}

function ratioPlot(imgs: Float64Array[], rows: number, cols: number, title: string, o: InspectFlatFieldDomainOptions): Plot {
  return image(panels(imgs, rows, cols, 'ratio'), { title, vmin: o.vmin, vmax: o.vmax, percentiles: [5, 99.8], colourLabel: 'ratio' });
}

/**
 * Python's inspect_flat_field_domain(avg, rois, prod_th, ratio_th,
 * vmin=None, vmax=None): n/0 and p/0, then the same on their domains.
 * Returns planeFittingDomain's { n, nM, p, pM } with the plot.
 */
export function inspectFlatFieldDomain(avg: ModuleImage, rois: Rois, prodTh: Thresholds, ratioTh: Thresholds, options: InspectFlatFieldDomainOptions = {}): PlaneFittingDomain & { plot: Plot } {
  const opts = checkOptions<InspectFlatFieldDomainOptions>('inspectFlatFieldDomain', options, INSPECT_DOMAIN_OPTIONS);
  const d = domainValues(avg, rois, prodTh, ratioTh, 'inspectFlatFieldDomain');
  const rows = d.rn.yh - d.rn.yl, cols = d.rn.xh - d.rn.xl;
  const plot = ratioPlot([d.n, d.p, masked(d.n, d.nM), masked(d.p, d.pM)], rows, cols, 'n/0, p/0 | on the domain', opts);
  const count = (m: Uint8Array): number => m.reduce((s, v) => s + v, 0);
  return withPlot(planeFittingDomain(avg, rois, prodTh, ratioTh), plot, `flat-field domain: ${count(d.nM)} 'n' and ${count(d.pM)} 'p' pixels of ${d.n.length}`);
}

function maskValues(m: DataArray | ArrayLike<number>, size: number, name: string): ArrayLike<number> {
  const v = m instanceof DataArray ? (m.values as ArrayLike<number>) : m;
  if (!v || v.length !== size) throw new ParameterError(`inspectPlaneFitting: domain.${name} has ${v?.length} pixels, the ROI ${size}`, { parameter: 'domain', value: v?.length });
  return v;
}

/**
 * Python's inspect_plane_fitting(avg, rois, domain=None, vmin=None,
 * vmax=None): the ratio images n/0 and p/0 where the planes are fitted.
 * Returns { n, p } (NaN outside the domain) with the plot.
 */
export function inspectPlaneFitting(avg: ModuleImage, rois: Rois, options: InspectPlaneFittingOptions = {}): { n: DataArray; p: DataArray; plot: Plot } {
  const opts = checkOptions<InspectPlaneFittingOptions>('inspectPlaneFitting', options, INSPECT_PLANE_OPTIONS);
  const d = domainValues(avg, rois, [-Infinity, Infinity], [-Infinity, Infinity], 'inspectPlaneFitting');
  const nM = opts.domain ? maskValues(opts.domain.nM, d.n.length, 'nM') : d.nM;
  const pM = opts.domain ? maskValues(opts.domain.pM, d.p.length, 'pM') : d.pM;
  const rows = d.rn.yh - d.rn.yl, cols = d.rn.xh - d.rn.xl;
  const n = masked(d.n, nM), p = masked(d.p, pM);
  const plot = ratioPlot([n, p], rows, cols, 'plane fitting: n/0 | p/0', opts);
  const all = planeFittingDomain(avg, rois, [-Infinity, Infinity], [-Infinity, Infinity]);
  return withPlot({ n: all.n.with({ values: n }), p: all.p.with({ values: p }) }, plot, `plane fitting: n/0 and p/0 on ${Array.from(nM).filter(Boolean).length} and ${Array.from(pM).filter(Boolean).length} pixels`);
}
