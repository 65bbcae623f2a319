/**
 * KeyData and SourceData (run.get(source, key), run.source(name)) on the
 * standard synthetic run of fixtures.ts, mirroring what EXtra-data's own
 * KeyData tests check: entry shape, ndim, dtype, full shape without reading,
 * train selection (empty and single-train too), even splitting, data counts
 * labelled and not, dropping empty trains, train ID coordinates, ROI reads,
 * single values with tolerances, units; and the same numbers from h5py.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { slice } from '../../toolbox/arrays/slice.js';
import { NoDataError, PropertyNameError, SourceNameError, ToolBoxTypeError, ToolBoxValueError } from '../../toolbox/errors.js';
import { byId, type DataCollection, KeyData, runByPath, SourceData } from '../../toolbox/run/index.js';
import { singleValue } from '../../toolbox/run/single-value.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { requirePython, runPython } from '../helpers/python.js';
import { DSSC, DSSC_MISSING, LT3, XGM, XGM_MISSING, dsscValue, range, tempDir, writeStandardRun } from './fixtures.js';

const ALL = range(10000, 10020);

describe('KeyData: one key of one source (run.get(source, key))', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let run: DataCollection;
  before(async () => {
    tmp = await tempDir('scs-keydata-');
    await writeStandardRun(tmp.dir, '1.0');
    run = await runByPath(tmp.dir);
  });
  after(async () => {
    run.close();
    await tmp.cleanup();
  });

  it('describes an INSTRUMENT key: section, entry shape, ndim, dtype, full shape, files', () => {
    const img = run.get(DSSC, 'image.data');
    assert.ok(img instanceof KeyData);
    assert.equal(img.source, DSSC);
    assert.equal(img.key, 'image.data');
    assert.equal(img.section, 'INSTRUMENT');
    assert.ok(img.isInstrument && !img.isControl);
    assert.equal(img.indexGroup, 'image');
    assert.equal(img.hdf5Path, `/INSTRUMENT/${DSSC}/image/data`);
    assert.deepEqual(img.entryShape, [1, 4, 6]);
    assert.equal(img.ndim, 4);
    assert.equal(img.dtype, 'uint16');
    assert.deepEqual(img.shape, [38, 1, 4, 6]); // 19 trains with 2 frames, none at 10005
    assert.equal(img.nbytes, 38 * 24 * 2);
    assert.deepEqual(img.files.map((f) => f.split('/').pop()), ['RAW-R0017-DSSC00-S00000.h5']);
    assert.deepEqual(img.trainIds, ALL.map(Number));
    assert.equal(String(img), `KeyData(${DSSC} image.data, 20 trains)`);
    assert.ok(!(Symbol.iterator in img)); // like EXtra-data's, not iterable by accident: iterate trainsChunks()
  });

  it('describes a CONTROL key asked for without .value, over both sequence files', () => {
    const pos = run.get(LT3, 'AActualPosition');
    assert.equal(pos.key, 'AActualPosition.value');
    assert.ok(pos.isControl);
    assert.equal(pos.indexGroup, '');
    assert.deepEqual(pos.entryShape, []);
    assert.equal(pos.ndim, 1);
    assert.equal(pos.dtype, 'float64');
    assert.deepEqual(pos.shape, [20]);
    assert.equal(pos.files.length, 2);
  });

  it('reads the same data as DataCollection.getArray, and the values alone with ndarray()', async () => {
    const kd = run.get(DSSC, 'image.data');
    const a = await kd.xarray();
    const b = await run.getArray(DSSC, 'image.data');
    assert.deepEqual(a.dims, ['trainId', 'dim_0', 'dim_1', 'dim_2']);
    assert.deepEqual(a.shape, kd.shape);
    assert.equal(a.name, `${DSSC}.image.data`);
    assert.deepEqual(Array.from(a.values as Uint16Array), Array.from(b.values as Uint16Array));
    assert.deepEqual(Array.from(a.coords.trainId.values as BigUint64Array), Array.from(kd.trainIdCoordinates()));
    const roi = await kd.ndarray({ roi: [0, slice(1, 3), 2] });
    const tids = ALL.filter((t) => t !== DSSC_MISSING);
    assert.deepEqual(Array.from(roi as Uint16Array), tids.flatMap((t) => [0, 1].flatMap((f) => [dsscValue(t, f, 8), dsscValue(t, f, 14)])));
    const named = await run.get(LT3, 'AActualPosition').getArray({ name: 'delay' });
    assert.equal(named.name, 'delay');
    assert.deepEqual(Array.from(named.values as Float64Array), ALL.map((t) => Number(t) / 2));
  });

  it('counts entries per train: labelled by trainId by default, or plain counts', () => {
    const xgm = run.get(XGM, 'data.intensityTD');
    const labelled = xgm.dataCounts();
    assert.deepEqual(labelled.dims, ['trainId']);
    assert.deepEqual(Array.from(labelled.coords.trainId.values as BigUint64Array), ALL);
    assert.deepEqual(Array.from(labelled.values as Int32Array), ALL.map((t) => (XGM_MISSING.includes(t) ? 0 : 1)));
    const plain = xgm.dataCounts({ labelled: false });
    assert.ok(plain instanceof Int32Array);
    assert.equal(plain.reduce((s, c) => s + c, 0), xgm.shape[0]);
    assert.equal(xgm.trainsWithData, 17);
    const img = run.get(DSSC, 'image.data');
    assert.equal((img.dataCounts().values as Int32Array).reduce((s, c) => s + c, 0), img.shape[0]);
  });

  it('selects trains (by position, byId; empty and single-train selections too)', async () => {
    const pos = run.get(LT3, 'AActualPosition');
    const first5 = pos.selectTrains(slice(0, 5));
    assert.deepEqual(first5.shape, [5]);
    assert.deepEqual(Array.from((await first5.xarray()).values as Float64Array), [5000, 5000.5, 5001, 5001.5, 5002]);
    const empty = pos.selectTrains(slice(30, null));
    assert.deepEqual(empty.shape, [0]);
    assert.deepEqual((await empty.xarray()).shape, [0]);
    assert.deepEqual(pos.selectTrains(12).shape, [1]);
    assert.deepEqual(pos.selectTrains(byId([10003, 10017])).trainIds, [10003, 10017]);
  });

  it('splits trains evenly like EXtra-data (parts, trainsPerPart), or in consecutive pieces', async () => {
    const pos = run.get(LT3, 'AActualPosition');
    assert.deepEqual([...pos.splitTrains({ parts: 3 })].map((p) => p.shape[0]), [6, 7, 7]);
    assert.deepEqual([...pos.splitTrains({ parts: 3, trainsPerPart: 4 })].map((p) => p.shape[0]), [4, 4, 4, 4, 4]);
    assert.deepEqual([...pos.splitTrains({ trainsPerPart: 8 })].map((p) => p.shape[0]), [6, 7, 7]);
    assert.deepEqual([...pos.splitTrains(8)].map((p) => p.shape[0]), [8, 8, 4]);
    const part = [...pos.splitTrains({ parts: 3 })][1];
    assert.deepEqual((await part.xarray()).shape, part.shape);
    assert.throws(() => [...pos.splitTrains({})], /splitTrains needs parts or trainsPerPart/);
    assert.throws(() => [...pos.splitTrains(0)], /trainsPerPart must be a positive integer, got 0/);
  });

  it('drops trains without data', async () => {
    const xgm = run.get(XGM, 'data.intensityTD');
    const kept = xgm.dropEmptyTrains();
    assert.equal(kept.trainIds.length, 17);
    assert.ok(!kept.trainIdsExact.some((t) => XGM_MISSING.includes(t)));
    assert.equal(Math.min(...kept.dataCounts({ labelled: false })), 1);
    assert.deepEqual(Array.from((await kept.xarray()).values as Float32Array), Array.from((await xgm.xarray()).values as Float32Array));
  });

  it('streams chunks of trains with the same values as one read', async () => {
    const img = run.get(DSSC, 'image.data');
    const whole = Array.from((await img.xarray()).values as Uint16Array);
    const parts: number[] = [];
    const sizes: number[] = [];
    for await (const c of img.trainsChunks({ chunksize: 7, progress: false })) {
      parts.push(...(c.values as Uint16Array));
      sizes.push(new Set(Array.from(c.coords.trainId.values as BigUint64Array)).size);
    }
    assert.deepEqual(parts, whole);
    assert.deepEqual(sizes, [6, 7, 6]); // 10005 (in the first chunk) has no frames
  });

  it('reduces a constant key to its single value, within tolerances', async () => {
    const counts = run.get(DSSC, 'header.pulseCount');
    assert.equal(await counts.asSingleValue(), 2);
    const pos = run.get(LT3, 'AActualPosition'); // trainId / 2: 5000 .. 5009.5
    await assert.rejects(pos.asSingleValue(), (e: Error) => e instanceof ToolBoxValueError
      && e.message === `${LT3} AActualPosition.value: data values are not within tolerance (absolute: 4.75, relative: 0.000949)`);
    assert.equal(await pos.asSingleValue({ atol: 5 }), 5004.75);
    assert.equal(await pos.asSingleValue({ rtol: 1e-3, reduceBy: 'mean' }), 5004.75);
    assert.equal(await pos.asSingleValue({ atol: 10, reduceBy: 'first' }), 5000);
    assert.equal(await pos.selectTrains(3).asSingleValue(), 5001.5);
    await assert.rejects(pos.selectTrains(slice(0, 0)).asSingleValue(), (e: Error) => e instanceof NoDataError
      && e.source === LT3 && e.key === 'AActualPosition.value' && e.message === `${LT3} AActualPosition.value has no data in the selected trains`);
    const xgm = await run.get(XGM, 'data.intensityTD').selectTrains(0).asSingleValue();
    assert.deepEqual(Array.from(xgm as Float64Array), [0, 0.1, 0.2, 0.3, 0.4].map((v) => Math.fround(v)));
  });

  it('reduces strings only when they are all equal, without reduceBy', () => {
    const what = { source: 'S', key: 'state.value' };
    assert.equal(singleValue(['ON', 'ON'], [2], what), 'ON');
    assert.throws(() => singleValue(['ON', 'OFF'], [2], what), /^ToolBoxValueError: S state.value: string values are not unique: 'ON', 'OFF'$/);
    assert.throws(() => singleValue(['ON'], [1], what, { reduceBy: 'mean' }), (e: Error) => e instanceof ToolBoxTypeError);
  });

  it('fails on unknown names with SourceNameError / PropertyNameError carrying the names', () => {
    assert.throws(() => run.get('SCS_NOPE/X/Y', 'a'), (e: Error) => e instanceof SourceNameError && e instanceof ToolBoxValueError
      && e.source === 'SCS_NOPE/X/Y' && e.available.includes(DSSC) && /^source 'SCS_NOPE\/X\/Y' not found in /.test(e.message));
    assert.throws(() => run.get(LT3, 'APosition'), (e: Error) => e instanceof PropertyNameError
      && e.source === LT3 && e.key === 'APosition' && e.available.join() === 'AActualPosition' && /Did you mean 'AActualPosition'/.test(e.message));
  });

  it('agrees with h5py on shape, dtype and per-train counts', async function () {
    await requirePython(this);
    const file = join(tmp.dir, 'RAW-R0017-DSSC00-S00000.h5');
    const out = await runPython<{ shape: number[]; dtype: string; counts: number[] }>(String.raw`
import h5py
with h5py.File(sys.argv[1], 'r') as f:
    d = f['INSTRUMENT/${DSSC}/image/data']
    n = int((f['INDEX/trainId'][()] != 0).sum())
    counts = [int(c) for c in f['INDEX/${DSSC}/image/count'][:n]]
    emit({'shape': [sum(counts)] + list(d.shape[1:]), 'dtype': str(d.dtype), 'counts': counts})
`, [file]);
    const img = run.get(DSSC, 'image.data');
    assert.deepEqual(img.shape, out.shape);
    assert.equal(img.dtype, out.dtype);
    assert.deepEqual(Array.from(img.dataCounts({ labelled: false })), out.counts);
  });
});

describe('SourceData: one source (run.source(name), run.get(name))', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let run: DataCollection;
  before(async () => {
    tmp = await tempDir('scs-sourcedata-');
    await writeStandardRun(tmp.dir, '1.0');
    run = await runByPath(tmp.dir);
  });
  after(async () => {
    run.close();
    await tmp.cleanup();
  });

  it('lists keys (CONTROL with or without timestamps), checks and gets them', async () => {
    const lt3 = run.source(LT3);
    assert.ok(lt3 instanceof SourceData && run.get(LT3) instanceof SourceData);
    assert.ok(lt3.isControl);
    assert.deepEqual(lt3.keys(), ['AActualPosition.timestamp', 'AActualPosition.value']);
    assert.deepEqual(lt3.keys({ incTimestamps: false }), ['AActualPosition']);
    assert.ok(lt3.has('AActualPosition') && lt3.has('AActualPosition.value') && !lt3.has('speed'));
    assert.deepEqual(lt3.get('AActualPosition').shape, [20]);
    assert.equal(lt3.runValue('classId'), 'Motor');
    assert.equal(lt3.runValues()['speed.value'], 2.5);
    assert.throws(() => lt3.get('nope'), PropertyNameError);
    assert.throws(() => run.source('NOPE'), SourceNameError);
  });

  it('counts per index group: the largest by default, or of one group', () => {
    const dssc = run.source(DSSC);
    assert.deepEqual(dssc.indexGroups, ['header', 'image']);
    const most = dssc.dataCounts();
    assert.deepEqual(Array.from(most.values as Int32Array), ALL.map((t) => (t === DSSC_MISSING ? 1 : 2)));
    assert.deepEqual(Array.from(dssc.dataCounts({ labelled: false, indexGroup: 'image' })), ALL.map((t) => (t === DSSC_MISSING ? 0 : 2)));
    assert.throws(() => run.dataCounts(DSSC), /different counts/); // DataCollection keeps asking for a key
  });

  it('selects keys and trains, drops empty trains and splits, as new SourceData', () => {
    const dssc = run.source(DSSC).selectKeys('image.*');
    assert.deepEqual(dssc.keys(), ['image.data', 'image.pulseId', 'image.trainId']);
    assert.deepEqual(dssc.selectTrains(slice(0, 4)).trainIds, [10000, 10001, 10002, 10003]);
    const xgm = run.source(XGM).dropEmptyTrains();
    assert.equal(xgm.trainIds.length, 17);
    assert.deepEqual([...run.source(LT3).splitTrains({ parts: 2 })].map((p) => p.trainIds.length), [10, 10]);
  });
});

describe('KeyData units on the synthetic SCS run (writeMockRun)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let run: DataCollection;
  before(async () => {
    tmp = await tempDir('scs-keydata-units-');
    await writeMockRun(tmp.dir, { trains: 6, modules: 1, frames: 2 });
    run = await runByPath(tmp.dir);
  });
  after(async () => {
    run.close();
    await tmp.cleanup();
  });

  it('gives the recorded unit with its metric prefix, CONTROL (group attributes) and INSTRUMENT alike', () => {
    assert.equal(run.get('SCS_BLU_XGM/XGM/DOOCS', 'pulseEnergy.photonFlux').units, 'μJ');
    assert.equal(run.get('SCS_BLU_XGM/XGM/DOOCS:output', 'data.intensityTD').units, 'μJ');
    assert.equal(run.get('SCS_BLU_XGM/XGM/DOOCS:output', 'data.intensityTD').selectTrains(slice(0, 0)).units, 'μJ');
    assert.equal(run.get('SCS_ILH_LAS/MOTOR/LT3', 'AActualPosition').units, null);
  });
});
