/**
 * FastCCD binning on synthetic runs: the pump-probe signal per delay bin of
 * the generator's truth, equality with a direct numpy implementation of the
 * documented binning (h5py reading the same raw file), the XGM filter, the
 * worker bands, the dark run, corrected frames.
 */
import assert from 'node:assert/strict';
import { FastCCD, ToolBoxError } from '../../toolbox/index.js';
import { fastccdRing } from '../../toolbox/synthetic/run/fastccd-physics.js';
import { requirePython, runPython } from '../helpers/python.js';
import { PROPOSAL, relativeSignal, useFccdProposal } from './fastccd-fixture.js';
import type { Dataset } from '../../toolbox/index.js';

const BIN_PS = 0.5;

const NUMPY_BINNING = String.raw`
import h5py
raw, gainfile, t0, bins, low, high = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
with h5py.File(raw, 'r') as f:
    frames = f['INSTRUMENT/SCS_CDIDET_FCCD2M/DAQ/FCCD:daqOutput/data/image/pixels'][:].astype(np.float64)
    bpt = f['INSTRUMENT/SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern/data/bunchPatternTable'][:]
    xgm_slots = f['INSTRUMENT/SCS_BLU_XGM/XGM/DOOCS:output/data/intensitySa3TD'][:].astype(np.float64)
    pos = f['CONTROL/SCS_ILH_LAS/MOTOR/LT3/AActualPosition/value'][:]
pumped = (bpt & (1 << 13)).any(axis=1)
sase3 = ((bpt & (0xf << 18)) == (4 << 18)) & ((bpt & (1 << 27)) != 0)
n = int(sase3.sum(axis=1)[0])
xgm = xgm_slots[:, :n]
scan = np.round((-2 * (pos - t0) / 0.299792458) / bins) * bins
keep = ((xgm >= low) & (xgm <= high)).all(axis=1)
gain = np.load(gainfile)
out = {'bins': [], 'pumped': [], 'unpumped': [], 'xgm_pumped': [], 'xgm_unpumped': [], 'counts_pumped': [], 'counts_unpumped': []}
for b in np.unique(scan[keep]):
    sel = keep & (scan == b)
    out['bins'].append(float(b))
    for name, m in (('pumped', sel & pumped), ('unpumped', sel & ~pumped)):
        out[name] += (gain * frames[m]).mean(axis=0).ravel().tolist()
        out['xgm_' + name].append(float(xgm[m].mean(axis=1).mean()))
        out['counts_' + name].append(int(m.sum()))
emit(out)
`;

