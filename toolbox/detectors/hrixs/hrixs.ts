/**
 * The hRIXS class (Python toolbox_scs.detectors.hrixs.hRIXS): the settings
 * of the spectrometer (UPPERCASE attributes, Python's names), a dark image,
 * and the analyses of camera frames loaded into Datasets: curvature,
 * centroiding (centroidOne, centroidTwo), integration, aggregation,
 * normalisation. Algorithms and decisions: docs/hrixs.md.
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { Slice, slice } from '../../arrays/slice.js';
import { display } from '../../display/show.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { line } from '../../plots/line.js';
import { proposalNumber } from '../../run/paths.js';
import type { TrainSelection } from '../../run/train-select.js';
import { type Aggregator, aggregateDataset, aggregateGrouped, defaultAggregators, normalizeDataset } from './aggregate.js';
import { type CurvatureFit, fitCurvature } from './curvature.js';
import { STATS, centroidFrames, statsOf } from './frame-loop.js';
import { type Frames, cropOf, croppedDark, datasetFrames } from './frames.js';
import { type Crop, HitList, type KernelParams, binCentres, centroidOneImage, centroidTwoFrame, cropFrame, darkStats, integrateImage, integrationWeights } from './kernels.js';
import { openCameraRun, readFields } from './run-load.js';
import { ThresholdReport } from './thresholds.js';

export type HrixsDetector = 'MaranaX' | 'hRIXS_det';
export interface HrixsOptions { detector?: HrixsDetector }
export interface FromRunOptions { proposal?: number | string; extraFields?: string[]; dropFirst?: boolean; subset?: TrainSelection }
export interface LoadDarkOptions { proposal?: number | string }
export interface FindCurvatureOptions {
  proposal?: number | string;
  /** Show the line centres and the fitted parabola (default true, as Python). */
  plot?: boolean;
  /** Starting (CURVE_A, CURVE_B) to prime the search. */
  args?: [number, number] | null;
  /** Rows per block along x (default nx / 16). */
  blockRows?: number;
  /** Half-width of the line search and fit, pixels (default 8). */
  window?: number;
}
export interface CentroidOptions { bins?: number | null; method?: 'auto' | 'manual' }
export interface AggregateOptions { dim?: string }
export interface NormalizeOptions { which?: string }

const HRIXS_OPTIONS = optionNames<HrixsOptions>({ detector: true });
const FROM_RUN_OPTIONS = optionNames<FromRunOptions>({ proposal: true, extraFields: true, dropFirst: true, subset: true });
const LOAD_DARK_OPTIONS = optionNames<LoadDarkOptions>({ proposal: true });
const FIND_CURVATURE_OPTIONS = optionNames<FindCurvatureOptions>({ proposal: true, plot: true, args: true, blockRows: true, window: true });
export const CENTROID_OPTIONS = optionNames<CentroidOptions>({ bins: true, method: true });
const AGGREGATE_OPTIONS = optionNames<AggregateOptions>({ dim: true });
const NORMALIZE_OPTIONS = optionNames<NormalizeOptions>({ which: true });

/** The settings setParams/getParams accept. */
export const HRIXS_SETTINGS = [
  'PROPOSAL', 'DETECTOR', 'X_RANGE', 'Y_RANGE', 'THRESHOLD', 'STD_THRESHOLD', 'DBL_THRESHOLD', 'BINS', 'CURVE_A', 'CURVE_B', 'USE_DARK',
  'ENERGY_INTERCEPT', 'ENERGY_SLOPE', 'ADU_PER_EV', 'FIELDS',
] as const;
export type HrixsSetting = (typeof HRIXS_SETTINGS)[number];
const SETTING_NAMES = optionNames<Partial<Record<HrixsSetting, unknown>>>(Object.fromEntries(HRIXS_SETTINGS.map((k) => [k, true])) as Record<HrixsSetting, true>);

/** A frame given to centroidOne/centroidTwo: a 2-D DataArray (x, y) or {values, shape}. */
export type FrameInput = DataArray | { values: ArrayLike<number>; shape: [number, number] };

