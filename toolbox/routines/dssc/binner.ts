/**
 * DSSCBinner (Python: toolbox_scs.routines.DSSCBinner): bin the DSSC images
 * of a run by scan variable (trainId binner) and frame pattern (pulse
 * binner), optionally masked by XGM thresholds, dark-subtracted and XGM
 * normalised, one output file per module. The run is opened once here;
 * processData hands a plain plan (binning-plan.ts) to the processing step,
 * whose worker threads stream the images (process.ts).
 */
import { availableParallelism } from 'node:os';
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, PropertyNameError, SourceNameError, ToolBoxValueError } from '../../errors.js';
import { type DsscInfo, dsscModules, loadDsscInfo } from '../../detectors/dssc/run-view.js';
import { getXgm } from '../../detectors/xgm.js';
import { getOnboardPeaks } from '../../detectors/digitizers/onboard.js';
import type { DataCollection } from '../../run/data-collection.js';
import { openRun } from '../../run/open.js';
import { checkOptions, mergeOptionNames, optionNames } from '../../options.js';
import { runNumber as parseRunNumber } from '../../run/paths.js';
import { scanAxis, pulseAxis } from './axes.js';
import { BINNER_DIMS, type BinLabel } from './bins.js';
import { type DsscBinningPlan, chooseModules, positiveInt } from './binning-plan.js';
import { moduleDark } from './dark.js';
import { type Averaging, type BinningSetup, type PulseValues, checkNormalisable, planModule } from './plan.js';
import { frameMask } from './pulse-mask.js';
import { type DsscCoordsStride, describeStride, xgmPulseOfFrame } from './stride.js';
import { labelData } from './output.js';
import { type ExecutionOptions, type ProcessDataOptions, type ProcessDataSummary, processModuleHere, processModules } from './process.js';

export interface DSSCBinnerOptions {
  /** Binners by dim ('trainId', 'pulse', 'x', 'y'), from createDsscBins. */
  binners?: Record<string, DataArray>;
  /** XGM mnemonic for masks and normalisation (default 'SCS_SA3'). */
  xgmName?: string;
  /** TIM (MCP) on-board integral mnemonics (default MCP1apd, MCP2apd, MCP3apd). */
  timNames?: string[];
  /** Frame of each XGM pulse: every n-th frame (default 2), a list, or 'pattern' (see stride.ts). */
  dsscCoordsStride?: DsscCoordsStride;
  /** Data root instead of EXFEL_DATA_ROOT (when a proposal and run are given). */
  dataRoot?: string;
  /** Raw (default) or corrected (proc) DSSC frames; with 'proc' the other sources (XGM) still come from raw. */
  data?: 'raw' | 'proc';
}
const BINNER_OPTIONS = optionNames<DSSCBinnerOptions>({ binners: true, xgmName: true, timNames: true, dsscCoordsStride: true, dataRoot: true, data: true });
export type CreatePulsemaskOptions = { useData?: 'xgm' | 'tim'; threshold?: [number, number] };
const PULSEMASK_OPTIONS = optionNames<CreatePulsemaskOptions>({ useData: true, threshold: true });
const INFO_OPTIONS = optionNames<{ maxframes?: number | null }>({ maxframes: true });
export type BinnerSetupOptions = { maxframes?: number | null; xgmNormalization?: boolean; normevery?: number; averaging?: Averaging; needXgm?: boolean; needTim?: boolean; warn?: boolean };
const SETUP_OPTIONS = optionNames<BinnerSetupOptions>({ maxframes: true, xgmNormalization: true, normevery: true, averaging: true, needXgm: true, needTim: true, warn: true });
export type BinnerPlanOptions = Omit<ProcessDataOptions, 'nJobs' | 'signal' | 'progress'>;
const PLAN_OPTIONS = optionNames<BinnerPlanOptions>({ modules: true, filepath: true, chunksize: true, darkImage: true, xgmNormalization: true, normevery: true, maxframes: true, averaging: true });
const EXECUTION_OPTIONS = optionNames<ExecutionOptions>({ nJobs: true, signal: true, progress: true });
const PROCESS_OPTIONS = mergeOptionNames<ProcessDataOptions>(PLAN_OPTIONS, EXECUTION_OPTIONS);
const MODULE_OPTIONS = optionNames<Omit<ProcessDataOptions, 'modules' | 'nJobs'>>({
  filepath: true, chunksize: true, darkImage: true, xgmNormalization: true, normevery: true, maxframes: true, averaging: true, signal: true, progress: true,
});

