import assert from 'node:assert/strict';
import { runByPath } from '../../toolbox/run/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { runInfoJson } from '../../scripts/cli/run-info.js';
import { tempDir } from './fixtures.js';

const MOD0 = 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf';
const MOD1 = 'SCS_DET_DSSC1M-1/DET/1CH0:xtdf';

describe('run reader on a synthetic SCS run (writeMockRun)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let truth: MockRunTruth;
  before(async () => {
    tmp = await tempDir();
    truth = await writeMockRun(tmp.dir, {
      trains: 30, modules: 2, frames: 4, trainsPerSequence: 12, formatVersion: '1.1',
      missingTrains: { [MOD1]: [10003, 10020] },
    });
  });
  after(async () => { await tmp.cleanup(); });

  it('finds every train, source, key, dtype and entry shape the generator wrote', async () => {
    const run = await runByPath(tmp.dir);
    const j = runInfoJson(run);
    assert.deepEqual(j.trainIds, truth.trainIds);
    assert.deepEqual(Object.keys(j.sources).sort(), Object.keys(truth.sources).sort());
    for (const [src, s] of Object.entries(truth.sources)) {
      for (const [k, want] of Object.entries(s.keys)) {
        const got = j.sources[src].keys[s.section === 'CONTROL' ? `${k}.value` : k];
        assert.ok(got, `${src} ${k}`);
        assert.equal(got.dtype, want.dtype, `${src} ${k}`);
        assert.deepEqual(got.shape.slice(1), want.entryShape, `${src} ${k}`);
      }
    }
    run.close();
  });

  it('joins module sequences in train order and leaves out the missing trains', async () => {
    const run = await runByPath(tmp.dir);
    const missing = truth.missingTrains[MOD1].map(BigInt);
    assert.deepEqual(missing, [10003n, 10020n]);
    const a0 = await run.getArray(MOD0, 'image.data');
    const a1 = await run.getArray(MOD1, 'image.data');
    assert.equal(a0.shape[0], 30 * 4);
    assert.equal(a1.shape[0], 28 * 4);
    const t1 = a1.coords.trainId.values as BigUint64Array;
    for (const m of missing) assert.ok(!t1.includes(m));
    for (let i = 1; i < t1.length; i++) assert.ok(t1[i] >= t1[i - 1]);
    const counts = run.dataCounts(MOD1, 'image.data').values as Int32Array;
    assert.deepEqual(Array.from(counts), truth.trainIds.map((t) => (t === 10003 || t === 10020 ? 0 : 4)));
    run.close();
  });
});