/** hRIXS analysis, especially curvature correction (Python's hRIXS). */
export class hRIXS {
  PROPOSAL: number;
  /** The camera: 'MaranaX' (default, as Python's signature) or 'hRIXS_det'. */
  DETECTOR: HrixsDetector;
  /** Rows along the lines (x) and the energy axis (y) analysed; default the whole frame. */
  X_RANGE: Slice<number | null> = slice(null, null);
  Y_RANGE: Slice<number | null> = slice(null, null);
  /** ADU above the frame mean a 2 × 2 sum must exceed (centroidOne); null: STD_THRESHOLD × the frame's std. */
  THRESHOLD: number | null = null;
  STD_THRESHOLD = 3.5;
  /** A spot of more than DBL_THRESHOLD × one photon's charge is a double hit (centroidTwo). */
  DBL_THRESHOLD = 1.5;
  /** Bins of centroided spectra (null: one per pixel of Y_RANGE). */
  BINS: number | null = null;
  CURVE_A = 0;
  CURVE_B = 0;
  USE_DARK = false;
  ENERGY_INTERCEPT = 0;
  ENERGY_SLOPE = 1;
  /** Camera gain for centroidTwo: ADU per eV of photon energy (this port's setting; docs/hrixs.md). */
  ADU_PER_EV = 0.2;
  DETECTOR_FIELDS: Record<HrixsDetector, string[]> = { hRIXS_det: ['hRIXS_det', 'hRIXS_index'], MaranaX: ['MaranaX'] };
  FIELDS: string[];
  aggregators: Record<string, Aggregator> = defaultAggregators();
  /** The dark (x, y) from loadDark. */
  darkImage: DataArray | null = null;
  /** The last findCurvature fit, with its errors and points. */
  curvatureFit: CurvatureFit | null = null;

  constructor(proposalNB: number | string, options: HrixsOptions = {}) {
    const o = checkOptions('hRIXS', options, HRIXS_OPTIONS);
    this.PROPOSAL = proposalNumber(proposalNB);
    const d = o.detector ?? 'MaranaX';
    if (d !== 'MaranaX' && d !== 'hRIXS_det') throw new ParameterError(`detector must be 'MaranaX' or 'hRIXS_det', got '${String(d)}'`, { parameter: 'detector', value: d, expected: ['MaranaX', 'hRIXS_det'] });
    this.DETECTOR = d;
    this.FIELDS = [...this.DETECTOR_FIELDS[d], 'hRIXS_delay', 'hRIXS_norm', 'nrj'];
  }

  setParams(params: Partial<Record<HrixsSetting, unknown>>): void {
    for (const [k, v] of Object.entries(checkOptions('hRIXS.setParams', params, SETTING_NAMES))) (this as unknown as Record<string, unknown>)[k] = v;
  }

  getParams(...params: HrixsSetting[]): Partial<Record<HrixsSetting, unknown>> {
    const names = params.length ? params : HRIXS_SETTINGS;
    const out: Partial<Record<HrixsSetting, unknown>> = {};
    for (const k of names) {
      if (!(HRIXS_SETTINGS as readonly string[]).includes(k)) throw new ParameterError(`getParams: '${k}' is not a setting of hRIXS (${HRIXS_SETTINGS.join(', ')})`, { parameter: k, value: k, expected: HRIXS_SETTINGS });
      out[k] = (this as unknown as Record<string, unknown>)[k];
    }
    return out;
  }

  /** Load run runNB: FIELDS and extraFields, one entry per train (a thin wrapper around load). */
  async fromRun(runNB: number | string, options: FromRunOptions = {}): Promise<Dataset> {
    const o = checkOptions('hRIXS.fromRun', options, FROM_RUN_OPTIONS);
    const run = await openCameraRun(o.proposal ?? this.PROPOSAL, runNB, this.DETECTOR, o.subset);
    return readFields(run, [...this.FIELDS, ...(o.extraFields ?? [])], o.dropFirst ?? false);
  }

