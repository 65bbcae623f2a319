/**
 * The plots of xas() and xasxmcd(): the binned absorption with its 95%
 * confidence band (±1.96 standard errors of the mean) above the counts per
 * bin, and XAS with XMCD as two stacked views; vega-lite with the static
 * fallback every Plot carries.
 */
import type { Dataset } from '../../arrays/dataset.js';
import { line } from '../../plots/line.js';
import { Plot } from '../../plots/plot.js';
import { VEGALITE_SCHEMA, type VegaLiteSpec } from '../../plots/spec.js';

/** Half-width of a 95% confidence interval in standard errors (normal approximation). */
export const Z95 = 1.96;

const values = (ds: Dataset, name: string) => Float64Array.from(ds.get(name).values as ArrayLike<number>);

/** μA against the bin centres with the band ±1.96·sterrA. */
function absorptionLayer(ds: Dataset, name: string, title: string, yLabel: string): Promise<VegaLiteSpec> {
  const sterr = values(ds, 'sterrA').map((s) => Z95 * s);
  return line({ [name]: { x: values(ds, 'nrj'), y: values(ds, 'muA'), err: sterr } }, { title, xLabel: xLabelOf(ds), yLabel, points: true, height: 220 }).toSpec();
}

function xLabelOf(ds: Dataset): string {
  const key = ds.attrs.nrjkey;
  return typeof key === 'string' ? key : 'nrj';
}

/** Stack views vertically under one schema, each without its own; built when first displayed. */
function stacked(views: () => Promise<VegaLiteSpec>[], description: string): Plot {
  const strip = (v: VegaLiteSpec) => {
    const { $schema: _s, background: _b, ...rest } = v;
    void _s; void _b;
    return rest;
  };
  return new Plot({ description, spec: async () => ({ $schema: VEGALITE_SCHEMA, background: 'white', vconcat: (await Promise.all(views())).map(strip) }) });
}

/** The plot of one xas() spectrum: μA with its 95% band, and the counts per bin. */
export function xasPlot(ds: Dataset): Plot {
  const mode = ds.attrs.fluorescence === true ? 'μT/μIo' : '−ln(μT/μIo)';
  const views = () => [
    absorptionLayer(ds, 'μA ± 1.96·sterr', `XAS (${String(ds.attrs.itkey)} / ${String(ds.attrs.iokey)})`, `absorption ${mode}`),
    line({ counts: { x: values(ds, 'nrj'), y: values(ds, 'counts') } }, { xLabel: xLabelOf(ds), yLabel: 'counts per bin', height: 100 }).toSpec(),
  ];
  return stacked(views, `XAS spectrum: μA with 95% confidence band over ${ds.sizes.nrj} bins of ${xLabelOf(ds)}, and counts`);
}

/** XAS = (A⁺ + A⁻)/2 and XMCD = A⁺ − A⁻, each with its 95% band. */
export function xmcdPlot(xasDs: Dataset, xmcdDs: Dataset): Plot {
  const views = () => [
    absorptionLayer(xasDs, 'XAS ± 1.96·sterr', 'XAS (A⁺ + A⁻)/2', 'absorption'),
    absorptionLayer(xmcdDs, 'XMCD ± 1.96·sterr', 'XMCD A⁺ − A⁻', 'difference'),
  ];
  return stacked(views, `XAS and XMCD with 95% confidence bands over ${xasDs.sizes.nrj} bins`);
}
