/**
 * The error function family the reflectivity models need, to double
 * precision: erf, erfc and the scaled erfcx(x) = exp(x²)·erfc(x) (scipy.special's
 * names). erfcx keeps the Gaussian-convolved exponential finite far before
 * time zero, where exp(…) overflows and erfc(…) underflows.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Below this erf comes from its series, above erfc from its continued fraction. */
const SPLIT = 2;

/** erf(x) = 2/√π·exp(−x²)·Σ 2ⁿx²ⁿ⁺¹/(1·3·…·(2n+1)): positive terms, so no cancellation for |x| ≤ SPLIT. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfcx(x) for x ≥ SPLIT by the continued fraction 1/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (modified Lentz). */
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

/** The error function. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  const v = a <= SPLIT ? erfSeries(a) : 1 - Math.exp(-a * a) * erfcxFraction(a);
  return x < 0 ? -v : v;
}

/** The complementary error function 1 − erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  return x <= SPLIT ? 1 - erfSeries(x) : Math.exp(-x * x) * erfcxFraction(x);
}

/** The scaled complementary error function exp(x²)·erfc(x). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  return x <= SPLIT ? Math.exp(x * x) * (1 - erfSeries(x)) : erfcxFraction(x);
}
