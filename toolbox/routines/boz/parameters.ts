/**
 * The BOZ parameters (Python: toolbox_scs.routines.boz.parameters): every
 * input, threshold and fit setting that determines the corrections, saved
 * as one JSON file so a result can be reproduced and inspected. The frames
 * themselves (arrDark, arr) are opened by `openData` and never saved.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParameterError, ToolBoxFileError, ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { emptyMask, maskIndices, toMask, type BozMask, type BozMaskInput } from './mask.js';
import {
  PARAMETERS_VERSION, stateFromJson, stateToJson, type BozParametersState, type FitSummary, type Threshold,
} from './parameters-file.js';
import { pythonJsonParse, pythonJsonStringify } from './python-json.js';
import { describeParameters } from './parameters-text.js';
import { loadDsscModule, type LoadDsscModuleOptions, type LoadedModule } from './load.js';
import { ADC_LEVELS, type ModuleFrames, type Rois } from './types.js';

/** Options of the parameters constructor. */
export interface ParametersOptions {
  /** Drop every second DSSC frame, the intra-darks (default true). */
  dropIntraDarks?: boolean;
}
const PARAMETERS_OPTIONS = optionNames<ParametersOptions>({ dropIntraDarks: true });

/** Options of setFlatField. */
export interface SetFlatFieldOptions {
  /** Type of flat-field normalisation; only 'plane' (default). */
  ffType?: string;
  /** Product threshold (low, high) of the plane-fitting domain (kept when omitted). */
  prodTh?: [number, number];
  /** Ratio threshold (low, high) of the plane-fitting domain (kept when omitted). */
  ratioTh?: [number, number];
}
const SET_FLAT_FIELD_OPTIONS = optionNames<SetFlatFieldOptions>({ ffType: true, prodTh: true, ratioTh: true });

/** Options of daskLoadPersistently. */
export interface LoadPersistentlyOptions {
  /** Keep at most this many GB of the dark run's frames in memory once read (default: all). */
  darkDataSizeGb?: number | null;
  /** Keep at most this many GB of the run's frames in memory once read (default: all). */
  dataSizeGb?: number | null;
}
const LOAD_PERSISTENTLY_OPTIONS = optionNames<LoadPersistentlyOptions>({ darkDataSizeGb: true, dataSizeGb: true });

/** What openData calls to open one module of one run: loadDsscModule's signature. */
export type ModuleLoader = (proposalNB: number, runNB: number, options: LoadDsscModuleOptions) => Promise<LoadedModule>;

/** Options of openData. */
export interface OpenDataOptions {
  /** The loader (default: loadDsscModule, reading the proposal's runs). */
  loader?: ModuleLoader;
}
const OPEN_DATA_OPTIONS = optionNames<OpenDataOptions>({ loader: true });

/** The flat-field plane guess used when none is given: c = 1, d = −1 for both beams, i.e. a flat field of 1 everywhere. */
export const DEFAULT_PLANE_GUESS: readonly number[] = Object.freeze([0, 0, 1, -1, 0, 0, 1, -1]);

function finiteNumber(fn: string, name: string, v: unknown, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ParameterError(`${fn}: ${name} must be a finite ${integer ? 'integer' : 'number'}, got ${String(v)}`, { parameter: name, value: v });
  }
  return v;
}

function planeList(fn: string, name: string, v: unknown, mirror: boolean): number[] {
  const ok = Array.isArray(v) && (v.length === 8 || (mirror && v.length === 4)) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!ok) throw new ParameterError(`${fn}: ${name} must be 8 finite numbers (the 'n' plane a, b, c, d then the 'p' plane)${mirror ? ', or 4 (the n plane; p is its mirror in x)' : ''}`, { parameter: name, value: v });
  const p = [...(v as number[])];
  // Mirror symmetry: the p beam's plane is the n plane with x → −x.
  return p.length === 4 ? [...p, -p[0], p[1], p[2], p[3]] : p;
}

/**
 * All input parameters of the BOZ corrections (Python's `parameters`; also
 * exported as BozParameters). `save` writes them as JSON, `load` reads them
 * back exactly. See docs/boz.md, Parameters.
 */
