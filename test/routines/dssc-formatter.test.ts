import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, DataArray, Dataset, createDsscBins, getArray, loadXarray, runByPath, saveXarray } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { plotBinnerHist, plotHistProcessed, plotXgmThreshold } from '../../toolbox/plots/dssc.js';
import { DSSCFormatter, getDataFormatted } from '../../toolbox/routines/dssc/formatter.js';
import { getXgmFormatted, xgmFrameIndices } from '../../toolbox/routines/dssc/formatted-xgm.js';
import { useMockRun } from '../helpers/mock-run.js';
import { requirePython, runPython } from '../helpers/python.js';

const X = 4, Y = 6;
const PULSES = ['pumped', 'unpumped'];

/** Known value of every binned pixel, so any misplaced block shows. */
const pixel = (m: number, s: number, p: number, x: number, y: number) => 1000 * m + 100 * s + 10 * p + x + y / 10;

/** A module file in the layout processData writes (shared design, "Module file layout"). */
function moduleDataset(m: number, scan: number[], opts: { run?: number; xgmShift?: number } = {}): Dataset {
  const nS = scan.length, nP = PULSES.length;
  const data = new Float64Array(nS * nP * X * Y);
  let i = 0;
  for (let s = 0; s < nS; s++) for (let p = 0; p < nP; p++) for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) data[i++] = pixel(m, scan[s], p, x, y);
  const counts = BigInt64Array.from({ length: nS * nP }, (_, k) => BigInt(10 + k));
  const trains = BigInt64Array.from({ length: nS * nP }, () => 5n);
  const xgm = Float64Array.from({ length: nS * nP }, (_, k) => (k % nP ? NaN : 100 + scan[Math.floor(k / nP)] + (opts.xgmShift ?? 0)));
  return new Dataset({
    data: new DataArray(data, { dims: ['trainId', 'pulse', 'module', 'x', 'y'], shape: [nS, nP, 1, X, Y], attrs: { units: 'ADU' } }),
    data_counts: new DataArray(counts, { dims: ['trainId', 'pulse', 'module'], shape: [nS, nP, 1] }),
    train_counts: new DataArray(trains, { dims: ['trainId', 'pulse', 'module'], shape: [nS, nP, 1] }),
    xgm: new DataArray(xgm, { dims: ['trainId', 'pulse'], shape: [nS, nP] }),
  }, {
    coords: { trainId: Float64Array.from(scan), pulse: PULSES, module: BigInt64Array.from([BigInt(m)]) },
    attrs: { proposal: 2719, run: opts.run ?? 179, module: m, averaging: 'frames', trains_used: 50 + m },
  });
}

async function writeModule(dir: string, m: number, scan = [1, 2, 3], opts: { run?: number; xgmShift?: number } = {}): Promise<string> {
  const file = join(dir, `run_${opts.run ?? 179}_module${m}.h5`);
  await saveXarray(file, moduleDataset(m, scan, opts), { group: 'data', mode: 'w' });
  return file;
}

/** Collect ToolBoxWarnings emitted while `fn` runs. */
async function warningsOf<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const on = (w: Error) => { if (w.name === 'ToolBoxWarning') warnings.push(w.message); };
  process.on('warning', on);
  try {
    const result = await fn();
    await new Promise((r) => setImmediate(r));
    return { result, warnings };
  } finally {
    process.off('warning', on);
  }
}

