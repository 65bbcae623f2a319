/**
 * Per-slot accumulators behind reductions (reduce.ts) and grouped reductions
 * (groupby.ts). A "slot" is one output element. Drivers feed contiguous rows
 * of the flat input so every hot loop is a plain typed-array loop:
 *
 * - rowsToSlots: each row collapses into its own slot (reducing a trailing block);
 * - rowsInto: each row is added element-wise onto a run of slots, the run chosen
 *   per row by a group code (or always the same run: reducing a leading block).
 *
 * Sums accumulate in float64 whatever the input type (float32 data included),
 * which is both faster and more accurate than summing in the input type.
 */
import type { NumberArray } from './dtype.js';

export interface Accumulator {
  /** Row r (of `nRows` rows of `rowLen` values from `inOff`) reduces into slot `outOff + r`. */
  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void;
  /**
   * Row r is added element-wise onto slots `outOff + t*rowLen + j`, where t is
   * `codes[r]` (rows with a negative code are skipped) or 0 without codes.
   */
  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void;
}

/** Float64 sums; with `skip` NaN is ignored and, if `counting`, valid values are counted. */
export class SumAcc implements Accumulator {
  readonly sum: Float64Array;
  readonly count: Float64Array | null;
  constructor(private readonly x: NumberArray, nSlots: number, private readonly skip: boolean, counting: boolean) {
    this.sum = new Float64Array(nSlots);
    this.count = skip && counting ? new Float64Array(nSlots) : null;
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x, sum = this.sum, cnt = this.count;
    for (let r = 0; r < nRows; r++) {
      const a = inOff + r * rowLen, b = a + rowLen;
      if (this.skip) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, c = 0, i = a;
        for (; i + 3 < b; i += 4) {
          let v = x[i];
          if (v === v) { s0 += v; c++; }
          v = x[i + 1]; if (v === v) { s1 += v; c++; }
          v = x[i + 2]; if (v === v) { s2 += v; c++; }
          v = x[i + 3]; if (v === v) { s3 += v; c++; }
        }
        for (; i < b; i++) { const v = x[i]; if (v === v) { s0 += v; c++; } }
        sum[outOff + r] += (s0 + s1) + (s2 + s3);
        if (cnt) cnt[outOff + r] += c;
      } else {
        // Four partial sums break the add dependency chain (faster, and a little more accurate).
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = a;
        for (; i + 3 < b; i += 4) { s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]; }
        for (; i < b; i++) s0 += x[i];
        sum[outOff + r] += (s0 + s1) + (s2 + s3);
      }
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, sum = this.sum, cnt = this.count;
    if (!codes && nRows >= 4 && rowLen >= 64) { this.stackRows(inOff, nRows, rowLen, outOff); return; }
    if (rowLen === 1 && codes) {
      if (!this.skip) {
        for (let r = 0; r < nRows; r++) { const t = codes[r]; if (t >= 0) sum[outOff + t] += x[inOff + r]; }
      } else if (cnt) {
        for (let r = 0; r < nRows; r++) {
          const t = codes[r], v = x[inOff + r];
          if (t >= 0 && v === v) { sum[outOff + t] += v; cnt[outOff + t]++; }
        }
      } else {
        for (let r = 0; r < nRows; r++) {
          const t = codes[r], v = x[inOff + r];
          if (t >= 0 && v === v) sum[outOff + t] += v;
        }
      }
      return;
    }
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      if (!this.skip) {
        for (let j = 0; j < rowLen; j++) sum[o + j] += x[a + j];
      } else if (cnt) {
        for (let j = 0; j < rowLen; j++) { const v = x[a + j]; if (v === v) { sum[o + j] += v; cnt[o + j]++; } }
      } else {
        for (let j = 0; j < rowLen; j++) { const v = x[a + j]; if (v === v) sum[o + j] += v; }
      }
    }
  }

  /**
   * All rows onto the same slots (reducing a leading block): four rows per
   * sweep, so the accumulators are loaded and stored a quarter as often.
   */
  private stackRows(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x, sum = this.sum, cnt = this.count, L = rowLen;
    let r = 0;
    for (; r + 3 < nRows; r += 4) {
      const a = inOff + r * L;
      if (!this.skip) {
        for (let j = 0; j < L; j++) sum[outOff + j] += (x[a + j] + x[a + L + j]) + (x[a + 2 * L + j] + x[a + 3 * L + j]);
      } else if (cnt) {
        for (let j = 0; j < L; j++) {
          let s = 0, c = 0, v = x[a + j];
          if (v === v) { s += v; c++; }
          v = x[a + L + j]; if (v === v) { s += v; c++; }
          v = x[a + 2 * L + j]; if (v === v) { s += v; c++; }
          v = x[a + 3 * L + j]; if (v === v) { s += v; c++; }
          sum[outOff + j] += s;
          cnt[outOff + j] += c;
        }
      } else {
        for (let j = 0; j < L; j++) {
          let s = 0, v = x[a + j];
          if (v === v) s += v;
          v = x[a + L + j]; if (v === v) s += v;
          v = x[a + 2 * L + j]; if (v === v) s += v;
          v = x[a + 3 * L + j]; if (v === v) s += v;
          sum[outOff + j] += s;
        }
      }
    }
    if (r < nRows) this.rowsInto(inOff + r * L, nRows - r, L, outOff, null);
  }
}