  /** Load the dark run runNB: the mean image becomes darkImage and USE_DARK true. */
  async loadDark(runNB: number | string, options: LoadDarkOptions = {}): Promise<void> {
    const o = checkOptions('hRIXS.loadDark', options, LOAD_DARK_OPTIONS);
    const run = await openCameraRun(o.proposal ?? this.PROPOSAL, runNB, this.DETECTOR);
    const ds = await readFields(run, [this.DETECTOR], false);
    this.darkImage = ds.get(this.DETECTOR).mean('trainId').rename('dark_image');
    this.USE_DARK = true;
  }

  /** The settings the kernels need. (internal: MaranaX uses it) @internal */
  protected kernelParams(): KernelParams {
    return { threshold: this.THRESHOLD, stdThreshold: this.STD_THRESHOLD, dblThreshold: this.DBL_THRESHOLD, curveA: this.CURVE_A, curveB: this.CURVE_B, aduPerEv: this.ADU_PER_EV };
  }

  /** Region and dark for frames of fx × fy. (internal: MaranaX uses it) @internal */
  protected region(fx: number, fy: number): { crop: Crop; dark: Float64Array | null } {
    const crop = cropOf(this.X_RANGE, this.Y_RANGE, fx, fy);
    return { crop, dark: croppedDark(this.darkImage, this.USE_DARK, crop, fx) };
  }

  /** Fit the curvature of the lines in run runNB (summed frames); sets CURVE_A, CURVE_B and returns them. */
  async findCurvature(runNB: number | string, options: FindCurvatureOptions = {}): Promise<[number, number]> {
    const o = checkOptions('hRIXS.findCurvature', options, FIND_CURVATURE_OPTIONS);
    const ds = await readFields(await openCameraRun(o.proposal ?? this.PROPOSAL, runNB, this.DETECTOR), [this.DETECTOR], false);
    const f = datasetFrames(ds, this.DETECTOR);
    const { crop, dark } = this.region(f.fx, f.fy);
    const sum = new Float64Array(crop.nx * crop.ny), img = new Float64Array(crop.nx * crop.ny);
    for (let k = 0; k < f.n; k++) {
      cropFrame(f.values, k * f.fx * f.fy, crop, dark, img, false);
      for (let p = 0; p < sum.length; p++) sum[p] += img[p];
    }
    const fit = fitCurvature(sum, crop.nx, crop.ny, { args: o.args, blockRows: o.blockRows, window: o.window });
    this.curvatureFit = fit;
    this.CURVE_A = fit.curveA;
    this.CURVE_B = fit.curveB;
    if (o.plot ?? true) {
      const model = fit.x.map((x) => fit.offset + (fit.curveB * x + fit.curveA) * x);
      await display(line({ 'line centre': { x: fit.x, y: fit.y, err: fit.err }, parabola: { x: fit.x, y: model } }, { title: `curvature of run ${String(runNB)}`, xLabel: 'x (pixels)', yLabel: 'y (pixels)' }));
    }
    return [fit.curveA, fit.curveB];
  }

  /** The curvature correction at x: CURVE_A·x + CURVE_B·x². */
  parabola(x: number): number {
    return (this.CURVE_B * x + this.CURVE_A) * x;
  }

  private oneImage(image: FrameInput): { img: Float64Array; crop: Crop; mean: number; std: number } {
    const shape = image instanceof DataArray ? image.shape : image.shape;
    if (shape.length !== 2) throw new ToolBoxValueError(`an image must have 2 dims (x, y), got shape [${shape.join(', ')}]`);
    const [fx, fy] = shape;
    const { crop, dark } = this.region(fx, fy);
    const img = new Float64Array(crop.nx * crop.ny);
    return { img, crop, ...cropFrame(image.values as ArrayLike<number>, 0, crop, dark, img) };
  }

