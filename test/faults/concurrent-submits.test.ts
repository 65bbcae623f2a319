/**
 * Fault: many `scs submit` processes at once. Each appends its job record to
 * the same user registry and output-folder registry; none may be lost, so
 * that every job can be listed and cancelled. The submits are --local jobs
 * waiting (--after) on a sleeping upstream, so they hold no kernel and no
 * SLURM allocation; the record path is the same as for sbatch.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BatchSandbox, makeBatchSandbox, scs, submittedId, writeNotebook } from '../batch/helpers.js';

const SUBMITS = 20;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface JobJson { id: string; label: string; state: string; reason: string }

describe('fault: concurrent scs submit', () => {
  let sb: BatchSandbox;
  let upId = '';
  before(() => { sb = makeBatchSandbox(); });
  after(async function () {
    this.timeout(60_000);
    if (upId) {
      await scs(['cancel', upId], sb.env);
      // the cancelled runner still saves its notebook and stops its kernel (a graceful stop): let its process group end before the folder goes
      const line = readFileSync(join(sb.env.XDG_STATE_HOME!, 'scs-toolbox', 'jobs.jsonl'), 'utf8').split('\n').find((l) => l.includes(`"id":"${upId}"`));
      const pid = line ? (JSON.parse(line) as { pid?: number }).pid : undefined;
      for (let i = 0; pid && i < 150 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 200));
    }
    sb.cleanup();
  });

  it(`${SUBMITS} concurrent submits keep ${SUBMITS} records; scs jobs lists and scs cancel stops each`, async function () {
    this.timeout(300_000);
    const out = join(sb.root, 'concurrent');
    const sleeper = join(sb.notebooks, 'sleep.ipynb');
    writeNotebook(sleeper, sb.kernel, [['', 'console.log("sleeping");'], ['', 'await new Promise((r) => setTimeout(r, 240000));']]);
    const up = await scs(['submit', sleeper, '--output-dir', out, '-k', sb.kernel, '--local'], sb.env);
    upId = submittedId(up);

    const runs = await Promise.all(Array.from({ length: SUBMITS }, (_v, i) => scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel,
      '-p', 'name', `s${i}`, '--output-name', `down${i}.ipynb`, '--after', upId, '--local'], sb.env)));
    runs.forEach((r) => assert.equal(r.code, 0, r.stderr));
    const ids = runs.map(submittedId);
    assert.equal(new Set(ids).size, SUBMITS);

    // both registries hold every record, one complete line each
    for (const file of [join(sb.env.XDG_STATE_HOME!, 'scs-toolbox', 'jobs.jsonl'), join(out, 'scs-jobs.jsonl')]) {
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(lines.pop(), '', `${file} ends with a newline`);
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as { id: string }).id).sort(), [upId, ...ids].sort(), file);
    }

    const jobs = JSON.parse((await scs(['jobs', '--json', '--all'], sb.env)).stdout) as JobJson[];
    assert.deepEqual(jobs.filter((j) => ids.includes(j.id)).map((j) => [j.state, j.reason]), ids.map(() => ['PENDING', 'Dependency']));
    assert.equal(jobs.length, SUBMITS + 1);
    const table = await scs(['jobs', '-n', String(SUBMITS + 1)], sb.env);
    for (const id of ids) assert.match(table.stdout, new RegExp(`^${id} +scs-reduce +- +PENDING\\(Dependency\\) +- `, 'm'));

    const c = await scs(['cancel', ...ids], sb.env);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(c.stdout.trim().split('\n'), ids.map((id) => `cancelled ${id} (scs-reduce)`));
    const after = JSON.parse((await scs(['jobs', '--json', '--all', '--output-dir', out], sb.env)).stdout) as JobJson[];
    // registry order is the order the records were appended in, not the order the submits started
    const cancelled = after.filter((j) => ids.includes(j.id)).sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(cancelled.map((j) => [j.id, j.state]), [...ids].sort().map((id) => [id, 'CANCELLED']));
    // the upstream kept running all along: the cancels touched only their own jobs
    assert.equal(after.find((j) => j.id === upId)!.state, 'RUNNING');
  });
});
