/**
 * pyFAI's .poni files: "Key: value" lines, '#' comments, keys compared
 * without case. Version 2 names the detector and gives its configuration as
 * JSON (pixel1, pixel2, max_shape for pyFAI's generic `Detector`); version 1
 * has PixelSize1/PixelSize2 and no shape. Numbers are written as Python's
 * repr writes them, so a file we write reads back to the same doubles in
 * pyFAI and here.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ParameterError, ToolBoxError, ToolBoxFileError, ToolBoxValueError } from '../../errors.js';
import { replaceAtomically, resolveTarget } from '../../io/atomic.js';
import { optionNames } from '../../options.js';
import type { PoniGeometryConfig, PoniGeometryOptions } from './poni-options.js';

export interface PoniTextOptions {
  /** [ny, nx]; needed when the file gives no max_shape (version 1), else it must agree with it. */
  shape?: [number, number];
}
export const PONI_TEXT_OPTIONS = optionNames<PoniTextOptions>({ shape: true });

type Fail = (message: string) => ToolBoxError;

function failFor(file: string | undefined): Fail {
  return file === undefined
    ? (m) => new ToolBoxValueError(`PoniGeometry.fromPoniText: ${m}`)
    : (m) => new ToolBoxFileError(`PoniGeometry.read: ${file}: ${m}`, file);
}

/** The "key: value" lines, keys lower-cased (pyFAI's reading rules). */
function entries(text: string): Map<string, string> {
  const data = new Map<string, string>();
  for (const line of text.split(/\r?\n|\r/)) {
    const colon = line.indexOf(':');
    if (line.startsWith('#') || colon < 0) continue;
    data.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return data;
}

function number(data: Map<string, string>, keys: string[], fail: Fail, fallback?: number): number {
  const key = keys.find((k) => data.has(k));
  if (key === undefined) {
    if (fallback !== undefined) return fallback;
    throw fail(`missing key ${keys.map(label).join(' (or ')}${keys.length > 1 ? ')' : ''}`);
  }
  const text = data.get(key) as string;
  const v = text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw fail(`${label(key)} is not a finite number: '${text}'`);
  return v;
}

/** How pyFAI spells a key it writes. */
function label(key: string): string {
  return key === 'dist' ? 'dist' : key.replace(/^\w/, (c) => c.toUpperCase()).replace('size', 'Size');
}

interface DetectorPart {
  pixel1: number;
  pixel2: number;
  maxShape?: [number, number];
}

function detectorV2(data: Map<string, string>, fail: Fail): DetectorPart {
  const name = data.get('detector');
  if (name === undefined) throw fail('missing key Detector (poni_version 2)');
  const raw = data.get('detector_config');
  if (raw === undefined) throw fail('missing key Detector_config (poni_version 2)');
  let cfg: Record<string, unknown>;
  try {
    cfg = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw fail(`Detector_config is not JSON: '${raw}'`);
  }
  if (typeof cfg !== 'object' || cfg === null) throw fail(`Detector_config is not a JSON object: '${raw}'`);
  const size = (k: 'pixel1' | 'pixel2'): number => {
    const v = cfg[k];
    if (v === undefined) throw fail(`Detector_config lacks ${k} (detector ${name}); only detectors whose configuration gives the pixel size can be read`);
    if (typeof v !== 'number' || !(v > 0)) throw fail(`Detector_config ${k} is not a positive number: ${JSON.stringify(v)}`);
    return v;
  };
  if (cfg.splineFile !== undefined && cfg.splineFile !== null) throw fail(`Detector_config has a splineFile (${JSON.stringify(cfg.splineFile)}): distortion splines are not supported`);
  const part: DetectorPart = { pixel1: size('pixel1'), pixel2: size('pixel2') };
  const ms = cfg.max_shape;
  if (ms !== undefined && ms !== null) {
    if (!Array.isArray(ms) || ms.length !== 2 || !ms.every((s) => Number.isInteger(s) && s > 0)) {
      throw fail(`Detector_config max_shape is not two positive integers: ${JSON.stringify(ms)}`);
    }
    part.maxShape = [ms[0], ms[1]];
  }
  return part;
}

function pickShape(part: DetectorPart, shape: [number, number] | undefined, fail: Fail): [number, number] {
  if (shape === undefined) {
    if (part.maxShape) return part.maxShape;
    throw fail('the file gives no detector shape (max_shape); give shape: [ny, nx]');
  }
  if (part.maxShape && (part.maxShape[0] !== shape[0] || part.maxShape[1] !== shape[1])) {
    throw new ParameterError(`PoniGeometry: shape [${shape.join(', ')}] differs from the file's max_shape [${part.maxShape.join(', ')}]`, { parameter: 'shape', value: shape });
  }
  return shape;
}

/** The PoniGeometry options a .poni text describes (options already checked by checkOptions); `file` names the file in errors. */
export function parsePoni(text: string, o: PoniTextOptions = {}, file?: string): PoniGeometryOptions {
  const fail = failFor(file);
  if (typeof text !== 'string') throw new ParameterError(`PoniGeometry.fromPoniText: text must be a string, got ${typeof text}`, { parameter: 'text', value: text });
  const data = entries(text);
  const version = data.has('poni_version') ? Number(data.get('poni_version')) : 1;
  let part: DetectorPart;
  if (version === 2) {
    part = detectorV2(data, fail);
  } else if (version === 1) {
    const spline = data.get('splinefile');
    if (spline !== undefined && spline.toLowerCase() !== 'none') throw fail(`SplineFile is ${spline}: distortion splines are not supported`);
    part = { pixel1: number(data, ['pixelsize1'], fail), pixel2: number(data, ['pixelsize2'], fail) };
  } else {
    throw fail(`poni_version '${data.get('poni_version')}' is not supported (1 or 2)`);
  }
  const geo: PoniGeometryOptions = {
    dist: number(data, ['distance', 'dist'], fail), poni1: number(data, ['poni1'], fail), poni2: number(data, ['poni2'], fail),
    rot1: number(data, ['rot1'], fail, 0), rot2: number(data, ['rot2'], fail, 0), rot3: number(data, ['rot3'], fail, 0),
    pixel1: part.pixel1, pixel2: part.pixel2, shape: pickShape(part, o.shape, fail),
  };
  if (data.has('wavelength')) geo.wavelength = number(data, ['wavelength'], fail);
  return geo;
}

/** Reads and parses a .poni file; errors name the file. */
export async function readPoniFile(path: string, options?: PoniTextOptions): Promise<PoniGeometryOptions> {
  if (typeof path !== 'string' || path === '') throw new ParameterError(`PoniGeometry.read: path must be a file name, got ${String(path)}`, { parameter: 'path', value: path });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ToolBoxFileError(`PoniGeometry.read: cannot read ${path}: ${(err as Error).message}`, path, { cause: err });
  }
  return parsePoni(text, options, path);
}

