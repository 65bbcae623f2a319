/** BOZ inspection plots: several views stacked under one vega-lite schema. */
import { Plot } from '../../plots/plot.js';
import { VEGALITE_SCHEMA, type VegaLiteSpec } from '../../plots/spec.js';

/** Stack views vertically under one schema (each loses its own), built when first displayed. */
export function stackPlots(views: () => Promise<VegaLiteSpec>[], description: string): Plot {
  const strip = (v: VegaLiteSpec) => {
    const { $schema: _s, background: _b, ...rest } = v;
    void _s; void _b;
    return rest;
  };
  return new Plot({ description, spec: async () => ({ $schema: VEGALITE_SCHEMA, background: 'white', vconcat: (await Promise.all(views())).map(strip) }) });
}
