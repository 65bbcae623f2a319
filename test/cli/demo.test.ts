/**
 * `scs demo` (`npm start`), run as a user runs it: a synthetic proposal,
 * the binning notebook for the 4 module groups and the summary notebook on
 * our kernel (as local background jobs here; test/batch/dssc-workflow.test.ts
 * runs the same workflow on SLURM), and the recovered pump-probe signal
 * printed next to the generator's truth.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');

interface Row { axis: number; delay: number; recovered: number; truth: number }

/** The table rows the demo prints: delay axis, delay after t0, recovered, truth. */
function signalRows(stdout: string): Row[] {
  return [...stdout.matchAll(/^ *(-?\d+\.\d+) +(-?\d+\.\d+) +(-?\d+\.\d+) +(-?\d+\.\d+)$/gm)]
    .map((m) => ({ axis: Number(m[1]), delay: Number(m[2]), recovered: Number(m[3]), truth: Number(m[4]) }));
}

describe('scs demo (npm start)', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-demo-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bins a synthetic delay scan with the notebooks and recovers the pump-probe signal the generator put in', async () => {
    const out = join(dir, 'demo');
    // a private job registry: the demo's jobs do not show in the user's `scs jobs`
    const env = { ...process.env, XDG_STATE_HOME: join(dir, 'state') };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, 'demo', '--out', out, '--local'], { env, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, so, se) => {
        resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0, stdout: so, stderr: se });
      });
    });
    assert.equal(code, 0, `${stdout}\n${stderr}`);

    const truth = JSON.parse(readFileSync(join(out, 'data', 'SCS', '202601', 'p002719', 'raw', 'r0002', 'truth.json'), 'utf8')) as
      { physics: { scan: { delayPs: number[]; pumpFactor: number[] } } };
    assert.equal(JSON.parse(readFileSync(join(out, 'data', 'SCS', '202601', 'p002719', 'raw', 'r0001', 'truth.json'), 'utf8')).dark, true);
    const rows = signalRows(stdout);
    const { delayPs, pumpFactor } = truth.physics.scan;
    assert.equal(rows.length, delayPs.length, stdout);
    for (const row of rows) {
      // every scan bin is one scan point of the generator, printed with its own truth
      const k = delayPs.findIndex((d) => Math.abs(d - row.delay) < 0.005);
      assert.ok(k >= 0, `delay ${row.delay} is not a scan point of truth.json (${delayPs.join(', ')})`);
      assert.ok(Math.abs(row.truth - (pumpFactor[k] - 1)) < 5e-5, `printed truth ${row.truth} vs pumpFactor - 1 = ${pumpFactor[k] - 1}`);
      // photon noise on ~2000 ring pixels x 16 frames per bin is well under 1 %
      assert.ok(Math.abs(row.recovered - row.truth) < 0.02, `delay ${row.delay} ps: recovered ${row.recovered}, truth ${row.truth}`);
    }
    assert.ok(rows.some((r) => r.truth < -0.2), 'the scan reaches delays with a clear signal');

    assert.ok(existsSync(join(out, '.scs-demo')));
    const results = join(out, 'results');
    for (let m = 0; m < 16; m++) assert.ok(existsSync(join(results, `run_2_module${m}.h5`)), `module ${m} file is missing`);
    assert.ok(existsSync(join(results, 'combined', 'run2.h5')));
    for (const g of [0, 1, 2, 3]) assert.ok(existsSync(join(results, `dssc_binning_group${g}.ipynb`)));
    assert.ok(existsSync(join(results, 'dssc_summary.ipynb')));
    assert.match(stdout, new RegExp(`combined file: +${join(results, 'combined', 'run2.h5')}`));
    assert.match(stdout, new RegExp(`kernel 'scs-demo' installed in ${join(out, 'kernel')}`));
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

  it('refuses to replace anything in a folder it did not make', () => {
    const mine = join(dir, 'mine');
    mkdirSync(join(mine, 'results'), { recursive: true });
    writeFileSync(join(mine, 'results', 'precious.h5'), 'x');
    assert.throws(
      () => execFileSync(process.execPath, [cli, 'demo', '--out', mine], { encoding: 'utf8', stdio: 'pipe' }),
      (e: { status: number; stderr: string }) =>
        e.status === 1 && /scs: ToolBoxPathError: refusing to use .*mine for the demo: it is not empty and was not made by scs demo/.test(e.stderr),
    );
    assert.ok(existsSync(join(mine, 'results', 'precious.h5')));
  });
});
