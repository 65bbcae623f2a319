/**
 * Python's slice(start, stop, step). In `isel` the bounds are positions
 * (stop exclusive, negatives count from the end); in `sel` they are labels
 * and both ends are inclusive, as in xarray/pandas.
 */
export class Slice<T = number | string | bigint | null> {
  /** `start`/`stop`: positions or labels (null: open end); `step`: a stride (null: 1). */
  constructor(readonly start: T | null = null, readonly stop: T | null = null, readonly step: number | null = null) {}

  /** Python's repr: `slice(1, None, 2)`. */
  toString(): string {
    const f = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));
    return `slice(${f(this.start)}, ${f(this.stop)}, ${f(this.step)})`;
  }
}

/** `slice(stop)`, `slice(start, stop)` or `slice(start, stop, step)`, like Python's builtin. */
export function slice<T extends number | string | bigint | null>(a?: T | null, b?: T | null, step?: number | null): Slice<T> {
  if (b === undefined && step === undefined) return new Slice<T>(null, a ?? null, null);
  return new Slice<T>(a ?? null, b ?? null, step ?? null);
}

/**
 * Positions selected by a positional slice over an axis of length n, resolved
 * like Python's slice.indices().
 */
export function sliceIndices(s: Slice<number | null>, n: number): { start: number; stop: number; step: number; length: number } {
  const step = s.step ?? 1;
  if (step === 0 || !Number.isInteger(step)) throw new RangeError(`slice step must be a non-zero integer, got ${step}`);
  const norm = (v: number | null, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const start = step > 0 ? norm(s.start, 0, 0, n) : norm(s.start, n - 1, -1, n - 1);
  const stop = step > 0 ? norm(s.stop, n, 0, n) : norm(s.stop, -1, -1, n - 1);
  const length = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return { start, stop, step, length };
}
