/**
 * CSR assembly in one walk over the pixels: entries are appended as
 * (row, pixel, weight) triplets while each row's entries are counted, then
 * a counting sort places them in CSR order (pixels ascending within a row,
 * as the walk visits them). The triplet buffers grow geometrically; nothing
 * is allocated per pixel.
 */
import type { CsrMatrix } from './types.js';

export class CsrFill {
  readonly rows: number;
  private counts: Int32Array;
  private rowOf: Int32Array;
  private pixelOf: Int32Array;
  private weightOf: Float32Array;
  private n = 0;

  constructor(rows: number, expected: number) {
    this.rows = rows;
    this.counts = new Int32Array(rows);
    const cap = Math.max(1024, expected);
    this.rowOf = new Int32Array(cap);
    this.pixelOf = new Int32Array(cap);
    this.weightOf = new Float32Array(cap);
  }

  private grow(): void {
    const cap = Math.ceil(this.rowOf.length * 1.5);
    const r = new Int32Array(cap);
    r.set(this.rowOf);
    this.rowOf = r;
    const p = new Int32Array(cap);
    p.set(this.pixelOf);
    this.pixelOf = p;
    const w = new Float32Array(cap);
    w.set(this.weightOf);
    this.weightOf = w;
  }

  add(row: number, pixel: number, weight: number): void {
    if (this.n === this.rowOf.length) this.grow();
    const k = this.n++;
    this.rowOf[k] = row;
    this.pixelOf[k] = pixel;
    this.weightOf[k] = weight;
    this.counts[row]++;
  }

  /** The matrix in CSR order. */
  matrix(radial: Float64Array, azimuthal?: Float64Array): CsrMatrix {
    const { rows, counts, n } = this;
    const indptr = new Int32Array(rows + 1);
    for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + counts[r];
    const cursor = counts;
    cursor.set(indptr.subarray(0, rows));
    const indices = new Int32Array(n);
    const data = new Float32Array(n);
    const { rowOf, pixelOf, weightOf } = this;
    for (let k = 0; k < n; k++) {
      const dst = cursor[rowOf[k]]++;
      indices[dst] = pixelOf[k];
      data[dst] = weightOf[k];
    }
    const m: CsrMatrix = { rows, indptr, indices, data, radial };
    if (azimuthal) m.azimuthal = azimuthal;
    return m;
  }
}

/** Runs a pixel walk into a new CsrFill; `expected` sizes the first buffers (entries ≈ pixels × bins per pixel). */
export function collect(rows: number, expected: number, walk: (fill: CsrFill) => void): CsrFill {
  const fill = new CsrFill(rows, expected);
  walk(fill);
  return fill;
}
