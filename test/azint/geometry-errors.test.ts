import assert from 'node:assert/strict';
import { OptionsError, ParameterError, PoniGeometry, type PoniGeometryOptions } from '../../toolbox/index.js';
import { hexCorners } from './geometry-pyfai.js';

const BASE: PoniGeometryOptions = { dist: 0.1, poni1: 0.001, poni2: 0.002, pixel1: 1e-4, pixel2: 1e-4, shape: [4, 5] };

function throwsParameter(f: () => unknown, parameter: string, message: string): void {
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof ParameterError, `${e.constructor.name}: ${e.message}`);
    assert.equal(e.message, message);
    assert.equal(e.parameter, parameter);
    return true;
  });
}

describe('azint geometry: bad input', () => {
  const bad = (o: Record<string, unknown>): (() => unknown) => () => new PoniGeometry({ ...BASE, ...o } as PoniGeometryOptions);

  it('non-positive distance or pixel size, non-finite PONI or rotation, bad wavelength', () => {
    throwsParameter(bad({ dist: -1 }), 'dist', 'PoniGeometry: dist must be a positive number (metres), got -1');
    throwsParameter(bad({ dist: 0 }), 'dist', 'PoniGeometry: dist must be a positive number (metres), got 0');
    throwsParameter(bad({ pixel1: 0 }), 'pixel1', 'PoniGeometry: pixel1 must be a positive number (metres), got 0');
    throwsParameter(bad({ pixel2: -2e-4 }), 'pixel2', 'PoniGeometry: pixel2 must be a positive number (metres), got -0.0002');
    throwsParameter(bad({ rot1: NaN }), 'rot1', 'PoniGeometry: rot1 must be a finite number, got NaN');
    throwsParameter(bad({ poni1: '0.1' }), 'poni1', "PoniGeometry: poni1 must be a finite number, got '0.1'");
    throwsParameter(bad({ wavelength: 0 }), 'wavelength', 'PoniGeometry: wavelength must be a positive number (metres), got 0');
  });

  it('shape not two positive integers', () => {
    throwsParameter(bad({ shape: [10] }), 'shape', 'PoniGeometry: shape must be two positive integers [ny, nx], got [10]');
    throwsParameter(bad({ shape: [10, 0] }), 'shape', 'PoniGeometry: shape must be two positive integers [ny, nx], got [10, 0]');
    throwsParameter(bad({ shape: [1.5, 2] }), 'shape', 'PoniGeometry: shape must be two positive integers [ny, nx], got [1.5, 2]');
    throwsParameter(bad({ shape: '10x10' }), 'shape', "PoniGeometry: shape must be two positive integers [ny, nx], got '10x10'");
  });

  it('corners of the wrong length, bad nCorners, non-finite corners', () => {
    throwsParameter(bad({ corners: new Float64Array(10) }), 'corners',
      'PoniGeometry: corners must hold ny·nx·nCorners·3 = 4·5·4·3 = 240 numbers (z, dim1, dim2 per corner), got 10');
    throwsParameter(bad({ corners: new Float64Array(240), nCorners: 6 }), 'corners',
      'PoniGeometry: corners must hold ny·nx·nCorners·3 = 4·5·6·3 = 360 numbers (z, dim1, dim2 per corner), got 240');
    throwsParameter(bad({ nCorners: 6 }), 'nCorners', 'PoniGeometry: nCorners (6) is given without corners; give both, or neither for a regular detector');
    throwsParameter(bad({ corners: new Float64Array(120), nCorners: 2 }), 'nCorners', 'PoniGeometry: nCorners must be an integer ≥ 3, got 2');
    throwsParameter(bad({ corners: new Float64Array(240).fill(NaN) }), 'corners', 'PoniGeometry: corners must hold finite numbers, got NaN at index 0');
    throwsParameter(bad({ corners: new Float64Array(240), cornerCentres: 'centroid' }), 'cornerCentres', "PoniGeometry: cornerCentres must be 'bilinear' or 'mean', got 'centroid'");
    throwsParameter(bad({ cornerCentres: 'mean' }), 'cornerCentres', "PoniGeometry: cornerCentres ('mean') is given without corners");
  });

  it('unknown options', () => {
    assert.throws(bad({ rot4: 0 }), (e: Error) => e instanceof OptionsError && e.message
      === "PoniGeometry: unknown option 'rot4'. Did you mean 'rot1' or 'rot2' or 'rot3'? PoniGeometry accepts { dist, poni1, poni2, rot1, rot2, rot3, pixel1, pixel2, wavelength, shape, corners, nCorners, cornerCentres }.");
    const g = new PoniGeometry(BASE);
    assert.throws(() => g.positions('2th_deg', { corner: true } as never), (e: Error) => e instanceof OptionsError && e.message
      === "PoniGeometry.positions: unknown option 'corner'. Did you mean 'corners'? PoniGeometry.positions accepts { corners }.");
  });

  it('wavelength missing for a q unit; unknown unit', () => {
    const g = new PoniGeometry(BASE);
    for (const unit of ['q_nm^-1', 'q_A^-1'] as const) {
      throwsParameter(() => g.positions(unit), 'wavelength',
        `PoniGeometry.positions: unit '${unit}' needs the wavelength, which this geometry lacks; give wavelength (metres) to PoniGeometry`);
    }
    throwsParameter(() => g.positions('q_nm' as never), 'unit',
      "PoniGeometry.positions: unknown radial unit 'q_nm'; use one of 'q_nm^-1', 'q_A^-1', '2th_deg', '2th_rad', 'r_mm'");
    throwsParameter(() => g.positions('chi_deg' as never), 'unit',
      "PoniGeometry.positions: unknown radial unit 'chi_deg'; use one of 'q_nm^-1', 'q_A^-1', '2th_deg', '2th_rad', 'r_mm'");
  });

  it('polarisation factor outside [-1, 1]', () => {
    const g = new PoniGeometry(BASE);
    throwsParameter(() => g.polarization(2), 'factor', 'PoniGeometry.polarization: factor must be a number in [-1, 1], got 2');
    throwsParameter(() => g.polarization(NaN), 'factor', 'PoniGeometry.polarization: factor must be a number in [-1, 1], got NaN');
  });
});