describe('DSSCFormatter and getDataFormatted', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-dssc-fmt-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the module files by prefix and suffix, in module order, skipping temporary files', async () => {
    for (const m of [10, 2, 0]) await writeModule(dir, m);
    writeFileSync(join(dir, '.run_179_module5.h5.tmp-1-ab'), 'partial');
    writeFileSync(join(dir, 'run_179_notes.txt'), 'x');
    writeFileSync(join(dir, 'other_module1.h5'), 'x');
    const f = new DSSCFormatter(dir, { prefix: 'run_179' });
    assert.deepEqual(f.filenames.map((p) => p.slice(dir.length + 1)), ['run_179_module0.h5', 'run_179_module2.h5', 'run_179_module10.h5']);
    assert.deepEqual(new DSSCFormatter(dir, { prefix: 'run_179', suffix: 'module2' }).filenames, [join(dir, 'run_179_module2.h5')]);
    assert.throws(() => new DSSCFormatter(join(dir, 'nope')), { name: 'ToolBoxPathError', message: /folder not found: .*nope/ });
  });

  it('combines along module: sorted, dims (trainId, pulse, module, x, y), every pixel in place', async () => {
    for (const m of [3, 0, 1, 2]) await writeModule(dir, m);
    const f = new DSSCFormatter(dir);
    const { result: ds, warnings } = await warningsOf(() => f.combineFiles());
    assert.deepEqual(warnings, ['DSSCFormatter: combining 4 of 16 DSSC modules from ' + dir + '; missing modules: 4–15']);
    assert.equal(f.data, ds);
    const data = ds.get('data');
    assert.deepEqual(data.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    assert.deepEqual(data.shape, [3, 2, 4, X, Y]);
    assert.deepEqual(Array.from(ds.coords.module.values as BigInt64Array, Number), [0, 1, 2, 3]);
    assert.deepEqual(ds.coords.pulse.values, PULSES);
    assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), [1, 2, 3]);
    const v = data.values as Float64Array;
    let i = 0, wrong = 0;
    for (let s = 0; s < 3; s++) for (let p = 0; p < 2; p++) for (let m = 0; m < 4; m++) for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) if (v[i++] !== pixel(m, s + 1, p, x, y)) wrong++;
    assert.equal(wrong, 0);
    assert.equal(data.attrs.units, 'ADU');
    assert.deepEqual(ds.get('data_counts').dims, ['trainId', 'pulse', 'module']);
    assert.deepEqual(Array.from(ds.get('data_counts').isel({ module: 2 }).values as BigInt64Array, Number), [10, 11, 12, 13, 14, 15]);
    // The XGM is the same for all modules: kept once, not repeated per module.
    assert.deepEqual(ds.get('xgm').dims, ['trainId', 'pulse']);
    assert.deepEqual(Array.from(ds.get('xgm').values as Float64Array), [101, NaN, 102, NaN, 103, NaN]);
    assert.deepEqual(ds.attrs, {});
    // Attributes every module agrees on go to the formatter's attributes; per-module ones do not.
    assert.deepEqual(f.attributes, { proposal: 2719, run: 179, averaging: 'frames' });
  });

  it('joins inner on the scan bins, as open_mfdataset(join="inner")', async () => {
    await writeModule(dir, 0, [1, 2, 3]);
    await writeModule(dir, 1, [2, 3, 4]);
    const ds = await new DSSCFormatter(dir).combineFiles([], { modules: [0, 1] });
    assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), [2, 3]);
    assert.equal(ds.get('data').isel({ trainId: 0, pulse: 1, module: 1, x: 2, y: 3 }).item(), pixel(1, 2, 1, 2, 3));
    assert.deepEqual(Array.from(ds.get('xgm').values as Float64Array), [102, NaN, 103, NaN]);
  });

  it('names what is wrong: a missing file or module, a module twice, files of different runs', async () => {
    await writeModule(dir, 0);
    await writeModule(dir, 1);
    const f = new DSSCFormatter(dir);
    await assert.rejects(f.combineFiles(['run_179_module0.h5', 'run_179_module7.h5']), { name: 'ToolBoxFileError', message: `module file not found: ${join(dir, 'run_179_module7.h5')}` });
    await assert.rejects(f.combineFiles([], { modules: [0, 3, 5] }), { name: 'ToolBoxFileError', message: /no file for modules 3, 5 in .* \(files: run_179_module0\.h5, run_179_module1\.h5\)/ });
    const misnamed = join(dir, 'run_179_module4.h5');
    await saveXarray(misnamed, moduleDataset(5, [1, 2, 3]), { group: 'data', mode: 'w' });
    await assert.rejects(new DSSCFormatter(dir).combineFiles([], { modules: [0, 4] }), { message: `${misnamed} is named for module 4 but holds module 5` });
    rmSync(misnamed);
    const copy = join(dir, 'copy.h5');
    await saveXarray(copy, moduleDataset(1, [1, 2, 3]), { group: 'data', mode: 'w' });
    await assert.rejects(f.combineFiles(['run_179_module1.h5', 'copy.h5']), { message: `module 1 is in both ${join(dir, 'run_179_module1.h5')} and ${copy}; combine each module once` });
    await saveXarray(copy, moduleDataset(2, [1, 2, 3], { xgmShift: 1 }), { group: 'data', mode: 'w' });
    await assert.rejects(f.combineFiles(['run_179_module0.h5', 'copy.h5']), { message: /variable 'xgm' differs between .*module0\.h5 and .*copy\.h5/ });
    await saveXarray(copy, moduleDataset(2, [1, 2, 3], { run: 180 }), { group: 'data', mode: 'w' });
    await assert.rejects(f.combineFiles(['run_179_module0.h5', 'copy.h5']), { message: `${join(dir, 'run_179_module0.h5')} is run 179 but ${copy} is run 180: module files of different runs cannot be combined` });
    await assert.rejects(new DSSCFormatter(join(dir)).saveFormattedData(join(dir, 'out.h5')), /call combineFiles\(\) first/);
    const noModule = new Dataset({ data: [['trainId'], [1, 2]] });
    await assert.rejects(getDataFormatted({ dataList: [noModule] }), /dataList\[0\] has no 'module' dimension/);
    await assert.rejects(getDataFormatted({}), /needs filenames or dataList/);
  });

  it('getDataFormatted combines files or in-memory Datasets the same way and clears the attributes', async () => {
    const files = [await writeModule(dir, 5), await writeModule(dir, 4)];
    const fromFiles = await getDataFormatted({ filenames: files });
    const fromList = await getDataFormatted({ dataList: [moduleDataset(5, [1, 2, 3]), moduleDataset(4, [1, 2, 3])] });
    assert.deepEqual(Array.from(fromFiles.coords.module.values as BigInt64Array, Number), [4, 5]);
    assert.deepEqual(fromFiles.attrs, {});
    assert.deepEqual(fromFiles.toJSON(), fromList.toJSON());
  });

  it('saveFormattedData writes data, extra groups and attributes in one atomic step', async () => {
    for (const m of [0, 1]) {
      const file = await writeModule(dir, m);
      await saveXarray(file, new DataArray([1.5, 2.5, 3.5], { dims: ['trainId'], coords: { trainId: [1, 2, 3] }, name: 'tim' }), { group: 'tim' });
    }
    const f = new DSSCFormatter(dir);
    await f.combineFiles();
    await f.addDataArray(['tim']);
    f.addAttributes({ run: 180, note: 'combined' });
    const out = join(dir, 'combined', 'run_180.h5');
    await assert.rejects(f.saveFormattedData(out), { name: 'ToolBoxPathError' });
    const target = join(dir, 'run179_formatted.h5');
    await f.saveFormattedData(target);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), []);
    const back = await loadXarray(target, { group: 'data' });
    assert.deepEqual(back.get('data').dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    assert.deepEqual(Array.from(back.get('data').values as Float64Array), Array.from(f.data!.get('data').values as Float64Array));
    assert.deepEqual(Array.from((await loadXarray(target, { group: 'tim', form: 'array' })).values as Float64Array), [1.5, 2.5, 3.5]);
    // A group that is not the same in every module file is refused.
    await saveXarray(join(dir, 'run_179_module1.h5'), new DataArray([1.5, 2.5, 9], { dims: ['trainId'], coords: { trainId: [1, 2, 3] }, name: 'tim' }), { group: 'tim' });
    await assert.rejects(new DSSCFormatter(dir, { prefix: 'run_179_' }).addDataArray('tim'), /group 'tim' differs between .*module0\.h5 and .*module1\.h5/);
    assert.ok(existsSync(target));
  });

  describe('with Python xarray', () => {
    before(async function () { await requirePython(this); });

    it('the fixture files combine in Python as they combine here, and Python reads the formatted file', async () => {
      for (const m of [2, 0, 1]) await writeModule(dir, m);
      const f = new DSSCFormatter(dir);
      const ds = await f.combineFiles();
      f.addAttributes({ note: 'combined' });
      const target = join(dir, 'formatted', 'run179.h5');
      rmSync(join(dir, 'formatted'), { recursive: true, force: true });
      mkdirSync(join(dir, 'formatted'));
      await f.saveFormattedData(target);
      const py = await runPython<{ dims: string[]; modules: number[]; same: boolean; nested: boolean; attrs: Record<string, string>; xgmDims: string[] }>(String.raw`
import glob, h5py
path, target = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(path + '/*.h5'))
a = xr.open_mfdataset(files, group='data', engine='h5netcdf', join='inner')
b = xr.open_mfdataset(files, group='data', engine='h5netcdf', combine='nested', concat_dim='module', join='inner').sortby('module')
a = a.transpose('trainId', 'pulse', 'module', 'x', 'y')
mine = xr.open_dataset(target, group='data', engine='h5netcdf')
with h5py.File(target, 'r') as h:
    attrs = {k: str(v) for k, v in h.attrs.items() if not k.startswith('_')}
emit({'dims': list(a['data'].dims), 'modules': [int(m) for m in a.module.values],
      'same': bool((a['data'].values == mine['data'].values).all()),
      'nested': bool((b['data'].transpose('trainId', 'pulse', 'module', 'x', 'y').values == mine['data'].values).all()),
      'attrs': attrs, 'xgmDims': list(mine['xgm'].dims)})
`, [dir, target]);
      assert.deepEqual(py.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
      assert.deepEqual(py.modules, [0, 1, 2]);
      assert.equal(py.same, true);
      assert.equal(py.nested, true);
      assert.deepEqual(py.xgmDims, ['trainId', 'pulse']);
      assert.deepEqual(py.attrs, { proposal: '2719', run: '179', averaging: 'frames', note: 'combined' });
      assert.deepEqual(ds.get('data').shape, [3, 2, 3, X, Y]);
    });
  });
});

