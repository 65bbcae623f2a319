/**
 * buildCsr without pyFAI: bad input (errors naming parameter and value),
 * matrix invariants (weights of a pixel inside the range sum to 1), and
 * polygons with other than 4 corners (DSSC hexagons).
 */
import { strict as assert } from 'node:assert';
import { ToolBoxValueError } from '../../toolbox/errors.js';
import { buildCsr } from '../../toolbox/routines/azint/csr-build.js';
import type { CsrMatrix, CsrSpec, PixelPositions, SplitMethod } from '../../toolbox/routines/azint/types.js';

/** A flat detector in r (mm), PONI at (py, px) pixels, square 1 mm pixels, corners in the given order. */
function flat(ny: number, nx: number, py: number, px: number, corners: [number, number][]): PixelPositions {
  const n = ny * nx;
  const k = corners.length;
  const pos: PixelPositions = {
    shape: [ny, nx], unit: 'r_mm', nCorners: k,
    radial: new Float64Array(n), chi: new Float64Array(n),
    radialCorners: new Float64Array(n * k), chiCorners: new Float64Array(n * k),
  };
  for (let i = 0; i < ny; i++) {
    for (let j = 0; j < nx; j++) {
      const p = i * nx + j;
      const y = i + 0.5 - py;
      const x = j + 0.5 - px;
      pos.radial[p] = Math.hypot(x, y);
      pos.chi[p] = Math.atan2(y, x);
      corners.forEach(([a, b], c) => {
        const yy = i + a - py;
        const xx = j + b - px;
        (pos.radialCorners as Float64Array)[p * k + c] = Math.hypot(xx, yy);
        (pos.chiCorners as Float64Array)[p * k + c] = Math.atan2(yy, xx);
      });
    }
  }
  return pos;
}

const SQUARE: [number, number][] = [[0, 0], [1, 0], [1, 1], [0, 1]];

function pixelWeights(m: CsrMatrix, size: number): Float64Array {
  const w = new Float64Array(size);
  for (let k = 0; k < m.indptr[m.rows]; k++) w[m.indices[k]] += m.data[k];
  return w;
}

