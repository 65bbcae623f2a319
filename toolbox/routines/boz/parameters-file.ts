/**
 * The BOZ parameters as a JSON file (Python: parameters.save / load): keys
 * are the Python toolbox's attribute names, so files go both ways; every
 * field is required on load, and a file of another version is refused, so a
 * result is never reproduced from guessed settings.
 */
import { ToolBoxFileError } from '../../errors.js';
import { maskFromIndices, maskIndices, type BozMask } from './mask.js';
import { ADC_LEVELS, MODULE_COLS, MODULE_ROWS, type Roi, type Rois } from './types.js';

/** The version this toolbox writes and reads (the JSON field 'version'). */
export const PARAMETERS_VERSION = '1';

/** A JSON value (what a fit summary may hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A threshold pair (low, high); null is Python's None (no bound). */
export type Threshold = [number | null, number | null];

/** What a fit leaves for inspection (e.g. x, fun, nit, success, message, the criterion's history): any JSON object. */
export type FitSummary = { [key: string]: JsonValue };

/** Every saved field of the BOZ parameters, camelCased (the JSON key of each is in PARAMETERS_FIELDS). */
export interface BozParametersState {
  proposal: number; darkrun: number; run: number; module: number; gain: number; dropIntraDarks: boolean;
  mask: BozMask; meanTh: Threshold; stdTh: Threshold;
  rois: Rois | null; roisTh: number | null; satLevel: number | null;
  ffType: string | null; flatField: number[] | null; ffProdTh: [number, number]; ffRatioTh: [number, number];
  planeGuessFit: number[] | null; useHex: boolean; forceMirror: boolean;
  ffAlpha: number | null; ffMaxIter: number | null; ffFit: FitSummary | null;
  Fnl: Float64Array | null; nlAlpha: number | null; nlMaxIter: number | null;
  nlDomain: [number, number, number] | null; nlFit: FitSummary | null;
}

/** JSON key (Python attribute name) of each field, in file order. */
export const PARAMETERS_FIELDS: Readonly<Record<keyof BozParametersState, string>> = Object.freeze({
  proposal: 'proposal', darkrun: 'darkrun', run: 'run', module: 'module', gain: 'gain', dropIntraDarks: 'drop_intra_darks',
  mask: 'mask', meanTh: 'mean_th', stdTh: 'std_th', rois: 'rois', roisTh: 'rois_th', satLevel: 'sat_level',
  ffType: 'ff_type', flatField: 'flat_field', ffProdTh: 'flat_field_prod_th', ffRatioTh: 'flat_field_ratio_th',
  planeGuessFit: 'plane_guess_fit', useHex: 'use_hex', forceMirror: 'force_mirror',
  ffAlpha: 'ff_alpha', ffMaxIter: 'ff_max_iter', ffFit: 'ff_fit',
  Fnl: 'Fnl', nlAlpha: 'nl_alpha', nlMaxIter: 'nl_max_iter', nlDomain: 'nl_domain', nlFit: 'nl_fit',
});

/** The JSON object of a state ('version' first, then the fields in PARAMETERS_FIELDS order). */
export function stateToJson(s: BozParametersState): Record<string, unknown> {
  const out: Record<string, unknown> = { version: PARAMETERS_VERSION };
  for (const [field, key] of Object.entries(PARAMETERS_FIELDS) as [keyof BozParametersState, string][]) {
    const v = s[field];
    if (field === 'mask') out[key] = maskIndices(v as BozMask);
    else if (field === 'Fnl') out[key] = v === null ? null : Array.from(v as Float64Array);
    else out[key] = v;
  }
  return out;
}

class FieldReader {
  constructor(readonly obj: Record<string, unknown>, readonly file: string) {}

  fail(key: string, why: string): ToolBoxFileError {
    return new ToolBoxFileError(`${this.file}: field '${key}' ${why} (parameters version ${PARAMETERS_VERSION})`, this.file);
  }

  get(key: string): unknown {
    if (!(key in this.obj)) throw this.fail(key, 'is missing');
    return this.obj[key];
  }