export interface DSSCBinnerInfo {
  /** Output sizes: scan bins, pulse bins and pixels (binned when x/y binners are set). */
  trainId: number;
  pulse: number;
  x: number;
  y: number;
  framesPerTrain: number;
  trains: number;
  modules: number[];
}

function rowsByTrain(da: DataArray, name: string): PulseValues {
  const pulseDim = da.dims.find((d) => d !== 'trainId');
  if (!pulseDim || da.ndim !== 2) throw new ToolBoxValueError(`${name} must have dims (trainId, <pulse>), got (${da.dims.join(', ')})`);
  const a = da.transpose('trainId', pulseDim);
  const n = a.shape[1];
  const v = Float64Array.from(a.values as ArrayLike<number>);
  const ids = a.coords.trainId.values as ArrayLike<bigint | number>;
  const out: PulseValues = new Map();
  for (let i = 0; i < a.shape[0]; i++) out.set(BigInt(ids[i]), v.subarray(i * n, (i + 1) * n));
  return out;
}

export class DSSCBinner {
  readonly binners: Record<string, DataArray> = {};
  xgm: DataArray | null = null;
  tim: DataArray | null = null;
  pulsemask: DataArray | null = null;
  readonly xgmName: string;
  readonly timNames: string[];
  readonly dsscCoordsStride: DsscCoordsStride;

  private constructor(readonly run: DataCollection, readonly proposal: number | string, readonly runNumber: number | string, readonly info: DsscInfo, options: DSSCBinnerOptions) {
    this.xgmName = options.xgmName ?? 'SCS_SA3';
    this.timNames = options.timNames ?? ['MCP1apd', 'MCP2apd', 'MCP3apd'];
    this.dsscCoordsStride = options.dsscCoordsStride ?? 2;
    xgmPulseOfFrame(this.dsscCoordsStride, 0, []); // a bad stride fails here, not at the first mask
    for (const [name, b] of Object.entries(options.binners ?? {})) this.addBinner(name, b);
  }

