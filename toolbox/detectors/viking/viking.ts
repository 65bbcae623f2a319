/**
 * Viking(proposalNB): the Viking spectrometer with its Andor Newton camera
 * (Python: toolbox_scs.detectors.viking.Viking). The object holds the
 * settings, and a dark image once loaded; data stays in the Datasets
 * fromRun returns. Algorithms and decisions: docs/viking.md.
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { type Slice, slice } from '../../arrays/slice.js';
import { display } from '../../display/show.js';
import { trackProgress } from '../../display/track.js';
import { SourceNameError, ToolBoxValueError } from '../../errors.js';
import { getArray, load } from '../../load/load.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import { checkOptions, optionNames } from '../../options.js';
import { openRun } from '../../run/open.js';
import { type VikingCalibrationPeak, calibrationPlot, calibrationPolynomial, fitCalibrationPeak } from './calibrate.js';
import { type VikingCameraParams, type VikingCameraRun, ePerCounts, getCameraGain, getCameraParams } from './camera.js';
import { polyval } from '../../routines/fit/polynomial.js';
import { frameRange } from './ranges.js';
import { baselineMask, integrateFrames, signalRanges, subtractPolyBaseline } from './spectra.js';
import { trainStats, xasDataset, xasWithPlot } from './xas.js';

/** The settings, as setParams takes them (Python's set_params keywords, any case). */
export interface VikingParams {
  X_RANGE?: Slice<number | null>; Y_RANGE?: Slice<number | null>; USE_DARK?: boolean; ENERGY_CALIB?: number[];
  BL_POLY_DEG?: number; BL_SIGNAL_RANGE?: number[] | number[][]; FIELDS?: string[];
  x_range?: Slice<number | null>; y_range?: Slice<number | null>; use_dark?: boolean; energy_calib?: number[];
  bl_poly_deg?: number; bl_signal_range?: number[] | number[][]; fields?: string[];
}
const PARAMS = optionNames<VikingParams>({
  X_RANGE: true, Y_RANGE: true, USE_DARK: true, ENERGY_CALIB: true, BL_POLY_DEG: true, BL_SIGNAL_RANGE: true, FIELDS: true,
  x_range: true, y_range: true, use_dark: true, energy_calib: true, bl_poly_deg: true, bl_signal_range: true, fields: true,
});
const PARAM_NAMES = ['proposal', 'x_range', 'y_range', 'use_dark', 'energy_calib', 'fields', 'bl_poly_deg', 'bl_signal_range'] as const;

export interface VikingFromRunOptions {
  /** Put the camera parameters (getCameraParams) into the Dataset's attrs (default true). */
  addAttrs?: boolean;
}
const FROM_RUN_OPTIONS = optionNames<VikingFromRunOptions>({ addAttrs: true });

export interface VikingXasOptions {
  /** Sample thickness: absorptionCoef = −ln(It/I0)/thickness (default 1). */
  thickness?: number;
  /** Attach the plot of I0, It and the absorption coefficient (default false). */
  plot?: boolean;
  /** Show the 95% confidence bands, ±1.96 standard errors (default true). */
  plotErrors?: boolean;
  /** y limits of the absorption plot (default [-1, 3]). */
  xasYlim?: [number, number];
}
const XAS_OPTIONS = optionNames<VikingXasOptions>({ thickness: true, plot: true, plotErrors: true, xasYlim: true });

export interface VikingCalibrateOptions {
  /** Show the spectra with their Gaussian fits and the calibration curve (default true, as Python). */
  plot?: boolean;
}
const CALIBRATE_OPTIONS = optionNames<VikingCalibrateOptions>({ plot: true });

const NEWTON_DIMS = ['newt_y', 'newt_x'] as const;

export class Viking {
  /** The proposal number. */
  PROPOSAL: number;
  /** Pixels along the dispersion (newt_x) to keep; default the whole width. */
  X_RANGE: Slice<number | null> = slice(null, null);
  /** Rows across the slit (newt_y, non-dispersive) to keep; default all. */
  Y_RANGE: Slice<number | null> = slice(null, null);
  /** Subtract the dark image in integrate: false until loadDark loads one. */
  USE_DARK = false;
  /** Pixel → energy, 2nd-degree polynomial coefficients, highest power first; [0, 1, 0] keeps pixels. */
  ENERGY_CALIB: number[] = [0, 1, 0];
  /** Degree of the baseline polynomial of removePolyBaseline. */
  BL_POLY_DEG = 1;
  /** newt_x interval(s) [min, max] (or [[min1, max1], ...]) holding the signal, left out of the baseline fit. */
  BL_SIGNAL_RANGE: number[] | number[][] = [];
  /** Fields fromRun loads; 'newton' is the camera image. */
  FIELDS: string[] = ['newton'];
  /** The mean dark image (newt_y × newt_x), with attrs.runNB. */
  darkImage: DataArray | null = null;

