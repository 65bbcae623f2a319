/**
 * buildCsr against pyFAI 0.21's own CSR matrices and integrate1d_ng /
 * integrate2d_ng sums (no corrections), for several geometries, units,
 * splitting methods, ranges and masks.
 */
import { strict as assert } from 'node:assert';
import { buildCsr } from '../../toolbox/routines/azint/csr-build.js';
import type { CsrMatrix } from '../../toolbox/routines/azint/types.js';
import { requirePython } from '../helpers/python.js';
import { runPyfai, type Case, type Geometry, type PyfaiRun, type Reference } from './csr-reference.js';

function rowSums(m: { indptr: Int32Array; indices: Int32Array; data: Float32Array }, image: Float32Array): { signal: Float64Array; count: Float64Array } {
  const rows = m.indptr.length - 1;
  const signal = new Float64Array(rows);
  const count = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    let c = 0;
    for (let k = m.indptr[r]; k < m.indptr[r + 1]; k++) {
      s += m.data[k] * image[m.indices[k]];
      c += m.data[k];
    }
    signal[r] = s;
    count[r] = c;
  }
  return { signal, count };
}

/** Entries (row, pixel) whose coefficients differ by more than tol, plus entries present in one matrix only. */
export function matrixDiff(ours: CsrMatrix, ref: Reference, tol: number): { differ: number; total: number; example?: string } {
  let differ = 0;
  let example: string | undefined;
  const rows = ref.indptr.length - 1;
  for (let r = 0; r < rows; r++) {
    const map = new Map<number, number>();
    for (let k = ref.indptr[r]; k < ref.indptr[r + 1]; k++) map.set(ref.indices[k], (map.get(ref.indices[k]) ?? 0) + ref.data[k]);
    for (let k = ours.indptr[r]; k < ours.indptr[r + 1]; k++) {
      const p = ours.indices[k];
      const v = map.get(p);
      if (v === undefined || Math.abs(v - ours.data[k]) > tol) {
        differ++;
        example ??= `row ${r} pixel ${p}: ours ${ours.data[k]}, pyFAI ${v}`;
      }
      map.delete(p);
    }
    for (const [p, v] of map) {
      if (Math.abs(v) > tol) {
        differ++;
        example ??= `row ${r} pixel ${p}: ours none, pyFAI ${v}`;
      }
    }
  }
  return { differ, total: ref.data.length, example };
}

function relClose(a: ArrayLike<number>, b: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]);
    assert.ok(err <= rel * Math.max(Math.abs(b[i]), 1e-3 * scale), `${what}[${i}]: ours ${a[i]}, pyFAI ${b[i]} (rel ${err / Math.abs(b[i])})`);
  }
}

const TILTED: Geometry = {
  dist: 0.1, poni1: 0.0093, poni2: 0.0081, rot1: 0.05, rot2: -0.03, rot3: 0.1,
  pixel1: 100e-6, pixel2: 100e-6, wavelength: 1e-10, shape: [180, 200],
};
const OFF_IMAGE: Geometry = {
  dist: 0.25, poni1: -0.004, poni2: 0.011, rot1: 0, rot2: 0, rot3: 0,
  pixel1: 204e-6, pixel2: 236e-6, wavelength: 1.3e-10, shape: [128, 96],
};

