/**
 * The reflectivity plot: binned ΔR as points, the 95% confidence band
 * (±1.96·sterr), the fit curve and a vertical line at t0 (the fitted one, or
 * the origin given), as vega-lite layers with the PNG fallback every Plot has.
 */
import { Plot } from '../../plots/plot.js';
import { type VegaLiteSpec, quantitative, topLevel } from '../../plots/spec.js';

export interface ReflectivityPlotInput {
  x: number[];
  deltaR: number[];
  sterr: number[];
  xLabel: string;
  yLabel: string;
  plotErrors: boolean;
  /** The fit curve and its name. */
  fit?: { name: string; curve: (x: number) => number };
  /** Where to draw the t0 line, and what to call it. */
  t0?: { x: number; label: string };
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The layers, each with its own data. */
function layers(p: ReflectivityPlotInput): VegaLiteSpec[] {
  const x = quantitative('x', p.xLabel), y = quantitative('y', p.yLabel);
  const out: VegaLiteSpec[] = [];
  if (p.plotErrors) {
    const rows = p.x.map((v, i) => ({ x: v, lo: finite(p.deltaR[i] - 1.96 * p.sterr[i]), hi: finite(p.deltaR[i] + 1.96 * p.sterr[i]) }));
    out.push({ data: { values: rows }, mark: { type: 'area', opacity: 0.25, color: '#1f77b4' }, encoding: { x, y: quantitative('lo', p.yLabel), y2: { field: 'hi' } } });
  }
  const points = p.x.map((v, i) => ({ x: v, y: finite(p.deltaR[i]), series: 'binned ΔR' }));
  out.push({ data: { values: points }, mark: { type: 'line', point: true, strokeWidth: 1 }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null } } });
  if (p.fit) {
    const lo = Math.min(...p.x), hi = Math.max(...p.x), fit = p.fit;
    const rows = Array.from({ length: 301 }, (_, i) => { const v = lo + ((hi - lo) * i) / 300; return { x: v, y: finite(fit.curve(v)), series: fit.name }; });
    out.push({ data: { values: rows }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color: { field: 'series', type: 'nominal', title: null } } });
  }
  if (p.t0 && Number.isFinite(p.t0.x)) {
    out.push({ data: { values: [{ x: p.t0.x, label: p.t0.label }] }, mark: { type: 'rule', strokeDash: [4, 4], color: 'black' }, encoding: { x, tooltip: { field: 'label' } } });
  }
  return out;
}

/** The plot of a reflectivity result. */
export function reflectivityPlot(p: ReflectivityPlotInput): Plot {
  const what = `transient reflectivity, ${p.x.length} delay bins${p.fit ? `, ${p.fit.name}` : ''}${p.t0 ? `, ${p.t0.label}` : ''}`;
  return new Plot({ description: what, spec: () => topLevel({ title: 'transient reflectivity' }, { layer: layers(p) }) });
}
