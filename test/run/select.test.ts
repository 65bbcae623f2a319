import assert from 'node:assert/strict';
import { slice } from '../../toolbox/arrays/slice.js';
import { DataCollection, byId, byIndex, runByPath } from '../../toolbox/run/index.js';
import type { LoadableRun, RateRun, RunValuesRun } from '../../toolbox/load/index.js';
import { DSSC, LT3, XGM, range, tempDir, writeStandardRun } from './fixtures.js';

describe('run selections, chunks and run values', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let run: DataCollection;
  before(async () => {
    tmp = await tempDir();
    await writeStandardRun(tmp.dir, '1.0');
    run = await runByPath(tmp.dir);
  });
  after(async () => {
    run.close();
    await tmp.cleanup();
  });

  it('fits the run interfaces load() and the run checks expect', () => {
    const asLoadable: LoadableRun = run;
    const asRate: RateRun = run;
    const asValues: RunValuesRun = run;
    assert.ok(asLoadable && asRate && asValues);
  });

  it('selects trains by index, id, slice and list', async () => {
    assert.deepEqual(run.selectTrains(3).trainIds, [10003]);
    assert.deepEqual(run.selectTrains([0, -1]).trainIds, [10000, 10019]);
    assert.deepEqual(run.selectTrains(slice(2, 5)).trainIds, [10002, 10003, 10004]);
    assert.deepEqual(run.selectTrains(byIndex(slice(-2, null))).trainIds, [10018, 10019]);
    assert.deepEqual(run.selectTrains(byId([10005, 10007n])).trainIds, [10005, 10007]);
    assert.deepEqual(run.selectTrains(byId(slice(10008, 10011))).trainIds, [10008, 10009, 10010]);
    assert.throws(() => run.selectTrains(byId(5)), /not in this run/);
    assert.throws(() => run.selectTrains(99), /out of range/);
    const sub = run.selectTrains(byId(slice(10008, 10012)));
    const a = await sub.getArray(LT3, 'AActualPosition');
    assert.deepEqual(Array.from(a.values as Float64Array), [5004, 5004.5, 5005, 5005.5]);
  });

  it('selects sources and keys by glob', () => {
    const s = run.select('*XGM*');
    assert.deepEqual(s.allSources, [XGM]);
    const k = run.select('SCS_DET_*', 'image.d*');
    assert.deepEqual(k.keysForSource(DSSC), ['image.data']);
    const c = run.select([[LT3, 'AActual*'], [XGM, '*']]);
    assert.deepEqual(c.allSources, [XGM, LT3]);
    assert.deepEqual(c.keysForSource(LT3), ['AActualPosition.timestamp', 'AActualPosition.value']);
    assert.throws(() => run.select('NOPE*'), /no source matches 'NOPE\*'/);
    assert.throws(() => run.select('*XGM*', 'nothing*'), /no key matches 'nothing\*' in '\*XGM\*'/);
  });

  it('streams a key in train chunks that concatenate to the whole', async () => {
    const whole = await run.getArray(DSSC, 'image.data');
    const parts = [];
    for await (const part of run.trainsChunks(DSSC, 'image.data', { chunksize: 6 })) parts.push(part);
    assert.equal(parts.length, 4);
    const values = parts.flatMap((p) => Array.from(p.values as Uint16Array));
    assert.deepEqual(values, Array.from(whole.values as Uint16Array));
    const tids = parts.flatMap((p) => Array.from(p.coords.trainId.values as BigUint64Array));
    assert.deepEqual(tids, Array.from(whole.coords.trainId.values as BigUint64Array));
  });

  it('splits the run into parts of whole trains', () => {
    const parts = [...run.splitTrains(8)];
    assert.deepEqual(parts.map((p) => p.trainIds.length), [8, 8, 4]);
    assert.deepEqual(parts.flatMap((p) => p.trainIds), run.trainIds);
    assert.throws(() => [...run.splitTrains(0)], /positive integer/);
  });

  it('reads train timestamps, run metadata and RUN values (from the first file)', () => {
    const ts = run.trainTimestamps();
    assert.equal(ts.dtype, 'int64');
    const v = ts.values as BigInt64Array;
    assert.equal(v[1] - v[0], 100_000_000n);
    const md = run.runMetadata();
    assert.equal(md.dataFormatVersion, '1.0');
    assert.equal(md.proposalNumber, 2719);
    assert.equal(md.runNumber, 17);
    assert.equal(md.sample, 'FeCo');
    assert.equal(run.getRunValue(LT3, 'classId'), 'Motor');
    assert.equal(run.getRunValue(LT3, 'speed.value'), 2.5);
    const all = run.getRunValues(LT3);
    assert.deepEqual(Object.keys(all).sort(), ['classId.timestamp', 'classId.value', 'speed.timestamp', 'speed.value']);
    assert.throws(() => run.getRunValue(LT3, 'sped'), /Did you mean 'speed'/);
  });

  it('summarises the run', () => {
    const text = run.info();
    assert.match(text, /# of trains: +20/);
    assert.match(text, /First train ID: 10000/);
    assert.match(text, new RegExp(`data: 2 keys, data in 17/20 trains`));
  });

  it('reports format 0.5 metadata and keeps train ranges per collection', async () => {
    const t = await tempDir();
    try {
      await writeStandardRun(t.dir, '0.5');
      const old = await runByPath(t.dir);
      assert.deepEqual(old.runMetadata(), { dataFormatVersion: '0.5' });
      assert.deepEqual(Array.from((old.trainTimestamps().values as BigInt64Array).slice(0, 1)), [-(2n ** 63n)]);
      assert.deepEqual(old.trainIds, range(10000, 10020).map(Number));
      old.close();
    } finally {
      await t.cleanup();
    }
  });
});
