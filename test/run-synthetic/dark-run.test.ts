import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, getDsscModule, runByPath } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { ADQ_SOURCE } from '../../toolbox/synthetic/run/mock-adq.js';
import { SOURCES } from '../../toolbox/synthetic/run/mock-sources.js';

const OPTIONS = { proposal: 2212, run: 5, trains: 6, frames: 8, modules: [0, 2], seed: 11, pixels: [16, 32] as [number, number] };

/** Per frame kind, the mean over trains, frames and non-hot pixels, and the smallest and largest non-hot value. */
function frameStats(frames: Uint16Array, truth: MockRunTruth, module: number) {
  const { framesPerTrain: F, pixels } = truth.dssc;
  const P = pixels[0] * pixels[1];
  const hot = new Set(truth.dssc.hotPixels[String(module)]);
  const out: Record<string, { sum: number; n: number; min: number; max: number }> = {};
  for (let e = 0; e < frames.length / P; e++) {
    const kind = truth.physics.frames.kinds[e % F];
    const s = (out[kind] ??= { sum: 0, n: 0, min: Infinity, max: -Infinity });
    for (let p = 0; p < P; p++) {
      if (hot.has(p)) continue;
      const v = frames[e * P + p];
      s.sum += v; s.n++;
      s.min = Math.min(s.min, v); s.max = Math.max(s.max, v);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, s]) => [k, { mean: s.sum / s.n, min: s.min, max: s.max }]));
}

describe('writeMockRun({ dark: true })', function () {
  let root: string;
  let dark: { truth: MockRunTruth; run: DataCollection };
  let bright: { truth: MockRunTruth; run: DataCollection };
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-dark-run-'));
    const darkTruth = await writeMockRun(join(root, 'dark'), { ...OPTIONS, dark: true });
    const brightTruth = await writeMockRun(join(root, 'bright'), OPTIONS);
    dark = { truth: darkTruth, run: await runByPath(join(root, 'dark')) };
    bright = { truth: brightTruth, run: await runByPath(join(root, 'bright')) };
  });
  after(() => {
    dark?.run.close();
    bright?.run.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('says dark: true in truth.json (and dark: false for an ordinary run)', () => {
    const onDisk = JSON.parse(readFileSync(join(root, 'dark', 'truth.json'), 'utf8')) as MockRunTruth;
    assert.equal(onDisk.dark, true);
    assert.equal(bright.truth.dark, false);
  });

  it('keeps the sources, trains, modules and frames of the ordinary run', () => {
    assert.deepEqual(Object.keys(dark.truth.sources).sort(), Object.keys(bright.truth.sources).sort());
    assert.deepEqual(dark.run.trainIds, bright.run.trainIds);
    assert.deepEqual(dark.truth.dssc, bright.truth.dssc);
    assert.deepEqual(dark.truth.files.map((f) => f.name), bright.truth.files.map((f) => f.name));
  });

  for (const module of OPTIONS.modules) {
    it(`fills every frame of module ${module} with baseline + dark photons + hot pixels only`, async () => {
      const da = await getDsscModule(dark.run, module);
      assert.deepEqual(da.dims, ['trainId', 'pulse', 'x', 'y']);
      assert.deepEqual(da.shape, [6, 8, 16, 32]);
      const frames = da.values as Uint16Array;
      const { baseline, darkPhotons, hotPixelValue } = dark.truth.physics.detector;
      const P = 16 * 32;
      for (let e = 0; e < 6 * 8; e++) {
        for (const h of dark.truth.dssc.hotPixels[String(module)]) assert.equal(frames[e * P + h], hotPixelValue);
      }
      const stats = frameStats(frames, dark.truth, module);
      for (const [kind, s] of Object.entries(stats)) {
        assert.ok(s.min >= baseline, `${kind}: min ${s.min} below baseline`);
        // 0.02 dark photons per pixel: a handful of single photons, never the ring's piles
        assert.ok(s.max <= baseline + 3, `${kind}: max ${s.max}`);
        assert.ok(Math.abs(s.mean - baseline - darkPhotons) < 0.02, `${kind}: mean ${s.mean}`);
      }
      // the ordinary run's X-ray frames hold the ring, so the dark option really changed them
      const lit = frameStats((await getDsscModule(bright.run, module)).values as Uint16Array, bright.truth, module);
      assert.ok(lit.unpumped.mean > baseline + 0.3, `ordinary unpumped mean ${lit.unpumped.mean}`);
    });
  }

  it('leaves the XGM and the BAM unchanged and records no MCP peaks', async () => {
    for (const [src, key] of [[SOURCES.xgmOutput, 'data.intensitySa3TD'], [SOURCES.bam, 'data.lowChargeArrivalTime']]) {
      const a = await dark.run.getArray(src, key);
      const b = await bright.run.getArray(src, key);
      assert.deepEqual(a.shape, b.shape);
      assert.deepEqual(Array.from(a.values as Float32Array), Array.from(b.values as Float32Array), `${src} ${key}`);
    }
    const apd = await dark.run.getArray(ADQ_SOURCE, 'digitizers.channel_1_D.apd.pulseIntegral');
    assert.ok((apd.values as Float32Array).every((v) => v === 0));
    const lit = await bright.run.getArray(ADQ_SOURCE, 'digitizers.channel_1_D.apd.pulseIntegral');
    assert.ok((lit.values as Float32Array).some((v) => v < 0));
  });

  it('is written by scs mock-run --dark', () => {
    const out = join(root, 'cli-dark');
    const stdout = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'scs.js'), 'mock-run', '--out', out,
      '--trains', '2', '--frames', '4', '--dark', '--quiet'], { encoding: 'utf8' });
    assert.match(stdout, /2 trains .* 1 DSSC modules x 4 frames, format 1\.0, dark run/);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as MockRunTruth;
    assert.equal(truth.dark, true);
  });
});
