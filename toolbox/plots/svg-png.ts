/**
 * PNG of a plot's SVG (resvg, a native SVG renderer shipped prebuilt on npm), the static
 * fallback every front end shows: the classic Notebook withholds SVG from notebooks it does
 * not trust (every notebook a batch run wrote), and nbconvert 6.5 empties inline SVG. Drawn
 * at twice the SVG's size for sharp text on high-density screens; the bundle's metadata gives
 * the display size. Text uses the machine's fonts (DejaVu Sans first, as matplotlib does).
 */
import { ToolBoxError } from '../errors.js';

type Resvg = typeof import('@resvg/resvg-js');

/** Pixels per SVG pixel. */
export const PNG_ZOOM = 2;

let resvg: Resvg | undefined;

function loadResvg(): Resvg {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the native addon loads on the first static plot, not with the toolbox
    resvg ??= require('@resvg/resvg-js') as Resvg;
    return resvg;
  } catch (err) {
    throw new ToolBoxError(`cannot load the SVG renderer (@resvg/resvg-js): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** A PNG rendering of `svg` at PNG_ZOOM, with the size to display it at (the SVG's own). */
export function svgToPng(svg: string): { png: Buffer; width: number; height: number } {
  const { Resvg } = loadResvg();
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_ZOOM },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return { png: image.asPng(), width: Math.round(image.width / PNG_ZOOM), height: Math.round(image.height / PNG_ZOOM) };
}