  constructor(proposalNB: number) {
    if (!Number.isInteger(proposalNB) || proposalNB <= 0) throw new ToolBoxValueError(`Viking: the proposal must be a positive integer, got ${String(proposalNB)}`);
    this.PROPOSAL = proposalNB;
  }

  /** Set settings by name (x_range or X_RANGE, ...), as Python's set_params(**params). */
  setParams(params: VikingParams): void {
    checkOptions('Viking.setParams', params, PARAMS);
    for (const [k, v] of Object.entries(params)) (this as unknown as Record<string, unknown>)[k.toUpperCase()] = v;
  }

  /** The named settings (default all of them), by their lower-case names, as Python's get_params. */
  getParams(...params: string[]): Record<string, unknown> {
    const names = params.length ? params : [...PARAM_NAMES];
    const out: Record<string, unknown> = {};
    for (const p of names) {
      const key = p.toUpperCase();
      if (!(key in this)) throw new ToolBoxValueError(`Viking.getParams: unknown parameter '${p}'; parameters are ${PARAM_NAMES.join(', ')}`);
      out[p] = (this as unknown as Record<string, unknown>)[key];
    }
    return out;
  }

  /** The camera's preamp gain in `run` (Python: get_camera_gain). */
  getCameraGain(run: VikingCameraRun): number { return getCameraGain(run); }

  /** Photoelectrons per count in `run` (Python: e_per_counts). */
  ePerCounts(run: VikingCameraRun, gain?: number | null): number { return ePerCounts(run, gain); }

  /** The camera settings of `run` (Python: get_camera_params). */
  getCameraParams(run: VikingCameraRun): VikingCameraParams { return getCameraParams(run); }

  /** The frame's ROI for this run, checked: the camera must be there and the ranges inside its frame. */
  private async roiOf(runNB: number): Promise<{ y: { start: number; stop: number }; x: { start: number; stop: number } }> {
    const m = resolveMnemonic('newton');
    const run = await openRun(this.PROPOSAL, runNB, { data: 'raw' });
    try {
      if (!run.allSources.includes(m.source)) {
        throw new SourceNameError(`Viking.fromRun: run ${runNB} of proposal ${this.PROPOSAL} has no Newton camera (${m.source}); the run has: ${run.allSources.join(', ')}`, { source: m.source, available: run.allSources, mnemonic: 'newton' });
      }
      const shape = run.keyInfo(m.source, m.key).shape;
      const [ny, nx] = shape.slice(-2);
      return { y: frameRange(this.Y_RANGE, ny, 'Y_RANGE', 'newt_y'), x: frameRange(this.X_RANGE, nx, 'X_RANGE', 'newt_x') };
    } finally {
      run.close();
    }
  }

  /**
   * Load run `runNB`'s FIELDS with the camera image cut to Y_RANGE × X_RANGE
   * as float64 (dims trainId, newt_y, newt_x), newt_x labelled by
   * ENERGY_CALIB of the absolute pixel index; the camera parameters as
   * attrs unless addAttrs is false (Python: from_run).
   */
  async fromRun(runNB: number, options: VikingFromRunOptions = {}): Promise<Dataset> {
    const { addAttrs = true } = checkOptions('Viking.fromRun', options, FROM_RUN_OPTIONS);
    if (!this.FIELDS.includes('newton')) throw new ToolBoxValueError(`Viking.fromRun: FIELDS must include 'newton' (the camera image), got ${this.FIELDS.join(', ')}`);
    const { x, y } = await this.roiOf(runNB);
    const rois = { newton: { newton: { roi: [slice(y.start, y.stop), slice(x.start, x.stop)], dim: ['newt_y', 'newt_x'] } } };
    const { run, ds } = await load(this.PROPOSAL, runNB, this.FIELDS, { rois });
    try {
      const energy = Float64Array.from({ length: x.stop - x.start }, (_, i) => polyval(this.ENERGY_CALIB, x.start + i));
      let out = ds.assign({ newton: ds.get('newton').astype('float64') }).assignCoords({ newt_x: new DataArray(energy, { dims: ['newt_x'] }) });
      out = out.assignAttrs({ runNB, ...(addAttrs ? getCameraParams(run) : {}) });
      return out;
    } finally {
      run.close();
    }
  }

