/**
 * The azimuthal-integration notebooks on a binned synthetic pump-probe run
 * whose DSSC frames carry a ring drawn through the DSSC 1M geometry (the mock
 * run's `scattering` option: known q0, width, distance, beam-centre offset and
 * pump factor per delay). The run and its dark run are binned through the DSSC
 * binning API (as the binning notebook does), then `Azimuthal integration of
 * DSSC.ipynb` runs through the runner and `DSSC scattering time-delay.ipynb`
 * through `scs run`, both on our kernel; their result files must give back the
 * generator's ring position, beam centre and pump-induced change per delay.
 * Bad parameters give failed notebooks whose error names the parameter.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { CellExecutionError } from '../../runner/errors.js';
import { runNotebook } from '../../runner/execute.js';
import {
  DSSCBinner, DSSC_1MGeometry, type Dataset, concat, createDsscBins, getArray, getDataFormatted, loadXarray, openRun, positionToDelay, roundToBinWidth, saveXarray,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { type OutNotebook, readOut } from '../runner/helpers.js';
import { type NotebookSandbox, errorsOf, notebookSandbox, plotsOf, scsRun } from './helpers.js';

const NOTEBOOKS = join(packageRoot(), 'notebooks');
const AZINT = join(NOTEBOOKS, 'Azimuthal integration of DSSC.ipynb');
const TIME_DELAY = join(NOTEBOOKS, 'DSSC scattering time-delay.ipynb');
const KERNEL = 'scs-azint-notebook-test';
const PROPOSAL = 2212, RUN = 1, DARK = 2;
const TRAINS = 20, FRAMES = 8, PIXELS: [number, number] = [16, 32];
const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const DELAY_BIN = 0.5;
/** Radial bins: ≈ 0.0145 nm⁻¹ each here, the ring's σ (q0/15) ≈ 2.3 bins. */
const NPT = 60;
/** The beam 0.6 mm left and 0.4 mm below the detector centre: about a sixth of a (small-module) pixel, what the refinement must find. */
const CENTRE_OFFSET: [number, number] = [0.6, -0.4];

const attr = (ds: Dataset, name: string): number => Number(ds.attrs[name]);

/** Bin the run (and its dark run, subtracted frame by frame) along the delay and the pump pattern, as the binning notebook does. */
async function binRun(dataRoot: string, outDir: string, t0Position: number): Promise<void> {
  const frameIndex = Array.from({ length: FRAMES }, (_, i) => i);
  const darkRun = await openRun(PROPOSAL, DARK);
  const darkBinner = await DSSCBinner.create(PROPOSAL, DARK, {
    binners: { trainId: createDsscBins('trainId', darkRun.trainIds, darkRun.trainIds.map(() => 0)), pulse: createDsscBins('pulse', frameIndex, frameIndex) },
    dataRoot,
  });
  const modules = Array.from({ length: 16 }, (_, m) => m);
  const darkSummary = await darkBinner.processData({ modules, filepath: join(outDir, 'dark'), nJobs: 2, maxframes: FRAMES });
  const darkImage = concat(await Promise.all(darkSummary.files.map(async (f) => (await loadXarray(f, { group: 'data' })).get('data'))), 'module');
  darkRun.close();
  const run = await openRun(PROPOSAL, RUN);
  // delays from the generator's time zero, so the bins are the truth's delays
  const delay = roundToBinWidth(positionToDelay(await getArray(run, 'PP800_DelayLine'), { origin: t0Position }), DELAY_BIN);
  const binner = await DSSCBinner.create(PROPOSAL, RUN, {
    binners: {
      trainId: createDsscBins('trainId', Array.from(delay.coords.trainId.values as ArrayLike<bigint | number>, Number), Array.from(delay.values as ArrayLike<number>, Number)),
      pulse: createDsscBins('pulse', frameIndex, frameIndex.map((i) => PATTERN[i % PATTERN.length])),
    },
    dsscCoordsStride: 'pattern',
    dataRoot,
  });
  run.close();
  // pumped and unpumped frames (every second one) divided by their XGM pulse energy, intra-darks left alone
  await binner.processData({ modules, filepath: outDir, nJobs: 2, darkImage, xgmNormalization: true, normevery: 2, maxframes: FRAMES });
}

