/**
 * A plot: a vega-lite spec that displays itself. Notebooks get the spec
 * (interactive in JupyterLab) with a static PNG for front ends without vega
 * (classic Notebook, nbconvert HTML, GitHub): vega's SVG drawn to PNG here in
 * Node, or for large images the PNG of the colour-mapped pixels. SVG is not in
 * the bundle: front ends that prefer it withhold or empty it (see svg-png.ts).
 */
import { inspect } from 'node:util';
import { type DisplayOutput, type Displayable, MIME_BUNDLE } from '../display/mime.js';
import { VEGALITE_MIME, type VegaLiteSpec } from './spec.js';
import { svgToPng } from './svg-png.js';
import { renderSvg } from './vega.js';

/** What a Plot is made of (the plot functions build it; vegaLite() wraps a spec). */
export interface PlotParts {
  /** One line saying what is plotted (the text/plain of the plot). */
  description: string;
  /** The spec; async when it embeds something that needs vega (a colour-mapped image). */
  spec: () => VegaLiteSpec | Promise<VegaLiteSpec>;
  /** The PNG of the pixels, used instead of drawing the SVG (large images). */
  png?: () => Promise<Buffer>;
}

/** A vega-lite plot that shows itself in a notebook (see the module comment for the fallbacks). */
export class Plot implements Displayable {
  private specPromise?: Promise<VegaLiteSpec>;

  constructor(private readonly parts: PlotParts) {}

  /** One line saying what is plotted. */
  get description(): string {
    return this.parts.description;
  }

  /** The vega-lite spec (a fresh copy: change it freely and wrap it with plot.vegaLite()). */
  async toSpec(): Promise<VegaLiteSpec> {
    this.specPromise ??= Promise.resolve(this.parts.spec());
    return structuredClone(await this.specPromise);
  }

  /** The plot rendered to SVG (vega's server-side renderer). */
  async toSVG(): Promise<string> {
    return renderSvg(await this.toSpec());
  }

  /** The static PNG: the pixels of a large image, else the SVG drawn at PNG_ZOOM. */
  async toPNG(): Promise<Buffer> {
    return (await this.staticPng()).png;
  }

  /** The static format of the bundle (always PNG; kept for code that asked). */
  get staticMime(): 'image/png' {
    return 'image/png';
  }

  /** vega-lite for JupyterLab, a PNG for front ends without it, one line of text. */
  async [MIME_BUNDLE](): Promise<DisplayOutput> {
    const spec = await this.toSpec();
    const { png, width, height } = await this.staticPng(spec);
    const data: Record<string, unknown> = { [VEGALITE_MIME]: spec, 'image/png': png.toString('base64'), 'text/plain': this.toString() };
    return width ? { data, metadata: { 'image/png': { width, height } } } : { data };
  }

  private async staticPng(spec?: VegaLiteSpec): Promise<{ png: Buffer; width?: number; height?: number }> {
    if (this.parts.png) return { png: await this.parts.png() };
    return svgToPng(await renderSvg(spec ?? await this.toSpec()));
  }

  toString(): string {
    return `<Plot: ${this.description}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A Plot from a hand-written (or modified) vega-lite spec. */
export function vegaLite(spec: VegaLiteSpec, description = 'vega-lite plot'): Plot {
  return new Plot({ description, spec: () => spec });
}
