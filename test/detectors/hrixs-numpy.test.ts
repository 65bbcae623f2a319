/**
 * hRIXS centroiding and integration equal a direct numpy implementation of
 * the documented algorithms (test/detectors/hrixs_ref.py, run by Debian's
 * python3 on the same run files): centroidOne and centroidTwo hit lists
 * (positions to 1e-9 pixel, singles and doubles), the centroided spectra
 * exactly and the integrated spectra to 1e-9 relative, with a region
 * (X_RANGE, Y_RANGE), dark subtraction and the curvature correction on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Dataset, hRIXS, slice } from '../../toolbox/index.js';
import type { HrixsRunPhysics } from '../../toolbox/synthetic/run/hrixs-run.js';
import { SYSTEM_PYTHON, requirePython } from '../helpers/python.js';
import { type HrixsProposal, PROPOSAL, hrixsProposal } from './hrixs-fixture.js';

const REF = join(__dirname, '..', '..', '..', 'test', 'detectors', 'hrixs_ref.py');
type Hit = [number, number, number];
interface RefOut { one: Hit[][]; two: Hit[][]; spec_one: number[][]; spec_two: number[][]; integrated: (number | string)[][] }

function sameHits(got: Array<[number, number]>, want: Hit[], what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} hits, numpy ${want.length}`);
  got.forEach(([x, y], k) => {
    assert.ok(Math.abs(x - want[k][0]) < 1e-9 && Math.abs(y - want[k][1]) < 1e-9, `${what} hit ${k}: (${x}, ${y}), numpy (${want[k][0]}, ${want[k][1]})`);
  });
}

describe('hRIXS centroiding and integration equal numpy on the same frames', function () {
  this.timeout(180_000);
  let p: HrixsProposal;
  let truth: HrixsRunPhysics;
  let h: hRIXS;
  let data: Dataset;
  let ref: RefOut;
  const X0 = 6, NX = 240, Y0 = 20, NY = 480, BINS = 240;

  before(async function () {
    await requirePython(this);
    p = hrixsProposal('scs-hrixs-numpy-');
    truth = (await p.write(1, { trains: 8, photonsPerFrame: 80 })).physics;
    await p.write(2, { dark: true, trains: 6 });
    h = new hRIXS(PROPOSAL);
    await h.loadDark(2);
    data = await h.fromRun(1);
    h.setParams({ X_RANGE: slice(X0, X0 + NX), Y_RANGE: slice(Y0, Y0 + NY), CURVE_A: truth.model.curveA, CURVE_B: truth.model.curveB, STD_THRESHOLD: 4, BINS });
    const settings = {
      x0: X0, nx: NX, y0: Y0, ny: NY, threshold: null, std_threshold: 4, dbl_threshold: h.DBL_THRESHOLD, curve_a: h.CURVE_A, curve_b: h.CURVE_B,
      adu_per_ev: h.ADU_PER_EV, energy: truth.incidentEnergy, bins: BINS,
    };
    const file = (run: number) => join(p.runDir(run), `RAW-R${String(run).padStart(4, '0')}-DA01-S00000.h5`);
    const { stdout } = await promisify(execFile)(SYSTEM_PYTHON, [REF, file(1), truth.source, file(2), JSON.stringify(settings)], { maxBuffer: 256 << 20 });
    ref = JSON.parse(stdout) as RefOut;
  });
  after(() => p?.restore());

  it('centroidOne and centroidTwo find the same hits at the same positions', () => {
    let total = 0;
    for (let t = 0; t < 8; t++) {
      const frame = data.get('MaranaX').isel({ trainId: t });
      sameHits(h.centroidOne(frame), ref.one[t], `centroidOne frame ${t}`);
      const two = h.centroidTwo(frame, truth.incidentEnergy);
      sameHits(two.singles, ref.two[t].filter((x) => x[2] === 1), `centroidTwo singles frame ${t}`);
      sameHits(two.doubles, ref.two[t].filter((x) => x[2] === 2), `centroidTwo doubles frame ${t}`);
      total += ref.two[t].length;
    }
    assert.ok(total > 400, `numpy found ${total} hits`);
  });

  it('centroid gives the same spectra (manual and auto, doubles counted twice)', async () => {
    for (const [method, want] of [['manual', ref.spec_one], ['auto', ref.spec_two]] as const) {
      const spec = (await h.centroid(data, { method })).get('spectrum');
      assert.deepEqual(spec.shape, [8, BINS]);
      assert.deepEqual(Array.from(spec.values as Float64Array), want.flat(), method);
    }
  });

  it('integrate gives the same spectra (pixel splitting, normalised per pixel)', () => {
    const spec = h.integrate(data).get('spectrum');
    assert.deepEqual(spec.shape, [8, NY]);
    const got = Array.from(spec.values as Float64Array), want = ref.integrated.flat();
    let nans = 0;
    got.forEach((v, k) => {
      const w = want[k];
      if (w === 'nan') { nans++; assert.ok(Number.isNaN(v), `bin ${k}: ${v}, numpy nan`); return; }
      assert.ok(Math.abs(v - (w as number)) <= 1e-9 * Math.max(1, Math.abs(w as number)), `bin ${k}: ${v}, numpy ${w}`);
    });
    assert.equal(nans, 0);
  });
});
