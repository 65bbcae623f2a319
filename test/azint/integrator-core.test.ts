/**
 * The integrator's preprocessing, sparse dot and error models against pyFAI
 * 0.21, with no pixel splitting and a stand-in geometry that serves pyFAI's
 * own per-pixel arrays: so these checks depend on nothing but the integrator
 * (geometry and CSR builder are tested in their own files, and end to end in
 * integrator-pyfai-*.test.ts).
 */
import { strict as assert } from 'node:assert';
import { RadialIntegrator } from '../../toolbox/routines/azint/radial-integrator.js';
import type { IntegrationGeometry, PixelPositions, RadialUnit } from '../../toolbox/routines/azint/types.js';
import { requirePython } from '../helpers/python.js';
import { type Poni, type PyArrays, type PyConfig, type PyResult, maxRelDiff, pyfai } from './integrator-pyfai.js';

const NY = 64, NX = 80;
const PONI: Poni = { dist: 0.1, poni1: 30.3e-4, poni2: 41.7e-4, rot1: 0.05, rot2: -0.03, rot3: 0.1, pixel1: 1e-4, pixel2: 1e-4, wavelength: 1e-10, shape: [NY, NX] };

class StandIn implements IntegrationGeometry {
  readonly shape: [number, number] = [NY, NX];
  readonly wavelength = 1e-10;
  constructor(private readonly a: PyArrays) {}
  positions(unit: RadialUnit): PixelPositions {
    return { shape: this.shape, unit, radial: this.a.positions[unit], chi: this.a.chi, nCorners: 0 };
  }
  solidAngle(): Float64Array { return this.a.solidAngle; }
  polarization(f: number): Float64Array { return this.a.polarization[String(f)]; }
  cacheKey(): string { return 'pyfai-stand-in'; }
}

function image(): Float64Array {
  const img = new Float64Array(NY * NX);
  for (let i = 0; i < NY; i++) for (let j = 0; j < NX; j++) {
    const r = Math.hypot(i + 0.5 - 30.3, j + 0.5 - 41.7);
    img[i * NX + j] = 100 + 10 * Math.cos(r / 5) + ((i * 7 + j * 13) % 11);
  }
  return img;
}

const mask = Uint8Array.from({ length: NY * NX }, (_, k) => (k % NX > 60 && Math.floor(k / NX) < 20 ? 1 : 0));
const dark = Float64Array.from({ length: NY * NX }, (_, k) => 3 + (k % 5));
const flat = Float64Array.from({ length: NY * NX }, (_, k) => 0.8 + 0.4 * ((k * 31) % 17) / 17);
const variance = Float64Array.from({ length: NY * NX }, (_, k) => 50 + (k % 23));

const CONFIGS: PyConfig[] = [
  { kind: '1d', npt: 50, unit: 'r_mm', split: 'no', correctSolidAngle: false },
  { kind: '1d', npt: 50, unit: 'q_nm^-1', split: 'no', polarizationFactor: 0.99 },
  { kind: '1d', npt: 40, unit: '2th_deg', split: 'no', mask },
  { kind: '1d', npt: 40, unit: '2th_rad', split: 'no', dark, flat, normalizationFactor: 2.5, errorModel: 'poisson' },
  { kind: '1d', npt: 40, unit: 'q_A^-1', split: 'no', errorModel: 'azimuthal', polarizationFactor: -0.5 },
  { kind: '1d', npt: 30, unit: 'r_mm', split: 'no', variance, dark },
  { kind: '1d', npt: 30, unit: 'r_mm', split: 'no', dummy: -1, errorModel: 'poisson', radialRange: [0.5, 4] },
  { kind: '1d', npt: 30, unit: 'r_mm', split: 'no', dummy: -1, deltaDummy: 0.5, azimuthRange: [-90, 45] },
];

