/**
 * The hot loop of raw-trace peak integration. Traces are large (1000 trains
 * × 100k samples), so this works on the flat typed array of a chunk of
 * trains and only touches the samples inside the integration and baseline
 * windows: no per-sample allocation, no intermediate trace copies.
 */

/** Flat trace storage as the run reader returns it. */
export type TraceValues = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** Integration windows of the first pulse, in samples, stop exclusive. */
export interface PeakWindows {
  pulseStart: number;
  pulseStop: number;
  baseStart: number;
  baseStop: number;
}

/**
 * For every trace row r and every pulse k of that row: the sum of the
 * samples over [pulseStart + off, pulseStop + off) minus the baseline mean
 * over [baseStart + off, baseStop + off) times the window length, times
 * `sign` (-1 turns negative-going peaks into positive areas).
 *
 * offsets[r][k] is the sample offset of pulse k of row r relative to the
 * first pulse; columns[r][k] is its column in the output row of `ncols`.
 * The caller has checked that every window lies inside the trace.
 */
export function integrateRows(
  values: TraceValues, nrows: number, nsamples: number, w: PeakWindows, sign: number,
  offsets: readonly (readonly number[])[], columns: readonly (readonly number[])[],
  out: Float64Array | Float32Array, outRow0: number, ncols: number,
): void {
  const plen = w.pulseStop - w.pulseStart;
  const blen = w.baseStop - w.baseStart;
  for (let r = 0; r < nrows; r++) {
    const row = r * nsamples;
    const offs = offsets[r];
    const cols = columns[r];
    const o = (outRow0 + r) * ncols;
    for (let k = 0; k < offs.length; k++) {
      const off = row + offs[k];
      let base = 0;
      for (let s = off + w.baseStart, e = off + w.baseStop; s < e; s++) base += values[s];
      let sum = 0;
      for (let s = off + w.pulseStart, e = off + w.pulseStop; s < e; s++) sum += values[s];
      out[o + cols[k]] = sign * (sum - (base / blen) * plen);
    }
  }
}

/** Accumulate the column sums of `nrows` traces into `acc` (for the average trace). */
export function accumulateRows(values: TraceValues, nrows: number, nsamples: number, acc: Float64Array): void {
  for (let r = 0; r < nrows; r++) {
    const row = r * nsamples;
    for (let s = 0; s < nsamples; s++) acc[s] += values[row + s];
  }
}