describe('azint geometry: PoniGeometry interface', () => {
  it('config() and toJSON() give the parameters; rotations default to 0', () => {
    const g = new PoniGeometry({ ...BASE, wavelength: 1e-10 });
    const c = { dist: 0.1, poni1: 0.001, poni2: 0.002, rot1: 0, rot2: 0, rot3: 0, pixel1: 1e-4, pixel2: 1e-4, wavelength: 1e-10, shape: [4, 5] };
    assert.deepEqual(g.config(), c);
    assert.deepEqual(JSON.parse(JSON.stringify(g)), c);
    assert.deepEqual(new PoniGeometry(g.config()).config(), c);
  });

  it('positions are cached per unit and corners; χ is shared', () => {
    const g = new PoniGeometry({ ...BASE, wavelength: 1e-10 });
    const a = g.positions('q_nm^-1');
    assert.equal(g.positions('q_nm^-1').radial, a.radial);
    assert.notEqual(g.positions('q_A^-1').radial, a.radial);
    assert.equal(a.radialCorners, undefined);
    const b = g.positions('q_nm^-1', { corners: true });
    assert.equal(b.radial, a.radial);
    assert.equal(b.radialCorners?.length, 4 * 5 * 4);
    assert.equal(g.positions('q_nm^-1', { corners: true }).radialCorners, b.radialCorners);
    assert.equal(g.positions('r_mm', { corners: true }).chiCorners, b.chiCorners);
    assert.equal(g.solidAngle(), g.solidAngle());
    assert.equal(g.polarization(0.5), g.polarization(0.5));
  });

  it('cacheKey() is equal for equal geometries, different otherwise (corners included)', () => {
    const corners = new Float64Array(240).map((_, k) => k * 1e-5);
    const a = new PoniGeometry({ ...BASE, corners });
    assert.equal(a.cacheKey(), new PoniGeometry({ ...BASE, corners: Float32Array.from(corners) }).cacheKey());
    const moved = corners.slice();
    moved[100] += 1e-5;
    assert.notEqual(a.cacheKey(), new PoniGeometry({ ...BASE, corners: moved }).cacheKey());
    assert.notEqual(a.cacheKey(), new PoniGeometry(BASE).cacheKey());
    assert.equal(new PoniGeometry(BASE).cacheKey(), new PoniGeometry({ ...BASE }).cacheKey());
    assert.notEqual(new PoniGeometry(BASE).cacheKey(), new PoniGeometry({ ...BASE, rot3: 1e-9 }).cacheKey());
  });

  it("cornerCentres 'mean' puts a hexagon's centre at the mean of its six corners; 'bilinear' (pyFAI's) a quarter pitch off", () => {
    const pitch = 60e-6;
    const corners = hexCorners(3, 4, pitch);
    const opts = { dist: 0.1, poni1: 1e-5, poni2: 3e-5, pixel1: pitch * Math.sqrt(3) / 2, pixel2: pitch, shape: [3, 4] as [number, number], corners, nCorners: 6 };
    const mean = new PoniGeometry({ ...opts, cornerCentres: 'mean' });
    const bilinear = new PoniGeometry(opts);
    assert.equal(bilinear.config().cornerCentres, 'bilinear');
    assert.equal(mean.config().cornerCentres, 'mean');
    assert.notEqual(mean.cacheKey(), bilinear.cacheKey());
    const r = mean.positions('r_mm').radial;
    const rb = bilinear.positions('r_mm').radial;
    for (let k = 0; k < 12; k++) {
      let y = 0;
      let x = 0;
      for (let c = 0; c < 6; c++) { y += corners[18 * k + 3 * c + 1] / 6; x += corners[18 * k + 3 * c + 2] / 6; }
      const expected = Math.hypot(y - opts.poni1, x - opts.poni2) * 1000;
      assert.ok(Math.abs(r[k] - expected) < 1e-7, `pixel ${k}: ${r[k]} vs ${expected}`);
      const shifted = Math.hypot(y - opts.poni1, x + pitch / 4 - opts.poni2) * 1000;
      assert.ok(Math.abs(rb[k] - shifted) < 1e-7, `pixel ${k}, bilinear: ${rb[k]} vs ${shifted}`);
    }
  });

  it('untilted: 2θ = atan(ρ/dist), χ = atan2(y, x), solid angle 1 at the PONI', () => {
    const g = new PoniGeometry({ dist: 0.1, poni1: 0.5e-4, poni2: 2.5e-4, pixel1: 1e-4, pixel2: 1e-4, shape: [3, 5] });
    const tth = g.tth();
    const chi = g.chi();
    // centres and PONI are float32 values as in pyFAI, so the pixel at the PONI is off by float32 rounding (~3e-11 m here)
    assert.ok(tth[2] < 1e-9);
    assert.ok(Math.abs(g.solidAngle()[2] - 1) < 1e-15);
    assert.ok(Math.abs(tth[4] / Math.atan(2e-4 / 0.1) - 1) < 1e-7);
    assert.ok(Math.abs(chi[4]) < 1e-7);
    assert.ok(Math.abs(chi[0] - Math.PI) < 1e-7);
    assert.ok(Math.abs(chi[7] - Math.PI / 2) < 1e-6);
  });
});

describe('azint geometry: a 1 Mpx detector', () => {
  // speed is measured by bench/azint.ts (matrix build, geometry included), not asserted here
  it('gives q centres and corners of a 2048 × 512 tilted geometry', function () {
    this.timeout(30_000);
    const g = new PoniGeometry({ dist: 0.3, poni1: 0.2, poni2: 0.05, rot1: 0.01, rot2: 0.02, rot3: 0.03, pixel1: 236e-6, pixel2: 204e-6, wavelength: 1e-9, shape: [2048, 512] });
    const pos = g.positions('q_nm^-1', { corners: true });
    assert.equal(pos.radial.length, 2048 * 512);
    assert.equal(pos.radialCorners?.length, 2048 * 512 * 4);
    assert.ok(pos.radial.every(Number.isFinite));
  });
});