export class parameters implements BozParametersState {
  proposal: number; darkrun: number; run: number; module: number; gain: number; dropIntraDarks: boolean;
  /** Bad pixels, 1 = bad (setMask/getMask). */
  mask: BozMask = emptyMask();
  /** Dark mean (low, high) thresholds used for the bad pixel map. */
  meanTh: Threshold = [null, null];
  /** Dark std (low, high) thresholds used for the bad pixel map. */
  stdTh: Threshold = [null, null];
  rois: Rois | null = null;
  /** Threshold used to find the ROIs (findRoisFromParams). */
  roisTh: number | null = null;
  /** Raw value at or above which a frame counts as saturated. */
  satLevel: number | null = null;
  ffType: string | null = null;
  /** The flat-field planes: 8 numbers, the 'n' plane then the 'p' plane. */
  flatField: number[] | null = null;
  /** Plane-fitting domain: normalised n·p product thresholds (low, high). */
  ffProdTh: [number, number] = [5, Infinity];
  /** Plane-fitting domain: n/p ratio thresholds (low, high). */
  ffRatioTh: [number, number] = [-Infinity, 1.2];
  planeGuessFit: number[] | null = null;
  /** Real hexagonal pixel positions (true) or pixel indices (false, default) in getRoiPixelPos. */
  useHex = false;
  /** Mirror symmetry of the flat field: the 'p' plane is the 'n' plane mirrored in x. */
  forceMirror = true;
  ffAlpha: number | null = null;
  ffMaxIter: number | null = null;
  ffFit: FitSummary | null = null;
  Fnl: Float64Array | null = null;
  nlAlpha: number | null = null;
  nlMaxIter: number | null = null;
  /** The nlDomain arguments (N, low, high) of the fitted Fnl. */
  nlDomain: [number, number, number] | null = null;
  nlFit: FitSummary | null = null;
  /** Dark run frames, train IDs, run frames, train IDs: set by openData. */
  arrDark: ModuleFrames | null = null;
  tidDark: BigUint64Array | null = null;
  arr: ModuleFrames | null = null;
  tid: BigUint64Array | null = null;
  /** Memory limits of daskLoadPersistently (null: not persistent). */
  persistDarkGb: number | null = null;
  persistDataGb: number | null = null;
  persistent = false;

  constructor(proposal: number, darkrun: number, run: number, module: number, gain: number, options: ParametersOptions = {}) {
    const o = checkOptions('parameters', options, PARAMETERS_OPTIONS);
    this.proposal = finiteNumber('parameters', 'proposal', proposal, true);
    this.darkrun = finiteNumber('parameters', 'darkrun', darkrun, true);
    this.run = finiteNumber('parameters', 'run', run, true);
    this.module = finiteNumber('parameters', 'module', module, true);
    if (module < 0 || module > 15) throw new ParameterError(`parameters: module must be a DSSC module 0…15, got ${module}`, { parameter: 'module', value: module });
    this.gain = finiteNumber('parameters', 'gain', gain);
    this.dropIntraDarks = o.dropIntraDarks ?? true;
  }

  /** Sets the bad pixel mask: a module image of flags (true/non-zero = bad) or a list of [row, column] bad pixel indices. */
  setMask(arr: BozMaskInput): void { this.mask = toMask(arr); }

  /** The bad pixel mask: 128 × 512 flags, row-major, 1 = bad (a copy). */
  getMask(): BozMask { return this.mask.slice(); }

  /** The [row, column] indices of the bad pixels (Python's mask_idx). */
  getMaskIdx(): [number, number][] { return maskIndices(this.mask); }

  /** Sets the flat-field guess of the plane fit (8 numbers, or 4 with mirror symmetry) and returns it; default DEFAULT_PLANE_GUESS. */
  flatFieldGuess(guess?: readonly number[] | null): number[] {
    this.planeGuessFit = guess === undefined || guess === null ? [...DEFAULT_PLANE_GUESS] : planeList('flatFieldGuess', 'guess', guess, this.forceMirror);
    return [...this.planeGuessFit];
  }

