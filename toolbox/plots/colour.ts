/**
 * Colour limits (fixed, or percentiles of the data as in matplotlib's
 * robust imshow) and the colour lookup table for images rendered to PNG, taken
 * from vega's own schemes so the PNG and the interactive plot agree.
 */
import { ToolBoxValueError } from '../errors.js';
import { vegaLibs } from './vega.js';
import { checkOptions, optionNames } from '../options.js';

/** How values map to colours (image plots). */
export interface ColourOptions {
  /** A vega colour scheme (default "viridis"), e.g. "magma", "greys", "blueorange". */
  scheme?: string;
  /** Logarithmic colour scale; values <= 0 are left blank. */
  log?: boolean;
  /** Colour limits; given ones win over percentiles. */
  vmin?: number;
  /** Upper colour limit (see vmin). */
  vmax?: number;
  /** Colour limits at these percentiles of the data (0..100), e.g. [1, 99]. */
  percentiles?: [number, number];
}
export const COLOUR_OPTIONS = optionNames<ColourOptions>({ scheme: true, log: true, vmin: true, vmax: true, percentiles: true });

/** Linear-interpolated quantile of sorted data (numpy's default method). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Values that can be coloured: finite, and positive on a log scale. */
export function colourable(v: number, log: boolean): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

/** [vmin, vmax] for `values` under `options`; never empty (equal limits are widened). */
export function colourLimits(values: ArrayLike<number>, options: ColourOptions = {}): [number, number] {
  checkOptions('plot.colourLimits', options, COLOUR_OPTIONS);
  return limitsOf(values, options);
}

/** colourLimits without the options check, for the plots whose options extend ColourOptions. */
export function limitsOf(values: ArrayLike<number>, options: ColourOptions): [number, number] {
  const log = options.log ?? false;
  const usable = Float64Array.from(Array.prototype.filter.call(values, (v: number) => colourable(v, log)) as number[]).sort();
  const [p0, p1] = options.percentiles ?? [0, 100];
  if (!(p0 >= 0 && p1 <= 100 && p0 < p1)) throw new ToolBoxValueError(`percentiles must be two increasing numbers in 0..100, got [${options.percentiles?.join(', ')}]`);
  if (usable.length === 0 && (options.vmin === undefined || options.vmax === undefined)) {
    throw new ToolBoxValueError(`no ${log ? 'positive ' : ''}finite values to set the colour limits from; give vmin and vmax`);
  }
  let vmin = options.vmin ?? quantile(usable, p0 / 100);
  let vmax = options.vmax ?? quantile(usable, p1 / 100);
  if (log && !(vmin > 0)) throw new ToolBoxValueError(`a log colour scale needs vmin > 0, got ${vmin}`);
  if (!(vmin <= vmax)) throw new ToolBoxValueError(`vmin ${vmin} is larger than vmax ${vmax}`);
  if (vmin === vmax) {
    if (log) { vmin /= 10; vmax *= 10; } else { vmin -= 0.5; vmax += 0.5; }
  }
  return [vmin, vmax];
}

/** Position of `v` in the colour range, 0..1 (clamped), or NaN when it cannot be coloured. */
export function colourPosition(v: number, [vmin, vmax]: [number, number], log: boolean): number {
  if (!colourable(v, log)) return NaN;
  const t = log ? Math.log(v / vmin) / Math.log(vmax / vmin) : (v - vmin) / (vmax - vmin);
  return Math.min(1, Math.max(0, t));
}

const LUT_SIZE = 256;

function parseColour(c: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new ToolBoxValueError(`cannot read colour ${c}`);
}

/** 256 RGB triples sampling the scheme from 0 to 1. */
export async function colourTable(scheme: string): Promise<Uint8Array> {
  const { vega } = await vegaLibs();
  const s: unknown = vega.scheme(scheme);
  let at: (t: number) => [number, number, number];
  if (typeof s === 'function') at = (t) => parseColour(String((s as (t: number) => unknown)(t)));
  else if (Array.isArray(s) && s.length > 1) {
    // A discrete scheme: interpolate between its colours, as vega does for continuous scales.
    const stops = s.map((c) => parseColour(String(c)));
    at = (t) => {
      const pos = t * (stops.length - 1);
      const i = Math.min(stops.length - 2, Math.floor(pos));
      const f = pos - i;
      return [0, 1, 2].map((k) => Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f)) as [number, number, number];
    };
  } else throw new ToolBoxValueError(`unknown colour scheme '${scheme}' (see https://vega.github.io/vega/docs/schemes/)`);
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(at(i / (LUT_SIZE - 1)), i * 3);
  return lut;
}

/** RGBA of a colour position from colourPosition (NaN → transparent). */
export function colourAt(lut: Uint8Array, t: number, out: Uint8Array, at: number): void {
  if (Number.isNaN(t)) {
    out[at] = out[at + 1] = out[at + 2] = out[at + 3] = 0;
    return;
  }
  const i = Math.round(t * (LUT_SIZE - 1)) * 3;
  out[at] = lut[i];
  out[at + 1] = lut[i + 1];
  out[at + 2] = lut[i + 2];
  out[at + 3] = 255;
}