const TILTED_CASES: Case[] = [
  { unit: 'q_nm^-1', split: 'no', npt: 100 },
  { unit: 'q_nm^-1', split: 'bbox', npt: 100 },
  { unit: '2th_deg', split: 'no', npt: 77, mask: [[0, 40, 0, 60], [90, 95, 0, 200]] },
  { unit: '2th_deg', split: 'bbox', npt: 77, mask: [[0, 40, 0, 60], [90, 95, 0, 200]] },
  { unit: 'r_mm', split: 'no', npt: 50, radialRange: [2, 9] },
  { unit: 'r_mm', split: 'bbox', npt: 50, radialRange: [2, 9] },
  { unit: 'q_A^-1', split: 'no', npt: 60, azimuthRange: [-60, 100] },
  { unit: 'q_A^-1', split: 'bbox', npt: 60, azimuthRange: [-60, 100] },
  { unit: '2th_rad', split: 'bbox', npt: 60, azimuthRange: [120, 240] },
  // pyFAI 0.21.3's 2D no-split CSR matrix is empty when neither range is given: its histogram engine is the reference
  { unit: 'q_nm^-1', split: 'no', npt: 40, nptAzim: 36, refEngine: 'histogram' },
  { unit: 'q_nm^-1', split: 'bbox', npt: 40, nptAzim: 36 },
  { unit: 'r_mm', split: 'bbox', npt: 30, nptAzim: 24, radialRange: [1, 8], azimuthRange: [-90, 45] },
  { unit: 'r_mm', split: 'no', npt: 30, nptAzim: 24, radialRange: [1, 8], azimuthRange: [-90, 45] },
  { unit: 'q_nm^-1', split: 'full', npt: 100 },
  { unit: '2th_deg', split: 'no', npt: 50, azimuthRange: [150, 210] },
  { unit: '2th_deg', split: 'bbox', npt: 50, azimuthRange: [150, 210] },
  { unit: '2th_deg', split: 'full', npt: 50, azimuthRange: [150, 210] },
  { unit: 'q_nm^-1', split: 'bbox', npt: 30, nptAzim: 20, azimuthRange: [100, 260] },
  { unit: 'q_nm^-1', split: 'no', npt: 30, nptAzim: 20, azimuthRange: [100, 260] },
  { unit: 'q_nm^-1', split: 'full', npt: 30, nptAzim: 20, azimuthRange: [100, 260], mask: [[100, 180, 0, 30]] },
  { unit: 'q_A^-1', split: 'bbox', npt: 45, nptAzim: 30, radialRange: [0.2, 0.9], mask: [[0, 180, 150, 160]] },
  { unit: '2th_deg', split: 'full', npt: 77, mask: [[0, 40, 0, 60], [90, 95, 0, 200]] },
  { unit: 'r_mm', split: 'full', npt: 50, radialRange: [2, 9] },
  { unit: 'q_A^-1', split: 'full', npt: 60, azimuthRange: [-60, 100] },
  { unit: 'q_nm^-1', split: 'full', npt: 40, nptAzim: 36 },
  { unit: 'r_mm', split: 'full', npt: 30, nptAzim: 24, radialRange: [1, 8], azimuthRange: [-90, 45] },
];
const OFF_CASES: Case[] = [
  { unit: 'q_nm^-1', split: 'no', npt: 64 },
  { unit: 'q_nm^-1', split: 'bbox', npt: 64, mask: [[10, 30, 10, 50]] },
  { unit: '2th_deg', split: 'bbox', npt: 20, nptAzim: 18 },
  { unit: 'q_nm^-1', split: 'full', npt: 64, mask: [[10, 30, 10, 50]] },
  { unit: 'r_mm', split: 'no', npt: 40, radialRange: [5, 40] },
  { unit: 'r_mm', split: 'bbox', npt: 40, radialRange: [5, 40] },
  { unit: 'r_mm', split: 'full', npt: 40, radialRange: [5, 40] },
  { unit: '2th_rad', split: 'no', npt: 25, nptAzim: 10, azimuthRange: [30, 80], mask: [[0, 64, 0, 20]] },
  { unit: '2th_rad', split: 'full', npt: 25, nptAzim: 10, azimuthRange: [30, 80], mask: [[0, 64, 0, 20]] },
  { unit: '2th_deg', split: 'full', npt: 20, nptAzim: 18 },
];

function suite(name: string, geometry: Geometry, cases: Case[]): void {
  describe(`buildCsr against pyFAI 0.21: ${name}`, function () {
    this.timeout(300_000);
    let py: PyfaiRun;
    before(async function () {
      await requirePython(this);
      py = await runPyfai(geometry, cases);
    });
    after(() => py?.close());
    cases.forEach((c, k) => {
      const label = `${c.nptAzim ? '2D' : '1D'} ${c.split} ${c.unit} npt ${c.npt}${c.nptAzim ? `×${c.nptAzim}` : ''}` +
        `${c.radialRange ? ` radial [${c.radialRange}]` : ''}${c.azimuthRange ? ` azimuth [${c.azimuthRange}]` : ''}${c.mask ? ' masked' : ''}`;
      it(label, () => {
        const ref = py.reference(k, c);
        const ours = buildCsr(py.positions(c.unit), { npt: c.npt, nptAzim: c.nptAzim, split: c.split, radialRange: c.radialRange, azimuthRange: c.azimuthRange, mask: py.mask(c) });
        relClose(ours.radial, ref.radial, 1e-6, 'radial');
        if (ref.azimuthal) relClose(ours.azimuthal ?? [], ref.azimuthal, 1e-6, 'azimuthal');
        // pyFAI's full split works in float32: its coefficients of pixels small against the bins are off by up to ~1e-4
        const diff = matrixDiff(ours, ref, c.split === 'full' ? 1e-3 : 1e-5);
        const sums = rowSums(ours, py.image);
        const tol = c.split === 'full' ? 1e-3 : 1e-4;
        relClose(sums.signal, ref.sumSignal, tol, 'sum_signal');
        if (c.split === 'no') assert.deepEqual(Array.from(sums.count), Array.from(ref.count), 'count');
        else relClose(sums.count, ref.count, tol, 'count');
        if (!c.refEngine) assert.equal(diff.differ, 0, `${diff.differ} of ${diff.total} coefficients differ, e.g. ${diff.example}`);
      });
    });
  });
}

suite('tilted detector', TILTED, TILTED_CASES);
suite('PONI off the image', OFF_IMAGE, OFF_CASES);
