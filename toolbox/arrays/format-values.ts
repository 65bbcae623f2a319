/**
 * Text formatting of array values the way Python users see them: numpy's
 * array repr (used by xarray for the data block of a DataArray), xarray's
 * one-line value summaries (coordinate and variable rows), and Python's str
 * and repr of scalars and attrs. Output follows numpy 1.24 / xarray 2023.01
 * so notebooks ported from Python read the same.
 */
import type { ArrayData, DType } from './dtype.js';
import { isFloat } from './dtype.js';
import { stridesOf } from './kernels.js';

export interface NumpyReprOptions {
  precision?: number;
  /** More elements than this are summarised with '...'. */
  threshold?: number;
  edgeitems?: number;
  linewidth?: number;
}

const NUMPY_DEFAULTS: Required<NumpyReprOptions> = { precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75 };

// ---------------------------------------------------------------------------
// Python scalars

/** Python's repr of a str: single quotes unless the text has ' and no ". */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return q + out + q;
}

function padExp(e: string): string {
  const sign = e[0] === '-' ? '-' : '+';
  const digits = e.replace(/^[+-]/, '');
  return sign + digits.padStart(2, '0');
}

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [m, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${m}e${padExp(e)}`;
  const s = String(v);
  const fixed = s.includes('e') ? v.toFixed(Math.max(0, -exp + (m.split('.')[1]?.length ?? 0))) : s;
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** Python's format(v, '.4') as xarray uses for one-line float summaries. */
export function pyFloat4(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [m, e] = v.toExponential(3).split('e');
  const exp = Number(e);
  // Python switches to exponent form where fixed form would need a ".0" beyond the 4 digits.
  if (exp + 1 <= -4 || exp + 1 > 3) {
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    return `${mant}e${padExp(e)}`;
  }
  let s = v.toFixed(Math.max(0, 3 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '');
  if (s.endsWith('.')) s += '0';
  if (!s.includes('.')) s += '.0';
  return s;
}

/** One element as xarray's format_item shows it in a one-line summary. */
export function formatItem(v: unknown, dtype: DType): string {
  if (dtype === 'string') return pyRepr(String(v));
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (isFloat(dtype)) return pyFloat4(v as number);
  return String(v);
}

/** Python's str() of an attribute value (numpy arrays as numpy prints them). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  return pyReprValue(v, true);
}

function pyReprValue(v: unknown, top = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return top ? v : pyRepr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : pyFloatRepr(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayData;
    return numpyStr(a, [a.length], dtypeOfTyped(a));
  }
  if (Array.isArray(v)) return `[${v.map((x) => pyReprValue(x)).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyRepr(k)}: ${pyReprValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

function dtypeOfTyped(a: ArrayData): DType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof BigUint64Array) return 'uint64';
  return 'int32';
}

// ---------------------------------------------------------------------------
// numpy's element formatters

type Formatter = (v: unknown) => string;

/** Shortest decimal that reads back as the same float32. */
function shortestF32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return v;
}

/** Integer and fraction digits of v, shortest unique but at most `precision` decimals. */
function positional(v: number, f32: boolean, precision: number): [string, string] {
  const u = f32 ? shortestF32(v) : v;
  let s = Math.abs(u) >= 1e21 || (u !== 0 && Math.abs(u) < 1e-6) ? u.toFixed(Math.min(precision, 100)) : String(u);
  let [i, f = ''] = s.split('.');
  if (f.length > precision) {
    s = v.toFixed(precision);
    [i, f = ''] = s.split('.');
    f = f.replace(/0+$/, '');
  }
  if (Object.is(v, -0) || (v < 0 && !i.startsWith('-'))) i = `-${i}`;
  return [i, f];
}

/** Mantissa integer digit(s), fraction digits and exponent of v in scientific form. */
function scientific(v: number, f32: boolean, precision: number): [string, string, string] {
  const u = f32 ? shortestF32(v) : v;
  let [m, e] = u.toExponential().split('e');
  let [i, f = ''] = m.split('.');
  if (f.length > precision) {
    [m, e] = v.toExponential(precision).split('e');
    [i, f = ''] = m.split('.');
    f = f.replace(/0+$/, '');
  }
  return [i, f, e];
}

