import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, type DataArray, type DataCollection, ParameterError, createDsscBins, getArray, getDsscModule, loadXarray, runByPath } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { ringMap } from '../../toolbox/synthetic/run/mock-physics.js';
import { maxRelDiff, referenceBinning, xgmRows } from './dssc-reference.js';
import { requirePython, runPython } from '../helpers/python.js';

/**
 * A run with more X-ray frames than XGM pulses: 16 frames per train read
 * with dsscCoordsStride 1 while the XGM has 8 pulses, so frames 8–15 have no
 * XGM value; two trains are missing from the XGM altogether.
 */
const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const XGM_SOURCE = 'SCS_BLU_XGM/XGM/DOOCS:output';
const F = 16;
const TRAINS = 30;
const FIRST = 10_000;
const NO_XGM = [FIRST + 4, FIRST + 20];

function catchWarnings(): { messages: string[]; stop: () => Promise<void> } {
  const messages: string[] = [];
  const on = (w: Error) => { if (w.name === 'ToolBoxWarning') messages.push(w.message); };
  process.on('warning', on);
  // process.emitWarning dispatches on the next tick
  return { messages, stop: async () => { await new Promise((r) => setImmediate(r)); process.off('warning', on); } };
}

describe('DSSC createPulsemask: frames and trains without an XGM value keep the default mask (Python semantics)', function () {
  this.timeout(300_000);
  let dir: string;
  let run: DataCollection;
  let darkRun: DataCollection;
  let truth: MockRunTruth;
  let xgm: Map<bigint, Float64Array>;
  let scan: DataArray;
  let n = 0;
  const out = () => join(dir, `out${n++}`);
  const binner = () => DSSCBinner.create(run, {
    dsscCoordsStride: 1,
    binners: { trainId: createDsscBins('trainId', scan.coords.trainId.values as BigUint64Array, scan.values as Float64Array), pulse: createDsscBins('pulse', [...Array(F).keys()], PATTERN) },
  });
  /** Expected mask as the Python rule gives it: threshold on frames 0–7 (pulse k = frame k), true elsewhere and on trains without XGM. */
  const expectedMask = (t: bigint, lo: number, hi: number) => Array.from({ length: F }, (_, f) => {
    const row = xgm.get(t);
    return !row || f >= row.length || (row[f] > lo && row[f] < hi);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-pulsemask-'));
    const common = { proposal: 2719, trains: TRAINS, frames: F, modules: 1, pixels: [16, 32] as [number, number], seed: 21, scan: 'delay' as const, scanPoints: 3 };
    truth = await writeMockRun(join(dir, 'r40'), { ...common, run: 40, missingTrains: { [XGM_SOURCE]: NO_XGM } });
    await writeMockRun(join(dir, 'r41'), { ...common, run: 41, trains: 8, dark: true });
    run = await runByPath(join(dir, 'r40'));
    darkRun = await runByPath(join(dir, 'r41'));
    scan = await getArray(run, 'PP800_DelayLine', 0.05);
    xgm = await xgmRows(run);
  });
  after(() => { run?.close(); darkRun?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('defaults to the threshold (0, inf) and keeps frames beyond the XGM pulses and trains without XGM, with a warning', async () => {
    const b = await binner();
    const w = catchWarnings();
    const mask = await b.createPulsemask();
    await w.stop();
    assert.deepEqual(mask.dims, ['trainId', 'pulse']);
    assert.deepEqual(mask.shape, [TRAINS, F]);
    assert.deepEqual(Array.from(mask.coords.trainId.values as BigUint64Array), Array.from({ length: TRAINS }, (_, i) => BigInt(FIRST + i)));
    // every XGM reading is > 0, so nothing is masked
    assert.equal(Array.from(mask.values as Uint8Array).filter((v) => v === 1).length, TRAINS * F);
    assert.deepEqual(w.messages, [
      "createPulsemask: 224 frames (8 per train: 8, 9, 10, 11, 12, 13, 14, 15) have no XGM 'SCS_SA3' value: dsscCoordsStride 1 gives them an X-ray pulse beyond the 8 pulses per train it has; "
      + "2 of 30 trains have no XGM 'SCS_SA3' data. They keep the default mask value true (binned), as in the Python toolbox.",
    ]);
    await assert.rejects(b.createPulsemask({ threshold: [5, 5] }), (e: Error) => e instanceof ParameterError && e.parameter === 'threshold'
      && e.message === 'threshold must be [low, high] with low < high, got [5, 5]');
  });

  it('the mask equals xarray\'s valid.combine_first(ones)[:, :fpt] (Python create_pulsemask) for a threshold window', async function () {
    await requirePython(this);
    const b = await binner();
    const [lo, hi] = [700, 1000];
    const w = catchWarnings();
    const mask = await b.createPulsemask({ threshold: [lo, hi] });
    await w.stop();
    const xgmTrains = [...xgm.keys()];
    const py = await runPython<{ trainId: number[]; pulse: number[]; values: boolean[] }>(String.raw`
d = json.loads(sys.argv[1])
fpt = d['fpt']
lo, hi = float(d['lo']), float(d['hi'])
xgm = xr.DataArray(np.array(d['xgm'], dtype=float), dims=['trainId', 'pulse'],
                   coords={'trainId': d['xgmTrains'], 'pulse': np.arange(len(d['xgm'][0]))})
ones = xr.DataArray(np.ones((len(d['runTrains']), fpt), dtype=bool), dims=['trainId', 'pulse'],
                    coords={'trainId': d['runTrains'], 'pulse': np.arange(fpt)})
valid = (xgm > lo) * (xgm < hi)
mask = valid.combine_first(ones).astype(bool)[:, 0:fpt]
emit({'trainId': mask.trainId.values.tolist(), 'pulse': mask.pulse.values.tolist(), 'values': mask.values.ravel().tolist()})
`, [JSON.stringify({
      fpt: F, lo, hi: String(hi), runTrains: Array.from(run.trainIdsExact, Number), xgmTrains: xgmTrains.map(Number),
      xgm: xgmTrains.map((t) => Array.from(xgm.get(t)!, (v) => (Number.isFinite(v) ? v : null))),
    })]);
    assert.deepEqual(Array.from(mask.coords.trainId.values as BigUint64Array, Number), py.trainId);
    assert.deepEqual(Array.from(mask.coords.pulse.values as Int32Array), py.pulse);
    assert.deepEqual(Array.from(mask.values as Uint8Array, (v) => v === 1), py.values);
    const ours = Array.from(run.trainIdsExact).flatMap((t) => expectedMask(t, lo, hi));
    assert.deepEqual(py.values, ours);
    assert.ok(ours.some((v) => !v) && ours.some((v) => v), 'the window masks some frames and keeps others');
    assert.equal(w.messages.length, 1);
  });

  for (const threshold of [undefined, [700, 1000] as [number, number]]) {
    it(`bins every kept frame and recovers the generator's pump factor (threshold ${threshold ? threshold.join('–') : 'default'})`, async () => {
      const b = await binner();
      const [lo, hi] = threshold ?? [0, Infinity];
      const w = catchWarnings();
      await b.createPulsemask(threshold ? { threshold } : {});
      const dark = (await getDsscModule(darkRun, 0)).mean('trainId');
      const s = await b.processData({ filepath: out(), nJobs: 2, chunksize: 7, darkImage: dark, progress: false });
      await w.stop();
      const kept = Array.from(run.trainIdsExact).flatMap((t) => expectedMask(t, lo, hi)).filter(Boolean).length;
      assert.equal(s.framesBinned, kept);
      if (!threshold) assert.equal(kept, TRAINS * F);
      assert.equal(s.trainsUsed, TRAINS);
      assert.deepEqual(s.perModule[0].trainsExcluded, { noScanValue: 0, notInMask: 0, noXgm: 0, noDsscData: 0, allFramesMasked: 0 });
      const ds = await loadXarray(s.files[0], { group: 'data' });
      const counts = Array.from(ds.get('data_counts').values as BigInt64Array, Number);
      assert.equal(counts.reduce((a, c) => a + c, 0), kept);
      // the pipeline against the direct reference with the same mask
      const ref = await referenceBinning(run, 0, {
        scan: new Map(Array.from(scan.coords.trainId.values as BigUint64Array, (t, i) => [t, Number(scan.values[i])])),
        labels: Array.from({ length: F }, (_, f) => PATTERN[f % 4]), frames: F, mask: (t) => expectedMask(t, lo, hi),
        dark: { perFrame: true, values: Float64Array.from(dark.values as Float64Array) },
      });
      assert.deepEqual(counts, ref.dataCounts);
      assert.ok(maxRelDiff(ds.get('data').values as Float64Array, ref.data, ref.scale) <= 1e-12);
      assertPumpFactor(ds.get('data').values as Float64Array, Array.from(ds.coords.trainId.values as Float64Array), Array.from(ds.coords.pulse.values as string[]),
        (t, f) => expectedMask(t, lo, hi)[f]);
    });
  }

  /**
   * The generator's truth: an X-ray frame is ring · pump · E/Ē photons above
   * the dark, E the pulse energy the XGM records (pulse k on frame 2k). So per
   * scan bin pumped / unpumped on the ring = pumpFactor · ⟨E⟩pumped / ⟨E⟩unpumped
   * over the frames kept; a train without XGM counts with Ē.
   */
  function assertPumpFactor(values: Float64Array, scanValues: number[], pulse: string[], keep: (t: bigint, f: number) => boolean): void {
    const phys = truth.physics;
    const ring = ringMap(phys, 16, 32);
    const hot = new Set(truth.dssc.hotPixels['0'] ?? []);
    const peak = Math.max(...ring);
    const pixels = [...ring.keys()].filter((p) => ring[p] > 0.5 * peak && !hot.has(p));
    const nP = pulse.length;
    const ringSum = (s: number, label: string) => pixels.reduce((acc, p) => acc + values[(s * nP + pulse.indexOf(label)) * 512 + p], 0);
    const scanOf = new Map(Array.from(scan.coords.trainId.values as BigUint64Array, (t, i) => [t, Number(scan.values[i])]));
    assert.equal(scanValues.length, 3);
    scanValues.forEach((v, s) => {
      const point = phys.scan.points.reduce((best, p, i) => (Math.abs(p - v) < Math.abs(phys.scan.points[best] - v) ? i : best), 0);
      const meanE = (first: number) => {
        let sum = 0, count = 0;
        for (const t of run.trainIdsExact) {
          if (scanOf.get(t) !== v) continue;
          for (let f = first; f < F; f += 4) {
            if (!keep(t, f)) continue;
            sum += xgm.get(t)?.[f / 2] ?? phys.xgm.meanUJ;
            count++;
          }
        }
        return sum / count;
      };
      const want = phys.scan.pumpFactor[point] * meanE(0) / meanE(2);
      const got = ringSum(s, 'pumped') / ringSum(s, 'unpumped');
      assert.ok(Math.abs(got / want - 1) < 0.03, `scan ${v}: pumped/unpumped ${got}, truth ${want}`);
    });
  }
});
