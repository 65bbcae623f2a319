import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceNameError, badPixelMap, findRoisFromParams, parameters } from '../../toolbox/index.js';
import { type BozRuns, writeBozRuns } from '../../toolbox/synthetic/run/boz-run.js';
import { MODULE_COLS } from './params-helpers.js';

describe('BOZ params on a synthetic BOZ run', () => {
  let root: string;
  let runs: BozRuns;
  const saved = process.env.EXFEL_DATA_ROOT;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-boz-params-run-'));
    runs = await writeBozRuns(root, { trains: 10, frames: 20 });
    process.env.EXFEL_DATA_ROOT = root;
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('openData, badPixelMap finds the hot and dead pixels, findRoisFromParams the beams where the generator put them', async () => {
    const p = new parameters(runs.proposal, runs.darkRun, runs.run, runs.module, 0.5);
    await p.openData();
    assert.equal(p.arr!.pulses, 10);
    assert.deepEqual(Array.from(p.tid!, Number), runs.truth.trainIds);
    assert.deepEqual(Array.from(p.tidDark!, Number), runs.darkTruth.trainIds);
    p.meanTh = [5, 100];
    p.stdTh = [null, 8];
    p.setMask(await badPixelMap(p));
    const bad = runs.truth.boz.badPixels;
    assert.deepEqual(p.getMaskIdx(), [...bad.hot, ...bad.dead].sort((a, b) => a - b).map((i) => [Math.floor(i / MODULE_COLS), i % MODULE_COLS]));
    p.roisTh = 20;
    p.rois = await findRoisFromParams(p);
    assert.deepEqual(p.rois, runs.truth.boz.rois);
    const q = await parameters.load(await p.save(join(root, 'out')));
    assert.deepEqual(q.rois, runs.truth.boz.rois);
    assert.deepEqual(q.getMaskIdx(), p.getMaskIdx());
  });

  it('a module the run lacks: the loader\'s error names it', async () => {
    const p = new parameters(runs.proposal, runs.darkRun, runs.run, runs.module === 3 ? 4 : 3, 0.5);
    await assert.rejects(p.openData(), (e: Error) => e instanceof SourceNameError && /has no DSSC module/.test(e.message));
  });
});
