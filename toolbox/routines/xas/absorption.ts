/**
 * The statistics of one energy bin (Python: toolbox_scs.routines.XAS's
 * absorption): the ratio of the mean transmitted (or fluorescence) signal to
 * the mean incoming intensity, with the correlated error propagation of a
 * ratio of means. numpy conventions: std with ddof 0, the correlation as
 * numpy.corrcoef computes it (NaN when a signal does not vary).
 */

/** The per-bin fields, as the Python dictionary holds them. */
export interface AbsorptionStats {
  /** −ln(|μT|/μIo) in transmission, μT/μIo in fluorescence. */
  muA: number;
  /** Its standard deviation (relative error of the ratio in transmission, |μA|× it in fluorescence). */
  sigmaA: number;
  /** ΣIo. */
  weights: number;
  muT: number;
  sigmaT: number;
  muIo: number;
  sigmaIo: number;
  /** Pearson correlation of T and Io. */
  p: number;
  counts: number;
}

const EMPTY: AbsorptionStats = { muA: NaN, sigmaA: NaN, weights: NaN, muT: NaN, sigmaT: NaN, muIo: NaN, sigmaIo: NaN, p: NaN, counts: 0 };

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** numpy.corrcoef(x, y)[0, 1]: cov with ddof 1 normalised by the two diagonal terms, clipped to [−1, 1]. */
function corrcoef(x: ArrayLike<number>, y: ArrayLike<number>, mx: number, my: number): number {
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] - mx, b = y[i] - my;
    sxx += a * a; syy += b * b; sxy += a * b;
  }
  // numpy.cov sets the divisor to 0 when there are no degrees of freedom
  const fact = Math.max(0, x.length - 1);
  const cxx = sxx / fact, cyy = syy / fact, cxy = sxy / fact;
  const r = cxy / Math.sqrt(cxx) / Math.sqrt(cyy);
  return Number.isNaN(r) ? r : Math.min(1, Math.max(-1, r));
}

/** Standard deviation with ddof 0 around a known mean. */
function std(x: ArrayLike<number>, m: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / x.length);
}

/**
 * absorption: the statistics of T against Io over the pairs where both are
 * finite (the rest dropped first); no pair left gives NaNs and counts 0.
 */
export function absorption(T: ArrayLike<number>, Io: ArrayLike<number>, fluorescence = false): AbsorptionStats {
  const t: number[] = [], io: number[] = [];
  for (let i = 0; i < T.length; i++) {
    if (Number.isFinite(T[i]) && Number.isFinite(Io[i])) { t.push(T[i]); io.push(Io[i]); }
  }
  if (t.length === 0) return { ...EMPTY };
  const muT = mean(t), muIo = mean(io);
  const sigmaT = std(t, muT), sigmaIo = std(io, muIo);
  const p = corrcoef(t, io, muT, muIo);
  let weights = 0;
  for (const v of io) weights += v;
  // relative error of the ratio of two correlated means
  const rel = Math.sqrt((sigmaT / muT) ** 2 + (sigmaIo / muIo) ** 2 - (2 * p * sigmaIo * sigmaT) / (muIo * muT));
  const ratio = muT / muIo;
  const muA = fluorescence ? ratio : -Math.log(Math.abs(muT) / muIo);
  const sigmaA = fluorescence ? Math.abs(ratio) * rel : rel;
  return { muA, sigmaA, weights, muT, sigmaT, muIo, sigmaIo, p, counts: t.length };
}
