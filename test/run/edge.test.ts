import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runByPath, runTuning } from '../../toolbox/run/index.js';
import { guessValidTrains } from '../../toolbox/run/file-access.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import { DSSC, LT3, range, tempDir, writeStandardRun } from './fixtures.js';

describe('run reader: limits and unusual keys', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => { tmp = await tempDir(); });
  afterEach(async () => { await tmp.cleanup(); });

  it('gives the same data with one open file at a time and one row per hyperslab', async () => {
    await writeStandardRun(tmp.dir);
    const ref = await runByPath(tmp.dir);
    const want = await ref.getArray(DSSC, 'image.data');
    const wantCtl = await ref.getArray(LT3, 'AActualPosition');
    ref.close();
    const saved = { ...runTuning };
    try {
      runTuning.maxOpenFiles = 1;
      runTuning.slabBytes = 1;
      const run = await runByPath(tmp.dir);
      const [a, c] = await Promise.all([run.getArray(DSSC, 'image.data'), run.getArray(LT3, 'AActualPosition')]);
      assert.deepEqual(Array.from(a.values as Uint16Array), Array.from(want.values as Uint16Array));
      assert.deepEqual(Array.from(c.values as Float64Array), Array.from(wantCtl.values as Float64Array));
      run.close();
    } finally {
      Object.assign(runTuning, saved);
    }
  });

  it('opens a single run file and reopens closed files on demand', async () => {
    await writeStandardRun(tmp.dir);
    const one = await runByPath(join(tmp.dir, 'RAW-R0017-DA01-S00001.h5'));
    assert.deepEqual(one.trainIds, range(10010, 10020).map(Number));
    one.close();
    const a = await one.getArray(LT3, 'AActualPosition');
    assert.equal(a.shape[0], 10);
    one.close();
  });

  it('skips padded source-list entries and handles a source that recorded nothing', async () => {
    for (const v of ['0.5', '1.0'] as const) {
      const dir = join(tmp.dir, v);
      await mkdir(dir);
      await writeRunFile({
        path: join(dir, 'RAW-R0001-DA01-S00000.h5'), formatVersion: v, trainIds: range(10, 13), sourceListPadding: 5, zeroPadding: 2,
        instrument: { 'SCS_CAM/X:output': { indexGroups: { data: { counts: [0, 0, 0], keys: { image: { dtype: 'uint16', entryShape: [3, 4], values: new Uint16Array(0) } } } } } },
      });
      const run = await runByPath(dir);
      assert.deepEqual(run.allSources, ['SCS_CAM/X:output']);
      const a = await run.getArray('SCS_CAM/X:output', 'data.image');
      assert.deepEqual(a.shape, [0, 3, 4]);
      assert.deepEqual(run.keyInfo('SCS_CAM/X:output', 'data.image'), { shape: [0, 3, 4], dtype: 'uint16', trainsWithData: 0 });
      assert.deepEqual(run.trainIds, [10, 11, 12]);
      run.close();
    }
  });

  it('reads string and bool keys, and CONTROL sources missing some trains', async () => {
    const tids = range(500, 504);
    await writeRunFile({
      path: join(tmp.dir, 'RAW-R0001-DA01-S00000.h5'), formatVersion: '1.2', trainIds: tids,
      control: {
        'SCS_X/Y/Z': {
          counts: [1, 0, 1, 1],
          keys: {
            state: { dtype: 'string', entryShape: [], values: ['ON', 'MOVING', 'ON'] },
            'sub.enabled': { dtype: 'bool', entryShape: [], values: Uint8Array.of(1, 0, 1) },
          },
        },
      },
    });
    const run = await runByPath(tmp.dir);
    assert.deepEqual(run.keysForSource('SCS_X/Y/Z'), ['state.timestamp', 'state.value', 'sub.enabled.timestamp', 'sub.enabled.value']);
    const s = await run.getArray('SCS_X/Y/Z', 'state');
    assert.deepEqual(s.values, ['ON', 'MOVING', 'ON']);
    assert.deepEqual(Array.from(s.coords.trainId.values as BigUint64Array), [500n, 502n, 503n]);
    const b = await run.getArray('SCS_X/Y/Z', 'sub.enabled');
    // h5py bools are an HDF5 enum (read as 'bool'); the synthetic writer stores int8 0/1.
    assert.ok(b.dtype === 'bool' || b.dtype === 'int8', b.dtype);
    assert.deepEqual(Array.from(b.values as Uint8Array), [1, 0, 1]);
    assert.deepEqual(Array.from(run.dataCounts('SCS_X/Y/Z').values as Int32Array), [1, 0, 1, 1]);
    run.close();
  });
});

describe('format 0.5 train validity guess', () => {
  it('marks the shorter stretch around a step down as bad', () => {
    const v = guessValidTrains(BigUint64Array.from([10n, 11n, 12n, 13n, 5n, 14n, 15n]));
    // Stretches [10..13] and [5, 14, 15]: the second is shorter.
    assert.deepEqual(Array.from(v), [1, 1, 1, 1, 0, 0, 0]);
    const w = guessValidTrains(BigUint64Array.from([900n, 10n, 11n, 12n]));
    assert.deepEqual(Array.from(w), [0, 1, 1, 1]);
    assert.deepEqual(Array.from(guessValidTrains(BigUint64Array.from([1n, 2n, 3n]))), [1, 1, 1]);
  });
});
