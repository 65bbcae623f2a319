import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DSSCBinner, type DataCollection, Dataset, type DisplayOutput, ToolBoxFileError, ToolBoxPathError, byIndex, calibrateXgm, extractBunchPattern,
  findRunPath, fluenceCalibration, getArray, getSasePId, getUndulatorConfig, getXgm, load, loadDsscInfo, loadRunValues, loadXarray, mimeBundleOf,
  mnemonicsForRun, npulsesHasChanged, openRun, plotXgmThreshold, processDsscData, pulsePatternInfo, repRate, setDisplaySink, setProgressSink, slice,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { runPython } from '../helpers/python.js';

const VEGALITE = 'application/vnd.vegalite.v5+json';
type Spec = { title?: string | { text: string }; [k: string]: unknown };
const TABLE = { source: 'SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern', key: 'data.bunchPatternTable' };

/** What a display sink receives while `f` runs. */
async function displayed(f: () => Promise<unknown>): Promise<DisplayOutput[]> {
  const seen: DisplayOutput[] = [];
  const previous = setDisplaySink({ display: (o) => seen.push(o) });
  try {
    await f();
  } finally {
    setDisplaySink(previous);
  }
  return seen;
}

describe("the Python toolbox's signatures (issue 14, item 4)", function () {
  this.timeout(300_000);
  let root: string;
  let truth: MockRunTruth;
  let run: DataCollection;
  const savedRoot = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-signatures-'));
    const opts = { trains: 12, frames: 4, modules: [0], pixels: [8, 16] as [number, number], scan: 'delay' as const };
    truth = await writeMockRun(join(root, 'SCS', '202601', 'p002719', 'raw', 'r0179'), { ...opts, proposal: 2719, run: 179, seed: 5, proc: true, undulator: true });
    await writeMockRun(join(root, 'SCS', '202601', 'p002719', 'raw', 'r0180'), { ...opts, proposal: 2719, run: 180, seed: 6 });
    process.env.EXFEL_DATA_ROOT = root;
    run = await openRun(2719, 179);
  });
  after(() => {
    run?.close();
    if (savedRoot === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = savedRoot;
    rmSync(root, { recursive: true, force: true });
  });

  describe('bunch pattern', () => {
    it('getSasePId: runMnemonics is used instead of a lookup; bpt and mergeWith give the table when the decoder is not used', async () => {
      const sase3 = truth.physics.bunchPattern.sase3PulseIds;
      assert.deepEqual(await getSasePId(run, { runMnemonics: mnemonicsForRun(run) }), sase3);
      // no mnemonics: neither decoder nor table is read from the run
      assert.equal(await getSasePId(run, { runMnemonics: {} }), null);
      const bpt = await run.getArray(TABLE.source, TABLE.key, { extraDims: ['pulse_slot'] });
      assert.deepEqual(await getSasePId(run, { runMnemonics: {}, bpt }), sase3);
      assert.deepEqual(await getSasePId(run, { runMnemonics: {}, loc: 'scs_ppl', mergeWith: new Dataset({ bunchPatternTable: bpt }) }), truth.physics.bunchPattern.laserPulseIds);
    });

    it('npulsesHasChanged: runMnemonics without the location counts as changed, as in Python', async () => {
      assert.equal(await npulsesHasChanged(run, { loc: 'sase3', runMnemonics: mnemonicsForRun(run) }), false);
      assert.equal(await npulsesHasChanged(run, { runMnemonics: {} }), true);
    });

    it('repRate from proposal and run numbers equals repRate of the opened run', async () => {
      const ids = truth.physics.bunchPattern.sase3PulseIds;
      const expected = (1.3e6 / 288) / (ids[1] - ids[0]);
      assert.equal(await repRate(2719, 179), expected);
      assert.equal(await repRate('p002719', 'r0179', { key: 'sase3' }), await repRate(run));
      assert.equal(await repRate(null, { runNB: 179, proposalNB: 2719 }), expected);
      await assert.rejects(repRate(null, { runNB: 179 }), /repRate needs a run or Dataset, or proposal and run numbers/);
    });

    it('extractBunchPattern(null, key, runDir) reads the run\'s table', async () => {
      const fromRun = await extractBunchPattern(null, 'sase3', run);
      const bpt = await run.getArray(TABLE.source, TABLE.key, { extraDims: ['pulse_slot'] });
      const fromTable = extractBunchPattern(bpt, 'sase3');
      assert.deepEqual(Array.from(fromRun.npulses.values as BigInt64Array), Array.from(fromTable.npulses.values as BigInt64Array));
      const w = fromRun.bunchPattern.shape[1];
      assert.deepEqual(Array.from((fromRun.bunchPattern.values as BigUint64Array).subarray(0, w), Number), truth.physics.bunchPattern.sase3PulseIds);
      assert.throws(() => extractBunchPattern(null, 'sase3'), /extractBunchPattern needs the bunch pattern table, or the run to read it from \(runDir\)/);
    });

    it('pulsePatternInfo on a Dataset of the decoder variables, with the plot of pulses per train', async () => {
      const { ds } = await load(2719, 179, ['sase1', 'npulses_sase1', 'sase3', 'npulses_sase3'], { extractXgm: false });
      const info = await pulsePatternInfo(ds, { plot: true });
      const fromRun = await pulsePatternInfo(run);
      assert.equal(info.text, fromRun.text);
      assert.equal(info.sase3.maxPulses, truth.physics.bunchPattern.sase3PulseIds.length);
      assert.ok(info.plot);
      const bundle = await mimeBundleOf(info);
      assert.equal(bundle.data['text/plain'], info.text);
      const spec = bundle.data[VEGALITE] as Spec;
      assert.ok(JSON.stringify(spec).includes('pulses per train'));
      assert.equal(fromRun.plot, undefined);
      await assert.rejects(pulsePatternInfo(new Dataset({ x: ['trainId', [1]] })), /pulsePatternInfo needs 'sase1'\/'npulses_sase1'/);
    });
  });

  describe('load, getArray and the run look-ups', () => {
    it("load: display shows run.info(), parallelize is accepted, data: 'all' reads proc over raw and needs proc", async () => {
      let result: Awaited<ReturnType<typeof load>> | undefined;
      const shown = await displayed(async () => { result = await load(2719, 179, ['SCS_SA3'], { display: true, parallelize: false, data: 'all' }); });
      assert.equal(shown.length, 1);
      assert.equal(shown[0].data['text/plain'], result!.run.info());
      assert.ok(result!.run.instrumentSources.some((s) => s.includes('CORR')), 'proc sources are read with data: all');
      await assert.rejects(load(2719, 180, ['SCS_SA3'], { data: 'all' }), (e: Error) => e instanceof ToolBoxPathError && /has no proc data/.test(e.message));
    });

    it('load: validate passes a sound run and stops on an INDEX pointing past its data (corrupted with h5py)', async () => {
      const { ds } = await load(2719, 180, ['SCS_SA3'], { validate: true });
      assert.ok(ds.sizes.trainId > 0);
      const dir = findRunPath(2719, 180);
      const file = join(dir, readdirSync(dir).find((f) => f.includes('DA01'))!);
      const source = await runPython<string>(String.raw`
import h5py
with h5py.File(sys.argv[1], 'r+') as f:
    names = []
    f['INDEX'].visit(lambda n: names.append(n) if n.endswith('/count') else None)
    count = f['INDEX'][names[0]]
    count[-1] = count[-1] + 1000
    emit(names[0][:-len('/count')])
`, [file]);
      await assert.rejects(load(2719, 180, ['SCS_SA3'], { validate: true }), (e: Error) => e instanceof ToolBoxFileError
        && /failed validation \(\d+ problem\(s\)\)/.test(e.message) && e.message.includes(source.split('/')[0]) && /INDEX points to entry/.test(e.message));
    });

    it('getArray: (proposal, run) numbers, proposalNB/runNB, subset and data', async () => {
      const fromRun = await getArray(run, 'PP800_DelayLine', 0.5);
      const byNumbers = await getArray(2719, 179, 'PP800_DelayLine', 0.5);
      const byKeywords = await getArray(null, 'PP800_DelayLine', 0.5, { proposalNB: 2719, runNB: 179, data: 'raw' });
      for (const da of [byNumbers, byKeywords]) {
        assert.deepEqual(Array.from(da.values as Float64Array), Array.from(fromRun.values as Float64Array));
        assert.equal(da.name, 'PP800_DelayLine');
      }
      const five = await getArray(run, 'PP800_DelayLine', null, { subset: byIndex(slice(0, 5)) });
      assert.deepEqual(Array.from(five.coords.trainId.values as BigUint64Array, Number), truth.trainIds.slice(0, 5));
      const ones = await getArray(2719, 179, null, null, { subset: byIndex(slice(2, 4)) });
      assert.deepEqual(Array.from(ones.values as Float64Array), [1, 1]);
      await assert.rejects(getArray(null, 'PP800_DelayLine'), /getArray needs a run, or proposal and run numbers/);
    });

    it("findRunPath(…, 'all') is the raw folder; loadRunValues and mnemonicsForRun take proposal and run numbers", async () => {
      assert.equal(findRunPath(2719, 179, 'all'), findRunPath(2719, 179, 'raw'));
      assert.throws(() => findRunPath(2719, 179, 'both' as never), /invalid data "both": expected 'raw', 'proc' or 'all'/);
      assert.deepEqual(Object.keys(await mnemonicsForRun(2719, 179)).sort(), Object.keys(mnemonicsForRun(run)).sort());
      const values = await loadRunValues(2719, 179);
      assert.deepEqual(Object.keys(values).sort(), Object.keys(loadRunValues(run)).sort());
      assert.ok(Object.keys(values).includes('PP800_DelayLine'));
      assert.deepEqual(Object.keys(await loadRunValues(2719, 179, { which: 'all' })).sort(), [...run.controlSources].sort());
      assert.throws(() => mnemonicsForRun(2719 as never), /mnemonicsForRun\(2719\) needs the run number too/);
    });
  });

  describe('plot options', () => {
    it('fluenceCalibration: plot (default true, as Python) and xlabel', async () => {
      const r = fluenceCalibration([0, 0.5, 1], [0, 50, 100], 10, 100e-6);
      assert.ok(r.plot);
      const spec = (await mimeBundleOf(r)).data[VEGALITE] as Spec;
      assert.ok(JSON.stringify(spec).includes('HWP [%]'));
      const angle = fluenceCalibration([0, 0.5, 1], [0, 50, 100], 10, 100e-6, { xlabel: 'angle [deg]' });
      assert.ok(JSON.stringify(await angle.plot!.toSpec()).includes('angle [deg]'));
      const bare = fluenceCalibration([0, 0.5, 1], [0, 50, 100], 10, 100e-6, { plot: false });
      assert.equal(bare.plot, undefined);
      assert.deepEqual(bare.F, r.F);
      assert.deepEqual(Object.keys(r).sort(), ['E', 'F', 'fit_E', 'fit_F', 'plot']);
    });

    it('getUndulatorConfig: shows as the cells plot unless plot: false; the Dataset is the same', async () => {
      const cells = getUndulatorConfig(run);
      const bundle = await mimeBundleOf(cells);
      assert.ok(bundle.data[VEGALITE]);
      assert.equal(bundle.data['text/plain'], cells.toString());
      const plain = getUndulatorConfig(run, { plot: false });
      const b2 = await mimeBundleOf(plain);
      assert.equal(b2.data[VEGALITE], undefined);
      assert.ok(b2.data['text/html']);
      assert.deepEqual(Array.from(plain.get('gap').values as Float64Array), Array.from(cells.get('gap').values as Float64Array));
    });

    it('plotXgmThreshold: xgmMin, xgmMax and runNr as in plot_xgm_threshold', async () => {
      const xgm = (await getXgm(run)).get('SCS_SA3');
      const v = Array.from(xgm.values as ArrayLike<number>).filter(Number.isFinite).sort((a, b) => a - b);
      const lo = v[Math.floor(v.length / 4)], hi = v[Math.floor((3 * v.length) / 4)];
      const a = await plotXgmThreshold(xgm, { xgmMin: lo, xgmMax: hi, runNr: 179 }).toSpec();
      const b = await plotXgmThreshold(xgm, { threshold: [lo, hi] }).toSpec();
      const title = (s: Spec) => (typeof s.title === 'string' ? s.title : s.title!.text);
      assert.equal(title(a), `run 179 ${title(b)}`);
      assert.throws(() => plotXgmThreshold(xgm, { threshold: [lo, hi], xgmMin: lo }), /give threshold: \[lo, hi\] or xgmMin\/xgmMax, not both/);
    });

    it('calibrateXgm: plot: true shows the slow and calibrated fast signals; F is unchanged', async () => {
      const ds = await getXgm(run);
      const F = await calibrateXgm(run, ds);
      let withPlot = NaN;
      const shown = await displayed(async () => { withPlot = await calibrateXgm(run, ds, { plot: true }); });
      assert.equal(withPlot, F);
      assert.equal(shown.length, 1);
      assert.ok(JSON.stringify(shown[0].data[VEGALITE]).includes('photon flux (slow)'));
    });
  });

  it('processDsscData with the Python signature: writes the module file to path and returns its binned data', async () => {
    const out = mkdtempSync(join(tmpdir(), 'scs-legacy-'));
    // the legacy route reports progress as processDsscData does; collected here, not printed
    const states: string[] = [];
    const previous = setProgressSink({ update: (_id, state) => states.push(state.label) });
    try {
      const binners = { pulse: new (await import('../../toolbox/index.js')).DataArray(['a', 'b', 'a', 'b'], { dims: ['pulse'] }) };
      const info = await loadDsscInfo(run);
      const legacy = await processDsscData(2719, 179, 0, 4, info, binners, { path: join(out, 'legacy') });
      const binner = await DSSCBinner.create(2719, 179, { binners });
      const summary = await processDsscData(binner, 0, { chunksize: 4, filepath: join(out, 'binner'), progress: false });
      const expected = await loadXarray(summary.files[0]);
      assert.deepEqual(legacy.dataVars.sort(), expected.dataVars.sort());
      for (const v of expected.dataVars) assert.deepEqual(Array.from(legacy.get(v).values as ArrayLike<number>), Array.from(expected.get(v).values as ArrayLike<number>));
      assert.equal(readdirSync(join(out, 'legacy')).filter((f) => f.endsWith('.h5')).length, 1);
      await assert.rejects(processDsscData(2719, 179, 0, 4, { frames_per_train: 99 }, binners, { path: join(out, 'legacy') }),
        /processDsscData: info gives 99 frames per train, run 179 has 4/);
      assert.ok(states.length > 0);
    } finally {
      setProgressSink(previous);
      rmSync(out, { recursive: true, force: true });
    }
  });
});
