import assert from 'node:assert/strict';
import { PoniGeometry, RADIAL_UNITS, radialUnitInfo } from '../../toolbox/index.js';
import { type GeometrySpec, type PyFaiArrays, UNITS, distortedCorners, hexCorners, pyFaiArrays, requirePyFai, worstRelative } from './geometry-pyfai.js';

const UNTILTED: GeometrySpec = { dist: 0.1, poni1: 128.3e-4, poni2: 121.7e-4, pixel1: 1e-4, pixel2: 1e-4, wavelength: 1e-10, shape: [256, 256] };
const TILTED: GeometrySpec = {
  dist: 0.12, poni1: 0.0213, poni2: 0.0317, rot1: 0.13, rot2: -0.21, rot3: 0.4, pixel1: 2.36e-4, pixel2: 2.04e-4, wavelength: 1.3e-9, shape: [128, 192],
};
const OFF_IMAGE: GeometrySpec = {
  dist: 0.35, poni1: -0.0153, poni2: 0.0612, rot1: -0.02, rot2: 0.035, rot3: -1.1, pixel1: 1.5e-4, pixel2: 1.2e-4, wavelength: 2.5e-10, shape: [100, 300],
};
const NO_WAVELENGTH: GeometrySpec = { dist: 0.2, poni1: 0.005, poni2: 0.004, rot2: 0.05, pixel1: 1e-4, pixel2: 1e-4, shape: [64, 80] };
const DISTORTED: GeometrySpec = {
  dist: 0.08, poni1: 0.0021, poni2: 0.0033, rot1: 0.05, rot2: 0.03, rot3: 0.2, pixel1: 1e-4, pixel2: 1.1e-4, wavelength: 1e-10, shape: [40, 50],
  corners: distortedCorners(40, 50, 1e-4, 1.1e-4), nCorners: 4,
};
const BENT: GeometrySpec = { ...DISTORTED, rot3: -0.3, corners: distortedCorners(40, 50, 1e-4, 1.1e-4, 2e-7), nCorners: 4 };
const HEXAGONS: GeometrySpec = {
  dist: 0.15, poni1: 0.0011, poni2: 0.0016, rot1: 0.02, rot2: -0.04, rot3: 0.1, pixel1: 60e-6 * Math.sqrt(3) / 2, pixel2: 60e-6, wavelength: 1.5e-10,
  shape: [30, 36], corners: hexCorners(30, 36, 60e-6), nCorners: 6,
};

const CASES: [string, GeometrySpec][] = [
  ['untilted, PONI on the image', UNTILTED], ['tilted (rot1, rot2, rot3), DSSC-like pixels', TILTED], ['PONI off the image, tilted', OFF_IMAGE],
  ['no wavelength (2θ and r units)', NO_WAVELENGTH], ['4 corners per pixel, distorted grid', DISTORTED], ['4 corners per pixel, distorted and bent (non-flat)', BENT],
  ['6 corners per pixel (hexagons)', HEXAGONS],
];

const CENTRE_TOL = 1e-9;
const CORNER_TOL = 1e-6;
const CORRECTION_TOL = 1e-6;

function check(what: string, ours: ArrayLike<number>, theirs: ArrayLike<number>, tol: number, worst: Record<string, number>): void {
  const { rel, at } = worstRelative(ours, theirs);
  worst[what] = Math.max(worst[what] ?? 0, rel);
  assert.ok(rel <= tol, `${what}: relative difference ${rel} at ${at} (ours ${ours[at]}, pyFAI ${theirs[at]}) exceeds ${tol}`);
}

describe('azint geometry: PoniGeometry against pyFAI 0.21', function () {
  this.timeout(300_000);
  const worst: Record<string, number> = {};
  before(async function () { await requirePyFai(this); });
  after(() => { if (Object.keys(worst).length) console.log(`      worst relative differences: ${JSON.stringify(worst)}`); });

  for (const [name, spec] of CASES) {
    describe(name, () => {
      let ref: PyFaiArrays;
      let geo: PoniGeometry;
      before(async () => {
        ref = await pyFaiArrays(spec);
        geo = new PoniGeometry(spec);
      });

      it('pixel-centre positions in every unit, 2θ and χ', () => {
        check('2θ centres', geo.tth(), ref.tth, CENTRE_TOL, worst);
        check('χ centres', geo.chi(), ref.chi, CENTRE_TOL, worst);
        const units = UNITS.filter((u) => spec.wavelength !== undefined || !u.startsWith('q'));
        for (const u of units) {
          const pos = geo.positions(u);
          assert.equal(pos.unit, u);
          assert.deepEqual(pos.shape, spec.shape);
          assert.equal(pos.nCorners, 0);
          check(`centres ${u}`, pos.radial, ref.centre[u], CENTRE_TOL, worst);
          assert.equal(pos.chi, geo.chi());
        }
      });

      it('corner positions in every unit, and corner χ', () => {
        const units = UNITS.filter((u) => spec.wavelength !== undefined || !u.startsWith('q'));
        for (const u of units) {
          const pos = geo.positions(u, { corners: true });
          assert.equal(pos.nCorners, spec.nCorners ?? 4);
          const scale = radialUnitInfo(u).scale;
          check(`corners ${u}`, pos.radialCorners as Float64Array, ref.corner[u].map((v) => v * scale), CORNER_TOL, worst);
          check('χ corners', pos.chiCorners as Float64Array, ref.cornerChi, CORNER_TOL, worst);
        }
      });

      it('solid angle and polarisation (factor 0.95)', () => {
        check('solid angle', geo.solidAngle(), ref.solidAngle, CORRECTION_TOL, worst);
        check('polarisation', geo.polarization(0.95), ref.polarization, CORRECTION_TOL, worst);
      });
    });
  }

  it('lists exactly the issue\'s radial units', () => {
    assert.deepEqual([...RADIAL_UNITS], [...UNITS]);
  });
});