describe('RadialIntegrator core against pyFAI (no split, pyFAI positions)', function () {
  let arrays: PyArrays;
  let ref: PyResult[];
  const img = image();
  // dummy pixels for the dummy configs: a block and a scatter
  const dummied = img.slice();
  for (let k = 0; k < dummied.length; k += 37) dummied[k] = -1;
  dummied[5 * NX + 9] = -1.3;
  let refDummy: PyResult[];

  before(async function () {
    this.timeout(300_000);
    await requirePython(this);
    const plain = CONFIGS.filter((c) => c.dummy === undefined);
    const withDummy = CONFIGS.filter((c) => c.dummy !== undefined);
    const r1 = await pyfai(PONI, img, plain, { units: ['r_mm', 'q_nm^-1', 'q_A^-1', '2th_deg', '2th_rad'], polarization: [0.99, -0.5] });
    arrays = r1.arrays!;
    ref = r1.results;
    refDummy = (await pyfai(PONI, dummied, withDummy)).results;
  });

  function check(ours: ReturnType<RadialIntegrator['integrate1d']>, py: PyResult, label: string, sigmaTol = 1e-6): void {
    assert.ok(maxRelDiff(ours.radial, py.radial) < 1e-6, `${label}: radial ${maxRelDiff(ours.radial, py.radial)}`);
    assert.deepEqual(Array.from(ours.count), py.count, `${label}: count`);
    const scale = Math.max(...py.intensity.map(Math.abs));
    assert.ok(maxRelDiff(ours.intensity, py.intensity, 1e-9 * scale) < 1e-6, `${label}: intensity ${maxRelDiff(ours.intensity, py.intensity)}`);
    assert.ok(maxRelDiff(ours.sumSignal, py.sum_signal, 1e-9) < 1e-6, `${label}: sum_signal`);
    assert.ok(maxRelDiff(ours.sumNormalization, py.sum_normalization, 1e-9) < 1e-6, `${label}: sum_normalization`);
    if (py.sigma) {
      assert.ok(maxRelDiff(ours.sigma, py.sigma, 1e-12) < sigmaTol, `${label}: sigma ${maxRelDiff(ours.sigma, py.sigma)}`);
      assert.ok(maxRelDiff(ours.sumVariance, py.sum_variance!, 1e-12) < sigmaTol, `${label}: sum_variance`);
    } else assert.ok(Array.from(ours.sigma).every(Number.isNaN), `${label}: sigma NaN without an error model`);
  }

  it('matches every configuration: units, mask, dark, flat, polarisation, normalisation, variance, error models', function () {
    const ai = new RadialIntegrator(new StandIn(arrays));
    CONFIGS.filter((c) => c.dummy === undefined).forEach((c, k) => {
      const { kind: _k, npt, ...options } = c;
      check(ai.integrate1d(img, npt, options as never), ref[k], `config ${k} (${c.unit})`, 1e-5);
    });
  });

  it('treats dummy values (with and without deltaDummy) as pyFAI does; empty bins get the dummy', function () {
    const ai = new RadialIntegrator(new StandIn(arrays));
    CONFIGS.filter((c) => c.dummy !== undefined).forEach((c, k) => {
      const { kind: _k, npt, ...options } = c;
      check(ai.integrate1d(dummied, npt, options as never), refDummy[k], `dummy config ${k}`, 1e-5);
    });
  });

  it('gives the same result for Float32Array, Float64Array and Uint16Array frames of the same values', function () {
    const ai = new RadialIntegrator(new StandIn(arrays));
    const ints = Uint16Array.from(img, Math.round);
    const a = ai.integrate1d(Float64Array.from(ints), 50, { unit: 'r_mm', split: 'no' });
    const b = ai.integrate1d(Float32Array.from(ints), 50, { unit: 'r_mm', split: 'no' });
    const c = ai.integrate1d(ints, 50, { unit: 'r_mm', split: 'no' });
    assert.deepEqual(b.intensity, a.intensity);
    assert.deepEqual(c.intensity, a.intensity);
  });
});
