/**
 * trainsChunks' prefetch: the next chunk is read while the consumer holds
 * this one, into the other of two alternating buffers. The chunks must be
 * exactly those read without it (chunk sizes, a partial last chunk, trains
 * over several sequence files, selections with gaps, trains without data),
 * each valid until the next is asked for; read errors still name the file,
 * source and key. The direct read (io/direct-read.ts) is replaced here by a
 * slow fake reading through h5wasm, so the overlap path is exercised whether
 * or not the real one applies to these files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as direct from '../../toolbox/io/direct-read.js';
import { h5wasm } from '../../toolbox/io/h5file.js';
import { ToolBoxFileError } from '../../toolbox/errors.js';
import { type DataCollection, byId, dsscModuleChunks, dsscRawSource, runByPath } from '../../toolbox/index.js';
import type { DataArray } from '../../toolbox/arrays/dataarray.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

type DirectAsync = typeof direct.readHyperslabDirectAsync;
const FIRST = 40_000;
const SRC = dsscRawSource(0);

interface Chunk { ids: bigint[]; values: number[]; shape: readonly number[]; buffer: ArrayBufferLike }

async function collect(chunks: AsyncIterable<DataArray>, pause = 0): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of chunks) {
    const v = c.values as Uint16Array;
    const values = Array.from(v);
    // the consumer works on the chunk meanwhile: it must stay as handed out until the next is asked for
    if (pause) await new Promise((r) => setTimeout(r, pause));
    assert.deepEqual(Array.from(v), values, 'a chunk changed before the next one was asked for');
    out.push({ ids: Array.from(c.coords.trainId.values as BigUint64Array), values, shape: c.shape, buffer: v.buffer });
  }
  return out;
}

const strip = (cs: Chunk[]) => cs.map(({ ids, values, shape }) => ({ ids, values, shape }));

/** A direct read that takes `delayMs` and reads through h5wasm, as a stand-in for the thread-pool read. */
function slowDirect(delayMs: number, log: { buffer: ArrayBufferLike; file: string }[], fail?: (call: number) => boolean): DirectAsync {
  let calls = 0;
  return async (target, offset, count, out, outByteOffset) => {
    const call = calls++;
    log.push({ buffer: out.buffer, file: target.file });
    await new Promise((r) => setTimeout(r, delayMs));
    if (fail?.(call)) throw new Error('simulated pread failure');
    const h5 = await h5wasm();
    const ds = new h5.Dataset(target.fileId, target.dataset);
    const part = ds.slice(offset.map((o, d) => [o, o + count[d]])) as Uint16Array;
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), outByteOffset);
    return true;
  };
}

describe('trainsChunks prefetch (read the next chunk while this one is used)', () => {
  let dir: string;
  let run: DataCollection;
  const original = direct.readHyperslabDirectAsync;
  const setDirect = (f: DirectAsync) => { (direct as { readHyperslabDirectAsync: DirectAsync }).readHyperslabDirectAsync = f; };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-prefetch-'));
    await writeMockRun(dir, {
      trains: 13, firstTrainId: FIRST, frames: 4, modules: [0], pixels: [8, 16], seed: 3, trainsPerSequence: 4,
      missingTrains: { [SRC]: [FIRST + 5, FIRST + 6] },
    });
    run = await runByPath(dir);
  });
  after(() => { setDirect(original); run.close(); rmSync(dir, { recursive: true, force: true }); });
  afterEach(() => setDirect(original));

  const gaps = () => run.selectTrains(byId([0, 1, 3, 4, 5, 8, 9, 10, 12].map((i) => FIRST + i)));
  const read = (r: DataCollection, chunksize: number, extra: object) => r.trainsChunks(SRC, 'image.data', { chunksize, progress: false, ...extra });

  for (const viaDirect of [false, true]) {
    for (const chunksize of [1, 2, 3, 4, 5, 100]) {
      it(`chunks of ${chunksize}: the same chunks as without prefetch (${viaDirect ? 'slow direct read' : 'HDF5 fallback'}), all trains and with gaps`, async () => {
        if (viaDirect) setDirect(slowDirect(2, []));
        for (const r of [run, gaps()]) {
          const plain = await collect(read(r, chunksize, {}));
          const ahead = await collect(read(r, chunksize, { prefetch: true }), 3);
          assert.deepEqual(strip(ahead), strip(plain));
          // two buffers alternate (one is replaced only when a chunk with more rows does not fit it)
          ahead.forEach((c, k) => { if (k >= 1) assert.notEqual(c.buffer, ahead[k - 1].buffer, `chunk ${k}`); });
          if (chunksize === 4) assert.equal(new Set(ahead.map((c) => c.buffer)).size, 2);
        }
      });
    }
  }

  it('DSSC module chunks: the same frames with prefetch, partial last chunk', async () => {
    const plain = await collect(dsscModuleChunks(run, 0, { chunksize: 4 }));
    const ahead = await collect(dsscModuleChunks(run, 0, { chunksize: 4, prefetch: true }));
    assert.deepEqual(strip(ahead), strip(plain));
    assert.deepEqual(ahead.map((c) => c.shape[0]), [4, 2, 4, 1]); // trains 5 and 6 have no frames
  });

  it('the next chunk is being read when a chunk is handed out', async () => {
    const log: { buffer: ArrayBufferLike; file: string }[] = [];
    setDirect(slowDirect(5, log));
    let k = 0;
    let chunks = 0;
    for await (const c of read(run, 3, { prefetch: true })) {
      chunks++;
      const last = log[log.length - 1];
      // every chunk but the last: the latest read issued goes into the other buffer
      if (k + 3 < 13) assert.notEqual(last.buffer, (c.values as Uint16Array).buffer, `chunk at train ${k}`);
      k += 3;
    }
    assert.equal(chunks, 5);
  });

  it('leaving the loop early waits for the read in flight', async () => {
    let inFlight = 0;
    const inner = slowDirect(30, []);
    setDirect(async (...args) => { inFlight++; try { return await inner(...args); } finally { inFlight--; } });
    for await (const _ of read(run, 2, { prefetch: true })) break;
    assert.equal(inFlight, 0);
  });

  it('a failing read names the file, source and key; the loop ends with it', async () => {
    const log: { buffer: ArrayBufferLike; file: string }[] = [];
    setDirect(slowDirect(1, log, (call) => call === 2));
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const c of read(run, 3, { prefetch: true })) seen.push(c.shape[0]);
    }, (e: Error) => e instanceof ToolBoxFileError && e.message.includes(`reading ${SRC} image.data from ${log[2].file} failed`)
      && e.message.includes('simulated pread failure') && e.file === log[2].file);
    assert.ok(seen.length >= 1 && seen.length < 5, `${seen.length} chunks before the error`);
  });

  it('an unknown option is still refused, prefetch is known', () => {
    assert.throws(() => dsscModuleChunks(run, 0, { prefetch: true, bogus: 1 } as never), /bogus/);
  });
});
