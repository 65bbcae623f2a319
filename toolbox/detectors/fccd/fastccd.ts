/**
 * FastCCD (Python: toolbox_scs.detectors.fccd.FastCCD): pump-probe binning
 * of FastCCD runs against a scan variable, with dark, gain, XGM filter and
 * mask, then azimuthal integration of the binned images. docs/fastccd.md.
 */
import { join } from 'node:path';
import { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { ParameterError, ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import type { Plot } from '../../plots/plot.js';
import type { DataCollection } from '../../run/data-collection.js';
import type { KeyData } from '../../run/key-data.js';
import { openRun } from '../../run/open.js';
import { findProposal, proposalNumber } from '../../run/paths.js';
import { checkWavelength, integrateBinned } from './azimuthal.js';
import { loadBinnedData, saveBinned } from './binned-files.js';
import { type FastCCDBinningOptions, binFrames, planBins } from './binning.js';
import { cameraKey } from './camera.js';
import { type FastCCDPixelMap, checkMapShape, readPixelMap } from './pixel-maps.js';
import { azimuthalMap, azimuthalPlot, lineCuts, maskPlot, pumpedImages, scanPlot, xgmHistogram } from './plots.js';
import { line } from '../../plots/line.js';
import { type FastCCDScanValues, type FastCCDScanVariable, type FastCCDXgmPulses, readPumped, readScan, readXgm, xgmTrainMeans } from './scan.js';

export interface FastCCDOptions {
  /** Sample–detector distance in metres (default 1, as Python). */
  distance?: number;
  /** Bin the raw frames (true) or the corrected ones of the proc folder (false, the default). */
  raw?: boolean;
  /** Root of the proposal folders (default EXFEL_DATA_ROOT). */
  dataRoot?: string;
}
export interface FastCCDOpenRunOptions { isDark?: boolean; t0?: number }
export interface FastCCDXgmHistOptions { nbins?: number }
export interface FastCCDXgmFilterOptions { xgmLow?: number; xgmHigh?: number }
export interface FastCCDLoadMaskOptions { plot?: boolean }
export interface FastCCDSaveOptions { saveFolder?: string; overwrite?: boolean }
export interface FastCCDLoadBinnedOptions { darkRunNB?: number; xgmNorm?: boolean; saveFolder?: string }
export interface PlotFastCCDOptions { useMask?: boolean; pLow?: number; pHigh?: number; vmin?: number; vmax?: number }
export interface FastCCDAzimuthalIntOptions { center?: [number, number]; angleRange?: [number, number]; dr?: number; useMask?: boolean }
export interface FastCCDPlotAzimuthalIntOptions { kind?: 'difference' | 'relative'; lim?: [number, number] }

const NAMES = {
  ctor: optionNames<FastCCDOptions>({ distance: true, raw: true, dataRoot: true }),
  open: optionNames<FastCCDOpenRunOptions>({ isDark: true, t0: true }),
  hist: optionNames<FastCCDXgmHistOptions>({ nbins: true }),
  filter: optionNames<FastCCDXgmFilterOptions>({ xgmLow: true, xgmHigh: true }),
  mask: optionNames<FastCCDLoadMaskOptions>({ plot: true }),
  save: optionNames<FastCCDSaveOptions>({ saveFolder: true, overwrite: true }),
  load: optionNames<FastCCDLoadBinnedOptions>({ darkRunNB: true, xgmNorm: true, saveFolder: true }),
  plot: optionNames<PlotFastCCDOptions>({ useMask: true, pLow: true, pHigh: true, vmin: true, vmax: true }),
  azint: optionNames<FastCCDAzimuthalIntOptions>({ center: true, angleRange: true, dr: true, useMask: true }),
  plotAz: optionNames<FastCCDPlotAzimuthalIntOptions>({ kind: true, lim: true }),
  binning: optionNames<FastCCDBinningOptions>({ nJobs: true, chunksize: true, signal: true, progress: true }),
};

/** The run state openRun sets up. */
interface OpenedRun { runNr: number; isDark: boolean; t0: number; run: DataCollection; camera: KeyData; xgm: FastCCDXgmPulses | null }

export class FastCCD {
  readonly proposal: number;
  readonly distance: number;
  readonly raw: boolean;
  readonly dataRoot?: string;
  /** Where save/loadBinned put binned runs by default: <proposal>/usr/condensed_runs (set it to change). */
  saveFolder?: string;
  gain: FastCCDPixelMap | null = null;
  mask: FastCCDPixelMap | null = null;
  scan: FastCCDScanValues | null = null;
  scanVname = 'dummy';
  /** Trains xgmFilter keeps (null: no filter). */
  keep: Set<bigint> | null = null;
  /** binning()'s result (Python: module_data). */
  moduleData: Dataset | null = null;
  /** loadBinned()'s result, and its scan-averaged images. */
  binned: Dataset | null = null;
  pumped: DataArray | null = null;
  unpumped: DataArray | null = null;
  azimuthal: Dataset | null = null;
  plotTitle = '';
  private opened: OpenedRun | null = null;

  constructor(proposal: number | string, options: FastCCDOptions = {}) {
    const o = checkOptions('FastCCD', options, NAMES.ctor);
    this.proposal = proposalNumber(proposal);
    this.distance = o.distance ?? 1;
    if (!(this.distance > 0)) throw new ParameterError(`FastCCD: distance is the sample–detector distance in metres (> 0), got ${String(o.distance)}`, { parameter: 'distance', value: o.distance });
    this.raw = o.raw ?? false;
    this.dataRoot = o.dataRoot;
  }

  private get run(): OpenedRun {
    if (!this.opened) throw new ToolBoxValueError('FastCCD: no run is open; call openRun(runNr) first');
    return this.opened;
  }

  /** Open a run (raw files for everything, the proc folder for corrected frames unless raw) and reset the scan to a dummy one. */
  async openRun(runNr: number, options: FastCCDOpenRunOptions = {}): Promise<void> {
    const o = checkOptions('FastCCD.openRun', options, NAMES.open);
    const run = await openRun(this.proposal, runNr, { data: 'raw', dataRoot: this.dataRoot });
    let camRun = run;
    if (!this.raw) {
      try {
        camRun = await openRun(this.proposal, runNr, { data: 'proc', dataRoot: this.dataRoot });
      } catch (err) {
        throw new ToolBoxPathError(`FastCCD(raw: false) bins corrected frames, but run ${runNr} of proposal ${this.proposal} has none: ${(err as Error).message}; use FastCCD(${this.proposal}, {raw: true}) for the raw frames`, undefined, { cause: err });
      }
    }
    const camera = cameraKey(camRun, runNr, this.raw);
    let xgm: FastCCDXgmPulses | null = null;
    try {
      xgm = await readXgm(run);
    } catch (err) {
      if (!o.isDark) process.emitWarning(`run ${runNr} has no SASE3 SCS XGM (${(err as Error).message.split('\n')[0]}): no XGM means, filter or normalisation`, 'ToolBoxWarning');
    }
    this.opened = { runNr, isDark: o.isDark ?? false, t0: o.t0 ?? 0, run, camera, xgm };
    for (const [m, what] of [[this.gain, 'gain map'], [this.mask, 'mask']] as const) if (m) checkMapShape(m, what, camera.entryShape, runNr);
    this.scan = { name: 'dummy', trainIds: BigUint64Array.from(run.trainIdsExact), values: new Float64Array(run.trainIdsExact.length).fill(1) };
    this.scanVname = 'dummy';
    this.keep = null;
    this.plotTitle = `${this.proposal} run: ${runNr}`;
  }

  /** The frame shape [rows, columns] of the open run. */
  get frameShape(): [number, number] {
    const s = this.run.camera.entryShape;
    return [s[0], s[1]];
  }

  /** Load a gain map (.npy, frame shape): binning multiplies every frame by it. */
  async loadGain(fname: string): Promise<void> {
    const g = await readPixelMap(fname, 'gain map');
    if (this.opened) checkMapShape(g, 'gain map', this.opened.camera.entryShape, this.opened.runNr);
    this.gain = g;
  }

  /** Scan variable (mnemonic or {source, key}) rounded to steps of `bins`. */
  async defineScan(vname: FastCCDScanVariable, bins: number): Promise<void> {
    const r = this.run;
    this.scan = await readScan(r.run, r.runNr, vname, bins, r.t0);
    this.scanVname = this.scan.name;
  }

  /** Trains per scan bin (the bins binning() will use). */
  plotScan(): Plot {
    const plan = planBins(this.binningInput());
    // a dark run's trains count in both states; count them once
    const counts = Int32Array.from(plan.counts[0], (c, i) => (this.run.isDark ? c : c + plan.counts[1][i]));
    return scanPlot(plan.bins, counts, this.scanVname, this.run.runNr);
  }

  private xgmOrFail(what: string): FastCCDXgmPulses {
    const x = this.run.xgm;
    if (!x) throw new ToolBoxValueError(`${what}: run ${this.run.runNr} has no SASE3 SCS XGM data (mnemonic SCS_SA3)`);
    return x;
  }

  /** Histogram of every SASE3 pulse energy of the SCS XGM. */
  plotXgmHist(options: FastCCDXgmHistOptions = {}): Plot {
    const { nbins = 100 } = checkOptions('FastCCD.plotXgmHist', options, NAMES.hist);
    return xgmHistogram(this.xgmOrFail('plotXgmHist').values, nbins, this.run.runNr);
  }

  /**
   * Keep the trains whose every SASE3 pulse lies in [xgmLow, xgmHigh]; a train
   * without XGM data is dropped too. Returns the trains kept and dropped.
   */
  xgmFilter(options: FastCCDXgmFilterOptions = {}): { kept: number; dropped: bigint[] } {
    const { xgmLow = -Infinity, xgmHigh = Infinity } = checkOptions('FastCCD.xgmFilter', options, NAMES.filter);
    if (!(xgmLow <= xgmHigh)) throw new ParameterError(`xgmFilter: xgmLow ${xgmLow} is above xgmHigh ${xgmHigh}`, { parameter: 'xgmLow', value: xgmLow });
    const x = this.xgmOrFail('xgmFilter');
    const keep = new Set<bigint>();
    x.trainIds.forEach((t, i) => {
      let ok = true;
      for (let k = 0; k < x.pulses && ok; k++) {
        const v = x.values[i * x.pulses + k];
        ok = Number.isNaN(v) || (v >= xgmLow && v <= xgmHigh);
      }
      if (ok) keep.add(t);
    });
    this.keep = keep;
    const dropped = this.run.camera.trainIdCoordinates().filter((t) => !keep.has(t));
    return { kept: keep.size, dropped: Array.from(dropped) };
  }

  /** Load a mask (.npy, frame shape, non-zero = good pixel); plots it unless {plot: false}. */
  async loadMask(fname: string, options: FastCCDLoadMaskOptions = {}): Promise<Plot | null> {
    const { plot = true } = checkOptions('FastCCD.loadMask', options, NAMES.mask);
    const m = await readPixelMap(fname, 'mask');
    if (this.opened) checkMapShape(m, 'mask', this.opened.camera.entryShape, this.opened.runNr);
    this.mask = m;
    return plot ? maskPlot(m.values, m.shape, fname) : null;
  }

  private binningInput(): Parameters<typeof binFrames>[0] {
    const r = this.run;
    if (this.gain) checkMapShape(this.gain, 'gain map', r.camera.entryShape, r.runNr);
    return {
      proposal: this.proposal, runNr: r.runNr, camera: r.camera, scan: this.scan!, pumped: null, xgmMean: r.xgm ? xgmTrainMeans(r.xgm) : new Map(),
      keep: this.keep, gain: this.gain?.values ?? null, isDark: r.isDark,
    };
  }

  /** Bin the frames by scan bin and pumped/unpumped on worker threads (Python: binning); sets and returns moduleData. */
  async binning(options: FastCCDBinningOptions = {}): Promise<Dataset> {
    const o = checkOptions('FastCCD.binning', options, NAMES.binning);
    const input = this.binningInput();
    input.pumped = this.run.isDark ? null : await readPumped(this.run.run);
    if (!input.pumped && !this.run.isDark) process.emitWarning(`run ${this.run.runNr} has no bunch pattern table: trains with an even train ID are taken as pumped`, 'ToolBoxWarning');
    this.moduleData = await binFrames(input, o);
    return this.moduleData;
  }

  private folder(saveFolder?: string): string {
    return saveFolder ?? this.saveFolder ?? join(findProposal(this.proposal, this.dataRoot), 'usr', 'condensed_runs');
  }

  /** Write moduleData to <saveFolder>/run<run>.h5 (group 'data'); an existing file is kept unless overwrite. */
  async save(options: FastCCDSaveOptions = {}): Promise<{ file: string; written: boolean }> {
    const o = checkOptions('FastCCD.save', options, NAMES.save);
    if (!this.moduleData) throw new ToolBoxValueError('FastCCD.save: nothing binned yet; call binning() first');
    return saveBinned(this.moduleData, this.folder(o.saveFolder), Number(this.moduleData.attrs.run), o.overwrite ?? false);
  }

  /** Read a saved run, minus the saved dark run's images, divided by the mean XGM per bin (xgmNorm, default true). */
  async loadBinned(runNB: number, options: FastCCDLoadBinnedOptions = {}): Promise<Dataset> {
    const o = checkOptions('FastCCD.loadBinned', options, NAMES.load);
    const ds = await loadBinnedData(this.folder(o.saveFolder), runNB, o.darkRunNB, o.xgmNorm ?? true);
    this.plotTitle = `${this.proposal} run: ${runNB} dark: ${o.darkRunNB ?? 'none'}`;
    this.binned = ds;
    this.pumped = ds.get('pumped').mean('scan_variable');
    this.unpumped = ds.get('unpumped').mean('scan_variable');
    return ds;
  }

  private maskedImage(da: DataArray, useMask: boolean): DataArray {
    if (!useMask || !this.mask) return da;
    const v = Float64Array.from(da.values as ArrayLike<number>, (x, k) => (this.mask!.values[k] === 0 ? NaN : x));
    return new DataArray(v, { dims: [...da.dims], shape: [...da.shape], coords: Object.fromEntries(da.dims.filter((d) => da.coords[d]).map((d) => [d, da.coords[d]])) });
  }

  /** Unpumped, pumped (scan averages) and their difference. */
  plotFastCCD(options: PlotFastCCDOptions = {}): Plot[] {
    const o = checkOptions('FastCCD.plotFastCCD', options, NAMES.plot);
    if (!this.pumped || !this.unpumped) throw new ToolBoxValueError('FastCCD.plotFastCCD: no binned data; call loadBinned() first');
    const useMask = o.useMask ?? true;
    return pumpedImages(this.maskedImage(this.unpumped, useMask), this.maskedImage(this.pumped, useMask), { pLow: o.pLow ?? 1, pHigh: o.pHigh ?? 98, vmin: o.vmin, vmax: o.vmax, title: this.plotTitle });
  }

  /** Ring profiles per scan bin around `center` [row, column] (default the frame centre), on delta_q (1/nm). */
  azimuthalInt(wl: number, options: FastCCDAzimuthalIntOptions = {}): Dataset {
    const o = checkOptions('FastCCD.azimuthalInt', options, NAMES.azint);
    if (!this.binned) throw new ToolBoxValueError('FastCCD.azimuthalInt: no binned data; call loadBinned() first');
    const [ny, nx] = [this.binned.sizes.x, this.binned.sizes.y];
    checkWavelength(wl);
    const useMask = o.useMask ?? true;
    if (useMask && !this.mask) process.emitWarning('azimuthalInt: useMask is true but no mask is loaded (loadMask): every pixel is used', 'ToolBoxWarning');
    this.azimuthal = integrateBinned(this.binned, {
      wl: checkWavelength(wl), center: o.center ?? [(ny - 1) / 2, (nx - 1) / 2], angleRange: o.angleRange ?? [0, 180 - 1e-6], dr: o.dr ?? 1,
      distance: this.distance, mask: useMask && this.mask ? this.mask.values : null,
    });
    return this.azimuthal;
  }

  /** The azimuthal map over (scan_variable, delta_q): pumped − unpumped, or relative to unpumped. */
  plotAzimuthalInt(options: FastCCDPlotAzimuthalIntOptions = {}): Plot {
    const o = checkOptions('FastCCD.plotAzimuthalInt', options, NAMES.plotAz);
    if (!this.azimuthal) throw new ToolBoxValueError('FastCCD.plotAzimuthalInt: call azimuthalInt() first');
    const kind = o.kind ?? 'difference';
    return azimuthalPlot(azimuthalMap(this.azimuthal, kind), kind, o.lim, this.plotTitle);
  }

  /** Line cuts of `data` (…, delta_q (1/nm)) averaged over qranges[i] ± qwidths[i]/2, against scan_variable. */
  plotAzimuthalLineCut(data: DataArray, qranges: number[], qwidths: number[]): Plot {
    const cuts = lineCuts(data, qranges, qwidths);
    return line(cuts, { title: `${this.plotTitle}: line cuts`, xLabel: 'scan_variable', yLabel: String(data.name ?? 'value') });
  }
}
