/**
 * The plot of a knife-edge fit as vega-lite layers: the measured points, the
 * fitted curve, a rule at the beam centre x0, and w0 in the title. Static
 * fallbacks (SVG) come with every Plot.
 */
import { Plot } from '../../plots/plot.js';
import { quantitative, topLevel } from '../../plots/spec.js';
import { jsonNumber } from '../../plots/values.js';
import type { KnifeEdgeFitFields } from './fit.js';
import { MODELS } from './model.js';

/** Significant digits enough to read an uncertainty. */
const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** One line with w0 and x0 and their standard errors. */
export function knifeEdgeSummary(fit: KnifeEdgeFitFields, unit: string): string {
  return `w0 = ${fmt(fit.w0)} ± ${fmt(fit.w0Std)} ${unit} (1/e² radius), x0 = ${fmt(fit.x0)} ± ${fmt(fit.x0Std)} ${unit}`;
}

/** The fit's text for `display`: model, parameters with errors, points. */
export function knifeEdgeReport(fit: KnifeEdgeFitFields, unit: string, what = 'knife-edge'): string {
  const names = ['x0', 'w0', 'a', 'b'];
  const lines = [
    `${what}: ${fit.function} fit of ${fit.points} points, f(x) = a·${fit.function}(√2(x − x0)/w0) + b`,
    knifeEdgeSummary(fit, unit),
    ...names.map((n, i) => `  ${n} = ${fit.popt[i]} ± ${fit.perr[i]}  (p0 ${fit.p0[i]})`),
  ];
  return lines.join('\n');
}

export interface KnifeEdgePlotLabels {
  xLabel: string;
  yLabel: string;
  unit: string;
}

/** Points, fit curve and x0 marker; x and y are the fitted points. */
export function knifeEdgePlot(x: ArrayLike<number>, y: ArrayLike<number>, fit: KnifeEdgeFitFields, labels: KnifeEdgePlotLabels): Plot {
  const spec = () => {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]); }
    const model = MODELS[fit.function].model;
    const curve = Array.from({ length: 201 }, (_, i) => {
      const xi = lo + ((hi - lo) * i) / 200;
      return { x: xi, y: jsonNumber(model(xi, fit.popt)) };
    });
    const points = Array.from(x, (xi, i) => ({ x: xi, y: jsonNumber(y[i]) }));
    const xEnc = quantitative('x', labels.xLabel, { zero: false });
    const yEnc = quantitative('y', labels.yLabel, { zero: false });
    return topLevel({ title: `knife-edge: ${knifeEdgeSummary(fit, labels.unit)}` }, {
      layer: [
        { data: { values: points }, mark: { type: 'point', filled: true, size: 12, opacity: 0.5 }, encoding: { x: xEnc, y: yEnc } },
        { data: { values: curve }, mark: { type: 'line', color: 'firebrick' }, encoding: { x: xEnc, y: yEnc } },
        { data: { values: [{ x: fit.x0 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: 'grey' }, encoding: { x: xEnc } },
        {
          data: { values: [{ x: fit.x0, label: `x0 = ${fmt(fit.x0)}` }] },
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, baseline: 'top', color: 'grey' },
          encoding: { x: xEnc, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
        },
      ],
    });
  };
  return new Plot({ description: `knife-edge fit (${fit.function}), ${knifeEdgeSummary(fit, labels.unit)}`, spec });
}
