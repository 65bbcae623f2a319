import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DSSCBinner, type DSSCBinnerOptions, type DataArray, concat, getDsscDark, processDsscData, type DataCollection, type Dataset, createDsscBins, getArray, getDsscModule, loadXarray, runByPath,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { ringMap } from '../../toolbox/synthetic/run/mock-physics.js';
import { type ReferenceResult, type ReferenceSpec, maxRelDiff, referenceBinning, xgmRows } from './dssc-reference.js';

const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const XGM_SOURCE = 'SCS_BLU_XGM/XGM/DOOCS:output';
const MONO = 'SA3_XTD10_MONO/MDL/PHOTON_ENERGY';
const dssc = (m: number) => `SCS_DET_DSSC1M-1/DET/${m}CH0:xtdf`;
const TOL = 1e-12;

/** Scan value per train from a rounded scan variable. */
function scanMap(scan: DataArray): Map<bigint, number> {
  const ids = scan.coords.trainId.values as BigUint64Array;
  return new Map(Array.from(ids, (t, i) => [t, Number(scan.values[i])]));
}

function scanBinner(scan: DataArray): DataArray {
  return createDsscBins('trainId', scan.coords.trainId.values as BigUint64Array, scan.values as Float64Array);
}

/** Dataset of a module file against the reference: coords, counts and every pixel. */
function assertMatches(ds: Dataset, ref: ReferenceResult, module: number): void {
  assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), ref.scanValues);
  assert.deepEqual(Array.from(ds.coords.pulse.values as ArrayLike<string | number>), ref.pulseLabels);
  assert.deepEqual(Array.from(ds.coords.module.values as Int32Array), [module]);
  assert.deepEqual(Array.from(ds.get('data_counts').values as BigInt64Array, Number), ref.dataCounts);
  assert.deepEqual(Array.from(ds.get('train_counts').values as BigInt64Array, Number), ref.trainCounts);
  const data = ds.get('data');
  assert.deepEqual(data.dims, ['trainId', 'pulse', 'module', 'x', 'y']);
  assert.equal(data.dtype, 'float64');
  const d = maxRelDiff(data.values as Float64Array, ref.data, ref.scale);
  assert.ok(d <= TOL, `largest relative difference to the reference ${d}`);
}

function catchWarnings(): { messages: string[]; stop: () => void } {
  const messages: string[] = [];
  const on = (w: Error) => { if (w.name === 'ToolBoxWarning') messages.push(w.message); };
  process.on('warning', on);
  return { messages, stop: () => process.off('warning', on) };
}

/** Let process.emitWarning's next-tick dispatch happen. */
const tick = () => new Promise((r) => setImmediate(r));