function closeRel(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    assert.ok(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a} vs ${e}`);
  }
}

describe('FastCCD binning (synthetic pump-probe runs)', function () {
  this.timeout(120_000);
  const fx = useFccdProposal({ 1: { dark: true, proc: true }, 2: { outlierTrains: [3, 10], proc: true } });
  let f: FastCCD;
  let data: Dataset;
  let dark: Dataset;

  before(async () => {
    const t = fx.truth[2].physics;
    f = new FastCCD(PROPOSAL, { raw: true, dataRoot: fx.root, distance: 0.6 });
    await f.loadGain(t.files.gain);
    await f.openRun(1, { isDark: true });
    dark = await f.binning({ nJobs: 2, progress: false });
    await f.save({ saveFolder: fx.out });
    await f.openRun(2, { t0: t.pumpProbe.t0Position });
    await f.defineScan('PP800_DelayLine', BIN_PS);
    f.xgmFilter({ xgmLow: 100 });
    data = await f.binning({ nJobs: 2, progress: false });
    await f.save({ saveFolder: fx.out });
  });

  it('recovers the pump-probe signal of every delay bin from the truth', async () => {
    const t = fx.truth[2].physics;
    const ds = await f.loadBinned(2, { darkRunNB: 1, saveFolder: fx.out });
    const bins = Array.from(ds.get('scan_variable').values as Float64Array);
    assert.deepEqual(bins, t.pumpProbe.delayPs.map((d) => BIN_PS * Math.round(d / BIN_PS) + 0));
    assert.deepEqual(bins, [-1, 0, 1, 2]);
    const rel = relativeSignal(ds.get('pumped').values as Float64Array, ds.get('unpumped').values as Float64Array, fastccdRing(t), 100);
    rel.forEach((r, k) => assert.ok(Math.abs(r - (t.pumpProbe.pumpFactor[k] - 1)) < 2e-3, `bin ${bins[k]} ps: ${r} vs truth ${t.pumpProbe.pumpFactor[k] - 1}`));
    // pumped trains: even train IDs, minus the two the XGM filter drops (10003 odd, 10010 even)
    const pumpedPerPoint = [0, 1, 2, 3].map((k) => t.pumpProbe.pointOfTrain.filter((p, i) => p === k && t.pumpProbe.pumpedTrainIds.includes(10000 + i) && !t.xgm.outlierTrainIds.includes(10000 + i)).length);
    assert.deepEqual(Array.from(ds.get('counts_pumped').values as Int32Array), pumpedPerPoint);
    assert.deepEqual(Array.from(ds.get('counts_pumped').values as Int32Array), [4, 3, 4, 4]);
    assert.deepEqual(Array.from(ds.get('counts_unpumped').values as Int32Array), [3, 4, 4, 4]);
    assert.equal(ds.attrs.pump_pattern, 'bunch pattern SCS PPL bit');
  });

  it('equals a direct numpy implementation of the documented binning on the same file', async function () {
    await requirePython(this);
    const t = fx.truth[2].physics;
    const file = `${fx.root}/SCS/202601/p00${PROPOSAL}/raw/r0002/${fx.truth[2].files[0]}`;
    type Out = Record<'bins' | 'pumped' | 'unpumped' | 'xgm_pumped' | 'xgm_unpumped' | 'counts_pumped' | 'counts_unpumped', number[]>;
    const np = await runPython<Out>(NUMPY_BINNING, [file, t.files.gain, String(t.pumpProbe.t0Position), String(BIN_PS), '100', 'inf']);
    closeRel(data.get('scan_variable').values as Float64Array, np.bins, 0, 'scan_variable');
    for (const v of ['pumped', 'unpumped', 'xgm_pumped', 'xgm_unpumped'] as const) closeRel(data.get(v).values as Float64Array, np[v], 1e-12, v);
    for (const v of ['counts_pumped', 'counts_unpumped'] as const) assert.deepEqual(Array.from(data.get(v).values as Int32Array), np[v]);
  });

  it('bins a dark run as one bin with every train in both states', () => {
    assert.deepEqual(dark.sizes, { scan_variable: 1, x: 48, y: 40 });
    assert.deepEqual(Array.from(dark.get('counts_pumped').values as Int32Array), [32]);
    assert.deepEqual(Array.from(dark.get('pumped').values as Float64Array), Array.from(dark.get('unpumped').values as Float64Array));
  });

  it('gives the same sums in the calling thread (nJobs 1) as in three row bands', async () => {
    const one = await f.binning({ nJobs: 1, progress: false });
    const three = await f.binning({ nJobs: 3, chunksize: 5, progress: false });
    assert.deepEqual(one.get('pumped').values, data.get('pumped').values);
    assert.deepEqual(three.get('unpumped').values, data.get('unpumped').values);
  });

  it('stops on an aborted signal with a ToolBoxError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(f.binning({ nJobs: 2, signal: ac.signal, progress: false }), (e: Error) => e instanceof ToolBoxError && /FastCCD binning aborted \(0 of 2 row bands done\)/.test(e.message));
    await assert.rejects(f.binning({ nJobs: 1, signal: ac.signal, progress: false }), /FastCCD binning aborted/);
  });

  it('bins the corrected frames of the proc folder with raw: false (no gain, no dark needed)', async () => {
    const t = fx.truth[2].physics;
    const c = new FastCCD(PROPOSAL, { dataRoot: fx.root });
    await c.openRun(2, { t0: t.pumpProbe.t0Position });
    await c.defineScan('PP800_DelayLine', BIN_PS);
    const ds = await c.binning({ nJobs: 2, progress: false });
    const norm = (v: 'pumped' | 'unpumped') => ds.get(v).div(ds.get(`xgm_${v}`)).values as Float64Array;
    const rel = relativeSignal(norm('pumped'), norm('unpumped'), fastccdRing(t), 100);
    rel.forEach((r, k) => assert.ok(Math.abs(r - (t.pumpProbe.pumpFactor[k] - 1)) < 5e-3, `bin ${k}: ${r} vs ${t.pumpProbe.pumpFactor[k] - 1}`));
    assert.deepEqual(Array.from(ds.get('counts_unpumped').values as Int32Array), [4, 4, 4, 4]);
  });
});

describe('FastCCD.xgmFilter', function () {
  this.timeout(60_000);
  const fx = useFccdProposal({ 5: { outlierTrains: [2, 7, 8], trains: 16, shape: [16, 12] } });

  it('drops exactly the trains with a SASE3 pulse outside [xgmLow, xgmHigh]', async () => {
    const t = fx.truth[5].physics;
    const f = new FastCCD(PROPOSAL, { raw: true, dataRoot: fx.root });
    await f.openRun(5);
    const low = f.xgmFilter({ xgmLow: 100 });
    assert.deepEqual(low.dropped.map(Number), t.xgm.outlierTrainIds);
    assert.deepEqual(low.dropped.map(Number), [10002, 10007, 10008]);
    assert.equal(low.kept, 13);
    const ds = await f.binning({ nJobs: 1, progress: false });
    assert.equal(ds.attrs.trains_excluded_xgm_filter, 3);
    assert.equal(ds.attrs.trains_binned, 13);
    // the highest pulse of the run: xgmHigh just below it drops its train only
    const all = t.xgm.meanPerTrain.length;
    assert.equal(all, 16);
    const none = f.xgmFilter();
    assert.deepEqual(none.dropped, []);
    const both = f.xgmFilter({ xgmLow: 100, xgmHigh: 1e9 });
    assert.deepEqual(both.dropped.map(Number), [10002, 10007, 10008]);
  });
});
