/**
 * A small seedable PRNG. Synthetic data must be reproducible from a seed
 * across Node versions and platforms, which Math.random cannot give.
 * mulberry32: 32-bit state, fast, good enough statistics for test fixtures.
 */
export class Random {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /**
   * Poisson with mean `lambda` (photon counts). Below 30: inversion of the
   * cumulative distribution with one uniform draw (exact; detector pixels
   * mostly see well under one photon, where this ends after a step or two).
   * Above: a rounded normal, whose error is far below the shot noise there.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 30) {
      const u = this.uniform();
      let p = Math.exp(-lambda);
      let cdf = p;
      let k = 0;
      // The k < 200 guard stops rounding from looping when u sits above the float sum of the tail.
      while (u > cdf && k < 200) {
        k++;
        p *= lambda / k;
        cdf += p;
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }
}
