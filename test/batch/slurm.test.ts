/**
 * `scs submit` / `scs jobs` / `scs cancel` on a real single-node SLURM cluster
 * (munge, slurmctld, slurmd from Debian, started by scripts/slurm-local.sh):
 * a job array running our kernel, a dependent combine job, a reservation, a
 * cancelled job, and a failing job whose dependent SLURM cancels.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type JobRecord, taskStates } from '../../runner/batch/index.js';
import { type BatchSandbox, makeBatchSandbox, notebookStdout, requireCluster, scs, submittedId, writeNotebook } from './helpers.js';

interface JobJson { label: string; state: string; exitCode: number | null; reason: string; output: string; log: string; value?: string }

async function jobsJson(sb: BatchSandbox): Promise<JobJson[]> {
  const r = await scs(['jobs', '--json', '--all'], sb.env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as JobJson[];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 120_000): Promise<T> {
  for (const t0 = Date.now(); Date.now() - t0 < limitMs; await new Promise((r) => setTimeout(r, 300))) {
    const v = await probe();
    if (v !== undefined) return v;
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('scs submit on a single-node SLURM cluster', function () {
  let sb: BatchSandbox;
  before(function () {
    requireCluster(this);
    sb = makeBatchSandbox();
  });
  after(() => sb?.cleanup());

  it('runs a 4-task array over module_group on our kernel, then a dependent combine job', async () => {
    const out = join(sb.root, 'run179');
    const array = await scs(['submit', sb.notebook, '--output-dir', out, '--array', 'module_group=0,1,2,3',
      '-k', sb.kernel, '-p', 'name', 'run179', '--partition', 'exfel', '--time', '0:10:00'], sb.env);
    assert.equal(array.code, 0, array.stderr);
    const id = submittedId(array);
    assert.match(array.stdout, new RegExp(`^Submitted batch job ${id} \\(array of 4 tasks over module_group\\)`));

    const combine = join(sb.notebooks, 'combine.ipynb');
    writeNotebook(combine, sb.kernel, [
      ['parameters', 'const groups: number = 4;'],
      ['', 'const fs = require("fs");\nconst parts = Array.from({ length: groups }, (_, g) => fs.readFileSync(`group${g}.txt`, "utf8").trim());\nconst total = parts.reduce((s, p) => s + Number(p.split(":")[1]), 0);\nconsole.log(`combined ${parts.join(",")} total=${total} after ${process.env.SLURM_JOB_DEPENDENCY}`);'],
    ]);
    const dep = await scs(['submit', combine, '--output-dir', out, '--after', id, '-k', sb.kernel, '--output-name', 'combined.ipynb', '--wait'], sb.env);
    assert.equal(dep.code, 0, dep.stderr);
    const depId = submittedId(dep);
    assert.match(dep.stderr, new RegExp(`${depId} COMPLETED exit 0`));

    // every task left its notebook and its log; the job ran the parameters it was given
    for (const g of [0, 1, 2, 3]) {
      const nb = join(out, `output${g}.ipynb`);
      assert.ok(existsSync(nb), `${nb} is missing`);
      assert.match(notebookStdout(nb), new RegExp(`^group ${g} of run179 on \\d+\\n`));
      const meta = JSON.parse(readFileSync(nb, 'utf8')).metadata.papermill;
      assert.deepEqual(meta.parameters, { name: 'run179', module_group: g });
      assert.equal(meta.exception, false);
      const log = readFileSync(join(out, 'logs', `${id}_${g}-scs-reduce.out`), 'utf8');
      assert.match(log, new RegExp(`task ${g} module_group=${g} on .* -> ${join(out, `output${g}.ipynb`)}`));
      assert.match(log, /Finished 4\/4 cells/);
    }
    assert.equal(notebookStdout(join(out, 'combined.ipynb')), `combined run179:0,run179:1,run179:4,run179:9 total=14 after afterok:${id}\n`);
    assert.ok(existsSync(join(out, 'logs', `${depId}-scs-combine.out`)));

    // scs jobs: the five tasks, all COMPLETED with exit 0, with their logs and notebooks
    const jobs = (await jobsJson(sb)).filter((j) => j.label.startsWith(`${id}_`) || j.label === depId);
    assert.deepEqual(jobs.map((j) => [j.label, j.state, j.exitCode]), [
      [`${id}_0`, 'COMPLETED', 0], [`${id}_1`, 'COMPLETED', 0], [`${id}_2`, 'COMPLETED', 0], [`${id}_3`, 'COMPLETED', 0], [depId, 'COMPLETED', 0],
    ]);
    assert.equal(jobs[2].output, join(out, 'output2.ipynb'));
    assert.equal(jobs[2].log, join(out, 'logs', `${id}_2-scs-reduce.out`));
    const table = await scs(['jobs', '--all'], sb.env);
    assert.match(table.stdout, /^JOBID +NAME +VALUE +STATE +EXIT +OUTPUT +LOG$/m);
    assert.match(table.stdout, new RegExp(`^${id}_3 +scs-reduce +module_group=3 +COMPLETED +0 +${join(out, 'output3.ipynb')} +${join(out, 'logs', `${id}_3-scs-reduce.out`)}$`, 'm'));
    // the records are also in the output folder, for scs jobs --output-dir from another account
    const rec = readFileSync(join(out, 'scs-jobs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    assert.deepEqual(rec.map((r) => r.id), [id, depId]);
  });

  it('exits 0 with --wait only when every task succeeded; the failed task is named', async () => {
    const out = join(sb.root, 'some-fail');
    const r = await scs(['submit', sb.notebook, '--output-dir', out, '--array', 'module_group=5,6', '-k', sb.kernel,
      '-p', 'fail', 'true', '--wait'], sb.env);
    assert.equal(r.code, 1, r.stderr);
    const id = submittedId(r);
    assert.match(r.stderr, new RegExp(`${id}_0 module_group=5 FAILED exit 1`));
    assert.match(r.stderr, new RegExp(`${id}_1 did not succeed; log: ${join(out, 'logs', `${id}_1-scs-reduce.out`)}`));
    assert.match(readFileSync(join(out, 'logs', `${id}_0-scs-reduce.out`), 'utf8'), /group 5 failed on purpose/);
  });

  it('cancels the dependent of a failing job (--kill-on-invalid-dep) instead of leaving it pending', async () => {
    const out = join(sb.root, 'chain');
    const up = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '-p', 'fail', 'true', '--output-name', 'up.ipynb'], sb.env);
    assert.equal(up.code, 0, up.stderr);
    const upId = submittedId(up);
    const down = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '--after', upId, '--output-name', 'down.ipynb', '--wait'], sb.env);
    assert.equal(down.code, 1, down.stderr);
    const downId = submittedId(down);
    const jobs = await jobsJson(sb);
    const upJob = jobs.find((j) => j.label === upId)!;
    const downJob = jobs.find((j) => j.label === downId)!;
    assert.deepEqual([upJob.state, upJob.exitCode, upJob.reason], ['FAILED', 1, 'NonZeroExitCode']);
    assert.equal(downJob.state, 'CANCELLED');
    assert.equal(downJob.reason, 'DependencyNeverSatisfied');
    assert.ok(!existsSync(join(out, 'down.ipynb')), 'the dependent never ran');
    const failed = JSON.parse(readFileSync(join(out, 'up.ipynb'), 'utf8'));
    assert.equal(failed.metadata.papermill.exception, true);
  });

  it('scs cancel stops a running job: CANCELLED, with SLURM\'s note in the log', async () => {
    const sleeper = join(sb.notebooks, 'sleep.ipynb');
    writeNotebook(sleeper, sb.kernel, [['', 'console.log("sleeping");'], ['', 'await new Promise((r) => setTimeout(r, 120000));']]);
    const out = join(sb.root, 'cancel');
    const r = await scs(['submit', sleeper, '--output-dir', out, '-k', sb.kernel], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const id = submittedId(r);
    // running, and the kernel already in the long cell
    await until('the sleeping cell', async () => (existsSync(join(out, 'sleep.ipynb')) && /sleeping/.test(notebookStdout(join(out, 'sleep.ipynb'))) ? true : undefined));
    assert.equal((await jobsJson(sb)).find((j) => j.label === id)!.state, 'RUNNING');
    const c = await scs(['cancel', id], sb.env);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, `cancelled ${id} (scs-sleep)\n`);
    const job = await until('CANCELLED', async () => (await jobsJson(sb)).find((j) => j.label === id && j.state === 'CANCELLED'));
    assert.equal(job.label, id);
    const log = await until('the cancel note', async () => {
      const text = readFileSync(join(out, 'logs', `${id}-scs-sleep.out`), 'utf8');
      return /CANCELLED AT/.test(text) ? text : undefined;
    });
    assert.match(log, new RegExp(`\\*\\*\\* JOB ${id} ON localhost CANCELLED AT`));
    const unknown = await scs(['cancel', '999999'], sb.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /job 999999 was not submitted by scs submit/);
  });

  it('runs inside a reservation; unknown reservations and partitions are clear errors', async () => {
    const resv = `upex_00${process.pid % 10000}`.slice(0, 11);
    execFileSync('scontrol', ['create', 'reservation', `ReservationName=${resv}`, 'StartTime=now', 'Duration=30',
      'Nodes=localhost', 'CoreCnt=1', 'Users=root', 'PartitionName=upex']);
    try {
      const out = join(sb.root, 'resv');
      const r = await scs(['submit', sb.notebook, '--output-dir', out, '-k', sb.kernel, '--partition', 'upex', '--reservation', resv, '-p', 'module_group', '7', '--wait'], sb.env);
      assert.equal(r.code, 0, r.stderr);
      const id = submittedId(r);
      const shown = execFileSync('scontrol', ['-o', 'show', 'job', id], { encoding: 'utf8' });
      assert.match(shown, new RegExp(`Reservation=${resv} `));
      assert.match(shown, / Partition=upex /);
      assert.match(notebookStdout(join(out, 'reduce.ipynb')), /^group 7 of none/);

      const bad = await scs(['submit', sb.notebook, '--output-dir', join(sb.root, 'bad-resv'), '--reservation', 'upex_999999'], sb.env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, new RegExp(`scs submit: SlurmError: reservation 'upex_999999' is unknown, expired or not open to you \\(known: .*${resv}.*\\)`));
      assert.deepEqual(readdirSync(join(sb.root, 'bad-resv', 'logs')), [], 'the refused script is removed');
    } finally {
      execFileSync('scontrol', ['delete', `ReservationName=${resv}`]);
    }
    const badPart = await scs(['submit', sb.notebook, '--output-dir', join(sb.root, 'bad-part'), '--partition', 'nope'], sb.env);
    assert.equal(badPart.code, 1);
    assert.match(badPart.stderr, /scs submit: SlurmError: partition 'nope' is unknown to SLURM \(known: exfel, upex\): invalid partition specified: nope; Batch job submission failed: Invalid partition name specified$/m);
  });

  it('reads the state of a job squeue has forgotten from its output notebook', async () => {
    const out = join(sb.root, 'run179');
    const done = join(out, 'output1.ipynb');
    assert.ok(existsSync(done), 'made by the array test');
    const rec = {
      id: '999999', backend: 'slurm', name: 'scs-old', notebook: sb.notebook, outputDir: out, script: '/nonexistent.sbatch',
      outputs: [done, join(out, 'never.ipynb')], logs: ['/a.out', '/b.out'], array: { key: 'module_group', values: ['1', '9'] },
      submittedAt: '2026-01-01T00:00:00Z',
    };
    const states = await taskStates([rec as JobRecord]);
    assert.deepEqual(states.map((t) => [t.label, t.state, t.exitCode, t.reason]), [
      ['999999_0', 'COMPLETED', 0, 'no longer listed by squeue; from the output notebook'],
      ['999999_1', 'UNKNOWN', null, 'no longer listed by squeue (finished more than MinJobAge ago)'],
    ]);
  });

  it('names sbatch when it is missing and suggests --local', async () => {
    const r = await scs(['submit', sb.notebook, '--output-dir', join(sb.root, 'nosbatch')], { ...sb.env, PATH: '/nonexistent' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /scs submit: SlurmError: sbatch not found on PATH: .*use --local/);
  });
});