  /** Photon positions [x, y] (cropped pixels, y corrected by the curvature) in one frame: 2 × 2 sums over the threshold, 4 × 4 centre of mass. */
  centroidOne(image: FrameInput): Array<[number, number]> {
    const { img, crop, mean, std } = this.oneImage(image);
    const hits = new HitList();
    const s = centroidOneImage(img, crop, mean, std, this.kernelParams(), new Float64Array((crop.nx - 1) * (crop.ny - 1)), hits);
    const report = new ThresholdReport('manual', this.thresholdText());
    report.add(0, s, hits.length);
    report.finish();
    return Array.from({ length: hits.length }, (_, k) => [hits.x[k], hits.y[k]]);
  }

  /** Single and double hits [x, y] in one frame, thresholds from the incident energy (eV). */
  centroidTwo(image: FrameInput, energy: number): { singles: Array<[number, number]>; doubles: Array<[number, number]> } {
    if (!(energy > 0)) throw new ParameterError(`centroidTwo needs the incident photon energy in eV (> 0), got ${energy}`, { parameter: 'energy', value: energy });
    const shape = image.shape;
    if (shape.length !== 2) throw new ToolBoxValueError(`an image must have 2 dims (x, y), got shape [${shape.join(', ')}]`);
    const { crop, dark } = this.region(shape[0], shape[1]);
    const hits = new HitList();
    const s = centroidTwoFrame(image.values as ArrayLike<number>, 0, crop, dark, darkStats(dark), energy, this.kernelParams(), hits);
    const report = new ThresholdReport('auto', this.thresholdText(energy));
    report.add(0, s, hits.length);
    report.finish();
    const pick = (n: number) => Array.from({ length: hits.length }, (_, k) => k).filter((k) => hits.n[k] === n).map((k): [number, number] => [hits.x[k], hits.y[k]]);
    return { singles: pick(1), doubles: pick(2) };
  }

  /** @internal */
  protected thresholdText(energy?: number): string {
    if (energy !== undefined) return `centroidTwo at ${energy} eV: one photon = ${(energy * this.ADU_PER_EV).toFixed(1)} ADU with ADU_PER_EV ${this.ADU_PER_EV}`;
    return this.THRESHOLD === null ? `STD_THRESHOLD ${this.STD_THRESHOLD} × the frame's std` : `THRESHOLD ${this.THRESHOLD}`;
  }

  /** Incident energies per train (nrj) for method 'auto'. (internal: MaranaX uses it) @internal */
  protected energiesOf(data: Dataset, n: number): Float64Array {
    if (!data.has('nrj')) throw new ParameterError(`centroid with method 'auto' (centroidTwo) takes the thresholds from the incident energy 'nrj', which the dataset lacks (variables: ${data.dataVars.join(', ')}); load it (FIELDS) or use method 'manual'`, { parameter: 'method', value: 'auto' });
    const e = data.get('nrj');
    if (e.dims.length !== 1 || e.shape[0] !== n) throw new ToolBoxValueError(`'nrj' must have one value per train (${n}), got shape [${e.shape.join(', ')}]`);
    return Float64Array.from(e.values as ArrayLike<number>, Number);
  }

  /** @internal */
  protected centroidSetup(data: Dataset, options: CentroidOptions | undefined, fn: string): { f: Frames; crop: Crop; dark: Float64Array | null; bins: number; method: 'auto' | 'manual'; energies: Float64Array | null } {
    const o = checkOptions(fn, options, CENTROID_OPTIONS);
    const method = o.method ?? 'auto';
    if (method !== 'auto' && method !== 'manual') throw new ParameterError(`method must be 'auto' (centroidTwo) or 'manual' (centroidOne), got '${String(method)}'`, { parameter: 'method', value: method, expected: ['auto', 'manual'] });
    const f = datasetFrames(data, this.DETECTOR);
    const { crop, dark } = this.region(f.fx, f.fy);
    const bins = o.bins ?? this.BINS ?? crop.ny;
    if (!Number.isInteger(bins) || bins < 1) throw new ParameterError(`bins must be a positive integer, got ${bins}`, { parameter: 'bins', value: bins });
    return { f, crop, dark, bins, method, energies: method === 'auto' ? this.energiesOf(data, f.n) : null };
  }

