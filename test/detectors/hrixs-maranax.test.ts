/**
 * MaranaX: centroiding in worker threads gives exactly the spectra of the
 * single-threaded hRIXS (both methods, any number of workers), streaming a
 * run in chunks of trains gives them too (with the run's fields), the
 * photons put in come back within 2%, an abort stops the workers with a
 * ToolBoxError, and frames above NUM_MAX_HITS are reported.
 */
import assert from 'node:assert/strict';
import { DataArray, Dataset, MaranaX, SourceNameError, ToolBoxError, hRIXS } from '../../toolbox/index.js';
import type { HrixsRunPhysics } from '../../toolbox/synthetic/run/hrixs-run.js';
import { type HrixsProposal, PROPOSAL, hrixsProposal } from './hrixs-fixture.js';

const values = (ds: Dataset) => Array.from(ds.get('spectrum').values as Float64Array);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('MaranaX parallel and streamed centroiding', function () {
  this.timeout(120_000);
  let p: HrixsProposal;
  let truth: HrixsRunPhysics;
  let m: MaranaX;
  let h: hRIXS;
  let data: Dataset;

  before(async () => {
    p = hrixsProposal('scs-maranax-');
    truth = (await p.write(1, { trains: 24, photonsPerFrame: 25 })).physics;
    await p.write(2, { dark: true, trains: 4 });
    await p.write(3, { trains: 2, detector: 'hRIXS_det' });
    m = new MaranaX(PROPOSAL);
    h = new hRIXS(PROPOSAL);
    await m.loadDark(2);
    await h.loadDark(2);
    data = await m.fromRun(1);
  });
  after(() => p?.restore());

  it('has the Python attributes and 2 workers by default', () => {
    assert.equal(m.NUM_MAX_HITS, 30);
    assert.equal(m.WORKERS, 2);
    assert.equal(new MaranaX(PROPOSAL, { workers: 3 }).WORKERS, 3);
    assert.ok(m instanceof hRIXS);
  });

  it('centroid in 2 or 3 workers equals the single-threaded hRIXS, both methods', async () => {
    for (const method of ['auto', 'manual'] as const) {
      const want = values(await h.centroid(data, { method }));
      assert.deepEqual(values(await m.centroid(data, { method, progress: false })), want, `${method}, 2 workers`);
      assert.deepEqual(values(await m.centroid(data, { method, workers: 3, progress: false })), want, `${method}, 3 workers`);
    }
  });

  it('centroidFromRun streams the run in chunks and gives the same spectra, with the fields', async () => {
    const want = await h.centroid(data);
    const got = await m.centroidFromRun(1, { chunksize: 5, progress: false });
    assert.deepEqual(got.dataVars, ['hRIXS_delay', 'hRIXS_norm', 'nrj', 'spectrum']);
    assert.deepEqual(Array.from(got.get('trainId').values as BigUint64Array), Array.from(want.get('trainId').values as BigUint64Array));
    assert.deepEqual(values(got), values(want));
    const photons = sum(values(got)), put = sum(truth.photons);
    assert.ok(Math.abs(photons - put) <= 0.02 * put, `photons ${photons}, put in ${put}`);
  });

  it("a frame whose mean falls far below the previous frame's gives the hits of a fresh start (the pre-selection is redone)", async () => {
    const one = data.get('MaranaX').isel({ trainId: 0 });
    const raw = one.values as Uint16Array, n = raw.length;
    const two = new Uint16Array(2 * n);
    for (let p = 0; p < n; p++) { two[p] = raw[p] + 60; two[n + p] = raw[p]; }
    const ds = new Dataset({
      MaranaX: new DataArray(two, { dims: ['trainId', 'x', 'y'], shape: [2, ...one.shape], coords: { trainId: BigUint64Array.of(1n, 2n) } }),
      nrj: new DataArray(Float64Array.of(930, 930), { dims: ['trainId'], coords: { trainId: BigUint64Array.of(1n, 2n) } }),
    });
    const spec = (await h.centroid(ds)).get('spectrum');
    const alone = h.centroidTwo(one, 930);
    assert.equal(spec.isel({ trainId: 1 }).sum().item(), alone.singles.length + 2 * alone.doubles.length);
    assert.ok(alone.singles.length > 10);
  });

  it('an abort terminates the workers with a ToolBoxError', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(m.centroidFromRun(1, { chunksize: 2, progress: false, signal: ac.signal }), (e: Error) => e instanceof ToolBoxError && /^MaranaX centroiding aborted after \d+ of 24 frames$/.test(e.message));
  });

  it('bad input: a camera the run lacks, bad workers, frames above NUM_MAX_HITS', async () => {
    await assert.rejects(m.centroidFromRun(3), SourceNameError);
    await assert.rejects(m.centroid(data, { workers: 0 }), { message: /^workers must be an integer from 1 to \d+, got 0$/ });
    const k = new MaranaX(PROPOSAL);
    await k.loadDark(2);
    k.NUM_MAX_HITS = 5;
    const seen: string[] = [];
    const listen = (w: Error) => { if (w.name === 'ToolBoxWarning') seen.push(w.message); };
    process.on('warning', listen);
    try {
      await k.centroid(data, { progress: false });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', listen);
    }
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^24 of 24 frames have more than NUM_MAX_HITS = 5 hits \(at most 2\d\); all are counted here \(the Python MaranaX keeps NUM_MAX_HITS per frame\)$/);
  });
});
