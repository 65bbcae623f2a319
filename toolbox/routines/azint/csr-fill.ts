/**
 * Two-pass CSR assembly: a builder walks the pixels twice, first counting
 * the entries of each row, then writing them where the counts put them. No
 * per-pixel allocation; the matrix arrays are allocated once, exactly sized.
 */
import type { CsrMatrix } from './types.js';

export class CsrFill {
  readonly rows: number;
  indptr: Int32Array;
  indices = new Int32Array(0);
  data = new Float32Array(0);
  private cursor: Int32Array;
  private filling = false;

  constructor(rows: number) {
    this.rows = rows;
    this.indptr = new Int32Array(rows + 1);
    this.cursor = new Int32Array(rows);
  }

  /** Pass 1 counts, pass 2 writes. */
  add(row: number, pixel: number, weight: number): void {
    if (this.filling) {
      const k = this.cursor[row]++;
      this.indices[k] = pixel;
      this.data[k] = weight;
    } else {
      this.cursor[row]++;
    }
  }

  /** Ends the counting pass: row pointers from the counts, arrays sized to the entries. */
  startFill(): void {
    const { indptr, cursor, rows } = this;
    for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + cursor[r];
    const nnz = indptr[rows];
    this.indices = new Int32Array(nnz);
    this.data = new Float32Array(nnz);
    cursor.set(indptr.subarray(0, rows));
    this.filling = true;
  }

  get isFilling(): boolean {
    return this.filling;
  }

  matrix(radial: Float64Array, azimuthal?: Float64Array): CsrMatrix {
    const m: CsrMatrix = { rows: this.rows, indptr: this.indptr, indices: this.indices, data: this.data, radial };
    if (azimuthal) m.azimuthal = azimuthal;
    return m;
  }
}

/** Runs a pixel walk twice into a CsrFill: once counting, once writing. */
export function twoPass(rows: number, walk: (fill: CsrFill) => void): CsrFill {
  const fill = new CsrFill(rows);
  walk(fill);
  fill.startFill();
  walk(fill);
  return fill;
}
