/**
 * The scaled complementary error function erfcx(x) = exp(x²)·erfc(x)
 * (scipy.special.erfcx), which keeps the Gaussian-convolved exponential of
 * the reflectivity model finite far before time zero, where exp(…)
 * overflows and erfc(…) underflows. erf and erfc are the fitting part's
 * (toolbox/routines/fit/special.ts).
 */
import { erfc } from '../fit/special.js';

/** Above this, the continued fraction without the exp(−x²) factor; below, exp(x²)·erfc(x), both accurate there. */
const SPLIT = 2;

/** erfcx(x) for x ≥ SPLIT: 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (modified Lentz). */
function erfcxFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (Math.sqrt(Math.PI) * f);
}

/** The scaled complementary error function exp(x²)·erfc(x). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  return x < SPLIT ? Math.exp(x * x) * erfc(x) : erfcxFraction(x);
}