  /** Open the run (or take an open one) and read the DSSC layout: `await DSSCBinner.create(2719, 179, {binners})`. */
  static create(proposal: number | string, run: number | string, options?: DSSCBinnerOptions): Promise<DSSCBinner>;
  static create(run: DataCollection, options?: DSSCBinnerOptions): Promise<DSSCBinner>;
  static async create(proposal: number | string | DataCollection, run?: number | string | DSSCBinnerOptions, options: DSSCBinnerOptions = {}): Promise<DSSCBinner> {
    let dc: DataCollection;
    let prop: number | string;
    let runNr: number | string;
    if (typeof proposal === 'object') {
      dc = proposal;
      options = checkOptions('DSSCBinner.create', run as DSSCBinnerOptions | undefined, BINNER_OPTIONS);
      // old files (format 0.5) lack the numbers in METADATA: fall back to the EuXFEL folder names
      const md = dc.runMetadata();
      const where = dc.runFiles.where;
      prop = Number(md.proposalNumber ?? /\/p0*(\d+)\//.exec(where)?.[1] ?? 0);
      runNr = Number(md.runNumber ?? /\/r0*(\d+)\/?$/.exec(where)?.[1] ?? 0);
    } else {
      if (run === undefined || typeof run === 'object') throw new ToolBoxValueError('DSSCBinner.create(proposal, run, options) needs the run number');
      checkOptions('DSSCBinner.create', options, BINNER_OPTIONS);
      const data = options.data ?? 'raw';
      if (data !== 'raw' && data !== 'proc') throw new ToolBoxValueError(`data must be 'raw' or 'proc', got '${String(data)}'`);
      // 'proc' opens proc and raw together (proc preferred): corrected frames, and the XGM that only raw has
      dc = await openRun(proposal, run, { data: data === 'proc' ? 'default' : 'raw', dataRoot: options.dataRoot });
      if (data === 'proc' && !dsscModules(dc).some((m) => m.corrected)) {
        throw new ToolBoxValueError(`run ${run} of proposal ${proposal} has no corrected (proc) DSSC data; use data: 'raw'`);
      }
      prop = proposal;
      runNr = parseRunNumber(run);
    }
    return new DSSCBinner(dc, prop, runNr, await loadDsscInfo(dc), options);
  }

  /** Set (or replace) the binner of one dim; its dims must be exactly [name]. */
  addBinner(name: string, binner: DataArray): void {
    if (!(BINNER_DIMS as readonly string[]).includes(name)) throw new ToolBoxValueError(`binner name must be one of ${BINNER_DIMS.join(', ')}, got '${name}'`);
    if (!(binner instanceof DataArray) || binner.dims.length !== 1 || binner.dims[0] !== name) {
      throw new ToolBoxValueError(`the '${name}' binner must be a DataArray over ('${name}') (see createDsscBins), got dims (${binner instanceof DataArray ? binner.dims.join(', ') : typeof binner})`);
    }
    if (name === 'x' || name === 'y') {
      const n = this.info.dims[name === 'x' ? 0 : 1];
      if (binner.size !== n) throw new ToolBoxValueError(`the '${name}' binner has ${binner.size} labels, DSSC modules have ${n} pixels along '${name}'`);
    }
    this.binners[name] = binner;
  }

  /**
   * XGM pulse energies (trainId, pulse) of `xgmName`. When the run lacks the
   * XGM, the error (SourceNameError / PropertyNameError) says what needed it;
   * a bad xgmName is a ParameterError as getXgm reports it.
   */
  async loadXgm(purpose = 'loadXgm'): Promise<DataArray> {
    try {
      const ds = await getXgm(this.run, { mnemonics: this.xgmName });
      this.xgm = ds.get(this.xgmName);
    } catch (err) {
      const message = `XGM '${this.xgmName}' is needed for ${purpose} but cannot be read: ${(err as Error).message}`;
      if (err instanceof SourceNameError) throw new SourceNameError(message, { source: err.source, available: err.available, mnemonic: err.mnemonic, cause: err });
      if (err instanceof PropertyNameError) throw new PropertyNameError(message, { source: err.source, key: err.key, available: err.available, mnemonic: err.mnemonic, cause: err });
      throw err;
    }
    return this.xgm;
  }

  /** TIM (MCP) pulse integrals, averaged over the channels of timNames the run has. */
  async loadTim(): Promise<DataArray> {
    const found: DataArray[] = [];
    const problems: string[] = [];
    for (const name of this.timNames) {
      try {
        found.push(await getOnboardPeaks(this.run, name, { bunchPattern: 'sase3' }));
      } catch (err) {
        // A channel the run lacks (or cannot give) is skipped; a bad name in timNames is not.
        if (!(err instanceof ToolBoxValueError) || err instanceof ParameterError) throw err;
        problems.push(`${name}: ${err.message}`);
      }
    }
    if (!found.length) throw new ToolBoxValueError(`none of the TIM channels ${this.timNames.join(', ')} can be read: ${problems.join('; ')}`);
    let sum = found[0];
    for (const da of found.slice(1)) sum = sum.add(da);
    this.tim = sum.div(found.length).rename('tim').assignAttrs({ channels: found.map((d) => d.name ?? '').join(',') });
    return this.tim;
  }

  /** Pulse labels of the recorded frames the pulse binner covers (it may stop at maxframes). */
  private pulseLabelsAll(): BinLabel[] | null {
    const b = this.binners.pulse;
    if (!b) return null;
    const coord = b.coords.pulse?.values;
    const labelled = new Set(coord ? Array.from(coord as ArrayLike<number | bigint>, Number) : Array.from({ length: b.size }, (_, i) => i));
    let covered = 0;
    while (covered < this.info.framesPerTrain && labelled.has(covered)) covered++;
    return pulseLabelsPerFrame(b, covered);
  }

  /**
   * Frame mask from XGM (or TIM) thresholds (Python: create_pulsemask, default
   * threshold (0, inf)): lo < value < hi on frames with an X-ray pulse
   * (dsscCoordsStride); a NaN reading fails the test. Frames and trains the
   * XGM has no value for keep the default mask value true, as Python's
   * `valid.combine_first(all-true mask)` leaves them: frames without a pulse
   * (intra-darks), frames the stride maps beyond the XGM's pulses, and trains
   * missing from the XGM. The last two get a ToolBoxWarning with their counts.
   */
  async createPulsemask(options: CreatePulsemaskOptions = {}): Promise<DataArray> {
    checkOptions('DSSCBinner.createPulsemask', options, PULSEMASK_OPTIONS);
    const useData = options.useData ?? 'xgm';
    if (useData !== 'xgm' && useData !== 'tim') throw new ParameterError(`useData must be 'xgm' or 'tim', got '${String(useData)}'`, { parameter: 'useData', value: useData, expected: ['xgm', 'tim'] });
    const [lo, hi] = options.threshold ?? [0, Infinity];
    if (!(lo < hi)) throw new ParameterError(`threshold must be [low, high] with low < high, got [${lo}, ${hi}]`, { parameter: 'threshold', value: options.threshold });
    const src = useData === 'xgm' ? (this.xgm ?? await this.loadXgm('the XGM pulse mask')) : (this.tim ?? await this.loadTim());
    const what = useData === 'xgm' ? `XGM '${this.xgmName}'` : 'TIM';
    const rows = rowsByTrain(src, what);
    const F = this.info.framesPerTrain;
    const pulseOf = xgmPulseOfFrame(this.dsscCoordsStride, F, this.pulseLabelsAll());
    const ids = BigUint64Array.from(new Set([...this.run.trainIdsExact, ...rows.keys()])).sort();
    const mask = new Uint8Array(ids.length * F).fill(1);
    ids.forEach((t, i) => {
      const row = rows.get(t);
      if (!row) return;
      for (let f = 0; f < F; f++) {
        const k = pulseOf[f];
        if (k >= 0 && k < row.length) mask[i * F + f] = row[k] > lo && row[k] < hi ? 1 : 0;
      }
    });
    warnNoPulseValue(what, pulseOf, rows, this.run.trainIdsExact, describeStride(this.dsscCoordsStride));
    this.pulsemask = new DataArray(mask, { dims: ['trainId', 'pulse'], shape: [ids.length, F], dtype: 'bool', name: 'pulsemask',
      coords: { trainId: ids, pulse: Int32Array.from({ length: F }, (_, f) => f) } });
    return this.pulsemask;
  }

  /** Use a mask of your own: (trainId, pulse) booleans, or (pulse) / (trainId) only. */
  setPulsemask(mask: DataArray | null): void {
    if (mask) frameMask(mask, this.info.framesPerTrain);
    this.pulsemask = mask;
  }

  /** Output sizes (Python: get_info); pass the maxframes processData will use. */
  getInfo(options: { maxframes?: number | null } = {}): DSSCBinnerInfo {
    checkOptions('DSSCBinner.getInfo', options, INFO_OPTIONS);
    const scan = scanAxis(this.binners.trainId, this.run.trainIdsExact, false);
    // with maxframes the pulse binner covers only the frames processData will use
    const pulse = pulseAxis(this.binners.pulse, Math.min(this.info.framesPerTrain, options.maxframes ?? this.info.framesPerTrain));
    const distinct = (b: DataArray | undefined, n: number) => (b ? new Set(Array.from(b.values as ArrayLike<unknown>)).size : n);
    return {
      trainId: scan.values.length, pulse: pulse.labels.length,
      x: distinct(this.binners.x, this.info.dims[0]), y: distinct(this.binners.y, this.info.dims[1]),
      framesPerTrain: this.info.framesPerTrain, trains: this.run.trainIdsExact.length, modules: [...this.info.modules],
    };
  }

  /** The bins and per-frame rules shared by all modules (used by processData; loads the XGM/TIM when needed). */
  async setup(o: BinnerSetupOptions): Promise<BinningSetup> {
    checkOptions('DSSCBinner.setup', o, SETUP_OPTIONS);
    const F = this.info.framesPerTrain;
    if (o.maxframes !== undefined && o.maxframes !== null && (!Number.isInteger(o.maxframes) || o.maxframes < 1)) {
      throw new ToolBoxValueError(`maxframes must be a positive integer, got ${o.maxframes}`);
    }
    const frames = Math.min(F, o.maxframes ?? F);
    const averaging = o.averaging ?? 'frames';
    if (averaging !== 'frames' && averaging !== 'trains') throw new ToolBoxValueError(`averaging must be 'frames' or 'trains', got '${String(averaging)}'`);
    const normalise = o.xgmNormalization ?? false;
    if (normalise && !this.xgm) await this.loadXgm('XGM normalisation');
    if (o.needXgm && !this.xgm) await this.loadXgm('getXgmBinned');
    if (o.needTim && !this.tim) await this.loadTim();
    const scan = scanAxis(this.binners.trainId, this.run.trainIdsExact, o.warn ?? true);
    const pulse = pulseAxis(this.binners.pulse, frames);
    const labels = this.binners.pulse ? Array.from(pulse.binOfFrame, (b) => pulse.labels[b]) : null;
    return {
      scanValues: scan.values, scanBinOfTrain: scan.binOfTrain, pulseLabels: pulse.labels, pulseBinOfFrame: pulse.binOfFrame,
      frames, framesPerTrain: F,
      mask: this.pulsemask ? frameMask(this.pulsemask, frames) : null,
      xgm: this.xgm ? rowsByTrain(this.xgm, `XGM '${this.xgmName}'`) : null,
      tim: this.tim ? rowsByTrain(this.tim, 'TIM') : null,
      pulseOfFrame: xgmPulseOfFrame(this.dsscCoordsStride, frames, labels),
      normalise, normevery: o.normevery ?? 1, averaging,
    };
  }

  private async binnedPulseValues(which: 'xgm' | 'tim'): Promise<DataArray> {
    const setup = await this.setup({ needXgm: which === 'xgm', needTim: which === 'tim', warn: false });
    const plan = planModule(setup, -1, this.run.trainIdsExact, null);
    const values = which === 'xgm' ? plan.xgmBinned! : plan.timBinned!;
    return new DataArray(values, {
      dims: ['trainId', 'pulse'], shape: [setup.scanValues.length, setup.pulseLabels.length], name: which === 'xgm' ? this.xgmName : 'tim',
      coords: { trainId: setup.scanValues, pulse: labelData(setup.pulseLabels) },
    });
  }

  /** Mean XGM pulse energy per (scan bin, pulse bin), over the frames the binning keeps (NaN for bins without X-rays). */
  getXgmBinned(): Promise<DataArray> {
    return this.binnedPulseValues('xgm');
  }

  /** Mean TIM signal per (scan bin, pulse bin). */
  getTimBinned(): Promise<DataArray> {
    return this.binnedPulseValues('tim');
  }

  /**
   * What processData hands to the processing step, as plain data: the bins,
   * frame mask and XGM of the setup, the modules with their files, frame
   * counts and darks, and the options. Every check runs here, before any
   * frame is read.
   */
  async plan(options: BinnerPlanOptions = {}): Promise<DsscBinningPlan> {
    checkOptions('DSSCBinner.plan', options, PLAN_OPTIONS);
    const chunksize = positiveInt('chunksize', options.chunksize ?? 512);
    const normevery = positiveInt('normevery', options.normevery ?? 1);
    const modules = chooseModules(dsscModules(this.run), options.modules, this.runNumber);
    const { maxframes = null, xgmNormalization = false, averaging, darkImage } = options;
    const setup = await this.setup({ maxframes, xgmNormalization, normevery, averaging });
    checkNormalisable(setup, describeStride(this.dsscCoordsStride));
    const pixels = this.info.dims;
    const labels = (b: DataArray | undefined) => (b ? Array.from(b.values as ArrayLike<number | string>) : null);
    return {
      proposal: this.proposal, run: this.runNumber, chunksize, maxframes, xgmNormalization, normevery,
      pixels, xBins: labels(this.binners.x), yBins: labels(this.binners.y),
      trainIds: this.run.trainIdsExact, incSuspectTrains: this.run.runFiles.incSuspectTrains, setup,
      modules: modules.map(({ module, source }) => ({
        module,
        dark: darkImage ? moduleDark(darkImage, module, setup.frames, setup.framesPerTrain, pixels, this.runNumber) : null,
        dataCounts: this.run.dataCounts(source, 'image.data').values as Int32Array,
        files: this.run.runFiles.sources.get(source)!.files.map((f) => f.path),
      })),
      filepath: options.filepath ?? './',
    };
  }

  /** Bin the modules on worker threads and write one file per module (Python: process_data). */
  async processData(options: ProcessDataOptions = {}): Promise<ProcessDataSummary> {
    checkOptions('DSSCBinner.processData', options, PROCESS_OPTIONS);
    const { nJobs: n, signal, progress, ...planned } = options;
    const nJobs = positiveInt('nJobs', n ?? availableParallelism());
    return processModules(await this.plan(planned), { signal, progress, nJobs });
  }
}

/** process_dssc_data: one module, streamed in this thread (what each worker of processData does, plus finishing and writing). */
export async function processDsscData(binner: DSSCBinner, module: number, options: Omit<ProcessDataOptions, 'modules' | 'nJobs'> = {}): Promise<ProcessDataSummary> {
  checkOptions('processDsscData', options, MODULE_OPTIONS);
  const { signal, progress, ...planned } = options;
  return processModuleHere(await binner.plan({ ...planned, modules: [module] }), { signal, progress }, binner.run);
}

/**
 * The ToolBoxWarning of createPulsemask: frames the stride gives an X-ray
 * pulse the XGM (or TIM) does not have, and run trains it has no row for.
 */
function warnNoPulseValue(what: string, pulseOf: Int32Array, rows: PulseValues, runTrains: BigUint64Array, stride: string): void {
  const nPulses = rows.size ? rows.values().next().value!.length : 0;
  const frames = Array.from(pulseOf.entries()).filter(([, k]) => k >= nPulses).map(([f]) => f);
  const missing = Array.from(runTrains).filter((t) => !rows.has(t)).length;
  const withRow = runTrains.length - missing;
  if (!(frames.length && withRow) && !missing) return;
  const parts: string[] = [];
  if (frames.length && withRow) {
    const listed = frames.length > 8 ? `${frames.slice(0, 8).join(', ')}, …` : frames.join(', ');
    parts.push(`${frames.length * withRow} frames (${frames.length} per train: ${listed}) have no ${what} value: dsscCoordsStride ${stride} gives them an X-ray pulse beyond the ${nPulses} pulses per train it has`);
  }
  if (missing) parts.push(`${missing} of ${runTrains.length} trains have no ${what} data`);
  process.emitWarning(`createPulsemask: ${parts.join('; ')}. They keep the default mask value true (binned), as in the Python toolbox.`, 'ToolBoxWarning');
}

/** The pulse binner's label of every recorded frame. */
function pulseLabelsPerFrame(binner: DataArray, frames: number): BinLabel[] {
  const axis = pulseAxis(binner, frames);
  return Array.from(axis.binOfFrame, (b) => axis.labels[b]);
}
