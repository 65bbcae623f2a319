import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { averageModule } from '../../toolbox/routines/boz/average.js';
import { processModule } from '../../toolbox/routines/boz/process.js';
import { type BozFixture, bozFixture, loadBoth } from './data-helpers.js';

describe('BOZ data: a run with a sample in beam n, and scs mock-run --boz', function () {
  this.timeout(120_000);
  let f: BozFixture;
  before(async () => { f = await bozFixture({ trains: 10, frames: 4, absorption: 0.5, scanPoints: 10 }); });
  after(async () => { await f?.restore(); });

  it('n/0 per train follows the sample transmission exp(−absorption·μ(E)) truth.json records', async () => {
    const { dark, run, tid } = await loadBoth(f);
    const { rois } = f.runs.truth.boz;
    const ds = await processModule(run, tid, await averageModule(dark), { n: rois.n, '0': rois['0'] });
    const n = ds.get('n').values as Float64Array, z = ds.get('0').values as Float64Array;
    const T = f.runs.truth.transmission;
    assert.ok(Math.max(...T) / Math.min(...T) > 1.5, `transmission ${T}`);
    assert.deepEqual(f.runs.darkTruth.transmission, new Array(10).fill(1));
    const k = T.map((t, i) => (n[2 * i] + n[2 * i + 1]) / (z[2 * i] + z[2 * i + 1]) / t);
    const m = k.reduce((a, b) => a + b, 0) / k.length;
    for (const x of k) assert.ok(Math.abs(x / m - 1) < 0.03, `n/0 over the transmission: ${k}`);
  });

  it('scs mock-run --boz writes the pair below the data root', async () => {
    const root = await mkdtemp(join(tmpdir(), 'boz-cli-'));
    try {
      const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'mock-run', '--boz', '-o', root, '--trains', '2', '--frames', '4', '--run', '5', '--dark-run', '4', '--module', '3', '-q']);
      assert.match(stdout, /dark run 4 and run 5, DSSC module 3, 2 trains x 4 frames/);
      const dir = join(root, 'SCS', '202601', 'p002212', 'raw', 'r0005');
      assert.deepEqual((await readdir(dir)).sort(), ['RAW-R0005-DA01-S00000.h5', 'RAW-R0005-DSSC03-S00000.h5', 'truth.json']);
      const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as { pairedRun: number; module: number };
      assert.equal(truth.pairedRun, 4);
      assert.equal(truth.module, 3);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
