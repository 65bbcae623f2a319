import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, ParameterError, dsscModuleChunks, dsscRawSource, getDsscModule, runByPath } from '../../toolbox/index.js';
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

  it('buffers: chunks are read into the given memory, alternating with prefetch; a chunk too large gets its own', async () => {
    const whole = Array.from((await getDsscModule(run, 0)).values as Uint16Array);
    const frame = 4 * 8 * 16 * 2;
    // one memory holding both buffers, as the DSSC binning's kernel memory does; the second fits 2 trains only
    const memory = new ArrayBuffer(64 + 3 * frame + 2 * frame);
    const buffers = [new Uint8Array(memory, 64, 3 * frame), new Uint8Array(memory, 64 + 3 * frame, 2 * frame)];
    const where: string[] = [];
    let t = 0;
    for await (const c of dsscModuleChunks(run, 0, { chunksize: 3, prefetch: true, buffers })) {
      const v = c.values as Uint16Array;
      where.push(v.buffer !== memory ? 'own' : v.byteOffset === 64 ? 'first' : 'second');
      assert.deepEqual(Array.from(v), whole.slice(t * frame / 2, (t + c.shape[0]) * frame / 2), `chunk at train ${t}`);
      t += c.shape[0];
    }
    // chunks of 3, 3, 3, 2 trains: the second buffer holds only the last
    assert.deepEqual(where, ['first', 'own', 'first', 'second']);
  });

  it('buffers: one without prefetch, two with; anything else is a ParameterError naming the option', async () => {
    const one = new Uint8Array(4 * 8 * 16 * 2 * 3);
    const seen = new Set<ArrayBufferLike>();
    for await (const c of dsscModuleChunks(run, 0, { chunksize: 3, buffers: [one] })) seen.add((c.values as Uint16Array).buffer);
    assert.deepEqual([...seen], [one.buffer]);
    const drain = async (o: object) => { for await (const _ of dsscModuleChunks(run, 0, { chunksize: 3, ...o })) { /* read */ } };
    await assert.rejects(drain({ prefetch: true, buffers: [one] }),
      (e: unknown) => e instanceof ParameterError && e.parameter === 'buffers' && e.message === 'buffers must be 2 Uint8Arrays (one per chunk in flight with prefetch), got [Uint8Array]');
    await assert.rejects(drain({ buffers: [new Uint16Array(8)] }),
      (e: unknown) => e instanceof ParameterError && e.message === 'buffers must be 1 Uint8Array, got [Uint16Array]');
  });
});
