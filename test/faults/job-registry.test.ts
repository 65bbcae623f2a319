/**
 * Fault: the job registry under concurrent writers and killed writers. Real
 * threads and processes append to one registry log at once; a writer killed
 * with SIGKILL, or a line cut short as one leaves it, never makes the
 * registry unreadable, and no other record is lost.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type JobRecord, allRecords, saveRecord, userRegistry } from '../../runner/batch/index.js';

const recordsModule = join(__dirname, '..', '..', 'runner', 'batch', 'records.js');

function record(id: string, outputDir: string, tasks = 1): JobRecord {
  return {
    id, backend: 'slurm', name: 'scs-reduce', notebook: '/nb/reduce.ipynb', outputDir, script: `${outputDir}/logs/${id}.sbatch`,
    outputs: Array.from({ length: tasks }, (_v, t) => `${outputDir}/output${t}.ipynb`),
    logs: Array.from({ length: tasks }, (_v, t) => `${outputDir}/logs/${id}_${t}-scs-reduce.out`),
    submittedAt: '2026-12-06T07:00:00.000Z',
  };
}

/** Code of a writer (worker thread or child process) that saves `count` records `<prefix>-<i>` of `tasks` tasks each. */
function writerCode(env: NodeJS.ProcessEnv, outputDir: string, prefix: string, count: number, tasks: number): string {
  return `const { saveRecord } = require(${JSON.stringify(recordsModule)});
const env = ${JSON.stringify({ XDG_STATE_HOME: env.XDG_STATE_HOME })};
for (let i = 0; i < ${count}; i++) {
  const id = '${prefix}-' + i;
  saveRecord({ id, backend: 'slurm', name: 'scs-reduce', notebook: '/nb/reduce.ipynb', outputDir: ${JSON.stringify(outputDir)},
    script: 'x.sbatch', outputs: Array.from({ length: ${tasks} }, (_v, t) => 'o' + t + '.ipynb'),
    logs: Array.from({ length: ${tasks} }, (_v, t) => 'l' + t + '.out'), submittedAt: new Date().toISOString() }, env);
}`;
}

describe('fault: job registry writers', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let out: string;
  let warnings: string[];
  const warn = (m: string): void => { warnings.push(m); };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scs-registry-'));
    env = { XDG_STATE_HOME: join(root, 'state') };
    out = join(root, 'out');
    warnings = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('8 threads appending 50 records each at once keep all 400, in both registries', async function () {
    this.timeout(60_000);
    const workers = Array.from({ length: 8 }, (_v, w) => new Worker(writerCode(env, out, `w${w}`, 50, 24), { eval: true }));
    await Promise.all(workers.map((wk) => new Promise<void>((resolve, reject) => {
      wk.on('error', reject);
      wk.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
    })));
    const want = Array.from({ length: 8 }, (_v, w) => Array.from({ length: 50 }, (_u, i) => `w${w}-${i}`)).flat().sort();
    assert.deepEqual(allRecords(env, undefined, warn).map((r) => r.id).sort(), want);
    assert.deepEqual(allRecords({ XDG_STATE_HOME: join(root, 'other') }, out, warn).map((r) => r.id).sort(), want);
    // one line per record; a blank line is allowed (an appender that saw another's write in progress)
    assert.equal(readFileSync(userRegistry(env), 'utf8').split('\n').filter((l) => l).length, 400);
    assert.deepEqual(allRecords(env, undefined, warn)[0].outputs.length, 24);
    assert.deepEqual(warnings, []);
  });

  it('a writer SIGKILLed while appending leaves a readable registry; later records land on their own lines', async function () {
    this.timeout(60_000);
    // 2000-task records (~100 kB a line): a kill can fall inside a write
    const child = spawn(process.execPath, ['-e', writerCode(env, out, 'k', 100000, 2000)], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const before = allRecords(env, undefined, warn);
    assert.ok(before.length > 0, 'the writer saved some records before it was killed');
    assert.ok(before.every((r, i) => r.id === `k-${i}` && r.outputs.length === 2000));
    assert.ok(warnings.length <= 1, warnings.join('\n'));
    saveRecord(record('42', out), env);
    const after = allRecords(env, undefined, warn);
    assert.deepEqual(after.map((r) => r.id), [...before.map((r) => r.id), '42']);
  });

  it('skips a truncated last line with a warning naming the file and line; the next append starts a new line', () => {
    saveRecord(record('1', out), env);
    const file = userRegistry(env);
    // what a writer killed mid-write (or a full disk) leaves: the start of a line, no newline
    appendFileSync(file, JSON.stringify(record('2', out)).slice(0, 70));
    assert.deepEqual(allRecords(env, undefined, warn).map((r) => r.id), ['1']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`^job registry ${file}: line 2 is incomplete or corrupt \\(a writer killed mid-write\\?\\), skipped: \\{"id":"2","backend":"slurm"`));
    saveRecord(record('3', out), env);
    assert.deepEqual(allRecords(env, undefined, warn).map((r) => r.id), ['1', '3']);
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 4);
  });

  it('a cancellation appended later wins; a line that is JSON but no job record is skipped with a warning', () => {
    saveRecord(record('7', out), env);
    saveRecord(record('8', out), env);
    saveRecord({ ...record('7', out), cancelledAt: '2026-12-06T07:30:00.000Z' }, env);
    writeFileSync(join(root, 'state', 'scs-toolbox', 'jobs.jsonl'), '{"hello":1}\n', { flag: 'a' });
    const recs = allRecords(env, undefined, warn);
    assert.deepEqual(recs.map((r) => [r.id, r.cancelledAt]), [['7', '2026-12-06T07:30:00.000Z'], ['8', undefined]]);
    assert.deepEqual(warnings, [`job registry ${userRegistry(env)}: line 4 is not a job record, skipped`]);
  });
});
