import assert from 'node:assert/strict';
import { slice } from '../../toolbox/arrays/slice.js';
import { DataCollection, runByPath } from '../../toolbox/run/index.js';
import { BIG, DSSC, DSSC_MISSING, LT3, XGM, XGM_MISSING, dsscValue, range, tempDir, writeStandardRun } from './fixtures.js';

const ALL = range(10000, 10020);
const XGM_TRAINS = ALL.filter((t) => !XGM_MISSING.includes(t));

for (const version of ['0.5', '1.0', '1.1', '1.2'] as const) {
  describe(`run reader, format ${version}`, () => {
    let tmp: Awaited<ReturnType<typeof tempDir>>;
    let run: DataCollection;
    before(async () => {
      tmp = await tempDir();
      await writeStandardRun(tmp.dir, version);
      run = await runByPath(tmp.dir);
    });
    after(async () => {
      run.close();
      await tmp.cleanup();
    });

    it('unions train IDs over files and drops the zero padding', () => {
      assert.deepEqual(run.trainIds, ALL.map(Number));
      assert.deepEqual(Array.from(run.trainIdsExact), ALL);
      assert.equal(run.files.length, 3);
    });

    it('lists sources and keys', () => {
      assert.deepEqual(run.controlSources, [LT3]);
      assert.deepEqual(run.instrumentSources, [XGM, DSSC]);
      assert.deepEqual(run.allSources, [DSSC, LT3, XGM].sort());
      assert.deepEqual(run.keysForSource(LT3), ['AActualPosition.timestamp', 'AActualPosition.value']);
      assert.deepEqual(run.keysForSource(DSSC), ['header.pulseCount', 'header.trainId', 'image.data', 'image.pulseId', 'image.trainId']);
    });

    it('reads a CONTROL key across both sequences, with or without .value', async () => {
      for (const key of ['AActualPosition', 'AActualPosition.value']) {
        const a = await run.getArray(LT3, key);
        assert.deepEqual(a.dims, ['trainId']);
        assert.equal(a.name, `${LT3}.AActualPosition`);
        assert.deepEqual(Array.from(a.values as Float64Array), ALL.map((t) => Number(t) / 2));
        assert.deepEqual(Array.from(a.coords.trainId.values as BigUint64Array), ALL);
        assert.equal(a.coords.trainId.dtype, 'uint64');
      }
    });

    it('gives trains without data no row (never a fill value)', async () => {
      const a = await run.getArray(XGM, 'data.intensityTD');
      assert.deepEqual(a.dims, ['trainId', 'dim_0']);
      assert.deepEqual(a.shape, [XGM_TRAINS.length, 5]);
      assert.deepEqual(Array.from(a.coords.trainId.values as BigUint64Array), XGM_TRAINS);
      const v = a.values as Float32Array;
      XGM_TRAINS.forEach((t, i) => {
        for (let k = 0; k < 5; k++) assert.equal(v[i * 5 + k], Math.fround(Number(t - 10000n) + k / 10));
      });
    });

    it('repeats the trainId label per entry and keeps uint64 values exact', async () => {
      const a = await run.getArray(DSSC, 'image.pulseId');
      const tids = ALL.filter((t) => t !== DSSC_MISSING);
      assert.deepEqual(a.shape, [tids.length * 2, 1]);
      assert.equal(a.dtype, 'uint64');
      const want = tids.flatMap((t) => [BIG + t * 10n, BIG + t * 10n + 1n]);
      assert.deepEqual(Array.from(a.values as BigUint64Array), want);
      assert.deepEqual(Array.from(a.coords.trainId.values as BigUint64Array), tids.flatMap((t) => [t, t]));
    });

    it('names entry dims (extraDims) and reads only the roi hyperslab', async () => {
      const a = await run.getArray(DSSC, 'image.data', { extraDims: ['x', 'y'], roi: [0, slice(1, 3), slice(2, null)] });
      assert.deepEqual(a.dims, ['trainId', 'x', 'y']);
      assert.deepEqual(a.shape, [38, 2, 4]);
      const v = a.values as Uint16Array;
      // First entry: train 10000 frame 0, rows 1..2, cols 2..5 of a 4x6 entry.
      const want: number[] = [];
      for (let r = 1; r < 3; r++) for (let c = 2; c < 6; c++) want.push(dsscValue(10000n, 0, r * 6 + c));
      assert.deepEqual(Array.from(v.subarray(0, 8)), want);
      await assert.rejects(run.getArray(DSSC, 'image.data', { extraDims: ['x'] }), /extraDims/);
    });

    it('counts entries per train, including zeros', () => {
      const c = run.dataCounts(XGM);
      assert.deepEqual(Array.from(c.values as Int32Array), ALL.map((t) => (XGM_MISSING.includes(t) ? 0 : 1)));
      const d = run.dataCounts(DSSC, 'image.data');
      assert.deepEqual(Array.from(d.values as Int32Array), ALL.map((t) => (t === DSSC_MISSING ? 0 : 2)));
      assert.throws(() => run.dataCounts(DSSC), /different counts/);
    });
  });
}
