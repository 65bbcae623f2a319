import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DataArray, type DataCollection, concat, dsscCorrSource, dsscModuleChunks, dsscModules, dsscRawSource, getDsscModule, loadDsscInfo, runByPath, slice,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('DSSC run view on corrected (proc) data', () => {
  let dir: string;
  let truth: MockRunTruth;
  let raw: DataCollection;
  let proc: DataCollection;
  const first = 30_000;
  const missingInModule1 = [first + 4];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-proc-'));
    truth = await writeMockRun(join(dir, 'raw', 'r0001'), {
      trains: 9, firstTrainId: first, frames: 5, modules: [1, 4], pixels: [8, 16], seed: 11, trainsPerSequence: 4, dsscTrainsPerSequence: 5,
      missingTrains: { [dsscRawSource(1)]: missingInModule1 }, proc: true,
    });
    raw = await runByPath(join(dir, 'raw', 'r0001'));
    proc = await runByPath(truth.proc!.dir);
  });
  after(() => { raw.close(); proc.close(); rmSync(dir, { recursive: true, force: true }); });

  it('finds the corrected modules and their info', async () => {
    assert.deepEqual(dsscModules(proc), [
      { module: 1, source: dsscCorrSource(1), corrected: true }, { module: 4, source: dsscCorrSource(4), corrected: true },
    ]);
    assert.deepEqual(await loadDsscInfo(proc), { dims: [8, 16], framesPerTrain: 5, totalFrames: 40, modules: [1, 4] });
  });

  const corrected = (r: DataArray) => Array.from(r.values as Uint16Array, (x) => Math.fround(x - truth.proc!.correction.baseline));

  for (const m of [1, 4]) {
    it(`module ${m}: float32 (trainId, pulse, x, y) = raw − baseline`, async () => {
      const c = await getDsscModule(proc, m);
      const r = await getDsscModule(raw, m);
      assert.equal(c.dtype, 'float32');
      assert.deepEqual(c.dims, ['trainId', 'pulse', 'x', 'y']);
      assert.deepEqual(c.shape, r.shape);
      assert.deepEqual(Array.from(c.coords.trainId.values as BigUint64Array), Array.from(r.coords.trainId.values as BigUint64Array));
      assert.deepEqual(Array.from(c.values as Float32Array), corrected(r));
      const hot = truth.dssc.hotPixels[String(m)];
      const v = c.values as Float32Array;
      for (const p of hot) assert.equal(v[p], truth.physics.detector.hotPixelValue - truth.physics.detector.baseline);
    });
  }

  it('drops the trains the raw module missed and streams chunks equal to the whole', async () => {
    const c = await getDsscModule(proc, 1, { pulses: slice(0, 2) });
    assert.deepEqual(Array.from(c.coords.trainId.values as BigUint64Array, Number), truth.trainIds.filter((t) => !missingInModule1.includes(t)));
    assert.deepEqual(c.shape, [8, 2, 8, 16]);
    const chunks: DataArray[] = [];
    for await (const ch of dsscModuleChunks(proc, 1, { chunksize: 2, pulses: slice(0, 2) })) chunks.push(ch);
    assert.ok(chunks.length >= 4);
    const joined = concat(chunks, 'trainId');
    assert.deepEqual(joined.shape, c.shape);
    assert.deepEqual(Array.from(joined.values as Float32Array), Array.from(c.values as Float32Array));
    const r = await getDsscModule(raw, 1, { pulses: slice(0, 2) });
    assert.deepEqual(Array.from(c.values as Float32Array), corrected(r));
  });
});
