/**
 * writeMockRun({ scattering }): the DSSC ring drawn through the DSSC 1M
 * geometry at a known q, what truth.json records of it, that the default
 * run stays as it was, and the option's errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSC_1MGeometry, ToolBoxValueError, getDsscModule, runByPath } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { HC_EV_M, pixelQ } from '../../toolbox/synthetic/run/mock-scattering.js';

const OPTIONS = { proposal: 2212, run: 3, trains: 8, frames: 4, modules: 16, seed: 5, pixels: [16, 32] as [number, number] };
const OFFSET: [number, number] = [1.5, -2];

describe('writeMockRun({ scattering })', function () {
  this.timeout(120_000);
  let root: string;
  let truth: MockRunTruth;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-scattering-run-'));
    truth = await writeMockRun(join(root, 'ring'), { ...OPTIONS, scattering: { centerOffset: OFFSET } });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('records the ring, the geometry and the pump factors in truth.json', () => {
    const s = truth.scattering!;
    assert.equal(s.q0, 0.5);
    assert.equal(s.width, 0.5 / 15);
    assert.equal(s.qUnit, 'q_nm^-1');
    assert.equal(s.photonEnergy, truth.physics.mono.fixedEnergy);
    assert.equal(s.wavelength, HC_EV_M / s.photonEnergy);
    assert.deepEqual(s.quadPositions, [[-130, 5], [-130, -125], [5, -125], [5, 5]]);
    assert.deepEqual(s.centerOffset, OFFSET);
    assert.deepEqual(s.modulePixels, OPTIONS.pixels);
    assert.deepEqual(s.pumpFactor, truth.physics.scan.pumpFactor);
    assert.deepEqual(s.delayPs, truth.physics.scan.delayPs);
    const onDisk = JSON.parse(readFileSync(join(root, 'ring', 'truth.json'), 'utf8')) as MockRunTruth;
    assert.deepEqual(onDisk.scattering, s);
  });

  it('puts the photons where the pixel q is q0, around the offset beam', async () => {
    const s = truth.scattering!;
    const geom = DSSC_1MGeometry.fromQuadPositions(s.quadPositions, { modulePixels: s.modulePixels });
    const pos = geom.getPixelPositions();
    const run = await runByPath(join(root, 'ring'));
    const P = OPTIONS.pixels[0] * OPTIONS.pixels[1];
    const F = OPTIONS.frames;
    // mean photons (above the baseline) of unpumped frames in pixels near the ring's crest and far from it
    const bands = { crest: { sum: 0, n: 0 }, far: { sum: 0, n: 0 } };
    for (let m = 0; m < 16; m++) {
      const frames = (await getDsscModule(run, m)).values as Uint16Array;
      const hot = new Set(truth.dssc.hotPixels[String(m)]);
      for (let p = 0; p < P; p++) {
        if (hot.has(p)) continue;
        const i = 3 * (m * P + p);
        const d = Math.abs(pixelQ(pos[i] - OFFSET[0] * 1e-3, pos[i + 1] - OFFSET[1] * 1e-3, s.distance, s.wavelength) - s.q0);
        const band = d < 0.5 * s.width ? bands.crest : d > 4 * s.width ? bands.far : null;
        if (!band) continue;
        for (let e = 0; e < frames.length / P; e++) {
          if (truth.physics.frames.kinds[e % F] !== 'unpumped') continue;
          band.sum += frames[e * P + p] - truth.physics.detector.baseline;
          band.n++;
        }
      }
    }
    const crest = bands.crest.sum / bands.crest.n;
    const far = bands.far.sum / bands.far.n;
    // at |q − q0| < σ/2 the ring gives ≥ exp(−1/8) of its 10 photons; far away only background 0.2 + dark 0.02
    assert.ok(bands.crest.n > 100 && bands.far.n > 100, `pixels: ${JSON.stringify(bands)}`);
    assert.ok(crest > 0.8 * s.peakPhotons, `crest mean ${crest}`);
    assert.ok(far < 0.5, `far mean ${far}`);
    // the distance puts the ring at 55 % of the largest beam–pixel distance
    let rMax = 0;
    for (let i = 0; i < pos.length; i += 3) rMax = Math.max(rMax, Math.hypot(pos[i] - OFFSET[0] * 1e-3, pos[i + 1] - OFFSET[1] * 1e-3));
    const tth = 2 * Math.asin((s.q0 * s.wavelength * 1e9) / (4 * Math.PI));
    assert.ok(Math.abs(s.distance * Math.tan(tth) - 0.55 * rMax) < 1e-12);
    run.close();
  });

  it('leaves the default run as it was: no scattering truth, the same physics', async () => {
    const plain = await writeMockRun(join(root, 'plain'), OPTIONS);
    assert.equal('scattering' in plain, false);
    assert.deepEqual(plain.physics, truth.physics);
  });

  it('rejects an energy scan, bad numbers and unknown keys, naming them', async () => {
    const write = (o: object) => writeMockRun(join(root, 'bad'), { ...OPTIONS, ...o });
    await assert.rejects(write({ scan: 'energy', scattering: true }), (e: Error) => e instanceof ToolBoxValueError && /scattering needs scan 'delay'.*got scan 'energy'/.test(e.message));
    await assert.rejects(write({ scattering: { q0: -1 } }), /scattering\.q0 must be a positive number, got -1/);
    await assert.rejects(write({ scattering: { q0: 8 } }), /scattering\.q0 8 nm⁻¹ is beyond 4π\/λ/);
    await assert.rejects(write({ scattering: { centerOffset: [1] } }), /scattering\.centerOffset must be two finite numbers/);
    await assert.rejects(write({ scattering: { radius: 3 } }), /radius/);
  });
});
