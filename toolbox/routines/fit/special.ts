/**
 * The error function, its complement and the scaled complement to double
 * precision, for the fit models (knife-edge, erf-smoothed steps, the
 * reflectivity's convolved exponentials). JavaScript has no Math.erf; these
 * agree with scipy.special (Cephes) to a few ulp for erf and to ~1e-14
 * relative for erfc, subnormal results aside (checked in
 * test/routines/fit-special.test.ts).
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;
/** erfc from the continued fraction above this (1 − erf would lose digits), from the series below. */
const FRACTION_FROM = 1.5;

/**
 * erf(x) for small |x| from the all-positive series
 * erf(x) = 2x/√π · e^{−x²} · Σ (2x²)ⁿ / (1·3·…·(2n+1)): no cancellation.
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1, sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * x * Math.exp(-x2) * sum;
}

/**
 * erfcx(x) = e^{x²}·erfc(x) for x ≥ FRACTION_FROM from the continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), by Lentz's method.
 */
function erfcxFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, c = x, d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return ONE_OVER_SQRT_PI / f;
}

/** erfc(x) for x ≥ FRACTION_FROM. */
function erfcFraction(x: number): number {
  // e^{−x²} in two halves: it is subnormal beyond x ≈ 26.6, where erfc still is not.
  const half = Math.exp((-x * x) / 2);
  return erfcxFraction(x) * half * half;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in relative terms also where it is tiny. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= FRACTION_FROM) return x > 27.3 ? 0 : erfcFraction(x);
  if (x <= -FRACTION_FROM) return 2 - erfcFraction(-x);
  return 1 - erfSeries(x);
}

/** The error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < FRACTION_FROM) return erfSeries(x);
  return x > 0 ? 1 - erfcFraction(x) : erfcFraction(-x) - 1;
}

/**
 * The scaled complementary error function erfcx(x) = e^{x²}·erfc(x)
 * (scipy.special.erfcx): finite where e^{x²} overflows and erfc underflows,
 * as in the Gaussian-convolved exponential of the reflectivity model far
 * before time zero.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  return x < FRACTION_FROM ? Math.exp(x * x) * erfc(x) : erfcxFraction(x);
}