  /** Sets the flat-field planes (8 numbers, or 4 with mirror symmetry) and, if given, the domain thresholds. */
  setFlatField(ffParams: readonly number[], options: SetFlatFieldOptions = {}): void {
    const o = checkOptions('setFlatField', options, SET_FLAT_FIELD_OPTIONS);
    const ffType = o.ffType ?? 'plane';
    if (ffType !== 'plane') throw new ParameterError(`setFlatField: ffType '${ffType}' is not supported; only 'plane'`, { parameter: 'ffType', value: ffType, expected: ['plane'] });
    const planes = planeList('setFlatField', 'ffParams', ffParams, this.forceMirror);
    const th = (name: string, v: [number, number] | undefined): [number, number] | undefined => {
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && !Number.isNaN(x))) {
        throw new ParameterError(`setFlatField: ${name} must be two numbers (low, high), got ${JSON.stringify(v)}`, { parameter: name, value: v });
      }
      return [v[0], v[1]];
    };
    const prod = th('prodTh', o.prodTh);
    const ratio = th('ratioTh', o.ratioTh);
    this.ffType = ffType;
    this.flatField = planes;
    if (prod) this.ffProdTh = prod;
    if (ratio) this.ffRatioTh = ratio;
  }

  /** The flat-field planes (8 numbers, 'n' then 'p'), or null before setFlatField. */
  getFlatField(): number[] | null { return this.flatField === null ? null : [...this.flatField]; }

  /** Sets the non-linear correction function: 512 finite values, one per raw value. */
  setFnl(Fnl: ArrayLike<number>): void {
    if (Fnl === null || typeof Fnl !== 'object' || Fnl.length !== ADC_LEVELS) {
      throw new ParameterError(`setFnl: Fnl must have ${ADC_LEVELS} values (one per 9-bit raw value), got ${Fnl === null || typeof Fnl !== 'object' ? String(Fnl) : Fnl.length}`, { parameter: 'Fnl', value: Fnl });
    }
    const f = Float64Array.from(Fnl);
    const k = f.findIndex((v) => !Number.isFinite(v));
    if (k >= 0) throw new ParameterError(`setFnl: Fnl[${k}] is ${f[k]}, not finite`, { parameter: 'Fnl', value: f[k] });
    this.Fnl = f;
  }

  /** The non-linear correction function (512 values, a copy), or null before setFnl. */
  getFnl(): Float64Array | null { return this.Fnl === null ? null : this.Fnl.slice(); }

  /** The file name save writes: parameters_p{proposal}_d{darkrun}_r{run}.json (Python's). */
  fileName(): string { return `parameters_p${this.proposal}_d${this.darkrun}_r${this.run}.json`; }

  /** Saves the parameters as JSON in folder `path` (written under a temporary name, then renamed); returns the file's path. */
  async save(path = './'): Promise<string> {
    if (typeof path !== 'string' || path === '') throw new ParameterError(`save: path must be a folder name, got ${String(path)}`, { parameter: 'path', value: path });
    const file = join(path, this.fileName());
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(path, { recursive: true });
      await writeFile(tmp, pythonJsonStringify(stateToJson(this)) + '\n');
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new ToolBoxFileError(`save: cannot write ${file}: ${(err as Error).message}`, file, { cause: err });
    }
    return file;
  }

  /** Loads parameters from a JSON file written by save (or by the Python toolbox with the same fields and version). */
  static async load(fname: string): Promise<parameters> {
    let text: string;
    try {
      text = await readFile(fname, 'utf8');
    } catch (err) {
      throw new ToolBoxFileError(`load: cannot read ${fname}: ${(err as Error).message}`, fname, { cause: err });
    }
    const s = stateFromJson(pythonJsonParse(text, fname), fname);
    const p = new parameters(s.proposal, s.darkrun, s.run, s.module, s.gain, { dropIntraDarks: s.dropIntraDarks });
    Object.assign(p, s);
    return p;
  }

  /**
   * Python loads the dask arrays into memory; here frames are streamed, and
   * this records how much of each run openData's loader may keep in memory
   * once read (null: all of it).
   */
  daskLoadPersistently(options: LoadPersistentlyOptions = {}): void {
    const o = checkOptions('daskLoadPersistently', options, LOAD_PERSISTENTLY_OPTIONS);
    for (const [name, v] of [['darkDataSizeGb', o.darkDataSizeGb], ['dataSizeGb', o.dataSizeGb]] as const) {
      if (v !== undefined && v !== null && !(typeof v === 'number' && v > 0)) throw new ParameterError(`daskLoadPersistently: ${name} must be a positive number of GB, got ${String(v)}`, { parameter: name, value: v });
    }
    this.persistent = true;
    this.persistDarkGb = o.darkDataSizeGb ?? null;
    this.persistDataGb = o.dataSizeGb ?? null;
  }

  /** Python moves the fit to a GPU; the histogram form needs none, so this does nothing and returns false (no GPU used). */
  useGpu(): boolean { return false; }

  /** Opens the dark run's and the run's frames of the module (Python does it in the constructor): sets arrDark, tidDark, arr, tid. */
  async openData(options: OpenDataOptions = {}): Promise<this> {
    const o = checkOptions('openData', options, OPEN_DATA_OPTIONS);
    const loader = o.loader ?? loadDsscModule;
    const load = (run: number, gb: number | null) => loader(this.proposal, run, {
      moduleNB: this.module, dropIntraDarks: this.dropIntraDarks, persist: this.persistent, ...(gb === null ? {} : { dataSizeGb: gb }),
    });
    const { arr: arrDark } = await load(this.darkrun, this.persistDarkGb);
    const { arr } = await load(this.run, this.persistDataGb);
    if (arrDark.pulses !== arr.pulses) {
      throw new ToolBoxValueError(`openData: dark run ${this.darkrun} has ${arrDark.pulses} frames per train, run ${this.run} has ${arr.pulses} (module ${this.module})`);
    }
    this.arrDark = arrDark; this.tidDark = arrDark.trainIds;
    this.arr = arr; this.tid = arr.trainIds;
    return this;
  }

  /** A summary of every field (Python's __str__). */
  toString(): string { return describeParameters(this, PARAMETERS_VERSION); }
}

/** The same class under a TypeScript-style name. */
export const BozParameters = parameters;
/** An instance of the BOZ parameters class. */
export type BozParameters = parameters;
