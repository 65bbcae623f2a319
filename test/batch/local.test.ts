/**
 * `scs submit --local`: the same script in the background without SLURM,
 * with the same log files, --wait, --after and scs cancel.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BatchSandbox, makeBatchSandbox, notebookStdout, scs, submittedId, writeNotebook } from './helpers.js';

describe('scs submit --local', () => {
  let sb: BatchSandbox;
  before(() => { sb = makeBatchSandbox(); });
  after(() => sb.cleanup());

  it('runs an array in the background with the same outputs and logs, --wait exits 0', async () => {
    const out = join(sb.root, 'local');
    const r = await scs(['submit', sb.notebook, '--output-dir', out, '--array', 'module_group=0,1', '-k', sb.kernel, '-p', 'name', 'laptop', '--local', '--wait'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const id = submittedId(r);
    assert.match(id, /^local-/);
    for (const g of [0, 1]) {
      assert.match(notebookStdout(join(out, `output${g}.ipynb`)), new RegExp(`^group ${g} of laptop on local\\n`));
      assert.match(readFileSync(join(out, 'logs', `${id}_${g}-scs-reduce.out`), 'utf8'), new RegExp(`job local task ${g} module_group=${g}`));
    }
    const jobs = await scs(['jobs', '--output-dir', out], sb.env);
    assert.match(jobs.stdout, new RegExp(`^${id}_1 +scs-reduce +module_group=1 +COMPLETED +0 `, 'm'));
  });

  it('scs jobs --watch prints again on each change and returns when every task finished', async () => {
    const out = join(sb.root, 'watch');
    const r = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '--local'], sb.env);
    const id = submittedId(r);
    const w = await scs(['jobs', '--watch', '0.2'], sb.env);
    assert.equal(w.code, 0, w.stderr);
    const tables = w.stdout.split(/^--- \S+$/m);
    assert.ok(tables.length >= 2, w.stdout);
    assert.match(tables[0], new RegExp(`^${id} +scs-reduce +- +RUNNING +- `, 'm'));
    assert.match(tables.at(-1)!, new RegExp(`^${id} +scs-reduce +- +COMPLETED +0 +${join(out, 'reduce.ipynb')} `, 'm'));
  });

  it('cancels a --after job when its upstream fails, and scs cancel stops a running one', async () => {
    const out = join(sb.root, 'local-chain');
    const up = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '-p', 'fail', 'true', '--output-name', 'up.ipynb', '--local'], sb.env);
    const upId = submittedId(up);
    const down = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '--after', upId, '--output-name', 'down.ipynb', '--local', '--wait'], sb.env);
    assert.equal(down.code, 1, down.stderr);
    assert.match(down.stderr, new RegExp(`${submittedId(down)} CANCELLED \\(DependencyNeverSatisfied\\)`));
    assert.ok(!existsSync(join(out, 'down.ipynb')));
    const json = JSON.parse((await scs(['jobs', '--json', '--all'], sb.env)).stdout) as { label: string; state: string; exitCode: number }[];
    assert.deepEqual(json.filter((j) => j.label === upId).map((j) => [j.state, j.exitCode]), [['FAILED', 1]]);

    const sleeper = join(sb.notebooks, 'sleep.ipynb');
    writeNotebook(sleeper, sb.kernel, [['', 'console.log("sleeping");'], ['', 'await new Promise((r) => setTimeout(r, 120000));']]);
    const s = await scs(['submit', sleeper, '--output-dir', out, '-k', sb.kernel, '--local'], sb.env);
    const id = submittedId(s);
    for (let i = 0; i < 400 && !(existsSync(join(out, 'sleep.ipynb')) && /sleeping/.test(notebookStdout(join(out, 'sleep.ipynb')))); i++) await new Promise((r) => setTimeout(r, 300));
    const c = await scs(['cancel', id], sb.env);
    assert.equal(c.code, 0, c.stderr);
    const after = JSON.parse((await scs(['jobs', '--json', '--all'], sb.env)).stdout) as { label: string; state: string }[];
    assert.equal(after.find((j) => j.label === id)!.state, 'CANCELLED');
  });
});
