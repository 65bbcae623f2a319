/**
 * Vega-lite spec basics shared by the plot builders.
 *
 * The specs are built with vega-lite 6 but declare the v5 schema: JupyterLab
 * (4.x) renders `application/vnd.vegalite.v5+json` with its bundled
 * vega-lite 5 and warns about or rejects specs whose $schema names another
 * major version. The builders use only features both versions share.
 */
import { optionNames } from '../options.js';

/** A vega-lite spec as plain JSON (what goes into the notebook). */
export type VegaLiteSpec = { [key: string]: unknown };

/** The mime type JupyterLab renders vega-lite v5 specs under. */
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
/** `$schema` of every spec this module writes. */
export const VEGALITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Options every plot takes. */
export interface CommonPlotOptions {
  /** Title above the plot. */
  title?: string;
  /** Plot area size in pixels (default 400 × 250). */
  width?: number;
  /** Plot area height in pixels (default 250). */
  height?: number;
  /** x axis title (default: from the data's name and units). */
  xLabel?: string;
  /** y axis title (default: from the data's name and units). */
  yLabel?: string;
}
/** The option names every plot takes, for checkOptions. */
export const COMMON_PLOT_OPTIONS = optionNames<CommonPlotOptions>({ title: true, width: true, height: true, xLabel: true, yLabel: true });

/** The top level every plot shares: schema, size, title, a white background for static fallbacks. */
export function topLevel(options: CommonPlotOptions, body: VegaLiteSpec): VegaLiteSpec {
  return {
    $schema: VEGALITE_SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 400,
    height: options.height ?? 250,
    background: 'white',
    ...body,
  };
}

/** A positional channel definition on a quantitative field. */
export function quantitative(field: string, title: string, scale: VegaLiteSpec = {}): VegaLiteSpec {
  return { field, type: 'quantitative', title, ...(Object.keys(scale).length ? { scale } : {}) };
}

/** Rows above which a spec (and its SVG) gets heavy for a notebook: several MB per output. */
export const MANY_ROWS = 20_000;

/** Warn (once per plot) when the data make the notebook output large; the data are kept as given. */
export function warnIfMany(rows: number, what: string): void {
  if (rows > MANY_ROWS) {
    process.emitWarning(`${what} has ${rows} points: the notebook output will be several MB; consider reducing the data first (e.g. a mean over trains or a selection)`, 'ToolBoxWarning');
  }
}