describe('getXgmFormatted', () => {
  const fx = useMockRun({ trains: 6, frames: 8, modules: 1, seed: 3 }, 'scs-dssc-xgm-');

  it('frame indices from a stride, a list or a pulse pattern', () => {
    assert.deepEqual(xgmFrameIndices(3, 2), [0, 2, 4]);
    assert.deepEqual(xgmFrameIndices(3, [0, 1, 5]), [0, 1, 5]);
    assert.deepEqual(xgmFrameIndices(3, ['pumped', 'intradark', 'unpumped', 'intradark', 'pumped', 'intradark']), [0, 2, 4]);
    assert.deepEqual(xgmFrameIndices(5, ['pumped', 'dark', 'unpumped', 'dark']), [0, 2]);
    assert.throws(() => xgmFrameIndices(3, [0, 1]), /lists 2 frames but the XGM has 3 pulses per train/);
    assert.throws(() => xgmFrameIndices(2, [0, 0]), /must increase: frame 0 then 0 at position 1/);
    assert.throws(() => xgmFrameIndices(2, 0), /stride must be a positive integer, got 0/);
    assert.throws(() => xgmFrameIndices(2, ['dark', 'dark']), /no frame without "dark"/);
  });

  it('the XGM of a run on the DSSC frame axis', async () => {
    const raw = (await import('../../toolbox/index.js')).getXgm;
    const plain = (await raw(fx.run)).get('SCS_SA3');
    const xgm = await getXgmFormatted(fx.run, 'SCS_SA3', 2);
    assert.deepEqual(xgm.dims, ['trainId', 'pulse']);
    const n = plain.shape[1];
    assert.deepEqual(Array.from(xgm.coords.pulse.values as BigInt64Array, Number), Array.from({ length: n }, (_, k) => 2 * k));
    assert.deepEqual(Array.from(xgm.values as Float32Array), Array.from(plain.values as Float32Array));
    assert.deepEqual(Array.from(xgm.coords.trainId.values as BigUint64Array), Array.from(plain.coords.trainId.values as BigUint64Array));
    const pattern = await getXgmFormatted(fx.run, 'SCS_SA3', ['pumped', 'intradark', 'unpumped', 'intradark']);
    assert.deepEqual(Array.from(pattern.coords.pulse.values as BigInt64Array, Number), [0, 2].slice(0, Math.min(2, n)));
  });
});