/**
 * A float as Python's repr writes it: the shortest digits that read back to
 * the same double, in exponent form below 1e-4 and from 1e16 on.
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, e] = x.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const sign = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length > exp + 1) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}${digits.padEnd(exp + 1, '0')}.0`;
}

/** The .poni text (version 2) of a regular-detector geometry. */
export function formatPoni(c: PoniGeometryConfig): string {
  const detectorConfig = `{"pixel1": ${pyFloat(c.pixel1)}, "pixel2": ${pyFloat(c.pixel2)}, "max_shape": [${c.shape[0]}, ${c.shape[1]}]}`;
  const lines = [
    '# Nota: C-Order, 1 refers to the Y axis, 2 to the X axis ',
    '# Written by the SCS ToolBox (TypeScript)',
    'poni_version: 2',
    'Detector: Detector',
    `Detector_config: ${detectorConfig}`,
    `Distance: ${pyFloat(c.dist)}`,
    `Poni1: ${pyFloat(c.poni1)}`,
    `Poni2: ${pyFloat(c.poni2)}`,
    `Rot1: ${pyFloat(c.rot1)}`,
    `Rot2: ${pyFloat(c.rot2)}`,
    `Rot3: ${pyFloat(c.rot3)}`,
  ];
  if (c.wavelength !== undefined) lines.push(`Wavelength: ${pyFloat(c.wavelength)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the .poni file under a temporary name, then renames it over `path`. */
export async function writePoniFile(path: string, c: PoniGeometryConfig): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new ParameterError(`PoniGeometry.write: path must be a file name, got ${String(path)}`, { parameter: 'path', value: path });
  const text = formatPoni(c);
  await replaceAtomically(await resolveTarget(path), false, (tmp) => writeFile(tmp, text, 'utf8'));
}