function floatFormatter(sample: number[], f32: boolean, precision: number): Formatter {
  const finite = sample.filter(Number.isFinite);
  let expFormat = false;
  let max = 0, min = Infinity;
  for (const v of finite) {
    const a = Math.abs(v);
    if (a === 0) continue;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  if (max > 0 && (max >= 1e8 || min < 1e-4 || max / min > 1000)) expFormat = true;
  let padLeft = 0, padRight = 0, expSize = 2, digits = 0;
  if (finite.length && expFormat) {
    const parts = finite.map((v) => scientific(v, f32, precision));
    digits = Math.max(...parts.map((p) => p[1].length));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    expSize = Math.max(2, ...parts.map((p) => p[2].replace(/^[+-]/, '').length));
    padRight = expSize + 2 + digits;
  } else if (finite.length) {
    const parts = finite.map((v) => positional(v, f32, precision));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
  }
  if (finite.length !== sample.length) {
    const neginf = sample.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (neginf ? 1 : 0) - offset);
  }
  return (x) => {
    const v = x as number;
    if (!Number.isFinite(v)) {
      const r = Number.isNaN(v) ? 'nan' : v < 0 ? '-inf' : 'inf';
      return ' '.repeat(Math.max(0, padLeft + padRight + 1 - r.length)) + r;
    }
    if (expFormat) {
      const [i, f, e] = scientific(v, f32, precision);
      const sign = e.startsWith('-') ? '-' : '+';
      return `${i.padStart(padLeft)}.${f.padEnd(digits, '0')}e${sign}${e.replace(/^[+-]/, '').padStart(expSize, '0')}`;
    }
    const [i, f] = positional(v, f32, precision);
    return `${i.padStart(padLeft)}.${f.padEnd(padRight)}`;
  };
}

function formatterFor(sample: unknown[], dtype: DType, precision: number, scalar: boolean): Formatter {
  if (isFloat(dtype)) return floatFormatter(sample as number[], dtype === 'float32', precision);
  if (dtype === 'bool') return scalar ? (v) => (v ? 'True' : 'False') : (v) => (v ? ' True' : 'False');
  if (dtype === 'string') return (v) => pyRepr(String(v));
  const width = Math.max(0, ...sample.map((v) => String(v).length));
  return (v) => String(v).padStart(width);
}

// ---------------------------------------------------------------------------
// numpy's array layout

/** Flat positions of the elements shown when each axis keeps only its `edge` first and last. */
function shownPositions(shape: readonly number[], edge: number, summarize: boolean): number[] {
  const st = stridesOf(shape);
  const out: number[] = [];
  const rec = (axis: number, off: number) => {
    if (axis === shape.length) { out.push(off); return; }
    const n = shape[axis];
    const idx = summarize && n > 2 * edge
      ? [...Array.from({ length: edge }, (_, i) => i), ...Array.from({ length: edge }, (_, i) => n - edge + i)]
      : Array.from({ length: n }, (_, i) => i);
    for (const i of idx) rec(axis + 1, off + i * st[axis]);
  };
  rec(0, 0);
  return out;
}

function layout(values: ArrayData, shape: readonly number[], fmt: Formatter, linewidth: number, prefix: string, sep: string, edge: number, summarize: boolean): string {
  const st = stridesOf(shape);
  const rec = (axis: number, off: number, hanging: string, width: number): string => {
    const left = shape.length - axis;
    if (left === 0) return fmt(values[off]);
    const nextHanging = `${hanging} `;
    const n = shape[axis];
    const show = summarize && 2 * edge < n;
    const lead = show ? edge : 0, trail = show ? edge : n;
    const item = (i: number) => rec(axis + 1, off + i * st[axis], nextHanging, width - 1);
    let s = '';
    if (left === 1) {
      const elemWidth = width - Math.max(sep.trimEnd().length, 1);
      let line = hanging;
      const extend = (word: string) => {
        if (line.length + word.length > elemWidth && line.length > hanging.length) {
          s += `${line.trimEnd()}\n`;
          line = hanging;
        }
        line += word;
      };
      for (let i = 0; i < lead; i++) { extend(item(i)); line += sep; }
      if (show) { extend('...'); line += sep; }
      for (let i = trail; i > 1; i--) { extend(item(n - i)); line += sep; }
      extend(item(n - 1));
      s += line;
    } else {
      const lineSep = sep.trimEnd() + '\n'.repeat(left - 1);
      for (let i = 0; i < lead; i++) s += hanging + item(i) + lineSep;
      if (show) s += `${hanging}...${lineSep}`;
      for (let i = trail; i > 1; i--) s += hanging + item(n - i) + lineSep;
      s += hanging + item(n - 1);
    }
    return `[${s.slice(hanging.length)}]`;
  };
  return rec(0, 0, ' '.repeat(prefix.length + 1), linewidth);
}

