/**
 * reflectivity() on the synthetic reflectivity run (scs mock-run --routine
 * reflectivity): loaded with load() (FastADC peaks on ol_pId, the BAM on
 * sa3_pId), the double-exponential fit gives back the generator's t0 within
 * its error once the delay is corrected by the BAM, and the correction
 * sharpens the edge (smaller fitted σ). The plot carries vega-lite layers
 * and an SVG fallback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, type ReflectivityResult, load, positionToDelay, reflectivity } from '../../toolbox/index.js';
import { MIME_BUNDLE } from '../../toolbox/display/mime.js';
import { VEGALITE_MIME } from '../../toolbox/plots/spec.js';
import { type ReflectivityPhysics, writeReflectivityRun } from '../../toolbox/synthetic/run/reflectivity-run.js';

const attr = (r: Dataset, k: string): number => Number(r.attrs[k]);

describe('reflectivity on the synthetic delay scan', function () {
  this.timeout(120_000);
  let root: string, ds: Dataset, truth: ReflectivityPhysics;
  const saved = process.env.EXFEL_DATA_ROOT;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-refl-run-'));
    truth = (await writeReflectivityRun(join(root, 'SCS', '202601', 'p002212', 'raw', 'r0017'))).physics;
    process.env.EXFEL_DATA_ROOT = root;
    const { run, ds: loaded } = await load(2212, 17, ['FastADC5peaks', 'FastADC3peaks', 'PP800_DelayLine', 'BAM1932M'],
      { bunchPattern: { FastADC5peaks: 'scs_ppl', FastADC3peaks: 'scs_ppl', BAM1932M: 'sase3' } });
    run.close();
    ds = loaded;
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT; else process.env.EXFEL_DATA_ROOT = saved;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  let raw: ReflectivityResult, corrected: ReflectivityResult;
  it('the stage-position scan: ps axis from origin, t0 position near the truth, edge widened by the BAM jitter', () => {
    raw = reflectivity(ds, { binWidth: 0.01, origin: 12.3, fit: true });
    assert.equal(raw.sizes.PP800_DelayLine, truth.positions.length);
    assert.deepEqual([...new Set(Array.from(raw.get('counts').values as Int32Array))], [truth.trainsPerPoint * 10]);
    assert.ok(Math.abs(attr(raw, 't0Position') - truth.t0Position) < 4 * attr(raw, 't0PositionErr'), `t0 position ${attr(raw, 't0Position')} ± ${attr(raw, 't0PositionErr')} vs ${truth.t0Position}`);
    assert.ok(attr(raw, 'sigma') > 1.5 * truth.sigmaPs, `uncorrected σ ${attr(raw, 'sigma')} should show the BAM jitter (${truth.bamJitterPs} ps)`);
  });
  it('the BAM-corrected delay: t0, σ and the time constants within their errors', () => {
    const bam = ds.get('BAM1932M').mean('sa3_pId');
    const delay = positionToDelay(ds.get('PP800_DelayLine'), { origin: truth.t0Position, invert: false }).add(bam.sub(bam.mean().item()));
    corrected = reflectivity(ds.assign({ delay_corr: delay }), { delaykey: 'delay_corr', units: 'ps', binWidth: 0.05, fit: 'doubleExponential' });
    const within = (name: string, want: number, k = 3) => assert.ok(Math.abs(attr(corrected, name) - want) <= k * attr(corrected, `${name}Err`),
      `${name} ${attr(corrected, name)} ± ${attr(corrected, `${name}Err`)} vs truth ${want}`);
    within('t0', truth.t0Ps);
    within('sigma', truth.sigmaPs);
    within('tau1', truth.tau1Ps);
    within('a1', truth.a1);
    assert.ok(attr(corrected, 't0Err') < 0.01, `t0 error ${attr(corrected, 't0Err')} ps`);
    assert.ok(attr(corrected, 'sigma') < attr(raw, 'sigma') / 1.5, 'the BAM correction sharpens the edge');
  });
  it('the plot: points, 95% band, fit curve and t0 rule as vega-lite layers, with an SVG fallback', async () => {
    const bundle = await (corrected as unknown as { [MIME_BUNDLE]: () => Promise<{ data: Record<string, unknown> }> })[MIME_BUNDLE]();
    const spec = bundle.data[VEGALITE_MIME] as { layer: { mark: { type: string } }[] };
    assert.deepEqual(spec.layer.map((l) => l.mark.type), ['area', 'line', 'line', 'rule']);
    assert.match(Buffer.from(String(bundle.data['image/png']), 'base64').subarray(1, 4).toString(), /^PNG$/);
    assert.match(String(bundle.data['text/plain']), /Dimensions: +\(delay_corr: \d+\)/);
    const noBand = reflectivity(ds, { binWidth: 0.01, plotErrors: false });
    assert.deepEqual(((await noBand.plot!.toSpec()).layer as { mark: { type: string } }[]).map((l) => l.mark.type), ['line']);
    assert.equal(reflectivity(ds, { binWidth: 0.01, plot: false }).plot, undefined);
  });
});
