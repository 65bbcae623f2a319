/**
 * ROIs from the parameters' runs (Python: find_rois_from_params) and their
 * inspection plot (inspect_rois): the mean image with the ROI rectangles,
 * and the column and row projections with the threshold.
 */
import { ParameterError, ToolBoxError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { image } from '../../plots/image.js';
import { line } from '../../plots/line.js';
import type { Plot } from '../../plots/plot.js';
import type { VegaLiteSpec } from '../../plots/spec.js';
import { withPlot } from '../../plots/with-plot.js';
import type { BozMask } from './mask.js';
import { frameStats, imageValues, moduleArray, type ModuleImage } from './module-image.js';
import { stackPlots } from './plot-stack.js';
import { checkRoi, findRois, roiProjections } from './rois.js';
import { BEAMS, MODULE_PIXELS, type ModuleFrames, type Rois } from './types.js';

/** What findRoisFromParams reads of the parameters. */
export interface RoisParams {
  arrDark: ModuleFrames | null; arr: ModuleFrames | null; roisTh: number | null; mask: BozMask; Fnl: Float64Array | null;
}

/**
 * The dark-corrected mean image of params' runs: the mean of F(raw) over
 * every frame of the run minus that of the dark run (the per-pulse darks
 * average to the same), with the masked pixels NaN; F = params.Fnl or the
 * identity.
 */
export async function darkCorrectedMean(params: RoisParams, fn: string): Promise<Float64Array> {
  if (params.arrDark === null || params.arr === null) throw new ToolBoxError(`${fn}: the runs are not open; call params.openData() first`);
  const dark = await frameStats(params.arrDark, params.Fnl);
  const run = await frameStats(params.arr, params.Fnl);
  const out = new Float64Array(MODULE_PIXELS);
  for (let i = 0; i < MODULE_PIXELS; i++) out[i] = params.mask[i] ? NaN : run.mean[i] - dark.mean[i];
  return out;
}

/** findRois on the dark-corrected mean image of params' runs with threshold params.roisTh (Python: find_rois_from_params). */
export async function findRoisFromParams(params: RoisParams): Promise<Rois> {
  if (params.roisTh === null || params.roisTh === undefined) {
    throw new ParameterError('findRoisFromParams: params.roisTh is not set (the ROI threshold)', { parameter: 'params.roisTh', value: params.roisTh });
  }
  return findRois(await darkCorrectedMean(params, 'findRoisFromParams'), params.roisTh);
}

/** Options of inspectRois. */
export interface InspectRoisOptions {
  /** The threshold used to find the beams, drawn on the projections (default none). */
  threshold?: number | null;
  /** Draw every ROI in rois, not only 'n', '0', 'p' (default false). */
  allrois?: boolean;
}
const INSPECT_ROIS_OPTIONS = optionNames<InspectRoisOptions>({ threshold: true, allrois: true });

/** What inspectRois shows: the ROIs drawn, the column (512) and row (128) projections, the threshold. */
export interface RoisInspection { rois: Rois; pX: Float64Array; pY: Float64Array; threshold: number | null }

/** Adds the ROI rectangles (pixel edges at index ± ½) to an image spec. */
function withRectangles(spec: VegaLiteSpec, rois: Rois): VegaLiteSpec {
  const { $schema, background, title, width, height, ...view } = spec as Record<string, unknown>;
  const rects = {
    data: { values: Object.entries(rois).map(([name, r]) => ({ name, x0: r.xl - 0.5, x1: r.xh - 0.5, y0: r.yl - 0.5, y1: r.yh - 0.5 })) },
    mark: { type: 'rect', fill: null, stroke: 'red', strokeWidth: 1.5 },
    encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' }, y: { field: 'y0', type: 'quantitative' }, y2: { field: 'y1' }, tooltip: [{ field: 'name', type: 'nominal' }] },
  };
  const layers = Array.isArray(view.layer) ? [...(view.layer as unknown[]), rects] : [view, rects];
  return { $schema, background, title, width, height, layer: layers } as VegaLiteSpec;
}

/** The projection plot of `p` with the threshold as a flat line. */
function projectionSpec(p: Float64Array, threshold: number | null, title: string, xLabel: string): Promise<VegaLiteSpec> {
  const x = Float64Array.from(p, (_, i) => i);
  const series: Record<string, { x: Float64Array; y: Float64Array }> = { projection: { x, y: p } };
  if (threshold !== null) series.threshold = { x: Float64Array.of(0, p.length - 1), y: Float64Array.of(threshold, threshold) };
  return line(series, { title, xLabel, yLabel: 'mean', height: 150, width: 600 }).toSpec();
}

/** Plots the mean module image with the ROIs and the column and row projections with the threshold (Python: inspect_rois). */
export function inspectRois(dataMean: ModuleImage, rois: Rois, options: InspectRoisOptions = {}): RoisInspection & { plot: Plot } {
  const o = checkOptions('inspectRois', options, INSPECT_ROIS_OPTIONS);
  const threshold = o.threshold ?? null;
  if (threshold !== null && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
    throw new ParameterError(`inspectRois: threshold must be a finite number or null, got ${String(threshold)}`, { parameter: 'threshold', value: threshold });
  }
  if (rois === null || typeof rois !== 'object') throw new ParameterError('inspectRois: rois must be an object of ROIs', { parameter: 'rois', value: rois });
  const shown: Rois = {};
  for (const [name, r] of Object.entries(rois)) {
    if (o.allrois === true || (BEAMS as readonly string[]).includes(name)) shown[name] = checkRoi(r, 'inspectRois', `rois.${name}`);
  }
  const values = imageValues(dataMean, 'inspectRois', 'dataMean');
  const { pX, pY } = roiProjections(values);
  const names = Object.keys(shown).join(', ');
  const plot = stackPlots(() => [
    image(moduleArray(values, 'mean'), { title: `mean module image, ROIs ${names}`, width: 800, height: 200 }).toSpec().then((s) => withRectangles(s, shown)),
    projectionSpec(pX, threshold, 'column projection (mean over rows)', 'column (y, 512)'),
    projectionSpec(pY, threshold, 'row projection (mean over columns)', 'row (x, 128)'),
  ], `BOZ ROIs ${names} on the mean module image, with the projections${threshold === null ? '' : ` and threshold ${threshold}`}`);
  return withPlot({ rois: shown, pX, pY, threshold }, plot, `ROIs ${Object.entries(shown).map(([k, r]) => `${k}: x [${r.xl}, ${r.xh}) y [${r.yl}, ${r.yh})`).join('; ')}`);
}
