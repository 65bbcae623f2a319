/**
 * knifeEdge on the synthetic knife-edge runs (writeRoutineRun('knife-edge')
 * scanning X, writeKnifeEdgeRun scanning Y) read with load(): the generator's
 * 1/e² radii and centres are recovered (radius within 2%), `full` gives popt
 * and pcov, and `plot` a vega-lite plot of points, fit and x0 marker with an
 * SVG fallback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, OptionsError, knifeEdge, load } from '../../toolbox/index.js';
import { MIME_BUNDLE } from '../../toolbox/display/mime.js';
import { VEGALITE_MIME } from '../../toolbox/plots/spec.js';
import { type KnifeEdgePhysics, writeKnifeEdgeRun } from '../../toolbox/synthetic/run/knife-edge-run.js';
import { writeRoutineRun } from '../../toolbox/synthetic/run/routine-runs.js';

describe('knifeEdge on the synthetic knife-edge runs', function () {
  this.timeout(120_000);
  let root: string;
  let truthX: KnifeEdgePhysics, truthY: KnifeEdgePhysics;
  let dsX: Dataset, dsY: Dataset;
  const saved = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-knife-run-'));
    const raw = join(root, 'SCS', '202601', 'p002212', 'raw');
    truthX = (await writeRoutineRun('knife-edge', join(raw, 'r0011'), { run: 11, seed: 3 })).physics as KnifeEdgePhysics;
    truthY = (await writeKnifeEdgeRun(join(raw, 'r0012'), { run: 12, seed: 4, axis: 'Y' })).physics;
    process.env.EXFEL_DATA_ROOT = root;
    dsX = (await load(2212, 11, ['scannerX', 'FastADC4peaks', 'SCS_SA3'])).ds;
    dsY = (await load(2212, 12, ['scannerY', 'FastADC4peaks', 'SCS_SA3'])).ds;
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('load puts the signal and the XGM on the SASE3 pulse axis', () => {
    assert.deepEqual(dsX.get('FastADC4peaks').dims, ['trainId', 'sa3_pId']);
    assert.deepEqual(Array.from(dsX.coords.sa3_pId.values as ArrayLike<number>, Number), truthX.sase3PulseIds);
    assert.deepEqual(dsX.get('SCS_SA3').dims, ['trainId', 'sa3_pId']);
    const e = Array.from(dsX.get('SCS_SA3').values as ArrayLike<number>);
    assert.ok(Math.abs(e.reduce((s, v) => s + v, 0) / e.length - truthX.pulseEnergy.meanUJ) < 1e-3);
  });

  it('recovers the X radius within 2% and the centre within a tenth of it', () => {
    const [w0, std] = knifeEdge(dsX);
    assert.ok(Math.abs(w0 - truthX.w0) < 0.02 * truthX.w0, `w0 ${w0} ± ${std}, truth ${truthX.w0}`);
    assert.ok(std > 0 && std < 0.02 * truthX.w0);
    const fit = knifeEdge(dsX);
    assert.equal(fit.function, 'erfc');
    assert.ok(Math.abs(fit.x0 - truthX.x0) < 0.1 * truthX.w0);
    assert.equal(fit.points, 200 * 4);
  });

  it('recovers the Y radius within 2% (axisKey scannerY)', () => {
    const [w0] = knifeEdge(dsY, { axisKey: 'scannerY' });
    assert.ok(Math.abs(w0 - truthY.w0y) < 0.02 * truthY.w0y, `w0 ${w0}, truth ${truthY.w0y}`);
  });

  it('full gives popt and pcov (x0, w0, a, b), a ≈ amplitude/2 and b ≈ background', () => {
    const [popt, pcov] = knifeEdge(dsX, { full: true });
    assert.equal(popt.length, 4);
    assert.equal(pcov.length, 4);
    assert.ok(Math.abs(popt[2] - truthX.amplitude / 2) < 0.02 * truthX.amplitude);
    assert.ok(Math.abs(popt[3] - truthX.background) < 5);
    assert.ok(Math.abs(Math.sqrt(pcov[1][1]) - knifeEdge(dsX).w0Std) < 1e-15);
  });

  it('axisRange restricts the fit to part of the scan', () => {
    const all = knifeEdge(dsX);
    const part = knifeEdge(dsX, { axisRange: [truthX.x0 - 1.5 * truthX.w0, truthX.x0 + 1.5 * truthX.w0] });
    assert.ok(part.points < all.points && part.points > 0);
    assert.ok(Math.abs(part.w0 - truthX.w0) < 0.03 * truthX.w0);
  });

  it('plot: vega-lite layers of points, fit curve and the x0 marker, w0 in the title, with an SVG fallback; display prints the fit', async () => {
    const logged: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => { logged.push(a.join(' ')); };
    let fit;
    try {
      fit = knifeEdge(dsX, { plot: true });
    } finally {
      console.log = log;
    }
    assert.match(logged.join('\n'), /erfc fit of 800 points[\s\S]*w0 = 0\.2\d+ ± /);
    assert.ok(fit.plot);
    const spec = await fit.plot.toSpec() as { title: string; layer: { mark: { type: string } }[] };
    assert.deepEqual(spec.layer.map((l) => l.mark.type), ['point', 'line', 'rule', 'text']);
    assert.match(spec.title, /^knife-edge: w0 = 0\.2\d* ± [\d.e-]+ mm \(1\/e² radius\), x0 = (5|4\.99)/);
    const bundle = await (fit as unknown as { [MIME_BUNDLE]: () => Promise<{ data: Record<string, unknown> }> })[MIME_BUNDLE]();
    assert.ok(VEGALITE_MIME in bundle.data);
    assert.match(Buffer.from(String(bundle.data['image/png']), 'base64').subarray(1, 4).toString(), /^PNG$/);
    assert.match(String(bundle.data['text/plain']), /knifeEdge\(scannerX, FastADC4peaks\): erfc fit/);
    // display: false silences the print even with a plot
    const quiet: string[] = [];
    console.log = (...a: unknown[]) => { quiet.push(a.join(' ')); };
    try { knifeEdge(dsX, { plot: true, display: false }); } finally { console.log = log; }
    assert.deepEqual(quiet, []);
  });

  it('the run writer checks its options and records the truth', async () => {
    const dir = join(root, 'bad');
    await assert.rejects(writeRoutineRun('knife-edge', dir, { axes: 'Y' } as never), OptionsError);
    await assert.rejects(writeKnifeEdgeRun(dir, { axis: 'Z' as never }), /axis must be 'X' or 'Y', got Z/);
    await assert.rejects(writeKnifeEdgeRun(dir, { w0x: 0 }), /w0x must be positive, got 0/);
    const truth = JSON.parse(readFileSync(join(root, 'SCS', '202601', 'p002212', 'raw', 'r0012', 'truth.json'), 'utf8')) as { physics: KnifeEdgePhysics };
    assert.deepEqual(truth.physics, truthY);
    assert.equal(truthY.axisKey, 'scannerY');
    const f = (2 * truthY.pulseEnergy.meanUJ * 1e-3) / (Math.PI * truthY.w0x * truthY.w0y * 1e-2);
    assert.ok(Math.abs(truthY.fluence.peakMJcm2 - f) < 1e-9 * f);
  });
});
