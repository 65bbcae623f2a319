import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DataCollection, DataArray, concat, dsscModuleChunks, dsscModules, dsscRawSource, getDsscModule, loadDsscInfo, runByPath, slice,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('DSSC run view', () => {
  let dir: string;
  let truth: MockRunTruth;
  let run: DataCollection;
  const first = 20_000;
  const missingInModule2 = [first + 2, first + 5];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-'));
    truth = await writeMockRun(dir, {
      trains: 10, firstTrainId: first, frames: 4, modules: [0, 2], pixels: [8, 16], seed: 5, trainsPerSequence: 4,
      missingTrains: { [dsscRawSource(2)]: missingInModule2 },
    });
    run = await runByPath(dir);
  });
  after(() => { run.close(); rmSync(dir, { recursive: true, force: true }); });

  it('lists the modules present and the detector info', async () => {
    assert.deepEqual(dsscModules(run).map((m) => [m.module, m.corrected]), [[0, false], [2, false]]);
    assert.deepEqual(await loadDsscInfo(run), { dims: [8, 16], framesPerTrain: 4, totalFrames: 40, modules: [0, 2] });
  });

  it('gives a module as (trainId, pulse, x, y) with the frames in place (hot pixels from the truth)', async () => {
    const m0 = await getDsscModule(run, 0);
    assert.deepEqual(m0.dims, ['trainId', 'pulse', 'x', 'y']);
    assert.deepEqual(m0.shape, [10, 4, 8, 16]);
    assert.equal(m0.dtype, 'uint16');
    assert.deepEqual(Array.from(m0.coords.trainId.values as BigUint64Array, Number), truth.trainIds);
    const v = m0.values as Uint16Array;
    for (const p of truth.dssc.hotPixels['0']) {
      for (let f = 0; f < 40; f++) assert.equal(v[f * 128 + p], truth.physics.detector.hotPixelValue, `frame ${f} pixel ${p}`);
    }
    // the same bytes as the raw key, whose frames carry the extra length-1 axis
    const raw = await run.getArray(dsscRawSource(0), 'image.data');
    assert.deepEqual(raw.shape, [40, 1, 8, 16]);
    assert.deepEqual(Array.from(raw.values as Uint16Array), Array.from(v));
  });

  it('drops trains a module missed, selects pulses, and streams in chunks that add up to the whole', async () => {
    const m2 = await getDsscModule(run, 2, { pulses: slice(1, 3) });
    assert.deepEqual(Array.from(m2.coords.trainId.values as BigUint64Array, Number), truth.trainIds.filter((t) => !missingInModule2.includes(t)));
    assert.deepEqual(m2.shape, [8, 2, 8, 16]);
    assert.deepEqual(Array.from(m2.coords.pulse.values as Int32Array), [1, 2]);
    const chunks: DataArray[] = [];
    for await (const c of dsscModuleChunks(run, 2, { chunksize: 3, pulses: slice(1, 3) })) chunks.push(c);
    assert.ok(chunks.length >= 3);
    assert.ok(chunks.every((c) => c.shape[0] <= 3));
    const joined = concat(chunks, 'trainId');
    assert.deepEqual(joined.shape, m2.shape);
    assert.deepEqual(Array.from(joined.values as Uint16Array), Array.from(m2.values as Uint16Array));
  });

  it('names the module that is missing and those present', async () => {
    await assert.rejects(getDsscModule(run, 1), /DSSC module 1 is not in this run; modules present: 0, 2/);
  });
});
