/**
 * The template notebook `notebooks/DSSC module binning.ipynb` run by the
 * runner on our kernel, for the four module groups of a synthetic proposal
 * (a delay scan and its dark run, 16 modules), and the 16 module files
 * combined by Debian's python3-xarray exactly as the Python toolbox's users
 * do; an energy scan with maxframes, per-train averaging and an absent
 * module; the job script's default template. Bad input gives failed
 * notebooks whose error names the problem.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { CellExecutionError } from '../../runner/errors.js';
import { runNotebook } from '../../runner/execute.js';
import { type DataArray, getArray, getBam, loadXarray, openRun, positionToDelay } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type PyDataset, pyValues, requirePython, runPython } from '../helpers/python.js';
import { type OutNotebook, readOut } from '../runner/helpers.js';
import { SCS, run as runCommand } from '../environments/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox } from './helpers.js';

const TEMPLATE = join(packageRoot(), 'notebooks', 'DSSC module binning.ipynb');
const KERNEL = 'scs-dssc-notebook-test';
const PROPOSAL = 2212;
const RUN = 1, DARK = 2, SHORT_DARK = 3, ENERGY = 4;
const TRAINS = 20, FRAMES = 8, PIXELS: [number, number] = [16, 32];
const BIN_WIDTH = 0.5;
const PATTERN = 'pumped,intradark,unpumped,intradark';

describe('notebooks/DSSC module binning.ipynb through the runner on our kernel', function () {
  this.timeout(900_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let dataRoot: string;
  let outDir: string;

  const params = (group: number, extra: Record<string, unknown> = {}) => ({
    proposalNB: PROPOSAL, dark_runNB: DARK, runNB: RUN, module_group: group, path: `${outDir}/`, xaxis: 'delay', bin_width: BIN_WIDTH,
    pattern: PATTERN, xgm_min: 300, xgm_max: 1500, xgm_normalization: true, normevery: 2, data_root: dataRoot, chunksize: 7, n_jobs: 2,
    ...extra,
  });
  const run = (output: string, values: Record<string, unknown>) => runNotebook(TEMPLATE, output, {
    kernelName: KERNEL, parameters: { values }, cwd: root, progress: 'none', log: () => undefined, warn: () => undefined,
  });

  before(async function () {
    await requireJupyter(this);
    await requirePython(this);
    // the local engine finds kernelspecs through this process's environment; openRun here finds the proposal
    sb = notebookSandbox('scs-dssc-notebook-', KERNEL);
    ({ root, dataRoot } = sb);
    const raw = sb.raw(PROPOSAL);
    const common = { proposal: PROPOSAL, trains: TRAINS, frames: FRAMES, pixels: PIXELS, modules: 16, seed: 7 };
    await writeMockRun(join(raw, 'r0001'), { ...common, run: RUN, scan: 'delay' });
    // the same seed: hot pixels are drawn from it, and a dark run must show the run's hot pixels
    await writeMockRun(join(raw, 'r0002'), { ...common, run: DARK, dark: true });
    await writeMockRun(join(raw, 'r0003'), { ...common, run: SHORT_DARK, dark: true, frames: 4, modules: [0, 1, 2, 3] });
    await writeMockRun(join(raw, 'r0004'), { ...common, run: ENERGY, scan: 'energy', modules: [0, 1, 2] });
    outDir = join(root, 'binned');
    mkdirSync(outDir);
  });
  after(() => sb?.restore());

  describe('the four module groups of a delay scan', () => {
    const outputs: OutNotebook[] = [];
    before(async () => {
      for (const group of [0, 1, 2, 3]) {
        const out = join(root, `output${group}.ipynb`);
        await run(out, params(group));
        outputs.push(readOut(out));
      }
    });

    it('completes every notebook without an error output', () => {
      assert.equal(outputs.length, 4);
      for (const nb of outputs) {
        assert.equal(nb.metadata.papermill.exception, false);
        assert.deepEqual(errorsOf(nb), []);
        assert.ok(nb.cells.filter((c) => c.cell_type === 'code').every((c) => c.metadata.papermill.status === 'completed'));
      }
      const last = outputs[3].cells[outputs[3].cells.length - 1];
      const printed = (last.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text)).join('');
      assert.match(printed, new RegExp(`${outDir}/run_1_module15\\.h5`));
    });

    it('writes the 16 module files and, per group, the dark files under path/dark', () => {
      assert.deepEqual(readdirSync(outDir).filter((f) => f.endsWith('.h5')).sort(),
        Array.from({ length: 16 }, (_, m) => `run_1_module${m}.h5`).sort());
      assert.deepEqual(readdirSync(join(outDir, 'dark')).filter((f) => f.endsWith('.h5')).sort(),
        Array.from({ length: 16 }, (_, m) => `run_2_module${m}.h5`).sort());
    });

    it('bins along the BAM-corrected delay rounded to bin_width, and the pattern names', async () => {
      const r = await openRun(PROPOSAL, RUN);
      const delay = positionToDelay(await getArray(r, 'PP800_DelayLine'));
      const bam = (await getBam(r)).get('BAM1932M');
      const perTrain = bam.mean('sa3_pId');
      const corrected = delay.sub(perTrain.sub(perTrain.mean().item() as number));
      const expected = [...new Set(Array.from(corrected.values as Float64Array, (v) => BIN_WIDTH * Math.round(v / BIN_WIDTH)))].sort((a, b) => a - b);
      r.close();
      const ds = await loadXarray(join(outDir, 'run_1_module5.h5'), { group: 'data' });
      const data = ds.get('data');
      assert.deepEqual(data.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
      assert.deepEqual(data.shape, [expected.length, 3, 1, ...PIXELS]);
      const bins = Array.from(data.coords.trainId.values as Float64Array);
      assert.equal(bins.length, expected.length);
      bins.forEach((b, i) => assert.ok(Math.abs(b - expected[i]) < 1e-9, `bin ${i}: ${b} vs ${expected[i]}`));
      assert.deepEqual(Array.from(data.coords.pulse.values as string[]), ['pumped', 'intradark', 'unpumped']);
      assert.deepEqual(Array.from(data.coords.module.values as ArrayLike<number | bigint>, Number), [5]);
      assert.equal(ds.attrs.dark, 'per-frame');
      assert.equal(Number(ds.attrs.xgm_normalization), 1);
    });

    it('subtracts the dark run frame by frame: hot pixels are 0 (up to float rounding) in every bin', async () => {
      const truth = JSON.parse(readFileSync(join(dataRoot, 'SCS', '202601', 'p002212', 'raw', 'r0001', 'truth.json'), 'utf8')) as MockRunTruth;
      for (const m of [0, 9, 15]) {
        const data = (await loadXarray(join(outDir, `run_1_module${m}.h5`), { group: 'data' })).get('data');
        const P = PIXELS[0] * PIXELS[1];
        const v = data.values as Float64Array;
        for (let frame = 0; frame < v.length / P; frame++) {
          // 16000 counts in the run and in its dark: what is left is rounding of the float64 sums
          for (const h of truth.dssc.hotPixels[String(m)]) assert.ok(Math.abs(v[frame * P + h]) < 1e-9, `module ${m} image ${frame} hot pixel ${h}: ${v[frame * P + h]}`);
        }
        // intra-dark frames: dark photons minus the dark run's mean, a few hundredths of a count at most
        const dark = data.sel({ pulse: 'intradark' }).mean();
        assert.ok(Math.abs(dark.item() as number) < 0.05, `module ${m} intradark mean ${String(dark.item())}`);
      }
    });

    it("is combined by Debian's xarray open_mfdataset(join='inner') into (trainId, pulse, module, x, y) with our values", async () => {
      const py = await runPython<{ files: number; ds: PyDataset; data: unknown[]; counts: unknown[] }>(`
from glob import glob
path = sys.argv[1]
files = sorted(glob(path + '/*.h5'))
ds = xr.open_mfdataset(files, group='data', join='inner').load()
emit({'files': len(files), 'ds': {'sizes': {k: int(v) for k, v in ds.sizes.items()}, 'data_vars': {k: {'dims': list(v.dims), 'dtype': str(v.dtype)} for k, v in ds.data_vars.items()},
      'coords': {k: {'values': _vals(v.values)} for k, v in ds.coords.items()}},
      'data': _vals(ds['data'].transpose('module', 'trainId', 'pulse', 'x', 'y').values),
      'counts': _vals(ds['data_counts'].transpose('module', 'trainId', 'pulse').values)})
`, [outDir]);
      assert.equal(py.files, 16);
      const first = (await loadXarray(join(outDir, 'run_1_module0.h5'), { group: 'data' })).get('data');
      assert.deepEqual(py.ds.sizes, { trainId: first.shape[0], pulse: 3, module: 16, x: PIXELS[0], y: PIXELS[1] });
      assert.deepEqual(py.ds.data_vars.data.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
      assert.equal(py.ds.data_vars.data.dtype, 'float64');
      assert.deepEqual(py.ds.coords.module.values, Array.from({ length: 16 }, (_, m) => String(m)));
      // each file's values, in module order, equal what Python combined
      const ours: unknown[] = [];
      const counts: unknown[] = [];
      for (let m = 0; m < 16; m++) {
        const ds = await loadXarray(join(outDir, `run_1_module${m}.h5`), { group: 'data' });
        ours.push(...pyValues(ds.get('data')));
        counts.push(...pyValues(ds.get('data_counts') as DataArray));
      }
      assert.equal(py.data.length, ours.length);
      assert.deepEqual(py.data, ours);
      assert.deepEqual(py.counts, counts);
    });
  });

  it('runs from scripts/bin_dssc_module_job.sh (its default template) into <proposal>/usr/processed_runs/r0001/', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, SCS_CMD: `${process.execPath} ${SCS}` };
    delete env.SCS_NOTEBOOK_DIR;
    delete env.BIN_DSSC_NOTEBOOK;
    const r = await runCommand('bash', [join(packageRoot(), 'scripts', 'bin_dssc_module_job.sh'), '-p', String(PROPOSAL), '-d', String(DARK), '-r', String(RUN),
      '-k', KERNEL, '-m', '1', '-x', 'delay', '-b', '0.25'], env, root);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dataRoot, 'SCS', '202601', 'p002212', 'usr', 'processed_runs', 'r0001');
    assert.deepEqual(readdirSync(out).sort(), ['dark', 'output1.ipynb', 'run_1_module4.h5', 'run_1_module5.h5', 'run_1_module6.h5', 'run_1_module7.h5']);
    const nb = readOut(join(out, 'output1.ipynb'));
    assert.equal(nb.metadata.papermill.exception, false);
    assert.equal(nb.metadata.papermill.input_path, `${packageRoot()}/scripts/../notebooks/DSSC module binning.ipynb`);
    assert.deepEqual(errorsOf(nb), []);
    const data = (await loadXarray(join(out, 'run_1_module6.h5'), { group: 'data' })).get('data');
    assert.deepEqual(data.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
    assert.deepEqual(Array.from(data.coords.module.values as ArrayLike<number | bigint>, Number), [6]);
  });

  it("bins an energy scan along 'nrj' in eV with maxframes and averaging 'trains', skipping the group's absent module", async () => {
    const path = join(root, 'energy');
    const out = join(root, 'energy.ipynb');
    await run(out, { ...params(0), runNB: ENERGY, path: `${path}/`, xaxis: 'nrj', bin_width: 2, maxframes: 4, averaging: 'trains', xgm_normalization: false, xgm_min: 0, xgm_max: Infinity });
    const nb = readOut(out);
    assert.deepEqual(errorsOf(nb), []);
    const warned = nb.cells.find((c) => c.id === 'open')!.outputs!.filter((o) => o.name === 'stderr').map((o) => [o.text].flat().join('')).join('');
    assert.match(warned, /ToolBoxWarning: run 4 has no data for DSSC module\(s\) 3 of module group 0: binning modules 0, 1, 2 only/);
    assert.deepEqual(readdirSync(path).filter((f) => f.endsWith('.h5')).sort(), ['run_4_module0.h5', 'run_4_module1.h5', 'run_4_module2.h5']);
    const ds = await loadXarray(join(path, 'run_4_module1.h5'), { group: 'data' });
    const bins = Array.from(ds.get('data').coords.trainId.values as Float64Array);
    // the mono steps 700 … 716 eV in 5 points (4 eV apart), read with 0.01 eV jitter
    assert.deepEqual(bins, [700, 704, 708, 712, 716]);
    assert.deepEqual(ds.get('data').shape, [5, 3, 1, ...PIXELS]);
    assert.equal(ds.attrs.averaging, 'trains');
    assert.equal(Number(ds.attrs.maxframes), 4);
    // no XGM window: the first 4 frames of all 20 trains, one pumped, two intra-darks and one unpumped each
    const counts = ds.get('data_counts');
    const total = (name: string) => Number(counts.sel({ pulse: name }).sum().item());
    assert.deepEqual([total('pumped'), total('intradark'), total('unpumped')], [20, 40, 20]);
  });

  describe('bad input', () => {
    async function failing(name: string, values: Record<string, unknown>): Promise<{ err: CellExecutionError; nb: OutNotebook }> {
      const out = join(root, name);
      const err = await run(out, values).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof CellExecutionError, `expected a CellExecutionError, got ${String(err)}`);
      const nb = readOut(out);
      assert.equal(nb.metadata.papermill.exception, true);
      return { err, nb };
    }

    it('a bin width larger than the scan range fails the scan cell, naming bin_width and the range', async () => {
      const { err, nb } = await failing('wide-bins.ipynb', { ...params(0), path: join(root, 'wide') + '/', bin_width: 100 });
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^bin_width 100 is larger than the range of 'delay' in run 1 \(-?[\d.]+ to -?[\d.]+, range [\d.]+\)/);
      assert.deepEqual(errorsOf(nb), [{ ename: 'ToolBoxValueError', evalue: err.evalue }]);
      assert.equal(nb.cells.find((c) => c.id === 'scan')!.metadata.papermill.status, 'failed');
    });

    it('a dark run with another frame count fails the dark cell, naming both frame counts', async () => {
      const { err, nb } = await failing('short-dark.ipynb', { ...params(0), path: join(root, 'short') + '/', dark_runNB: SHORT_DARK });
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^dark run 3 has 4 frames per train but run 1 has 8: a per-frame dark image needs the same number of frames \(4 ≠ 8\)/);
      assert.deepEqual(errorsOf(nb), [{ ename: 'ToolBoxValueError', evalue: err.evalue }]);
      assert.equal(nb.cells.find((c) => c.id === 'dark')!.metadata.papermill.status, 'failed');
    });
  });
});