function throwsValue(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ToolBoxValueError, `expected ToolBoxValueError, got ${String(err)}`);
    for (const p of parts) {
      if (typeof p === 'string') assert.ok(err.message.includes(p), `message "${err.message}" lacks "${p}"`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

describe('buildCsr: bad input', () => {
  const pos = flat(20, 30, 10.3, 12.7, SQUARE);
  const build = (spec: Partial<CsrSpec>): CsrMatrix => buildCsr(pos, { npt: 10, split: 'no', ...spec });

  it('npt and nptAzim must be positive integers', () => {
    for (const npt of [0, -3, 2.5, Number.NaN]) throwsValue(() => build({ npt }), 'npt', String(npt));
    throwsValue(() => build({ nptAzim: 0 }), 'nptAzim', '0');
    throwsValue(() => build({ nptAzim: 1.5 }), 'nptAzim', '1.5');
  });
  it('split must be known', () => {
    throwsValue(() => build({ split: 'pseudo' as SplitMethod }), 'split', 'pseudo');
  });
  it('radialRange reversed, empty or outside the data', () => {
    throwsValue(() => build({ radialRange: [5, 2] }), 'radialRange', '[5, 2]', 'reversed');
    throwsValue(() => build({ radialRange: [3, 3] }), 'radialRange', 'empty');
    throwsValue(() => build({ radialRange: [100, 200] }), 'radialRange [100, 200] r_mm', 'outside the data', /spans \[0\.\d+, 19\.\d+\] r_mm/);
    throwsValue(() => build({ radialRange: [Number.NaN, 2] as [number, number] }), 'radialRange', 'finite');
  });
  it('azimuthRange reversed, empty, wider than 360° or outside the data', () => {
    throwsValue(() => build({ azimuthRange: [90, -90] }), 'azimuthRange', '[90, -90]');
    throwsValue(() => build({ azimuthRange: [10, 10] }), 'azimuthRange', 'empty');
    throwsValue(() => build({ azimuthRange: [-180, 270] }), 'azimuthRange', '360');
    // a detector seen only between χ ≈ 0° and 90°
    const quadrant = flat(20, 30, -0.5, -0.5, SQUARE);
    throwsValue(() => buildCsr(quadrant, { npt: 10, split: 'no', azimuthRange: [-170, -100] }), 'azimuthRange [-170, -100] deg', 'outside the data', 'spans');
  });
  it('mask of the wrong length, positions of the wrong length', () => {
    throwsValue(() => build({ mask: new Uint8Array(599) }), 'mask', '599', '600');
    throwsValue(() => buildCsr({ ...pos, radial: new Float64Array(10) }, { npt: 10, split: 'no' }), 'positions', '10');
  });
  it('splitting needs corners', () => {
    throwsValue(() => buildCsr({ ...pos, nCorners: 0, radialCorners: undefined, chiCorners: undefined }, { npt: 10, split: 'bbox' }), "split 'bbox'", 'corners');
  });
  it('a fully masked detector', () => {
    throwsValue(() => build({ mask: new Uint8Array(600).fill(1), radialRange: [1, 2] }), 'no unmasked pixel');
  });
});

describe('buildCsr: invariants', () => {
  const pos = flat(40, 50, 17.3, 22.6, SQUARE);
  const size = 40 * 50;
  for (const split of ['no', 'bbox', 'full'] as SplitMethod[]) {
    for (const nptAzim of [undefined, 12]) {
      it(`${split} ${nptAzim ? '2D' : '1D'}: every unmasked pixel has total weight 1 with default ranges, masked ones 0`, () => {
        const mask = new Uint8Array(size);
        mask.fill(1, 100, 180);
        const m = buildCsr(pos, { npt: 25, nptAzim, split, mask });
        assert.equal(m.rows, 25 * (nptAzim ?? 1));
        assert.equal(m.radial.length, 25);
        if (nptAzim) assert.equal(m.azimuthal?.length, nptAzim);
        const w = pixelWeights(m, size);
        for (let p = 0; p < size; p++) {
          if (mask[p]) assert.equal(w[p], 0, `masked pixel ${p}`);
          else assert.ok(Math.abs(w[p] - 1) < 1e-5, `pixel ${p} weight ${w[p]}`);
        }
        for (let r = 0; r < m.rows; r++) assert.ok(m.indptr[r + 1] >= m.indptr[r]);
      });
    }
  }
  it('pixels with a non-finite position are left out', () => {
    const bad = flat(40, 50, 17.3, 22.6, SQUARE);
    bad.radial[7] = Number.NaN;
    bad.chi[8] = Number.POSITIVE_INFINITY;
    (bad.radialCorners as Float64Array)[9 * 4 + 2] = Number.NaN;
    (bad.chiCorners as Float64Array)[7 * 4 + 1] = Number.NaN;
    for (const split of ['no', 'bbox', 'full'] as SplitMethod[]) {
      for (const nptAzim of [undefined, 12]) {
        const w = pixelWeights(buildCsr(bad, { npt: 25, nptAzim, split }), size);
        for (let k = 0; k < w.length; k++) assert.ok(Number.isFinite(w[k]), `${split} ${nptAzim} pixel ${k}`);
        assert.equal(w[7], 0, `${split} ${nptAzim}`);
        if (split === 'full') assert.equal(w[9], 0);
        assert.ok(Math.abs(w[100] - 1) < 1e-6);
      }
    }
  });
  it('radial centres are equally spaced over the range, the upper end nudged by a float32 epsilon', () => {
    const m = buildCsr(pos, { npt: 4, split: 'no', radialRange: [2, 10] });
    const upper = 10 * (1 + 2 ** -23);
    const d = (upper - 2) / 4;
    assert.deepEqual(Array.from(m.radial), [2 + d / 2, 2 + 1.5 * d, 2 + 2.5 * d, upper - d / 2]);
  });
});

describe('buildCsr: polygons with 6 corners (DSSC hexagons)', () => {
  /** Pixels laid out directly in (r, χ): parallelograms, optionally with the midpoints of two sides as extra corners. */
  function grid(six: boolean): PixelPositions {
    const ny = 12;
    const nx = 20;
    const k = six ? 6 : 4;
    const unit: [number, number][] = six ? [[0, 0], [0.5, 0], [1, 0], [1, 1], [0.5, 1], [0, 1]] : [[0, 0], [1, 0], [1, 1], [0, 1]];
    const pos: PixelPositions = {
      shape: [ny, nx], unit: 'r_mm', nCorners: k, radial: new Float64Array(ny * nx), chi: new Float64Array(ny * nx),
      radialCorners: new Float64Array(ny * nx * k), chiCorners: new Float64Array(ny * nx * k),
    };
    const r = (i: number, j: number): number => 3 + 0.37 * j + 0.11 * i;
    const c = (i: number, j: number): number => -1.2 + 0.19 * i + 0.03 * j;
    for (let i = 0; i < ny; i++) {
      for (let j = 0; j < nx; j++) {
        const p = i * nx + j;
        pos.radial[p] = r(i + 0.5, j + 0.5);
        pos.chi[p] = c(i + 0.5, j + 0.5);
        unit.forEach(([a, b], q) => {
          (pos.radialCorners as Float64Array)[p * k + q] = r(i + a, j + b);
          (pos.chiCorners as Float64Array)[p * k + q] = c(i + a, j + b);
        });
      }
    }
    return pos;
  }
  it('a parallelogram given with 6 corners gives the matrix of the 4-corner one (bbox 1D and 2D, full 1D)', () => {
    const p4 = grid(false);
    const p6 = grid(true);
    for (const [split, nptAzim] of [['bbox', undefined], ['bbox', 18], ['full', undefined]] as [SplitMethod, number | undefined][]) {
      {
        const a = buildCsr(p4, { npt: 30, nptAzim, split });
        const b = buildCsr(p6, { npt: 30, nptAzim, split });
        assert.deepEqual(Array.from(b.indptr), Array.from(a.indptr), `${split} ${nptAzim} indptr`);
        assert.deepEqual(Array.from(b.indices), Array.from(a.indices));
        for (let k = 0; k < a.data.length; k++) assert.ok(Math.abs(a.data[k] - b.data[k]) < 1e-6, `${split} ${nptAzim} entry ${k}: ${a.data[k]} vs ${b.data[k]}`);
      }
    }
  });
  it('full 2D with 6 corners: each pixel keeps weight 1 (the column-fill rule depends on the corner list, so cells differ slightly)', () => {
    const p6 = grid(true);
    const m = buildCsr(p6, { npt: 30, nptAzim: 18, split: 'full' });
    const w = pixelWeights(m, 12 * 20);
    for (let p = 0; p < w.length; p++) assert.ok(Math.abs(w[p] - 1) < 1e-5, `pixel ${p}: ${w[p]}`);
  });
  it('hexagonal pixels share their area by polygon overlap', () => {
    // pointy-top hexagons of width 1 (DSSC-like), far from the PONI so that r ≈ x
    const hex: [number, number][] = [[-0.1, 0.5], [0.25, 1], [0.75, 1], [1.1, 0.5], [0.75, 0], [0.25, 0]];
    const pos = flat(1, 1, 0.5, -1000, hex);
    const r0 = Math.min(...Array.from(pos.radialCorners as Float64Array));
    const r1 = Math.max(...Array.from(pos.radialCorners as Float64Array));
    const m = buildCsr(pos, { npt: 2, split: 'full', radialRange: [r0, r0 + 2 * (pos.radial[0] - r0)] });
    // the hexagon is symmetric about its centre, which is the boundary of the two bins
    assert.ok(r1 > r0);
    assert.equal(m.indptr[2], 2);
    assert.ok(Math.abs(m.data[0] - 0.5) < 1e-4 && Math.abs(m.data[1] - 0.5) < 1e-4, `${Array.from(m.data)}`);
  });
});