  /** Load the mean image of dark run `runNB` and set USE_DARK; no run: USE_DARK false (Python: load_dark). */
  async loadDark(runNB?: number | null): Promise<void> {
    if (runNB === undefined || runNB === null) {
      this.USE_DARK = false;
      return;
    }
    const data = await this.fromRun(runNB, { addAttrs: false });
    this.darkImage = data.get('newton').mean('trainId').assignAttrs({ runNB });
    this.USE_DARK = true;
  }

  /**
   * The spectrum of every train: the mean over newt_y of the image minus the
   * dark (USE_DARK), times the photoelectrons per count when the data's
   * attrs have it; added as `spectrum` (trainId, newt_x).
   */
  integrate(data: Dataset): Dataset {
    const img = data.get('newton');
    if (!NEWTON_DIMS.every((d) => img.dims.includes(d)) || !img.dims.includes('trainId') || img.ndim !== 3) {
      throw new ToolBoxValueError(`integrate: 'newton' must have dims (trainId, newt_y, newt_x), got (${img.dims.join(', ')})`);
    }
    const frames = img.transpose('trainId', ...NEWTON_DIMS);
    const [n, ny, nx] = frames.shape;
    let dark: ArrayLike<number> | null = null;
    if (this.USE_DARK) {
      if (!this.darkImage) throw new ToolBoxValueError('integrate: USE_DARK is true but no dark is loaded (loadDark(run) first, or set USE_DARK false)');
      const d = this.darkImage.transpose(...NEWTON_DIMS);
      if (d.shape[0] !== ny || d.shape[1] !== nx) {
        throw new ToolBoxValueError(`integrate: the dark image (run ${String(d.attrs.runNB)}) is ${d.shape[0]} × ${d.shape[1]} (newt_y × newt_x) but the frames are ${ny} × ${nx}: load the dark with the same X_RANGE and Y_RANGE`);
      }
      dark = d.values as ArrayLike<number>;
    }
    const epc = data.attrs.photoelectrons_per_count;
    const factor = typeof epc === 'number' ? epc : 1;
    const spec = integrateFrames(frames.values as ArrayLike<number>, n, ny, nx, dark, factor);
    const coords: Record<string, DataArray> = { trainId: frames.coords.trainId };
    if (frames.coords.newt_x) coords.newt_x = frames.coords.newt_x;
    return data.assign({ spectrum: new DataArray(spec, { dims: ['trainId', 'newt_x'], shape: [n, nx], coords, attrs: { units: typeof epc === 'number' ? 'photoelectrons' : 'counts' } }) });
  }

  /**
   * Subtract from `spectrum` a polynomial of degree BL_POLY_DEG fitted on
   * newt_x outside the BL_SIGNAL_RANGE intervals, per train; added as
   * `spectrum_nobl` (Python: removePolyBaseline).
   */
  removePolyBaseline(data: Dataset): Dataset {
    if (!data.has('spectrum')) throw new ToolBoxValueError(`removePolyBaseline: the data has no 'spectrum' (run integrate first); it has ${data.dataVars.join(', ')}`);
    const s = data.get('spectrum');
    if (!s.dims.includes('newt_x') || s.ndim > 2) throw new ToolBoxValueError(`removePolyBaseline: 'spectrum' must have dims (trainId, newt_x) or (newt_x), got (${s.dims.join(', ')})`);
    const t = s.ndim === 2 ? s.transpose(s.dims.find((d) => d !== 'newt_x') as string, 'newt_x') : s;
    const x = t.coords.newt_x ? Float64Array.from(t.coords.newt_x.values as ArrayLike<number>) : Float64Array.from({ length: t.sizes.newt_x }, (_, i) => i);
    const keep = baselineMask(x, signalRanges(this.BL_SIGNAL_RANGE));
    if (keep.length < this.BL_POLY_DEG + 1) {
      throw new ToolBoxValueError(`removePolyBaseline: BL_SIGNAL_RANGE ${JSON.stringify(this.BL_SIGNAL_RANGE)} leaves ${keep.length} of ${x.length} newt_x points (${x[0]} to ${x[x.length - 1]}) for the baseline; a degree-${this.BL_POLY_DEG} polynomial needs ${this.BL_POLY_DEG + 1}`);
    }
    const curves = t.ndim === 2 ? t.shape[0] : 1;
    const out = subtractPolyBaseline(x, Float64Array.from(t.values as ArrayLike<number>), curves, keep, this.BL_POLY_DEG);
    return data.assign({ spectrum_nobl: new DataArray(out, { dims: [...t.dims], shape: [...t.shape], coords: t.coords, attrs: t.attrs }) });
  }