describe('the azimuthal-integration notebooks on a binned synthetic run with a DSSC ring', function () {
  this.timeout(900_000);
  let sb: NotebookSandbox | undefined;
  let root: string;
  let binned: string;
  let truth: MockRunTruth;

  const geometryParams = () => ({
    runNB: RUN, path: `${binned}/`, quad_positions: truth.scattering!.quadPositions, distance: truth.scattering!.distance,
    photon_energy: truth.scattering!.photonEnergy, npt: NPT,
  });
  const runAzint = (output: string, values: Record<string, unknown>) => runNotebook(AZINT, output, {
    kernelName: KERNEL, parameters: { values }, cwd: root, progress: 'none', log: () => undefined, warn: () => undefined,
  });

  before(async function () {
    await requireJupyter(this);
    sb = notebookSandbox('scs-azint-notebook-', KERNEL);
    root = sb.root;
    const raw = sb.raw(PROPOSAL);
    const common = { proposal: PROPOSAL, trains: TRAINS, frames: FRAMES, pixels: PIXELS, modules: 16, seed: 7 };
    truth = await writeMockRun(join(raw, 'r0001'), { ...common, run: RUN, scan: 'delay', scattering: { centerOffset: CENTRE_OFFSET } });
    // the same seed: the dark run has the run's hot pixels
    await writeMockRun(join(raw, 'r0002'), { ...common, run: DARK, dark: true });
    binned = join(root, 'binned');
    mkdirSync(binned);
    await binRun(sb.dataRoot, binned, truth.physics.delayLine.t0Position);
  });
  after(() => sb?.restore());

  describe('Azimuthal integration of DSSC.ipynb (through the runner)', () => {
    let nb: OutNotebook;
    let result: Dataset;
    before(async () => {
      const out = join(root, 'azint.ipynb');
      await runAzint(out, { ...geometryParams(), center: CENTRE_OFFSET, output: join(root, 'azint.h5') });
      nb = readOut(out);
      result = await loadXarray(join(root, 'azint.h5'), { group: 'data' });
    });

    it('runs every cell without an error', () => {
      assert.equal(nb.metadata.papermill.exception, false);
      assert.deepEqual(errorsOf(nb), []);
    });

    it("finds the ring at the generator's q0", () => {
      const q0 = truth.scattering!.q0;
      const bin = attr(result, 'bin_width');
      // Half a bin: the ring is located to within its bin, and better (log-parabola through 3 bins, photon noise
      // ≈ 0.05 bin); what is left is systematic: pyFAI takes a pixel's centre as the mean of its first 4 corners,
      // which for a hexagon is not its centre: with these 16× enlarged pixels that moves the ring by ≈ 0.003 nm⁻¹
      // (0.2 bin) outwards (docs/azimuthal-integration.md, Notebooks and synthetic rings).
      assert.ok(Math.abs(attr(result, 'ring_position') - q0) < 0.5 * bin, `ring at ${attr(result, 'ring_position')} nm⁻¹, q0 ${q0}, bin ${bin}`);
      assert.equal(result.attrs.unit, 'q_nm^-1');
      assert.deepEqual(result.get('intensity').dims, ['pulse', 'q']);
      assert.deepEqual(Array.from(result.get('intensity').coords.pulse.values as ArrayLike<string>, String), ['pumped', 'intradark', 'unpumped']);
    });

    it('masks the hot pixels (0 up to float rounding after the dark subtraction)', () => {
      const mask = result.get('mask');
      assert.deepEqual(mask.shape, [16, ...PIXELS]);
      const values = mask.values as Uint8Array;
      for (const [m, hot] of Object.entries(truth.dssc.hotPixels)) {
        for (const h of hot) assert.equal(values[Number(m) * PIXELS[0] * PIXELS[1] + h], 1, `module ${m} hot pixel ${h}`);
      }
    });

    it('gives the same ring from a geometry file and the combined file of the module files', async () => {
      const geometryFile = join(root, 'dssc-geometry.h5');
      const quads = await DSSC_1MGeometry.fromQuadPositions(truth.scattering!.quadPositions, { modulePixels: PIXELS }).writeH5File(geometryFile);
      assert.deepEqual(quads.map((q) => q.map((v) => Math.round(v * 1e6) / 1e6)), truth.scattering!.quadPositions);
      const combined = join(root, 'combined.h5');
      const files = Array.from({ length: 16 }, (_, m) => join(binned, `run_${RUN}_module${m}.h5`));
      await saveXarray(combined, await getDataFormatted({ filenames: files }), { group: 'data', mode: 'w' });
      const out = join(root, 'azint-file.ipynb');
      await runAzint(out, {
        ...geometryParams(), quad_positions: null, geometry_file: geometryFile, combined_file: combined, path: join(root, 'nowhere'),
        center: CENTRE_OFFSET, output: join(root, 'azint-file.h5'),
      });
      assert.deepEqual(errorsOf(readOut(out)), []);
      const fromFile = await loadXarray(join(root, 'azint-file.h5'), { group: 'data' });
      assert.ok(Math.abs(attr(fromFile, 'ring_position') - attr(result, 'ring_position')) < 1e-6, `${attr(fromFile, 'ring_position')} vs ${attr(result, 'ring_position')}`);
    });

    it('shows vega-lite plots with static fallbacks', () => {
      const plots = plotsOf(nb);
      assert.ok(plots.length >= 2, `plots: ${JSON.stringify(plots)}`);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  describe('DSSC scattering time-delay.ipynb (through scs run)', () => {
    let nb: OutNotebook;
    let result: Dataset;
    let ran: { code: number | null; stderr: string };
    before(async () => {
      const params = { ...geometryParams(), center: [0, 0], refine_center: true, output: join(root, 'time-delay.h5') };
      ({ ran, nb } = await scsRun(TIME_DELAY, join(root, 'time-delay.ipynb'), KERNEL, params, root));
      result = await loadXarray(join(root, 'time-delay.h5'), { group: 'data' });
    });

    it('runs every cell without an error', () => {
      assert.equal(ran.code, 0, ran.stderr);
      assert.deepEqual(errorsOf(nb), []);
    });

    it("refines the beam centre to the generator's offset", () => {
      const centre = Array.from(result.attrs.center as ArrayLike<number>, Number);
      // the pixels are 3.8 × 3.3 mm here: a tenth of a millimetre is a thirtieth of a pixel
      centre.forEach((c, i) => assert.ok(Math.abs(c - CENTRE_OFFSET[i]) < 0.1, `centre ${centre} vs ${CENTRE_OFFSET}`));
      assert.ok(Math.abs(attr(result, 'ring_position') - truth.scattering!.q0) < 0.5 * attr(result, 'bin_width'), `ring at ${attr(result, 'ring_position')}`);
    });

    it('gives the pump-induced change per delay: pumped / unpumped − 1 = pumpFactor − 1 within the photon noise', () => {
      const trace = result.get('relative_change');
      const delays = Array.from(trace.coords.delay.values as ArrayLike<number>, Number);
      const values = Array.from(trace.values as ArrayLike<number>, Number);
      const { delayPs, pumpFactor } = truth.scattering!;
      assert.equal(delays.length, delayPs.length);
      delays.forEach((d, i) => {
        const point = delayPs.findIndex((t) => Math.abs(t - d) <= DELAY_BIN / 2);
        assert.ok(point >= 0, `delay bin ${d} matches no scan point (${delayPs})`);
        // ≈ 1e5 ring photons per bin and label: 0.5 % relative noise on the ratio; 0.02 is 4σ
        assert.ok(Math.abs(values[i] - (pumpFactor[point] - 1)) < 0.02, `delay ${d}: change ${values[i]}, truth ${pumpFactor[point] - 1}`);
      });
    });

    it('writes the q × delay map and the line cuts', () => {
      const map = result.get('pp_difference');
      assert.deepEqual(map.dims, ['delay', 'q']);
      assert.deepEqual(map.shape, [truth.scattering!.delayPs.length, NPT]);
      const cuts = result.get('line_cuts');
      assert.deepEqual(cuts.dims, ['q_range', 'delay']);
      assert.equal(cuts.sizes.q_range, 3);
    });

    it('shows vega-lite plots with static fallbacks', () => {
      const plots = plotsOf(nb);
      assert.ok(plots.length >= 4, `plots: ${JSON.stringify(plots)}`);
      for (const p of plots) assert.ok(p.fallback.length > 0, `plot of cell ${p.cell} has no static fallback`);
    });
  });

  describe('bad parameters', () => {
    async function failing(name: string, values: Record<string, unknown>, notebook = AZINT): Promise<{ err: CellExecutionError; nb: OutNotebook }> {
      const out = join(root, name);
      const err = await runNotebook(notebook, out, {
        kernelName: KERNEL, parameters: { values }, cwd: root, progress: 'none', log: () => undefined, warn: () => undefined,
      }).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof CellExecutionError, `expected a CellExecutionError, got ${String(err)}`);
      const nb = readOut(out);
      assert.equal(nb.metadata.papermill.exception, true);
      return { err, nb };
    }

    it('npt 0 fails the integration cell, naming npt', async () => {
      const { err, nb } = await failing('npt0.ipynb', { ...geometryParams(), npt: 0, output: join(root, 'bad.h5') });
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^npt must be a positive whole number of radial bins, got 0/);
      assert.equal(nb.cells.find((c) => c.id === 'integrate')!.metadata.papermill.status, 'failed');
    });

    it('a frame label the run does not have fails the load cell, naming it and the labels there are', async () => {
      const { err } = await failing('label.ipynb', { ...geometryParams(), pulse: 'probe', output: join(root, 'bad.h5') });
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^pulse 'probe' is not a frame label of run 1; its labels: pumped, intradark, unpumped/);
    });

    it('a time-trace range outside the data fails the trace cell, naming trace_range and the data range', async () => {
      const values = { ...geometryParams(), center: CENTRE_OFFSET, refine_center: false, trace_range: [5, 6], output: join(root, 'bad.h5') };
      const { err, nb } = await failing('trace.ipynb', values, TIME_DELAY);
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^trace_range \[5, 6\] is outside the data's q_nm\^-1 range \[0\.\d+, 0\.\d+\]/);
      assert.equal(nb.cells.find((c) => c.id === 'trace')!.metadata.papermill.status, 'failed');
    });

    it('three quadrant positions fail the geometry cell, naming quad_positions', async () => {
      const { err } = await failing('quads.ipynb', { ...geometryParams(), quad_positions: [[-130, 5], [-130, -125], [5, -125]], output: join(root, 'bad.h5') });
      assert.equal(err.ename, 'ToolBoxValueError');
      assert.match(err.evalue, /^quad_positions must be 4 quadrant corners/);
    });
  });

  it('the truth file records what the notebooks recover', () => {
    const t = JSON.parse(readFileSync(join(process.env.EXFEL_DATA_ROOT!, 'SCS', '202601', 'p002212', 'raw', 'r0001', 'truth.json'), 'utf8')) as MockRunTruth;
    assert.deepEqual(t.scattering, truth.scattering);
    assert.deepEqual(t.scattering!.centerOffset, CENTRE_OFFSET);
    assert.deepEqual(t.scattering!.pumpFactor, t.physics.scan.pumpFactor);
  });
});