  num(key: string, nullable = false): number {
    const v = this.get(key);
    if (v === null && nullable) return null as unknown as number;
    if (typeof v !== 'number') throw this.fail(key, `must be a number${nullable ? ' or null' : ''}, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string): boolean {
    const v = this.get(key);
    if (typeof v !== 'boolean') throw this.fail(key, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  numbers(key: string, length: number | null, nullable: boolean, nullItems = false): (number | null)[] | null {
    const v = this.get(key);
    if (v === null && nullable) return null;
    const ok = Array.isArray(v) && (length === null || v.length === length)
      && v.every((x) => typeof x === 'number' || (nullItems && x === null));
    if (!ok) throw this.fail(key, `must be ${length === null ? 'a list' : `a list of ${length}`} of numbers${nullable ? ' or null' : ''}, got ${JSON.stringify(v)?.slice(0, 80)}`);
    return v as (number | null)[];
  }

  object(key: string): Record<string, unknown> | null {
    const v = this.get(key);
    if (v !== null && (typeof v !== 'object' || Array.isArray(v))) throw this.fail(key, `must be an object or null, got ${JSON.stringify(v)?.slice(0, 80)}`);
    return v as Record<string, unknown> | null;
  }
}

function readRois(r: FieldReader, key: string): Rois | null {
  const obj = r.object(key);
  if (obj === null) return null;
  const rois: Rois = {};
  for (const [name, roi] of Object.entries(obj)) {
    const box = roi as Record<string, unknown> | null;
    const sides = ['xl', 'xh', 'yl', 'yh'] as const;
    if (box === null || typeof box !== 'object' || !sides.every((s) => Number.isInteger(box[s]))) {
      throw r.fail(key, `ROI '${name}' must have integer xl, xh, yl, yh, got ${JSON.stringify(roi)}`);
    }
    const roiBox = Object.fromEntries(sides.map((s) => [s, box[s] as number])) as unknown as Roi;
    if (roiBox.xl < 0 || roiBox.xh > MODULE_COLS || roiBox.xl >= roiBox.xh || roiBox.yl < 0 || roiBox.yh > MODULE_ROWS || roiBox.yl >= roiBox.yh) {
      throw r.fail(key, `ROI '${name}' x [${roiBox.xl}, ${roiBox.xh}) y [${roiBox.yl}, ${roiBox.yh}) is empty or outside the module`);
    }
    rois[name] = roiBox;
  }
  return rois;
}

function readMask(r: FieldReader, key: string): BozMask {
  const v = r.get(key);
  if (v === null) return new Uint8Array(maskFromIndices([]));
  if (!Array.isArray(v) || !v.every((p) => Array.isArray(p) && p.length === 2)) throw r.fail(key, 'must be a list of [row, column] bad pixel indices');
  try {
    return maskFromIndices(v as number[][], key);
  } catch (err) {
    throw r.fail(key, (err as Error).message);
  }
}

function readFnl(r: FieldReader, key: string): Float64Array | null {
  const v = r.numbers(key, ADC_LEVELS, true);
  return v === null ? null : Float64Array.from(v as number[]);
}

/** The state in a parsed JSON object; a missing or mistyped field, or another version, is a ToolBoxFileError naming it. */
export function stateFromJson(json: unknown, file: string): BozParametersState {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ToolBoxFileError(`${file}: not a BOZ parameters file (a JSON object expected)`, file);
  const r = new FieldReader(json as Record<string, unknown>, file);
  const version = (json as Record<string, unknown>).version;
  if (version === undefined) throw r.fail('version', 'is missing: not a file written by this toolbox');
  if (String(version) !== PARAMETERS_VERSION) {
    throw new ToolBoxFileError(`${file}: parameters version '${String(version)}' (field 'version'); this toolbox reads version '${PARAMETERS_VERSION}'`, file);
  }
  const k = PARAMETERS_FIELDS;
  const opt = (key: string): number | null => r.num(key, true);
  const pair = (key: string, items: boolean): [number, number] => r.numbers(key, 2, false, items) as [number, number];
  const nums = (key: string): number[] | null => r.numbers(key, null, true) as number[] | null;
  const domain = r.numbers(k.nlDomain, 3, true) as [number, number, number] | null;
  return {
    proposal: r.num(k.proposal), darkrun: r.num(k.darkrun), run: r.num(k.run), module: r.num(k.module), gain: r.num(k.gain),
    dropIntraDarks: r.bool(k.dropIntraDarks), mask: readMask(r, k.mask),
    meanTh: pair(k.meanTh, true), stdTh: pair(k.stdTh, true),
    rois: readRois(r, k.rois), roisTh: opt(k.roisTh), satLevel: opt(k.satLevel),
    ffType: readString(r, k.ffType), flatField: nums(k.flatField), ffProdTh: pair(k.ffProdTh, false), ffRatioTh: pair(k.ffRatioTh, false),
    planeGuessFit: nums(k.planeGuessFit), useHex: r.bool(k.useHex), forceMirror: r.bool(k.forceMirror),
    ffAlpha: opt(k.ffAlpha), ffMaxIter: opt(k.ffMaxIter), ffFit: r.object(k.ffFit) as FitSummary | null,
    Fnl: readFnl(r, k.Fnl), nlAlpha: opt(k.nlAlpha), nlMaxIter: opt(k.nlMaxIter), nlDomain: domain, nlFit: r.object(k.nlFit) as FitSummary | null,
  };
}

function readString(r: FieldReader, key: string): string | null {
  const v = r.get(key);
  if (v !== null && typeof v !== 'string') throw r.fail(key, `must be a string or null, got ${JSON.stringify(v)}`);
  return v as string | null;
}