  /**
   * XAS from a sample dataset and a reference without sample: I0, It, the
   * absorption coefficient −ln(It/I0)/thickness, each with `_std` and
   * `_stderr` (Python: xas). Uses spectrum_nobl when both have it.
   */
  xas(data: Dataset, dataRef: Dataset, options: VikingXasOptions = {}): Dataset {
    const { thickness = 1, plot = false, plotErrors = true, xasYlim = [-1, 3] } = checkOptions('Viking.xas', options, XAS_OPTIONS);
    return xasWithPlot(xasDataset(data, dataRef, thickness), plot, plotErrors, xasYlim);
  }

  /** The Gaussian peak of each calibration run, on the pixel axis (ENERGY_CALIB [0, 1, 0] meanwhile). */
  async calibrationPeaks(runList: number[]): Promise<{ x: Float64Array; spectra: Float64Array[]; peaks: VikingCalibrationPeak[] }> {
    const saved = this.ENERGY_CALIB;
    this.ENERGY_CALIB = [0, 1, 0];
    try {
      const spectra: Float64Array[] = [], peaks: VikingCalibrationPeak[] = [];
      let x = new Float64Array(0);
      // each run is read whole; runs of many trains take seconds, so show how far it got
      for await (const run of trackProgress(runList, 'Viking calibration runs', { unit: 'runs', quietMs: 1000 })) {
        const ds = this.integrate(await this.fromRun(run, { addAttrs: false }));
        const s = ds.get('spectrum');
        x = Float64Array.from(s.coords.newt_x.values as ArrayLike<number>);
        const mean = trainStats(s.values as ArrayLike<number>, s.sizes.trainId, x.length).mean;
        const nrj = await getArray(this.PROPOSAL, run, 'nrj');
        const energy = nrj.mean().item() as number;
        spectra.push(mean);
        peaks.push(fitCalibrationPeak(run, energy, x, mean));
      }
      return { x, spectra, peaks };
    } finally {
      this.ENERGY_CALIB = saved;
    }
  }

  /**
   * ENERGY_CALIB from runs of several mono energies: each run's peak
   * position by a Gaussian fit, then the 2nd-degree polynomial of energy
   * against position (Python: calibrate). Returns the coefficients; does
   * not set ENERGY_CALIB.
   */
  async calibrate(runList: number[], options: VikingCalibrateOptions = {}): Promise<number[]> {
    const { plot = true } = checkOptions('Viking.calibrate', options, CALIBRATE_OPTIONS);
    if (!Array.isArray(runList) || runList.length < 3) throw new ToolBoxValueError(`calibrate: a 2nd-degree polynomial needs 3 or more runs, got ${JSON.stringify(runList)}`);
    const { x, spectra, peaks } = await this.calibrationPeaks(runList);
    const coef = calibrationPolynomial(peaks);
    if (plot) await display(calibrationPlot(x, spectra, peaks, coef));
    return coef;
  }

  toString(): string {
    return `Viking(proposal ${this.PROPOSAL}): X_RANGE ${this.X_RANGE.toString()}, Y_RANGE ${this.Y_RANGE.toString()}, USE_DARK ${this.USE_DARK}, ENERGY_CALIB [${this.ENERGY_CALIB.join(', ')}], BL_POLY_DEG ${this.BL_POLY_DEG}, BL_SIGNAL_RANGE ${JSON.stringify(this.BL_SIGNAL_RANGE)}`;
  }
}