/** Second pass of var/std: sum of squared deviations from a known per-slot mean. */
export class SqDevAcc implements Accumulator {
  readonly ssd: Float64Array;
  constructor(private readonly x: NumberArray, private readonly mean: Float64Array, private readonly skip: boolean) {
    this.ssd = new Float64Array(mean.length);
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x, ssd = this.ssd;
    for (let r = 0; r < nRows; r++) {
      const m = this.mean[outOff + r], a = inOff + r * rowLen, b = a + rowLen;
      let s = 0;
      if (this.skip) {
        for (let i = a; i < b; i++) { const d = x[i] - m; if (d === d) s += d * d; }
      } else {
        for (let i = a; i < b; i++) { const d = x[i] - m; s += d * d; }
      }
      ssd[outOff + r] += s;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, ssd = this.ssd, mean = this.mean, skip = this.skip;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) {
        const d = x[a + j] - mean[o + j];
        if (!skip || d === d) ssd[o + j] += d * d;
      }
    }
  }
}

/** Counts of non-NaN values (only float data can hold NaN). */
export class CountAcc implements Accumulator {
  readonly count: Float64Array;
  constructor(private readonly x: NumberArray, nSlots: number) { this.count = new Float64Array(nSlots); }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x;
    for (let r = 0; r < nRows; r++) {
      let c = 0;
      for (let i = inOff + r * rowLen, b = i + rowLen; i < b; i++) if (x[i] === x[i]) c++;
      this.count[outOff + r] += c;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, cnt = this.count;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) if (x[a + j] === x[a + j]) cnt[o + j]++;
    }
  }
}

/** Float64 products; with `skip` NaN is ignored. */
export class ProdAcc implements Accumulator {
  readonly prod: Float64Array;
  constructor(private readonly x: NumberArray, nSlots: number, private readonly skip: boolean) {
    this.prod = new Float64Array(nSlots).fill(1);
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x;
    for (let r = 0; r < nRows; r++) {
      let p = 1;
      for (let i = inOff + r * rowLen, b = i + rowLen; i < b; i++) { const v = x[i]; if (!this.skip || v === v) p *= v; }
      this.prod[outOff + r] *= p;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, prod = this.prod, skip = this.skip;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) { const v = x[a + j]; if (!skip || v === v) prod[o + j] *= v; }
    }
  }
}

/**
 * Minimum (sign = 1) or maximum (sign = -1, as the minimum of the negated
 * values, so one loop serves both). With `skip` NaN is ignored and a slot with
 * no valid value stays NaN; without it any NaN makes the slot NaN, like numpy.
 * Slots that see no value at all keep ±Infinity (callers mask those).
 */
export class MinMaxAcc implements Accumulator {
  private readonly acc: Float64Array;
  constructor(private readonly x: NumberArray, nSlots: number, private readonly sign: 1 | -1, private readonly skip: boolean) {
    this.acc = new Float64Array(nSlots).fill(skip ? NaN : Infinity);
  }

  /** Results in the data's orientation (max undone from its negation). */
  result(): Float64Array {
    if (this.sign === -1) for (let i = 0; i < this.acc.length; i++) this.acc[i] = -this.acc[i];
    return this.acc;
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x, sg = this.sign;
    for (let r = 0; r < nRows; r++) {
      let m = this.acc[outOff + r];
      const a = inOff + r * rowLen, b = a + rowLen;
      if (this.skip) {
        for (let i = a; i < b; i++) { const v = sg * x[i]; if (v < m || m !== m) m = v; }
      } else {
        for (let i = a; i < b; i++) { const v = sg * x[i]; if (v < m || v !== v) m = v; }
      }
      this.acc[outOff + r] = m;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, acc = this.acc, sg = this.sign, skip = this.skip;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) {
        const v = sg * x[a + j], m = acc[o + j];
        if (v < m || (skip ? m !== m : v !== v)) acc[o + j] = v;
      }
    }
  }
}

/** any (all = false) / all (all = true) of value != 0; NaN counts as true, like numpy. */
export class AnyAllAcc implements Accumulator {
  readonly flags: Uint8Array;
  private readonly want: boolean;
  private readonly set: number;
  constructor(private readonly x: NumberArray, nSlots: number, all: boolean) {
    this.flags = new Uint8Array(nSlots).fill(all ? 1 : 0);
    this.want = !all;
    this.set = all ? 0 : 1;
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    const x = this.x;
    for (let r = 0; r < nRows; r++) {
      for (let i = inOff + r * rowLen, b = i + rowLen; i < b; i++) {
        if ((x[i] !== 0) === this.want) { this.flags[outOff + r] = this.set; break; }
      }
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const x = this.x, f = this.flags, want = this.want, set = this.set;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) if ((x[a + j] !== 0) === want) f[o + j] = set;
    }
  }
}
