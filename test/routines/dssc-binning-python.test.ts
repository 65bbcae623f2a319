import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, type DataCollection, createDsscBins, getArray, loadXarray, runByPath } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { type PyDataset, pyValues, requirePython, runPython } from '../helpers/python.js';

const F = 8;

describe('DSSC binning: module files in Python xarray', function () {
  this.timeout(300_000);
  let dir: string;
  let run: DataCollection;

  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-py-'));
    await writeMockRun(join(dir, 'r7'), { proposal: 2719, run: 7, trains: 16, frames: F, modules: [0, 1, 2], pixels: [16, 32], seed: 4, scan: 'delay', scanPoints: 3,
      missingTrains: { 'SCS_DET_DSSC1M-1/DET/2CH0:xtdf': [10_002] } });
    run = await runByPath(join(dir, 'r7'));
  });
  after(() => { run?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('open_mfdataset(files, group="data", join="inner") combines the files along module, by coords and nested', async () => {
    const scan = await getArray(run, 'PP800_DelayLine', 0.1);
    const b = await DSSCBinner.create(run, { binners: { trainId: createDsscBins('trainId', scan.coords.trainId.values as BigUint64Array, scan), pulse: createDsscBins('pulse', [...Array(F).keys()], ['pumped', 'intradark', 'unpumped', 'intradark']) } });
    await b.loadXgm();
    const out = join(dir, 'out');
    const s = await b.processData({ filepath: out, nJobs: 2, chunksize: 5, progress: false });
    const got = await runPython<{ ds: PyDataset; nested: PyDataset; dims: string[]; files: string[] }>(String.raw`
import glob
path = sys.argv[1]
files = sorted(glob.glob(path + '/*.h5'))
ds = xr.open_mfdataset(files, group='data', join='inner').load()
nested = xr.open_mfdataset(files, group='data', combine='nested', concat_dim='module').load()
emit({'ds': describe(ds), 'nested': describe(nested), 'dims': list(ds['data'].dims), 'files': [f.split('/')[-1] for f in files]})
`, [out]);
    assert.deepEqual(got.files, ['run_7_module0.h5', 'run_7_module1.h5', 'run_7_module2.h5']);
    assert.deepEqual(got.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    const mods = await Promise.all(s.files.map((f) => loadXarray(f, { group: 'data' })));
    const nS = mods[0].sizes.trainId;
    assert.deepEqual(got.ds.sizes, { trainId: nS, pulse: 3, module: 3, x: 16, y: 32 });
    assert.deepEqual(got.ds.coords.module.values, ['0', '1', '2']);
    assert.deepEqual(got.ds.coords.pulse.values, ['pumped', 'intradark', 'unpumped']);
    assert.deepEqual(got.ds.coords.trainId.values, pyValues(mods[0].coords.trainId));
    // (trainId, pulse, module, x, y): module m's values interleaved along the third axis
    const P = 16 * 32;
    const expected: unknown[] = [];
    const per = mods.map((m) => pyValues(m.get('data')));
    for (let g = 0; g < nS * 3; g++) for (let m = 0; m < 3; m++) expected.push(...per[m].slice(g * P, (g + 1) * P));
    assert.deepEqual(got.ds.data_vars.data.values, expected);
    assert.equal(got.ds.data_vars.data.dtype, 'float64');
    assert.equal(got.ds.data_vars.data_counts.dtype, 'int64');
    assert.deepEqual(got.ds.data_vars.data_counts.dims, ['trainId', 'pulse', 'module']);
    const counts: unknown[] = [];
    const perCounts = mods.map((m) => pyValues(m.get('data_counts')));
    for (let g = 0; g < nS * 3; g++) for (let m = 0; m < 3; m++) counts.push(perCounts[m][g]);
    assert.deepEqual(got.ds.data_vars.data_counts.values, counts);
    // module 2 lacks one train: fewer frames in its bins
    assert.ok(Number(perCounts[2].reduce((a, c) => Number(a) + Number(c), 0)) === Number(perCounts[0].reduce((a, c) => Number(a) + Number(c), 0)) - F);
    assert.deepEqual(got.nested.data_vars.data.values, expected);
    assert.ok('xgm' in got.ds.data_vars);
  });
});
