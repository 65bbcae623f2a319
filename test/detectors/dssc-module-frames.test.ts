import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, OptionsError, ParameterError, dsscModuleFrames, dsscRawSource, getDsscModule, runByPath } from '../../toolbox/index.js';
import { slice } from '../../toolbox/arrays/slice.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('DSSC module frames in pieces that cross trains (dsscModuleFrames, KeyData.entriesChunks)', () => {
  let dir: string;
  let run: DataCollection;
  const first = 40_000;
  const perTrain = 4;
  const frame = 8 * 16;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-frames-'));
    // three sequence files; module 1 misses one train, so its frames skip it
    await writeMockRun(dir, {
      trains: 11, firstTrainId: first, frames: perTrain, modules: [0, 1], pixels: [8, 16], seed: 11, trainsPerSequence: 4,
      missingTrains: { [dsscRawSource(1)]: [first + 4] },
    });
    run = await runByPath(dir);
  });
  after(() => { run.close(); rmSync(dir, { recursive: true, force: true }); });

  /** Every frame of the module in train order, with its train and its position in the train. */
  async function wholeModule(module: number, r: DataCollection = run) {
    const whole = await getDsscModule(r, module);
    const ids = Array.from(whole.coords.trainId.values as BigUint64Array);
    return {
      values: Array.from(whole.values as Uint16Array),
      trainOf: ids.flatMap((t) => Array<bigint>(perTrain).fill(t)),
      pulseOf: ids.flatMap(() => Array.from({ length: perTrain }, (_, f) => f)),
    };
  }

  for (const module of [0, 1]) {
    it(`module ${module}: pieces of 3 frames concatenate to the whole module, each frame named by train and pulse`, async () => {
      const want = await wholeModule(module);
      const sizes: number[] = [];
      let at = 0;
      for await (const piece of dsscModuleFrames(run, module, { frames: 3 })) {
        const n = piece.shape[0];
        sizes.push(n);
        assert.deepEqual(piece.dims, ['trainId', 'x', 'y']);
        assert.deepEqual(piece.shape, [n, 8, 16]);
        assert.equal(piece.name, `module${module}`);
        assert.deepEqual(Array.from(piece.coords.trainId.values as BigUint64Array), want.trainOf.slice(at, at + n));
        assert.deepEqual(Array.from(piece.coords.pulse.values as Int32Array), want.pulseOf.slice(at, at + n));
        assert.deepEqual(Array.from(piece.values as Uint16Array), want.values.slice(at * frame, (at + n) * frame), `piece at frame ${at}`);
        at += n;
      }
      const total = (module === 0 ? 11 : 10) * perTrain;
      assert.equal(at, total);
      assert.deepEqual(sizes, [...Array<number>(Math.floor(total / 3)).fill(3), total % 3]);
    });
  }

  it('a train selection: only its frames, pieces alternating between the given buffers with prefetch', async () => {
    const picked = run.selectTrains(slice(2, 9));
    const want = await wholeModule(1, picked);
    const memory = new ArrayBuffer(2 * 5 * frame * 2);
    const buffers = [new Uint8Array(memory, 0, 5 * frame * 2), new Uint8Array(memory, 5 * frame * 2, 5 * frame * 2)];
    const where: number[] = [];
    const values: number[] = [];
    for await (const piece of dsscModuleFrames(picked, 1, { frames: 5, prefetch: true, buffers })) {
      const v = piece.values as Uint16Array;
      assert.equal(v.buffer, memory);
      where.push(v.byteOffset);
      values.push(...v);
    }
    // trains 2..8 less the missing one: 6 trains, 24 frames, pieces of 5
    assert.deepEqual(where, [0, 1280, 0, 1280, 0]);
    assert.deepEqual(values, want.values);
  });

  it('KeyData.entriesChunks: pieces of entries of any key, the last shorter, with the trainId of each entry', async () => {
    const key = run.get(dsscRawSource(0), 'image.data');
    const whole = await key.ndarray();
    const chunks = [];
    for await (const c of key.entriesChunks({ entries: 10, roi: [0, [2, 4], null], extraDims: ['x', 'y'] })) chunks.push(c);
    assert.deepEqual(chunks.map((c) => c.shape), [[10, 2, 16], [10, 2, 16], [10, 2, 16], [10, 2, 16], [4, 2, 16]]);
    const ids = chunks.flatMap((c) => Array.from(c.coords.trainId.values as BigUint64Array));
    assert.deepEqual(ids, Array.from({ length: 44 }, (_, e) => BigInt(first + Math.floor(e / perTrain))));
    // rows 2 and 3 of every frame
    const got = chunks.flatMap((c) => Array.from(c.values as Uint16Array));
    const want: number[] = [];
    for (let e = 0; e < 44; e++) want.push(...Array.from((whole as Uint16Array).subarray(e * frame + 2 * 16, e * frame + 4 * 16)));
    assert.deepEqual(got, want);
  });

  it('bad options: a ParameterError naming entries, an OptionsError naming an unknown option', async () => {
    const key = run.get(dsscRawSource(0), 'image.data');
    const drain = async (g: AsyncGenerator<unknown>) => { for await (const _ of g) { /* read */ } };
    for (const entries of [0, 2.5, -1]) {
      await assert.rejects(drain(key.entriesChunks({ entries })),
        (e: unknown) => e instanceof ParameterError && e.parameter === 'entries' && e.message === `entries must be a positive integer, got ${entries}`);
    }
    await assert.rejects(drain(key.entriesChunks({ chunksize: 3 } as never)),
      (e: unknown) => e instanceof OptionsError && /KeyData\.entriesChunks: unknown option 'chunksize'/.test(e.message));
    assert.throws(() => dsscModuleFrames(run, 0, { pulses: [0] } as never),
      (e: unknown) => e instanceof OptionsError && /dsscModuleFrames: unknown option 'pulses'/.test(e.message));
  });
});
