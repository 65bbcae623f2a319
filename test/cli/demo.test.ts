import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../toolbox/synthetic/demo.js';
import { pumpProbeSignal } from '../../toolbox/synthetic/binned.js';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');

describe('scs demo (the README main job)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-demo-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips exactly and recovers the pump-probe signal the generator put in', async () => {
    const r = await runDemo({ outDir: dir, modules: 4, seed: 3 });
    assert.equal(r.files.length, 4);
    assert.equal(r.maxRoundTripError, 0);
    assert.deepEqual(r.combined.get('data').dims, ['module', 'delay', 'pulse', 'x', 'y']);
    assert.deepEqual(r.combined.get('data').shape, [4, 8, 2, 16, 32]);
    for (const { delay, signal, truth } of r.recovered) {
      assert.equal(truth, pumpProbeSignal(delay));
      assert.ok(Math.abs(signal - truth) < 0.01, `delay ${delay}: recovered ${signal}, truth ${truth}`);
    }
  });

  it('runs from the command line and reports where the files are', () => {
    const out = execFileSync(process.execPath, [cli, 'demo', '--out', dir, '--modules', '2'], { encoding: 'utf8' });
    assert.match(out, /wrote 2 module files/);
    assert.match(out, /max \|loaded - written\| = 0/);
    assert.ok(existsSync(join(dir, 'module00.h5')) && existsSync(join(dir, 'module01.h5')));
  });

  it('prints a readable error and exits non-zero on bad input', () => {
    // a folder cannot be made below a regular file
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    assert.throws(
      () => execFileSync(process.execPath, [cli, 'demo', '--out', join(file, 'out')], { encoding: 'utf8', stdio: 'pipe' }),
      (e: { status: number; stderr: string }) =>
        e.status === 1 && /scs: ToolBoxPathError: cannot create output folder .*not-a-folder/.test(e.stderr),
    );
  });
});
