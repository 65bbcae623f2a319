/**
 * The error function and its complement to double precision (the knife-edge
 * model needs them where scipy.special.erf/erfc are exact to ~1e-16, so fits
 * agree with scipy's to far better than their tolerance).
 *
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term is
 * positive, so the sum loses nothing to cancellation. For x ≥ 2 the
 * complement comes from its continued fraction instead, where 1 − erf(x)
 * would keep only a few significant digits.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
/** Above this |x| erfc is taken from the continued fraction. */
const SWITCH = 2;

/** erf of 0 ≤ x < ~6 by the positive series. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 500; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc of x ≥ SWITCH: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by the modified Lentz method. */
function erfcFraction(x: number): number {
  if (x > 27.3) return 0; // e^(−x²) underflows
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let n = 1; n < 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function, scipy.special.erf. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  const v = ax < SWITCH ? erfSeries(ax) : 1 - erfcFraction(ax);
  return x < 0 ? -v : v;
}

/** The complementary error function 1 − erf(x), scipy.special.erfc, exact also where it is tiny. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  return x < SWITCH ? 1 - erfSeries(x) : erfcFraction(x);
}
