/**
 * The one door to vega and vega-lite: ESM-only packages, loaded once and only
 * when a plot is first rendered, so importing the toolbox stays fast.
 */
import { ToolBoxError } from '../errors.js';
import type { VegaLiteSpec } from './spec.js';

export type Vega = typeof import('vega');
export type VegaLite = typeof import('vega-lite');

let loading: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

export function vegaLibs(): Promise<{ vega: Vega; vl: VegaLite }> {
  loading ??= (async () => {
    // A real import() (TypeScript keeps it under module NodeNext): require() cannot load these ESM packages on Node 20.
    const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    return { vega, vl };
  })().catch((err: unknown) => {
    loading = undefined;
    throw new ToolBoxError(`cannot load the plotting libraries (vega, vega-lite): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  return loading;
}

/** Static SVG of a vega-lite spec, rendered headless (no canvas: text widths are estimated). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await vegaLibs();
  let compiled;
  try {
    // A copy: vega tags data rows with its own ids, and the caller may still show or reuse the spec.
    compiled = vl.compile(structuredClone(spec) as unknown as Parameters<VegaLite['compile']>[0]).spec;
  } catch (err) {
    throw new ToolBoxError(`invalid vega-lite spec: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
