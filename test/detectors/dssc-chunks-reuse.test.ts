import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, dsscModuleChunks, dsscRawSource, getDsscModule, runByPath } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('DSSC module chunks read into one reused buffer (reuseBuffer)', () => {
  let dir: string;
  let run: DataCollection;
  const first = 30_000;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-reuse-'));
    await writeMockRun(dir, {
      trains: 11, firstTrainId: first, frames: 4, modules: [0, 1], pixels: [8, 16], seed: 7, trainsPerSequence: 4,
      missingTrains: { [dsscRawSource(1)]: [first + 4] },
    });
    run = await runByPath(dir);
  });
  after(() => { run.close(); rmSync(dir, { recursive: true, force: true }); });

  for (const module of [0, 1]) {
    it(`module ${module}: every chunk holds the same frames as the whole module, all in one buffer`, async () => {
      const whole = await getDsscModule(run, module);
      const values = Array.from(whole.values as Uint16Array);
      const ids = Array.from(whole.coords.trainId.values as BigUint64Array);
      const frame = 4 * 8 * 16;
      const buffers = new Set<ArrayBufferLike>();
      let t = 0;
      const sizes: number[] = [];
      for await (const c of dsscModuleChunks(run, module, { chunksize: 3, reuseBuffer: true })) {
        const v = c.values as Uint16Array;
        buffers.add(v.buffer);
        sizes.push(c.shape[0]);
        assert.equal(v.length, c.shape[0] * frame);
        assert.deepEqual(Array.from(c.coords.trainId.values as BigUint64Array), ids.slice(t, t + c.shape[0]));
        assert.deepEqual(Array.from(v), values.slice(t * frame, (t + c.shape[0]) * frame), `chunk at train ${t}`);
        t += c.shape[0];
      }
      assert.equal(t, ids.length);
      assert.deepEqual(sizes, module === 0 ? [3, 3, 3, 2] : [3, 2, 3, 2]);
      assert.equal(buffers.size, 1);
    });
  }

  it('without the option every chunk has its own buffer (chunks may be kept)', async () => {
    const buffers = new Set<ArrayBufferLike>();
    for await (const c of dsscModuleChunks(run, 0, { chunksize: 3 })) buffers.add((c.values as Uint16Array).buffer);
    assert.equal(buffers.size, 4);
  });
});