describe('DSSC binning: energy scan against a direct reference', function () {
  this.timeout(300_000);
  let dir: string;
  let run: DataCollection;
  let darkRun: DataCollection;
  let scan: DataArray;
  let xgm: Map<bigint, Float64Array>;
  const F = 12;
  const first = 50_000;
  const noXgm = [first + 3, first + 17];
  const noMono = [first + 8];
  const noModule1 = [first + 11];
  let n = 0;
  const out = () => join(dir, `out${n++}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-binning-'));
    await writeMockRun(join(dir, 'r179'), {
      proposal: 2719, run: 179, trains: 24, firstTrainId: first, frames: F, modules: 2, pixels: [16, 32], seed: 5, scan: 'energy', scanPoints: 4,
      missingTrains: { [XGM_SOURCE]: noXgm, [MONO]: noMono, [dssc(1)]: noModule1 }, trainsPerSequence: 10,
    });
    await writeMockRun(join(dir, 'r180'), { proposal: 2719, run: 180, trains: 6, frames: F, modules: 2, pixels: [16, 32], seed: 6, dark: true });
    run = await runByPath(join(dir, 'r179'));
    darkRun = await runByPath(join(dir, 'r180'));
    scan = await getArray(run, 'nrj', 0.5);
    xgm = await xgmRows(run);
  });
  after(() => { run?.close(); darkRun?.close(); rmSync(dir, { recursive: true, force: true }); });

  const binner = (extra: DSSCBinnerOptions = {}) => DSSCBinner.create(run, {
    binners: { trainId: scanBinner(scan), pulse: createDsscBins('pulse', [...Array(F).keys()], PATTERN) }, ...extra,
  });
  const spec = (o: Partial<ReferenceSpec> = {}): ReferenceSpec => ({ scan: scanMap(scan), labels: Array.from({ length: F }, (_, f) => PATTERN[f % 4]), frames: F, ...o });

  it('bins both modules with the intra-dark pattern, chunks not dividing the run, 2 workers', async () => {
    const b = await binner();
    assert.deepEqual(b.getInfo(), { trainId: 4, pulse: 3, x: 16, y: 32, framesPerTrain: F, trains: 24, modules: [0, 1] });
    // with maxframes, a pulse binner covering only the frames used is what processData takes
    const short = await DSSCBinner.create(run, { binners: { pulse: createDsscBins('pulse', [0, 1, 2, 3], PATTERN) } });
    assert.equal(short.getInfo({ maxframes: 4 }).pulse, 3);
    assert.throws(() => short.getInfo(), /pulse/);
    const w = catchWarnings();
    const s = await b.processData({ filepath: out(), chunksize: 5, nJobs: 2, progress: false });
    await tick();
    w.stop();
    assert.deepEqual(s.modules, [0, 1]);
    assert.equal(s.perModule[0].trainsUsed, 23);
    assert.deepEqual(s.perModule[0].trainsExcluded, { noScanValue: 1, notInMask: 0, noXgm: 0, noDsscData: 0, allFramesMasked: 0 });
    assert.deepEqual(s.perModule[1].trainsExcluded, { noScanValue: 1, notInMask: 0, noXgm: 0, noDsscData: 1, allFramesMasked: 0 });
    assert.equal(s.trainsUsed, 23);
    assert.equal(s.framesBinned, 23 * F + 22 * F);
    assert.equal(w.messages.length, 1, w.messages.join('\n'));
    assert.match(w.messages[0], /noScanValue: 1, noDsscData: 1/);
    for (const m of [0, 1]) {
      const ds = await loadXarray(s.files[m], { group: 'data' });
      assertMatches(ds, await referenceBinning(run, m, spec()), m);
      assert.equal(ds.attrs.trains_used, m === 0 ? 23 : 22);
      assert.equal(ds.attrs.trains_excluded_no_scan_value, 1);
      assert.equal(ds.attrs.trains_excluded_no_dssc_data, m === 0 ? 0 : 1);
      assert.equal(ds.attrs.dark, 'none');
      assert.equal(ds.attrs.averaging, 'frames');
      assert.ok(s.files[m].endsWith(`run_179_module${m}.h5`));
    }
  });

  it('gives the same result with 1 and 2 workers and in this thread (processDsscData)', async () => {
    const b = await binner();
    const opts = { chunksize: 7, progress: false as const, xgmNormalization: true, normevery: 2 };
    const one = await b.processData({ ...opts, filepath: out(), nJobs: 1, modules: [1] });
    const two = await b.processData({ ...opts, filepath: out(), nJobs: 2, modules: [1] });
    const a = (await loadXarray(one.files[0], { group: 'data' })).get('data').values as Float64Array;
    const c = (await loadXarray(two.files[0], { group: 'data' })).get('data').values as Float64Array;
    assert.ok(maxRelDiff(a, c) <= TOL);
    const raw1 = await b.processData({ filepath: out(), nJobs: 1, modules: [0], progress: false });
    const raw2 = await b.processData({ filepath: out(), nJobs: 3, modules: [0], progress: false });
    const inThread = await processDsscData(b, 0, { filepath: out(), progress: false });
    const vals = await Promise.all([raw1, raw2, inThread].map(async (s) => (await loadXarray(s.files[0], { group: 'data' })).get('data').values));
    // unweighted raw counts are integers: sums are exact whatever the split
    assert.deepEqual(vals[1], vals[0]);
    assert.deepEqual(vals[2], vals[0]);
  });

  it('XGM threshold mask, XGM normalisation every 2nd frame, per-pixel dark, averaging over trains', async () => {
    const b = await binner();
    const [lo, hi] = [500, 1100];
    const w = catchWarnings();
    const mask = await b.createPulsemask({ threshold: [lo, hi] });
    await tick();
    w.stop();
    assert.deepEqual(mask.dims, ['trainId', 'pulse']);
    // every run train is in the mask; the two the XGM lacks keep all frames (Python's combine_first)
    assert.equal(mask.sizes.trainId, 24);
    assert.deepEqual(w.messages, ["createPulsemask: 2 of 24 trains have no XGM 'SCS_SA3' data. They keep the default mask value true (binned), as in the Python toolbox."]);
    const darkFrames = await getDsscModule(darkRun, 0);
    const dark = darkFrames.mean(['trainId', 'pulse']);
    const s = await b.processData({ filepath: out(), modules: [0], nJobs: 2, chunksize: 4, xgmNormalization: true, normevery: 2, darkImage: dark, averaging: 'trains', progress: false });
    const refMask = (t: bigint) => {
      const row = xgm.get(t);
      if (!row) return Array.from({ length: F }, () => true);
      return Array.from({ length: F }, (_, f) => f % 2 === 1 || (row[f / 2] > lo && row[f / 2] < hi));
    };
    const ref = await referenceBinning(run, 0, spec({
      mask: refMask, xgm, normalise: true, normevery: 2, pulseOfFrame: Array.from({ length: F }, (_, f) => (f % 2 ? -1 : f / 2)),
      dark: { perFrame: false, values: Float64Array.from(dark.values as Float64Array) }, averaging: 'trains',
    }));
    const ds = await loadXarray(s.files[0], { group: 'data' });
    assertMatches(ds, ref, 0);
    assert.equal(ds.attrs.dark, 'per-pixel');
    assert.equal(ds.attrs.averaging, 'trains');
    // normalising still needs the XGM: the two trains without it go as noXgm, not as notInMask
    assert.equal(s.perModule[0].trainsExcluded.notInMask, 0);
    assert.equal(s.perModule[0].trainsExcluded.noXgm, 2);
    assert.equal(s.perModule[0].trainsUsed, ref.trains.length);
    // some frames were masked, so frame and train counts differ from the unmasked ones
    assert.ok(ref.dataCounts.reduce((a, c) => a + c, 0) < ref.trains.length * F);
    const xb = ds.get('xgm');
    assert.deepEqual(xb.dims, ['trainId', 'pulse']);
    assert.ok(Number.isNaN(xb.values[1] as number), 'the intradark bin has no XGM');
  });

  it('maxframes, per-frame dark from the dark run, normalisation of every frame with an explicit stride', async () => {
    const b = await binner({ dsscCoordsStride: 1 });
    const dark = (await getDsscModule(darkRun, 1)).mean('trainId');
    const maxframes = 6;
    const s = await b.processData({ filepath: out(), modules: [1], nJobs: 2, chunksize: 24, maxframes, darkImage: dark, xgmNormalization: true, normevery: 1, progress: false });
    const ref = await referenceBinning(run, 1, spec({
      frames: maxframes, xgm, normalise: true, normevery: 1, pulseOfFrame: [0, 1, 2, 3, 4, 5],
      dark: { perFrame: true, values: Float64Array.from(dark.values as Float64Array) },
    }));
    const ds = await loadXarray(s.files[0], { group: 'data' });
    assertMatches(ds, ref, 1);
    assert.equal(ds.attrs.dark, 'per-frame');
    assert.equal(ds.attrs.frames_used, maxframes);
    // trains without XGM are excluded when normalising
    assert.equal(s.perModule[0].trainsExcluded.noXgm, 2);
  });

  it("normalises with dsscCoordsStride 'pattern' and a dark per module", async () => {
    const b = await binner({ dsscCoordsStride: 'pattern' });
    const per = await Promise.all([0, 1].map(async (m) => (await getDsscModule(darkRun, m)).mean('trainId').expandDims('module')));
    const dark = concat(per, 'module').assignCoords({ module: Int32Array.of(0, 1) });
    const s = await b.processData({ filepath: out(), nJobs: 2, chunksize: 9, darkImage: dark, xgmNormalization: true, normevery: 2, progress: false });
    for (const m of [0, 1]) {
      const ref = await referenceBinning(run, m, spec({
        xgm, normalise: true, normevery: 2, pulseOfFrame: Array.from({ length: F }, (_, f) => (f % 2 ? -1 : f / 2)),
        dark: { perFrame: true, values: Float64Array.from(per[m].values as Float64Array) },
      }));
      assertMatches(await loadXarray(s.files[m], { group: 'data' }), ref, m);
    }
  });

  it("'pattern' stride with a pulse binner covering only maxframes frames, XGM mask and normalisation", async () => {
    const maxframes = 8;
    const b = await DSSCBinner.create(run, { dsscCoordsStride: 'pattern', binners: {
      trainId: scanBinner(scan), pulse: createDsscBins('pulse', [...Array(maxframes).keys()], ['pumped', 'pumped_dark', 'unpumped', 'unpumped_dark']) } });
    const [lo, hi] = [600, 1200];
    const w = catchWarnings();
    await b.createPulsemask({ threshold: [lo, hi] });
    await tick();
    w.stop();
    assert.deepEqual(w.messages, ["createPulsemask: 2 of 24 trains have no XGM 'SCS_SA3' data. They keep the default mask value true (binned), as in the Python toolbox."]);
    const s = await b.processData({ filepath: out(), modules: [0], nJobs: 2, chunksize: 10, maxframes, xgmNormalization: true, normevery: 2, progress: false });
    const labels = Array.from({ length: maxframes }, (_, f) => ['pumped', 'pumped_dark', 'unpumped', 'unpumped_dark'][f % 4]);
    const ref = await referenceBinning(run, 0, spec({
      labels, frames: maxframes, xgm, normalise: true, normevery: 2, pulseOfFrame: Array.from({ length: maxframes }, (_, f) => (f % 2 ? -1 : f / 2)),
      mask: (t) => { const row = xgm.get(t); return Array.from({ length: maxframes }, (_, f) => !row || f % 2 === 1 || (row[f / 2] > lo && row[f / 2] < hi)); },
    }));
    assertMatches(await loadXarray(s.files[0], { group: 'data' }), ref, 0);
  });

  it('getDsscDark streams the dark run into the per-module mean, per frame or per pixel', async () => {
    const perFrame = await getDsscDark(darkRun, { chunksize: 4 });
    assert.deepEqual(perFrame.dims, ['module', 'pulse', 'x', 'y']);
    assert.deepEqual(perFrame.shape, [2, F, 16, 32]);
    const perPixel = await getDsscDark(darkRun, { modules: [1], perFrame: false });
    assert.deepEqual(perPixel.shape, [1, 16, 32]);
    for (const m of [0, 1]) {
      const frames = await getDsscModule(darkRun, m);
      const want = frames.mean('trainId').values as Float64Array;
      assert.ok(maxRelDiff(perFrame.isel({ module: m }).values as Float64Array, want) < 1e-12);
      if (m === 1) assert.ok(maxRelDiff(perPixel.isel({ module: 0 }).values as Float64Array, frames.mean(['trainId', 'pulse']).values as Float64Array) < 1e-12);
    }
    await assert.rejects(getDsscDark(darkRun, { modules: [4] }), /dark run has no DSSC module 4; modules present: 0, 1/);
    const b = await binner();
    const s = await b.processData({ filepath: out(), nJobs: 2, darkImage: perFrame, progress: false });
    const ref = await referenceBinning(run, 1, spec({ dark: { perFrame: true, values: Float64Array.from(perFrame.isel({ module: 1 }).values as Float64Array) } }));
    assertMatches(await loadXarray(s.files[1], { group: 'data' }), ref, 1);
  });

  it('bins pixels with x and y binners (sums of pixels, as the Python groupby-sum)', async () => {
    const b = await binner();
    b.addBinner('x', createDsscBins('x', [...Array(16).keys()], Array.from({ length: 16 }, (_, i) => Math.floor(i / 4))));
    b.addBinner('y', createDsscBins('y', [...Array(32).keys()], Array.from({ length: 32 }, (_, i) => Math.floor(i / 8))));
    assert.equal(b.getInfo().x, 4);
    const s = await b.processData({ filepath: out(), modules: [0], nJobs: 1, progress: false });
    const ds = await loadXarray(s.files[0], { group: 'data' });
    assert.deepEqual(ds.get('data').shape, [4, 3, 1, 4, 4]);
    assert.deepEqual(Array.from(ds.coords.x.values as Int32Array), [0, 1, 2, 3]);
    const ref = await referenceBinning(run, 0, spec());
    const expect = new Float64Array(4 * 3 * 16);
    for (let g = 0; g < 12; g++) for (let x = 0; x < 16; x++) for (let y = 0; y < 32; y++) expect[g * 16 + Math.floor(x / 4) * 4 + Math.floor(y / 8)] += ref.data[g * 512 + x * 32 + y];
    assert.ok(maxRelDiff(ds.get('data').values as Float64Array, expect) <= TOL);
  });
});

describe('DSSC binning: delay scan and the generator truth', function () {
  this.timeout(300_000);
  let dir: string;
  let run: DataCollection;
  let darkRun: DataCollection;
  let truth: MockRunTruth;
  const F = 20;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-delay-'));
    truth = await writeMockRun(join(dir, 'r30'), { run: 30, trains: 30, frames: F, modules: 1, pixels: [16, 32], seed: 9, scan: 'delay', scanPoints: 3 });
    await writeMockRun(join(dir, 'r31'), { run: 31, trains: 8, frames: F, modules: 1, pixels: [16, 32], seed: 10, dark: true });
    run = await runByPath(join(dir, 'r30'));
    darkRun = await runByPath(join(dir, 'r31'));
  });
  after(() => { run?.close(); darkRun?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('matches the reference with the delay line rounded to 0.05 mm, and recovers the pump factor', async () => {
    const scan = await getArray(run, 'PP800_DelayLine', 0.05);
    const labels = Array.from({ length: F }, (_, f) => PATTERN[f % 4]);
    const b = await DSSCBinner.create(run, { binners: { trainId: scanBinner(scan), pulse: createDsscBins('pulse', [...Array(F).keys()], PATTERN) } });
    const dark = (await getDsscModule(darkRun, 0)).mean('trainId');
    const s = await b.processData({ filepath: join(dir, 'out'), nJobs: 2, chunksize: 8, darkImage: dark, xgmNormalization: true, normevery: 2, progress: false });
    const ds = await loadXarray(s.files[0], { group: 'data' });
    const ref = await referenceBinning(run, 0, {
      scan: scanMap(scan), labels, frames: F, xgm: await xgmRows(run), normalise: true, normevery: 2,
      pulseOfFrame: Array.from({ length: F }, (_, f) => (f % 2 ? -1 : f / 2)), dark: { perFrame: true, values: Float64Array.from(dark.values as Float64Array) },
    });
    assertMatches(ds, ref, 0);
    // truth: (frame − dark) / E = ring · pump / Ē on X-ray frames, so pumped / unpumped = pumpFactor
    const phys = truth.physics;
    const ring = ringMap(phys, 16, 32);
    const hot = new Set(truth.dssc.hotPixels['0'] ?? []);
    const peak = Math.max(...ring);
    const pixels = [...ring.keys()].filter((p) => ring[p] > 0.5 * peak && !hot.has(p));
    const values = ds.get('data').values as Float64Array;
    const scanValues = Array.from(ds.coords.trainId.values as Float64Array);
    assert.equal(scanValues.length, 3);
    const pulse = Array.from(ds.coords.pulse.values as string[]);
    const img = (s: number, label: string) => values.subarray((s * 3 + pulse.indexOf(label)) * 512, (s * 3 + pulse.indexOf(label) + 1) * 512);
    scanValues.forEach((v, s) => {
      const point = phys.scan.points.reduce((best, p, i) => (Math.abs(p - v) < Math.abs(phys.scan.points[best] - v) ? i : best), 0);
      const sum = (a: Float64Array) => pixels.reduce((acc, p) => acc + a[p], 0);
      const ratio = sum(img(s, 'pumped')) / sum(img(s, 'unpumped'));
      assert.ok(Math.abs(ratio - phys.scan.pumpFactor[point]) < 0.05, `scan ${v}: pumped/unpumped ${ratio}, truth ${phys.scan.pumpFactor[point]}`);
    });
  });
});
