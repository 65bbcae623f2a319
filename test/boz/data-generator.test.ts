import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Slice } from '../../toolbox/arrays/slice.js';
import { SourceNameError, ToolBoxValueError } from '../../toolbox/errors.js';
import { inMemoryModule, loadDsscModule } from '../../toolbox/routines/boz/load.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { openRun } from '../../toolbox/run/open.js';
import { beamWeights, makeBozModel, planeValue, response } from '../../toolbox/synthetic/run/boz-physics.js';
import { type BozFixture, bozFixture, framesOf } from './data-helpers.js';

const PIX = 65536;

describe('BOZ data: the generator (writeBozRuns) and loadDsscModule', function () {
  this.timeout(120_000);
  let f: BozFixture;
  let all: Uint16Array;
  let dark: Uint16Array;
  before(async () => {
    f = await bozFixture();
    all = await framesOf((await loadDsscModule(f.runs.proposal, f.runs.run, { dropIntraDarks: false })).arr);
    dark = await framesOf((await loadDsscModule(f.runs.proposal, f.runs.darkRun, { dropIntraDarks: false })).arr);
  });
  after(async () => { await f?.restore(); });

  const mean = (data: Uint16Array, frames: number[], pixel: (p: number) => boolean) => {
    let s = 0, n = 0;
    for (const fr of frames) for (let p = 0; p < PIX; p++) if (pixel(p)) { s += data[fr * PIX + p]; n++; }
    return s / n;
  };
  const inRoi = (r: { xl: number; xh: number; yl: number; yh: number }) => (p: number) => {
    const y = Math.floor(p / 512), x = p % 512;
    return x >= r.xl && x < r.xh && y >= r.yl && y < r.yh;
  };

  it('writes the frames truth.json says: 12 trains × 8 frames, every second one an intra-dark, module 15', () => {
    const t = f.runs.truth;
    assert.equal(t.module, 15);
    assert.equal(t.trainIds.length, 12);
    assert.equal(t.framesPerTrain, 8);
    assert.deepEqual(t.xrayFrames, [0, 2, 4, 6]);
    assert.deepEqual(t.frameKinds.map((k) => k === 'intradark'), [false, true, false, true, false, true, false, true]);
    assert.equal(t.intensity.length, 12 * 4);
    assert.equal(all.length, 12 * 8 * PIX);
    assert.ok(f.runs.darkTruth.dark && f.runs.darkTruth.intensity.every((u) => u === 0));
    assert.deepEqual(t.files, ['RAW-R0002-DA01-S00000.h5', 'RAW-R0002-DSSC15-S00000.h5']);
  });

  it('intra-dark frames and the dark run hold no X-rays; X-ray frames hold the beams; saturation is 511', () => {
    const beam = inRoi(f.runs.truth.boz.rois['0']);
    const frames = (odd: boolean) => Array.from({ length: 12 * 4 }, (_, i) => Math.floor(i / 4) * 8 + (i % 4) * 2 + (odd ? 1 : 0));
    const intra = mean(all, frames(true), beam), xray = mean(all, frames(false), beam), darkBeam = mean(dark, frames(false), beam);
    assert.ok(intra > 35 && intra < 50, `intra-dark mean ${intra}`);
    assert.ok(Math.abs(intra - darkBeam) < 1, `intra-dark ${intra} vs dark run ${darkBeam}`);
    assert.ok(xray > 150, `X-ray frames mean ${xray}`);
    let max = 0, at511 = 0;
    for (const v of all) { if (v > max) max = v; if (v === 511) at511++; }
    assert.equal(max, 511);
    assert.ok(at511 > 0);
    for (const v of dark) assert.ok(v < 511);
  });

  it('puts the beams where truth says: the half-maximum of each column and row profile is the ROI', () => {
    const { rois } = f.runs.truth.boz;
    const avg = new Float64Array(PIX);
    for (let t = 0; t < 12; t++) for (const fr of [0, 2, 4, 6]) for (let p = 0; p < PIX; p++) avg[p] += all[(t * 8 + fr) * PIX + p] - dark[(t * 8 + fr) * PIX + p];
    const rowOf = (y: number) => Array.from({ length: 512 }, (_, x) => avg[y * 512 + x]);
    const mid = Math.floor((rois.n.yl + rois.n.yh) / 2);
    const cols = rowOf(mid);
    for (const b of ['n', '0', 'p'] as const) {
      const r = rois[b];
      const top = cols.slice(r.xl + 5, r.xh - 5).reduce((a, c) => a + c, 0) / (r.xh - r.xl - 10);
      const above = cols.map((v) => v > top / 2);
      for (let x = r.xl; x < r.xh; x++) assert.ok(above[x], `${b}: column ${x} below half maximum`);
      assert.ok(!above[r.xl - 1] && !above[r.xh], `${b}: beam wider than its ROI`);
      const colX = Math.floor((r.xl + r.xh) / 2);
      const rows = Array.from({ length: 128 }, (_, y) => avg[y * 512 + colX] > top / 2);
      for (let y = 0; y < 128; y++) assert.equal(rows[y], y >= r.yl && y < r.yh, `${b}: row ${y}`);
    }
  });

  it('records the flat field as planes (p the mirror of n), the gain both ways, and F = G⁻¹', () => {
    const b = f.runs.truth.boz;
    assert.deepEqual(b.flatField.p, [-b.flatField.n[0], b.flatField.n[1], b.flatField.n[2], b.flatField.n[3]]);
    assert.equal(planeValue(b.flatField.n, 0, 0), 1);
    assert.ok(Math.abs(b.gain.aduPerPhoton * b.gain.photonsPerBin - 1) < 1e-15);
    const G = (s: number) => s + b.nonLinearity.amplitude * Math.sin((Math.PI * s) / 512);
    b.nonLinearity.F.forEach((F, v) => assert.ok(Math.abs(G(F) - v) < 1e-8, `G(F(${v})) = ${G(F)}`));
    assert.ok(Math.max(...b.nonLinearity.F.map((F, v) => Math.abs(F - v))) > 5, 'the non-linearity is visible');
    assert.equal(b.dark.pedestal.length, PIX);
  });

  it('options: a non-linearity confined to a range (F the identity outside) and Gaussian beams', () => {
    const m = makeBozModel(1, 8, { nonLinearityRange: [40, 440], nonLinearity: 10, beamProfile: 'gaussian' });
    const { F, G, range } = m.nonLinearity;
    assert.deepEqual(range, [40, 440]);
    F.forEach((x, v) => {
      if (v <= 40 || v >= 440) assert.equal(x, v);
      else assert.ok(Math.abs(response(10, [40, 440], x) - v) < 1e-8 && Math.abs(G[v] - response(10, [40, 440], v)) === 0);
    });
    assert.ok(Math.abs(F[240] - 240) > 9);
    const w = beamWeights(m);
    const r = m.rois['0'];
    const at = (x: number, y: number) => w.photons[Array.from(w.pixels).indexOf(y * 512 + x)];
    const cx = (r.xl + r.xh - 1) / 2, cy = (r.yl + r.yh - 1) / 2;
    assert.ok(Math.abs(at(Math.floor(cx), Math.floor(cy)) / m.peakPhotons['0'] - 1) < 0.01);
    assert.ok(Math.abs(at(r.xl, Math.floor(cy)) / m.peakPhotons['0'] - Math.exp(-8 * (r.xl - cx) ** 2 / 80 ** 2 - 8 * (Math.floor(cy) - cy) ** 2 / 50 ** 2)) < 1e-12);
    assert.equal(at(r.xl - 1, Math.floor(cy)), 0);
    assert.throws(() => makeBozModel(1, 8, { nonLinearityRange: [40, 60], nonLinearity: 10 }), /non-monotone/);
  });

  it('dead pixels read 0, hot ones high; per-pulse intensity follows truth', () => {
    const b = f.runs.truth.boz;
    for (const d of b.badPixels.dead) for (let fr = 0; fr < 96; fr++) assert.equal(all[fr * PIX + d], 0);
    for (const h of b.badPixels.hot) assert.ok(mean(dark, Array.from({ length: 96 }, (_, i) => i), (p) => p === h) > 100);
    // the '0' beam sum of each X-ray frame grows with the recorded intensity
    const beam = inRoi(b.rois['0']);
    const sums = f.runs.truth.intensity.map((_, i) => mean(all, [Math.floor(i / 4) * 8 + (i % 4) * 2], beam));
    const u = f.runs.truth.intensity;
    const mu = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const ms = mu(sums), mi = mu(u);
    const cov = mu(sums.map((s, i) => (s - ms) * (u[i] - mi)));
    const corr = cov / Math.sqrt(mu(sums.map((s) => (s - ms) ** 2)) * mu(u.map((x) => (x - mi) ** 2)));
    assert.ok(corr > 0.98, `correlation ${corr}`);
  });

  it('the XGM of the DA01 file records the intensity of each X-ray pulse', async () => {
    const run = await openRun(f.runs.proposal, f.runs.run);
    const xgm = await run.getArray('SCS_BLU_XGM/XGM/DOOCS:output', 'data.intensitySa3TD');
    const v = xgm.values as Float32Array;
    const { intensity, boz } = f.runs.truth;
    for (let t = 0; t < 12; t++) for (let k = 0; k < 4; k++) assert.ok(Math.abs(v[t * 1000 + k] - boz.intensity.xgmUJ * intensity[t * 4 + k]) < 1e-3);
  });

  it('loadDsscModule drops the intra-darks (frames 1, 3, …) by default and returns the train IDs', async () => {
    const { arr, tid } = await loadDsscModule(f.runs.proposal, f.runs.run);
    assert.equal(arr.pulses, 4);
    assert.equal(arr.module, 15);
    assert.deepEqual(Array.from(tid, Number), f.runs.truth.trainIds);
    const kept = await framesOf(arr);
    for (let t = 0; t < 12; t++) for (let k = 0; k < 4; k++) {
      assert.deepEqual(kept.subarray((t * 4 + k) * PIX, (t * 4 + k + 1) * PIX), all.subarray((t * 8 + 2 * k) * PIX, (t * 8 + 2 * k + 1) * PIX));
    }
  });

  it('loadDsscModule: subset selects trains, persist holds them in memory (dataSizeGb truncates)', async () => {
    const { arr, tid } = await loadDsscModule(f.runs.proposal, f.runs.run, { subset: new Slice(2, 6) });
    assert.deepEqual(Array.from(tid, Number), f.runs.truth.trainIds.slice(2, 6));
    const sub = await framesOf(arr);
    const kept = await framesOf((await loadDsscModule(f.runs.proposal, f.runs.run)).arr);
    assert.deepEqual(sub, kept.subarray(2 * 4 * PIX, 6 * 4 * PIX));
    const p = await loadDsscModule(f.runs.proposal, f.runs.run, { persist: true, dataSizeGb: (3 * 4 * PIX * 2 + 10) / 1e9 });
    assert.equal(p.tid.length, 3);
    const full = await framesOf((await loadDsscModule(f.runs.proposal, f.runs.run)).arr);
    assert.deepEqual(await framesOf(p.arr), full.subarray(0, 3 * 4 * PIX));
  });

  it('loadDsscModule: a module the run lacks is an error listing the modules it has', async () => {
    await assert.rejects(loadDsscModule(f.runs.proposal, f.runs.run, { moduleNB: 3 }),
      (e: Error) => e instanceof SourceNameError && /run 2 has no DSSC module 3; modules present: 15/.test(e.message));
    await assert.rejects(loadDsscModule(f.runs.proposal, f.runs.run, { moduleNB: 16 }), /moduleNB must be a DSSC module 0-15/);
    await assert.rejects(loadDsscModule(f.runs.proposal, f.runs.run, { persist: true, dataSizeGb: 1e-9 }), /holds no whole train/);
  });

  it('loadDsscModule: raw values above 9 bits are an error naming run, module and train', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'boz-16bit-'));
    try {
      // the pump-probe mock run's hot pixels read 16000: not 9-bit data
      await writeMockRun(join(dir, 'SCS', '202601', 'p002212', 'raw', 'r0007'), { trains: 2, frames: 4, modules: [15], pixels: [128, 512], run: 7 });
      const before = process.env.EXFEL_DATA_ROOT;
      process.env.EXFEL_DATA_ROOT = dir;
      try {
        const { arr } = await loadDsscModule(2212, 7);
        await assert.rejects(framesOf(arr), (e: Error) => e instanceof ToolBoxValueError && /run 7: DSSC module 15 holds raw value 16000 in train 10000; BOZ needs 9-bit/.test(e.message));
      } finally {
        if (before === undefined) delete process.env.EXFEL_DATA_ROOT;
        else process.env.EXFEL_DATA_ROOT = before;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.throws(() => inMemoryModule({ proposal: 1, run: 1, module: 0, trainIds: new BigUint64Array(1), pulses: 1 }, new Uint16Array(PIX).fill(600)), /raw value 600/);
  });

  it('stops when aborted', async () => {
    const { arr } = await loadDsscModule(f.runs.proposal, f.runs.run);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(async () => { for await (const c of arr.chunks({ signal: ac.signal, trains: 2 })) void c; }, /abort/i);
  });
});
