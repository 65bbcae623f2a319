/**
 * Accumulators for what float64 cannot hold exactly: 64-bit integer sums,
 * min/max and products (numpy wraps them modulo 2^64), and string min/max.
 * Same row interface as accumulators.ts.
 */
import type { BigIntArray, NumberArray } from './dtype.js';
import type { Accumulator } from './accumulators.js';

const TWO32 = 4294967296;
/** Additions of values below 2^32 a float64 can take exactly before it must carry. */
const CARRY_EVERY = 1 << 20;

/**
 * Exact integer sums modulo 2^64 (numpy's wrapping int64/uint64 sums) without
 * BigInt in the loop: each slot keeps a low and a high 32-bit half in float64,
 * exact while fewer than 2^21 addends arrive between carries. Input is either
 * 64-bit data (read as two uint32 words, little-endian as on every platform
 * Node runs on) or small integers in a number array (added to the low half).
 */
export class Sum64Acc implements Accumulator {
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly words: Uint32Array | null;
  private readonly nums: NumberArray | null;
  /** Upper bound on addends any slot received since the last carry. */
  private pending = 0;

  constructor(x: NumberArray | BigIntArray, nSlots: number) {
    this.lo = new Float64Array(nSlots);
    this.hi = new Float64Array(nSlots);
    if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
      this.words = new Uint32Array(x.buffer, x.byteOffset, x.length * 2);
      this.nums = null;
    } else {
      this.words = null;
      this.nums = x;
    }
  }

  private carry(): void {
    const lo = this.lo, hi = this.hi;
    for (let s = 0; s < lo.length; s++) {
      const c = Math.floor(lo[s] / TWO32);
      lo[s] -= c * TWO32;
      let h = (hi[s] + c) % TWO32;
      if (h < 0) h += TWO32;
      hi[s] = h;
    }
    this.pending = 0;
  }

  private bump(k: number): void {
    this.pending += k;
    if (this.pending >= CARRY_EVERY) this.carry();
  }

  /** Sum of elements [a, b) as [lo, hi] halves, both below 2^32. */
  private runSum(a: number, b: number): [number, number] {
    let lo = 0, hi = 0;
    for (let start = a; start < b; start += CARRY_EVERY) {
      const end = Math.min(b, start + CARRY_EVERY);
      if (this.words) {
        const w = this.words;
        for (let i = start; i < end; i++) { lo += w[2 * i]; hi += w[2 * i + 1]; }
      } else {
        const x = this.nums!;
        for (let i = start; i < end; i++) lo += x[i];
      }
      const c = Math.floor(lo / TWO32);
      lo -= c * TWO32;
      hi = (hi + c) % TWO32;
      if (hi < 0) hi += TWO32;
    }
    return [lo, hi];
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    for (let r = 0; r < nRows; r++) {
      const a = inOff + r * rowLen;
      const [lo, hi] = this.runSum(a, a + rowLen);
      this.lo[outOff + r] += lo;
      this.hi[outOff + r] += hi;
    }
    this.bump(1);
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const lo = this.lo, hi = this.hi, w = this.words, x = this.nums;
    for (let r0 = 0; r0 < nRows; r0 += CARRY_EVERY) {
      const r1 = Math.min(nRows, r0 + CARRY_EVERY);
      for (let r = r0; r < r1; r++) {
        const t = codes ? codes[r] : 0;
        if (t < 0) continue;
        const o = outOff + t * rowLen, a = inOff + r * rowLen;
        if (w) {
          for (let j = 0; j < rowLen; j++) { lo[o + j] += w[2 * (a + j)]; hi[o + j] += w[2 * (a + j) + 1]; }
        } else {
          for (let j = 0; j < rowLen; j++) lo[o + j] += x![a + j];
        }
      }
      this.bump(r1 - r0);
    }
  }

  /** Sums wrapped to 64 bits, signed or unsigned. */
  result(unsigned: boolean): BigIntArray {
    this.carry();
    const n = this.lo.length;
    const out = unsigned ? new BigUint64Array(n) : new BigInt64Array(n);
    for (let s = 0; s < n; s++) {
      const v = (BigInt(this.hi[s]) << 32n) + BigInt(this.lo[s]);
      out[s] = unsigned ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v);
    }
    return out;
  }
}