function array2string(values: ArrayData, shape: readonly number[], dtype: DType, o: Required<NumpyReprOptions>, prefix: string, sep: string, linewidth: number): string {
  if (values.length === 0) return '[]';
  const summarize = values.length > o.threshold;
  const sample = shownPositions(shape, o.edgeitems, summarize).map((p) => values[p]);
  const fmt = formatterFor(sample, dtype, o.precision, shape.length === 0);
  return layout(values, shape, fmt, linewidth, prefix, sep, o.edgeitems, summarize);
}

/** numpy's repr of an array: `array([...], dtype=...)`. */
export function numpyRepr(values: ArrayData, shape: readonly number[], dtype: DType, options: NumpyReprOptions = {}): string {
  const o = { ...NUMPY_DEFAULTS, ...options };
  const implied = (dtype === 'float64' || dtype === 'int64' || dtype === 'bool') && values.length > 0;
  const prefix = 'array(', suffix = implied ? ')' : ',';
  const body = values.length > 0 || (shape.length === 1 && shape[0] === 0)
    ? array2string(values, shape, dtype, o, prefix, ', ', o.linewidth - suffix.length)
    : `[], shape=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const text = prefix + body + suffix;
  if (implied) return text;
  const dtypeStr = `dtype=${dtype})`;
  const lastLine = text.length - (text.lastIndexOf('\n') + 1);
  return text + (lastLine + dtypeStr.length + 1 > o.linewidth ? `\n${' '.repeat(prefix.length)}` : ' ') + dtypeStr;
}

/** numpy's str of an array: `[1 2 3]`. */
export function numpyStr(values: ArrayData, shape: readonly number[], dtype: DType, options: NumpyReprOptions = {}): string {
  const o = { ...NUMPY_DEFAULTS, ...options };
  return array2string(values, shape, dtype, o, '', ' ', o.linewidth);
}

/** Keep the first and last `limit / 2` lines of a long text (xarray's limit_lines). */
export function limitLines(text: string, limit: number): string {
  const lines = text.split('\n');
  if (lines.length <= limit) return text;
  const h = Math.floor(limit / 2);
  return [...lines.slice(0, h), '...', ...lines.slice(-h)].join('\n');
}

// ---------------------------------------------------------------------------
// xarray's one-line summaries

/** As many leading and trailing elements as fit in `maxWidth` characters (xarray's format_array_flat). */
export function formatArrayFlat(values: ArrayData, dtype: DType, maxWidth: number): string {
  const size = values.length;
  const relevant = Math.min(Math.max(size, 1), Math.max(Math.ceil(maxWidth / 2), 2));
  const nFront = Math.min(size, Math.floor((relevant + 1) / 2));
  const nBack = Math.min(size, Math.floor(relevant / 2));
  const front = Array.from({ length: nFront }, (_, i) => formatItem(values[i], dtype));
  const back = Array.from({ length: nBack }, (_, i) => formatItem(values[size - nBack + i], dtype));
  const interleaved: string[] = [];
  for (let i = 0; i < Math.max(front.length, back.length); i++) {
    if (i < front.length) interleaved.push(front[i]);
    if (i < back.length) interleaved.push(back[back.length - 1 - i]);
  }
  const items = interleaved.slice(0, relevant);
  const cum: number[] = [];
  let acc = -1;
  for (const s of items) { acc += s.length + 1; cum.push(acc); }
  let count: number, padding: string;
  if (size > 2 && (relevant < size || cum.some((c) => c > maxWidth))) {
    padding = ' ... ';
    const first = cum.findIndex((c) => c + padding.length - 1 > maxWidth);
    count = Math.min(size, Math.max(first < 0 ? 0 : first, 2));
  } else {
    count = size;
    padding = count <= 1 ? '' : ' ';
  }
  const numFront = Math.floor((count + 1) / 2);
  const numBack = count - numFront;
  let out = front.slice(0, numFront).join(' ') + padding + (numBack > 0 ? back.slice(-numBack) : back).join(' ');
  if (out.length > maxWidth) out = `${out.slice(0, Math.max(maxWidth - 3, 0))}...`;
  return out;
}