describe('DSSCFormatter on the files processData writes', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-fmt-run-'));
    await writeMockRun(join(dir, 'r179'), { proposal: 2719, run: 179, trains: 8, frames: 8, modules: [0, 2], pixels: [16, 32], seed: 7, scan: 'energy', scanPoints: 2 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('combines the module files of a binned run, and the plots take the binner and its results', async () => {
    const run = await runByPath(join(dir, 'r179'));
    try {
      const binner = await DSSCBinner.create(run, { dsscCoordsStride: 2 });
      const scan = await getArray(run, 'nrj', 0.5);
      binner.addBinner('trainId', createDsscBins('trainId', scan.coords.trainId.values as BigUint64Array, scan.values as Float64Array));
      binner.addBinner('pulse', createDsscBins('pulse', [...Array(8).keys()], ['pumped', 'intradark', 'unpumped', 'intradark']));
      const xgm = await binner.loadXgm();
      const out = join(dir, 'out');
      mkdirSync(out);
      const summary = await binner.processData({ modules: [2, 0], filepath: out, nJobs: 1, progress: false });
      const f = new DSSCFormatter(out, { prefix: 'run_179_' });
      const { result: ds, warnings } = await warningsOf(() => f.combineFiles());
      assert.deepEqual(warnings, [`DSSCFormatter: combining 2 of 16 DSSC modules from ${out}; missing modules: 1, 3–15`]);
      assert.deepEqual(ds.get('data').dims, ['trainId', 'pulse', 'module', 'x', 'y']);
      assert.deepEqual(Array.from(ds.coords.module.values as ArrayLike<number>, Number), [0, 2]);
      assert.deepEqual(Array.from(ds.coords.pulse.values as string[]), ['pumped', 'intradark', 'unpumped']);
      for (const [i, m] of [0, 2].entries()) {
        const file = await loadXarray(summary.files.find((n) => n.endsWith(`module${m}.h5`))!, { group: 'data' });
        assert.deepEqual(Array.from(ds.get('data').isel({ module: i }).values as Float64Array), Array.from(file.get('data').isel({ module: 0 }).values as Float64Array));
        assert.deepEqual(Array.from(ds.get('data_counts').isel({ module: i }).values as BigInt64Array), Array.from(file.get('data_counts').isel({ module: 0 }).values as BigInt64Array));
      }
      assert.deepEqual(ds.get('xgm').dims, ['trainId', 'pulse']);
      assert.equal(f.attributes.run, 179);
      const target = join(dir, 'run179.h5');
      await f.saveFormattedData(target);
      assert.deepEqual((await loadXarray(target, { group: 'data' })).get('data').shape, ds.get('data').shape);
      // The plots accept what the binner holds and produces.
      const hist: Record<string, any> = await plotBinnerHist(binner.binners.trainId).toSpec(); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal(hist.data.values.reduce((a: number, r: { count: number }) => a + r.count, 0), scan.size);
      const thr: Record<string, any> = await plotXgmThreshold(xgm, { threshold: [0, Infinity] }).toSpec(); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.match(thr.title, new RegExp(`of ${xgm.size} pulses rejected`));
      assert.match(plotHistProcessed(ds).description, /^histogram of data.* per pulse label \(pumped: \d+, intradark: \d+, unpumped: \d+ values\)$/);
    } finally {
      run.close();
    }
  });
});