/**
 * Exact min/max of 64-bit integers: compares the high word (signed for int64)
 * then the low word, remembering the position of the best element per slot.
 */
export class MinMax64Acc implements Accumulator {
  private readonly best: Float64Array;
  private readonly hi: Int32Array | Uint32Array;
  private readonly lo: Uint32Array;
  constructor(private readonly x: BigIntArray, nSlots: number, private readonly isMax: boolean) {
    this.best = new Float64Array(nSlots).fill(-1);
    this.lo = new Uint32Array(x.buffer, x.byteOffset, x.length * 2);
    this.hi = x instanceof BigInt64Array ? new Int32Array(x.buffer, x.byteOffset, x.length * 2) : this.lo;
  }

  /** Whether element i beats element b (b < 0: nothing yet). */
  private beats(i: number, b: number): boolean {
    if (b < 0) return true;
    const hi = this.hi, hi1 = hi[2 * i + 1], hi2 = hi[2 * b + 1];
    if (hi1 !== hi2) return this.isMax ? hi1 > hi2 : hi1 < hi2;
    const l1 = this.lo[2 * i], l2 = this.lo[2 * b];
    return this.isMax ? l1 > l2 : l1 < l2;
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    for (let r = 0; r < nRows; r++) {
      let b = this.best[outOff + r];
      for (let i = inOff + r * rowLen, e = i + rowLen; i < e; i++) if (this.beats(i, b)) b = i;
      this.best[outOff + r] = b;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    const best = this.best;
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) if (this.beats(a + j, best[o + j])) best[o + j] = a + j;
    }
  }

  /** The winning values; slots that saw nothing get 0 (callers mask them). */
  result(): BigIntArray {
    const n = this.best.length;
    const out = this.x instanceof BigInt64Array ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let s = 0; s < n; s++) if (this.best[s] >= 0) out[s] = this.x[this.best[s]];
    return out;
  }
}

/**
 * Integer products wrapped to 64 bits like numpy's int64/uint64 prod. BigInt
 * per element: integer products are rare, and overflow makes float64 useless.
 */
export class ProdBigAcc implements Accumulator {
  readonly prod: bigint[];
  constructor(private readonly x: NumberArray | BigIntArray, nSlots: number, private readonly unsigned: boolean) {
    this.prod = new Array<bigint>(nSlots).fill(1n);
  }

  private mul(p: bigint, i: number): bigint {
    const v = this.x[i];
    const q = p * (typeof v === 'bigint' ? v : BigInt(v));
    return this.unsigned ? BigInt.asUintN(64, q) : BigInt.asIntN(64, q);
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    for (let r = 0; r < nRows; r++) {
      let p = this.prod[outOff + r];
      for (let i = inOff + r * rowLen, e = i + rowLen; i < e; i++) p = this.mul(p, i);
      this.prod[outOff + r] = p;
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      const o = outOff + t * rowLen, a = inOff + r * rowLen;
      for (let j = 0; j < rowLen; j++) this.prod[o + j] = this.mul(this.prod[o + j], a + j);
    }
  }
}

/** Lexicographic min/max of strings (UTF-16 order). */
export class StrMinMaxAcc implements Accumulator {
  readonly acc: string[];
  readonly seen: Uint8Array;
  constructor(private readonly x: string[], nSlots: number, private readonly isMax: boolean) {
    this.acc = new Array<string>(nSlots).fill('');
    this.seen = new Uint8Array(nSlots);
  }

  private take(s: number, i: number): void {
    const v = this.x[i];
    if (!this.seen[s] || (this.isMax ? v > this.acc[s] : v < this.acc[s])) { this.acc[s] = v; this.seen[s] = 1; }
  }

  rowsToSlots(inOff: number, nRows: number, rowLen: number, outOff: number): void {
    for (let r = 0; r < nRows; r++) {
      for (let i = inOff + r * rowLen, e = i + rowLen; i < e; i++) this.take(outOff + r, i);
    }
  }

  rowsInto(inOff: number, nRows: number, rowLen: number, outOff: number, codes: Int32Array | null): void {
    for (let r = 0; r < nRows; r++) {
      const t = codes ? codes[r] : 0;
      if (t < 0) continue;
      for (let j = 0; j < rowLen; j++) this.take(outOff + t * rowLen + j, inOff + r * rowLen + j);
    }
  }
}
