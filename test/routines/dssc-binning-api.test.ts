import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, createDsscBins, getXgm, loadXarray } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { maxRelDiff, referenceBinning } from './dssc-reference.js';

const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];

describe('createDsscBins', () => {
  it('repeats a pulse pattern whose length divides the frames', () => {
    const b = createDsscBins('pulse', [0, 1, 2, 3, 4, 5, 6, 7], PATTERN);
    assert.deepEqual(b.dims, ['pulse']);
    assert.deepEqual(b.values, [...PATTERN, ...PATTERN]);
    assert.deepEqual(Array.from(b.coords.pulse.values as Int32Array), [0, 1, 2, 3, 4, 5, 6, 7]);
  });
  it('keeps train IDs as uint64 and numeric bins as float64', () => {
    const b = createDsscBins('trainId', [10n, 11n, 12n], [0.5, 0.5, 1]);
    assert.equal(b.coords.trainId.dtype, 'uint64');
    assert.equal(b.dtype, 'float64');
    assert.throws(() => createDsscBins('trainId', [10, 11], [1, 2, 3]), /the 'trainId' binner has 3 bins for 2 coordinates/);
  });
});

describe('DSSCBinner: opening runs, proc data, binned XGM and TIM', function () {
  this.timeout(300_000);
  let root: string;
  let truth: MockRunTruth;
  const F = 8;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-dssc-api-'));
    truth = await writeMockRun(join(root, 'SCS', '202601', 'p002719', 'raw', 'r0042'), {
      proposal: 2719, run: 42, trains: 14, frames: F, modules: [3, 7], pixels: [8, 16], seed: 21, scan: 'energy', scanPoints: 2, proc: true,
    });
  });
  after(() => { if (root) rmSync(root, { recursive: true, force: true }); });

  it('opens proposal/run under dataRoot; raw by default', async () => {
    const b = await DSSCBinner.create(2719, 42, { dataRoot: root });
    assert.equal(b.runNumber, 42);
    assert.deepEqual(b.info.modules, [3, 7]);
    assert.equal(b.info.framesPerTrain, F);
    await assert.rejects(DSSCBinner.create(2719, 43, { dataRoot: root }), /run 43 of proposal 2719 has no raw data/);
    await assert.rejects(DSSCBinner.create(2719, 42, { dataRoot: root, data: 'calibrated' as never }), /data must be 'raw' or 'proc', got 'calibrated'/);
    b.run.close();
  });

  it("bins corrected float32 frames with data: 'proc' (XGM still from raw) against the reference", async () => {
    const b = await DSSCBinner.create('p002719', 'r0042', { dataRoot: root, data: 'proc', binners: { pulse: createDsscBins('pulse', [...Array(F).keys()], PATTERN) } });
    try {
      const s = await b.processData({ filepath: join(root, 'out-proc'), nJobs: 2, chunksize: 3, xgmNormalization: true, normevery: 2, progress: false });
      assert.deepEqual(s.modules, [3, 7]);
      const ids = b.run.trainIdsExact;
      const xgm = (await getXgm(b.run)).get('SCS_SA3');
      const rows = new Map<bigint, Float64Array>();
      (xgm.coords.trainId.values as BigUint64Array).forEach((t, i) => rows.set(t, Float64Array.from((xgm.values as Float32Array).subarray(i * xgm.shape[1], (i + 1) * xgm.shape[1]))));
      for (const [i, m] of [3, 7].entries()) {
        const ds = await loadXarray(s.files[i], { group: 'data' });
        const ref = await referenceBinning(b.run, m, {
          scan: new Map(Array.from(ids, (t) => [t, Number(t)])), labels: Array.from({ length: F }, (_, f) => PATTERN[f % 4]), frames: F,
          xgm: rows, normalise: true, normevery: 2, pulseOfFrame: Array.from({ length: F }, (_, f) => (f % 2 ? -1 : f / 2)),
        });
        // no trainId binner: every train is its own bin
        assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), ref.scanValues);
        assert.ok(maxRelDiff(ds.get('data').values as Float64Array, ref.data, ref.scale) <= 1e-12);
        assert.ok(s.files[i].endsWith(`run_42_module${m}.h5`));
      }
      // corrected frames are raw − baseline: the mean intradark frame is near 0, not near the raw baseline
      const ds = await loadXarray(s.files[0], { group: 'data' });
      const dark = ds.get('data').isel({ pulse: 1 }).values as Float64Array;
      const nearZero = dark.filter((v) => Math.abs(v) < 1).length;
      assert.equal(nearZero, dark.length - truth.physics.detector.hotPixelsPerModule * ds.sizes.trainId);
    } finally {
      b.run.close();
    }
  });

  it('getXgmBinned is the mean XGM per (scan bin, pulse bin) over the frames kept; getTimBinned likewise', async () => {
    const b = await DSSCBinner.create(2719, 42, { dataRoot: root });
    try {
      const ids = b.run.trainIdsExact;
      const scan = Array.from(ids, (_, i) => (i < 6 ? 1 : 2));
      b.addBinner('trainId', createDsscBins('trainId', ids, scan));
      b.addBinner('pulse', createDsscBins('pulse', [...Array(F).keys()], PATTERN));
      const got = await b.getXgmBinned();
      assert.deepEqual(got.dims, ['trainId', 'pulse']);
      assert.deepEqual(Array.from(got.coords.trainId.values as Float64Array), [1, 2]);
      const xgm = (await getXgm(b.run)).get('SCS_SA3');
      const v = xgm.values as Float32Array;
      const n = xgm.shape[1];
      // pumped frames 0, 4 ↔ XGM pulses 0, 2; unpumped frames 2, 6 ↔ pulses 1, 3
      const expect = (lo: number, hi: number, pulses: number[]) => {
        let s = 0;
        let c = 0;
        for (let t = lo; t < hi; t++) for (const k of pulses) { s += v[t * n + k]; c++; }
        return s / c;
      };
      const want = [expect(0, 6, [0, 2]), NaN, expect(0, 6, [1, 3]), expect(6, 14, [0, 2]), NaN, expect(6, 14, [1, 3])];
      assert.ok(maxRelDiff(got.values as Float64Array, want) < 1e-12, `${Array.from(got.values as Float64Array)} vs ${want}`);
      const tim = await b.getTimBinned();
      assert.deepEqual(tim.shape, [2, 3]);
      assert.ok(Number.isNaN(tim.values[1] as number) && (tim.values[0] as number) > 0);
      // loaded XGM and TIM are binned into the module files too
      const s = await b.processData({ filepath: join(root, 'out-xgm'), modules: [7], nJobs: 1, progress: false });
      const ds = await loadXarray(s.files[0], { group: 'data' });
      assert.deepEqual(ds.get('xgm').dims, ['trainId', 'pulse']);
      assert.ok(maxRelDiff(ds.get('xgm').values as Float64Array, want) < 1e-12);
      assert.ok(maxRelDiff(ds.get('tim').values as Float64Array, tim.values as Float64Array) < 1e-12);
    } finally {
      b.run.close();
    }
  });
});
