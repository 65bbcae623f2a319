/**
 * FastCCD files: binned runs saved and loaded back (round trip, overwrite,
 * dark subtraction and XGM normalisation of loadBinned, read by Debian's
 * xarray), gain maps and masks as .npy.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FastCCD, loadXarray } from '../../toolbox/index.js';
import type { Dataset } from '../../toolbox/index.js';
import { readNpy, writeNpy } from '../../toolbox/detectors/fccd/npy.js';
import { requirePython, runPython } from '../helpers/python.js';
import { PROPOSAL, useFccdProposal } from './fastccd-fixture.js';

function warningsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const on = (w: Error) => { if (w.name === 'ToolBoxWarning') warnings.push(w.message); };
  process.on('warning', on);
  return fn().then(async (result) => {
    await new Promise((r) => setImmediate(r));
    process.removeListener('warning', on);
    return { result, warnings };
  });
}

describe('FastCCD save and loadBinned', function () {
  this.timeout(120_000);
  const fx = useFccdProposal({ 1: { dark: true, trains: 8, shape: [16, 12] }, 2: { trains: 16, shape: [16, 12] } });
  let f: FastCCD;
  let dark: Dataset;
  let data: Dataset;

  before(async () => {
    f = new FastCCD(PROPOSAL, { raw: true, dataRoot: fx.root });
    await f.loadGain(fx.truth[2].physics.files.gain);
    await f.openRun(1, { isDark: true });
    dark = await f.binning({ nJobs: 1, progress: false });
    await f.save({ saveFolder: fx.out });
    await f.openRun(2, { t0: 10 });
    await f.defineScan('PP800_DelayLine', 0.5);
    data = await f.binning({ nJobs: 2, progress: false });
  });

  it('writes run<run>.h5 (group data) that reads back equal, here and in xarray', async function () {
    const { file, written } = await f.save({ saveFolder: fx.out });
    assert.equal(file, join(fx.out, 'run2.h5'));
    assert.equal(written, true);
    const back = await loadXarray(file);
    for (const v of ['pumped', 'unpumped', 'xgm_pumped', 'xgm_unpumped', 'counts_pumped', 'scan_variable']) {
      assert.deepEqual(Array.from(back.get(v).values as ArrayLike<number>), Array.from(data.get(v).values as ArrayLike<number>), v);
      assert.deepEqual(back.get(v).dims, data.get(v).dims, v);
    }
    assert.equal(back.attrs.run, 2);
    await requirePython(this);
    const py = await runPython<{ dims: string[]; sum: number }>(String.raw`
ds = xr.load_dataset(sys.argv[1], group='data')
emit({'dims': list(ds['pumped'].dims), 'sum': float(ds['pumped'].sum())})`, [file]);
    assert.deepEqual(py.dims, ['scan_variable', 'x', 'y']);
    const sum = (data.get('pumped').values as Float64Array).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(py.sum - sum) < 1e-9 * Math.abs(sum));
  });

  it('leaves an existing file alone without overwrite (a warning), replaces it with overwrite', async () => {
    const file = join(fx.out, 'run2.h5');
    const before = statSync(file).mtimeMs;
    const { result, warnings } = await warningsDuring(() => f.save({ saveFolder: fx.out }));
    assert.equal(result.written, false);
    assert.deepEqual(warnings, [`file ${file} exists and will not be overwritten: pass {overwrite: true}`]);
    assert.equal(statSync(file).mtimeMs, before);
    const again = await f.save({ saveFolder: fx.out, overwrite: true });
    assert.equal(again.written, true);
  });

  it('loadBinned subtracts the dark run and divides by the mean XGM per bin', async () => {
    const ds = await f.loadBinned(2, { darkRunNB: 1, saveFolder: fx.out });
    const P = data.get('pumped').values as Float64Array, D = dark.get('pumped').values as Float64Array;
    const xgm = data.get('xgm_pumped').values as Float64Array, pix = D.length;
    const got = ds.get('pumped').values as Float64Array;
    for (let i = 0; i < P.length; i++) assert.ok(Math.abs(got[i] - (P[i] - D[i % pix]) / xgm[Math.floor(i / pix)]) < 1e-12, `pixel ${i}`);
    assert.deepEqual(f.pumped?.dims, ['x', 'y']);
    const plain = await f.loadBinned(2, { xgmNorm: false, saveFolder: fx.out });
    assert.deepEqual(Array.from(plain.get('unpumped').values as Float64Array), Array.from(data.get('unpumped').values as Float64Array));
    await assert.rejects(f.loadBinned(7, { saveFolder: fx.out }), new RegExp(`no binned FastCCD data of the run 7: ${join(fx.out, 'run7.h5')} does not exist`));
    await assert.rejects(f.loadBinned(2, { darkRunNB: 9, saveFolder: fx.out }), /no binned FastCCD data of dark run 9/);
  });

  it('saves by default into <proposal>/usr/condensed_runs', async () => {
    const { file } = await f.save();
    assert.ok(file.endsWith(join(`p00${PROPOSAL}`, 'usr', 'condensed_runs', 'run2.h5')) && existsSync(file), file);
  });

  it('plots: scan, XGM histogram, mask, images, azimuthal map and line cuts', async () => {
    assert.ok(f.plotScan().toString().length > 0);
    assert.ok(f.plotXgmHist({ nbins: 20 }).toString().length > 0);
    const m = await f.loadMask(fx.truth[2].physics.files.mask);
    assert.ok(m);
    assert.equal(await f.loadMask(fx.truth[2].physics.files.mask, { plot: false }), null);
    await f.loadBinned(2, { darkRunNB: 1, saveFolder: fx.out });
    assert.equal(f.plotFastCCD({ pLow: 2, pHigh: 99 }).length, 3);
    const az = f.azimuthalInt(1.59e-9, { dr: 2 });
    assert.ok(f.plotAzimuthalInt({ kind: 'relative', lim: [-0.5, 0.5] }));
    const q = az.get('delta_q (1/nm)').values as Float64Array;
    assert.ok(f.plotAzimuthalLineCut(az.get('pumped'), [q[2], q[4]], [q[1], q[1]]));
    assert.throws(() => f.plotAzimuthalLineCut(az.get('pumped'), [q[2]], []), /qranges and qwidths must be lists of the same, non-zero length/);
    assert.throws(() => f.plotAzimuthalInt({ kind: 'ratio' as 'relative' }), /kind must be 'difference' or 'relative', got 'ratio'/);
  });
});

describe('FastCCD .npy maps', () => {
  it('round trip float64 and bool arrays, and reads what numpy writes', async function () {
    const dir = join(process.env.TMPDIR ?? '/tmp', `scs-npy-${process.pid}`);
    const { mkdirSync, rmSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    try {
      await writeNpy(join(dir, 'g.npy'), [1.5, -2, 3, 4, 5, 6], [2, 3]);
      assert.deepEqual(await readNpy(join(dir, 'g.npy')), { shape: [2, 3], dtype: 'f8', values: Float64Array.of(1.5, -2, 3, 4, 5, 6) });
      await writeNpy(join(dir, 'm.npy'), [1, 0, 1], [3], 'b1');
      assert.deepEqual((await readNpy(join(dir, 'm.npy'))).values, Float64Array.of(1, 0, 1));
      await requirePython(this);
      const py = await runPython<number[]>(String.raw`
d = sys.argv[1]
g = np.load(d + '/g.npy'); m = np.load(d + '/m.npy')
np.save(d + '/i.npy', np.arange(6, dtype=np.uint16).reshape(3, 2))
emit([float(g.sum()), int(m.sum()), str(m.dtype)])`, [dir]);
      assert.deepEqual(py, [17.5, 2, 'bool']);
      assert.deepEqual(await readNpy(join(dir, 'i.npy')), { shape: [3, 2], dtype: 'u2', values: Float64Array.of(0, 1, 2, 3, 4, 5) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
