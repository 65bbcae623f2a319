/**
 * A multi-module DSSC binning that fails in one module says which module
 * files were written, which module failed and why, and which were not
 * written; the error keeps its class and its first line.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, type DataCollection, ToolBoxFileError, ToolBoxPathError, binningOutcome, loadXarray, runByPath } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('faults: DSSC binning with one failing module', function () {
  this.timeout(300_000);
  let dir = '';
  let run: DataCollection | undefined;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-dssc-fail-')); });
  afterEach(() => { run?.close(); run = undefined; rmSync(dir, { recursive: true, force: true }); });

  async function binner(modules: number): Promise<DSSCBinner> {
    await writeMockRun(join(dir, 'raw'), { proposal: 2719, run: 179, trains: 6, frames: 4, modules, pixels: [8, 16], seed: 1 });
    run = await runByPath(join(dir, 'raw'));
    return DSSCBinner.create(run, {});
  }

  it('a module file that cannot be written: the other modules are written and listed', async () => {
    const b = await binner(3);
    const out = join(dir, 'out');
    mkdirSync(join(out, 'run_179_module1.h5'), { recursive: true });
    const first = `${join(out, 'run_179_module1.h5')} is a folder, not a file`;
    await assert.rejects(b.processData({ filepath: out, nJobs: 2, progress: false }), (e: unknown) => {
      assert.ok(e instanceof ToolBoxPathError);
      assert.equal(e.message, `${first}\nDSSC binning of run 179: module files written: module 0 → ${join(out, 'run_179_module0.h5')}; `
        + `module 2 → ${join(out, 'run_179_module2.h5')}. Failed: module 1 (${first}). Not written: none.`);
      assert.deepEqual(binningOutcome(e), {
        run: 179, written: [{ module: 0, file: join(out, 'run_179_module0.h5') }, { module: 2, file: join(out, 'run_179_module2.h5') }],
        failed: [{ module: 1, reason: first }], notWritten: [],
      });
      return true;
    });
    assert.deepEqual(readdirSync(out).sort(), ['run_179_module0.h5', 'run_179_module1.h5', 'run_179_module2.h5']);
    const ds = await loadXarray(join(out, 'run_179_module2.h5'), { group: 'data' });
    assert.deepEqual(ds.variable('data').shape.slice(-2), [8, 16]);
  });

  it('a module whose raw file is broken: modules before it written, after it not written', async () => {
    const b = await binner(3);
    const raw = readdirSync(join(dir, 'raw')).find((f) => f.includes('DSSC01'))!;
    // A new file under the old name: the open collection keeps the old one, the workers open the new one.
    unlinkSync(join(dir, 'raw', raw));
    writeFileSync(join(dir, 'raw', raw), 'not an HDF5 file');
    const out = join(dir, 'out');
    const first = `${join(dir, 'raw', raw)} is not an HDF5 file`;
    await assert.rejects(b.processData({ filepath: out, nJobs: 1, progress: false }), (e: unknown) => {
      assert.ok(e instanceof ToolBoxFileError);
      assert.equal(e.message, `${first}\nDSSC binning of run 179: module files written: module 0 → ${join(out, 'run_179_module0.h5')}. `
        + `Failed: module 1 (${first}). Not written: 2.`);
      assert.deepEqual(binningOutcome(e)?.notWritten, [2]);
      return true;
    });
    assert.deepEqual(readdirSync(out), ['run_179_module0.h5']);
  });
});
