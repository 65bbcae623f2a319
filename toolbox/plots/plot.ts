/**
 * A plot: a vega-lite spec that displays itself. Notebooks get the spec
 * (interactive in JupyterLab) with a static fallback for front ends without
 * vega (classic Notebook, nbconvert HTML, GitHub): SVG rendered here in Node,
 * or for large images the PNG of the colour-mapped pixels.
 */
import { inspect } from 'node:util';
import { ToolBoxError } from '../errors.js';
import { type DisplayOutput, type Displayable, MIME_BUNDLE } from '../display/mime.js';
import { VEGALITE_MIME, type VegaLiteSpec } from './spec.js';
import { renderSvg } from './vega.js';

/** What a Plot is made of (the plot functions build it; vegaLite() wraps a spec). */
export interface PlotParts {
  /** One line saying what is plotted (the text/plain of the plot). */
  description: string;
  /** The spec; async when it embeds something that needs vega (a colour-mapped image). */
  spec: () => VegaLiteSpec | Promise<VegaLiteSpec>;
  /** A PNG to use as static fallback instead of SVG (large images). */
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

  /** PNG of the pixels; only image plots too large for SVG have one. */
  async toPNG(): Promise<Buffer> {
    if (!this.parts.png) throw new ToolBoxError(`this plot (${this.description}) has no PNG rendering; use toSVG()`);
    return this.parts.png();
  }

  /** The static format this plot falls back to. */
  get staticMime(): 'image/png' | 'image/svg+xml' {
    return this.parts.png ? 'image/png' : 'image/svg+xml';
  }

  /** vega-lite for JupyterLab, plus PNG or SVG for front ends without it. */
  async [MIME_BUNDLE](): Promise<DisplayOutput> {
    const spec = await this.toSpec();
    const data: Record<string, unknown> = { [VEGALITE_MIME]: spec, 'text/plain': this.toString() };
    if (this.parts.png) data['image/png'] = (await this.parts.png()).toString('base64');
    else data['image/svg+xml'] = await renderSvg(spec);
    return { data };
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