  /** data with `spectrum` (trainId, energy) added. (internal: MaranaX uses it) @internal */
  protected withSpectrum(data: Dataset, f: Frames, values: Float64Array, energy: Float64Array): Dataset {
    const spectrum = new DataArray(values, { dims: ['trainId', 'energy'], shape: [f.n, energy.length], coords: { trainId: f.trainId, energy } });
    return data.assign({ spectrum });
  }

  /** @internal */
  protected energyAxis(centres: Float64Array): Float64Array {
    return centres.map((c) => this.ENERGY_INTERCEPT + this.ENERGY_SLOPE * c);
  }

  /** Check the per-frame stats of a centroiding (photons everywhere: error; none: warning). (internal: MaranaX uses it) @internal */
  protected checkStats(stats: Float64Array, n: number, method: 'auto' | 'manual', energies: Float64Array | null): void {
    const report = new ThresholdReport(method, this.thresholdText(energies ? energies[0] : undefined));
    for (let k = 0; k < n; k++) { const { s, hits } = statsOf(stats, k); report.add(k, s, hits); }
    report.finish();
  }

  /** Spectra by finding photons in every frame ('auto': centroidTwo; 'manual': centroidOne); doubles count twice. */
  async centroid(data: Dataset, options: CentroidOptions = {}): Promise<Dataset> {
    const o = checkOptions('hRIXS.centroid', options, CENTROID_OPTIONS);
    const { f, crop, dark, bins, method, energies } = this.centroidSetup(data, o, 'hRIXS.centroid');
    const spectra = new Float64Array(f.n * bins), stats = new Float64Array(f.n * STATS);
    centroidFrames({ values: f.values, first: 0, start: 0, end: f.n, fx: f.fx, crop, dark, params: this.kernelParams(), method, energies, bins, spectra, stats });
    this.checkStats(stats, f.n, method, energies);
    return this.withSpectrum(data, f, spectra, this.energyAxis(binCentres(crop.ny, bins)));
  }

  /** Spectra by integration: pixels split over the energy bins by overlap, normalised per pixel. */
  integrate(data: Dataset): Dataset {
    const f = datasetFrames(data, this.DETECTOR);
    const { crop, dark } = this.region(f.fx, f.fy);
    const w = integrationWeights(crop, this.kernelParams());
    const img = new Float64Array(crop.nx * crop.ny), out = new Float64Array(f.n * crop.ny);
    for (let k = 0; k < f.n; k++) {
      cropFrame(f.values, k * f.fx * f.fy, crop, dark, img, false);
      integrateImage(img, crop, w, out, k * crop.ny);
    }
    return this.withSpectrum(data, f, out, this.energyAxis(Float64Array.from({ length: crop.ny }, (_, k) => k)));
  }

  /** The aggregator of da (by its name) applied over dim, or null when it has none. */
  aggregator(da: DataArray, dim: string): DataArray | null {
    const agg = da.name ? this.aggregators[da.name] : undefined;
    return agg ? agg(da, dim) : null;
  }

  /** Sum (mostly) all frames, grouped by the values of `var` when given; `counts` = frames per group. */
  aggregate(ds: Dataset, variable: string | null = null, options: AggregateOptions = {}): Dataset {
    const o = checkOptions('hRIXS.aggregate', options, AGGREGATE_OPTIONS);
    return aggregateGrouped(ds, this.aggregators, variable, o.dim ?? 'trainId');
  }

  aggregateDs(ds: Dataset, options: AggregateOptions = {}): Dataset {
    const o = checkOptions('hRIXS.aggregateDs', options, AGGREGATE_OPTIONS);
    return aggregateDataset(ds, this.aggregators, o.dim ?? 'trainId');
  }

  /** data with `normalized` = spectrum / data[which] (default 'hRIXS_norm'). */
  normalize(data: Dataset, options: NormalizeOptions = {}): Dataset {
    const o = checkOptions('hRIXS.normalize', options, NORMALIZE_OPTIONS);
    return normalizeDataset(data, o.which ?? 'hRIXS_norm');
  }
}
