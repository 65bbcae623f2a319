/**
 * The job registry's formats: the append-only JSON-lines logs, and the older
 * jobs.json / scs-jobs.json files (one JSON object rewritten whole), which
 * are still read so jobs submitted before the change stay listed and
 * cancellable.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobRecord, allRecords, outputDirRegistry, saveRecord, userRegistry } from '../../runner/batch/index.js';

function record(id: string, outputDir: string): JobRecord {
  return {
    id, backend: 'local', name: 'scs-old', notebook: '/nb/old.ipynb', outputDir, script: `${outputDir}/logs/old.sbatch`,
    outputs: [`${outputDir}/old.ipynb`], logs: [`${outputDir}/logs/${id}-scs-old.out`], submittedAt: '2026-11-01T10:00:00.000Z',
  };
}

describe('job registry formats', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let warnings: string[];
  const warn = (m: string): void => { warnings.push(m); };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scs-records-'));
    env = { XDG_STATE_HOME: join(root, 'state') };
    warnings = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lives in $XDG_STATE_HOME/scs-toolbox/jobs.jsonl and DIR/scs-jobs.jsonl, one JSON line per save', () => {
    const out = join(root, 'out');
    saveRecord(record('local-1', out), env);
    assert.equal(userRegistry(env), join(root, 'state', 'scs-toolbox', 'jobs.jsonl'));
    assert.equal(outputDirRegistry(out), join(out, 'scs-jobs.jsonl'));
    for (const f of [userRegistry(env), outputDirRegistry(out)]) assert.equal(readFileSync(f, 'utf8'), `${JSON.stringify(record('local-1', out))}\n`);
    assert.equal(userRegistry({ HOME: '/home/me' }), '/home/me/.local/state/scs-toolbox/jobs.jsonl');
  });

  it('reads old jobs.json and scs-jobs.json registries; a cancellation of an old job is appended to the log', () => {
    const out = join(root, 'out');
    mkdirSync(join(root, 'state', 'scs-toolbox'), { recursive: true });
    mkdirSync(out);
    writeFileSync(join(root, 'state', 'scs-toolbox', 'jobs.json'), JSON.stringify({ jobs: [record('old-1', out), record('old-2', out)] }, null, 1));
    writeFileSync(join(out, 'scs-jobs.json'), JSON.stringify({ jobs: [record('old-3', out)] }, null, 1));
    saveRecord(record('new-1', out), env);
    assert.deepEqual(allRecords(env, undefined, warn).map((r) => r.id), ['old-1', 'old-2', 'new-1']);
    assert.deepEqual(allRecords(env, out, warn).map((r) => r.id), ['old-1', 'old-2', 'old-3', 'new-1']);
    saveRecord({ ...record('old-2', out), cancelledAt: '2026-12-06T07:00:00.000Z' }, env);
    const recs = allRecords(env, out, warn);
    assert.deepEqual(recs.map((r) => [r.id, r.cancelledAt ?? null]), [['old-1', null], ['old-2', '2026-12-06T07:00:00.000Z'], ['old-3', null], ['new-1', null]]);
    // the old file is never rewritten
    assert.deepEqual((JSON.parse(readFileSync(join(root, 'state', 'scs-toolbox', 'jobs.json'), 'utf8')) as { jobs: JobRecord[] }).jobs.map((r) => r.cancelledAt), [undefined, undefined]);
    assert.deepEqual(warnings, []);
  });

  it('a corrupt old registry is skipped with a warning, the log still read', () => {
    const out = join(root, 'out');
    saveRecord(record('new-1', out), env);
    writeFileSync(join(root, 'state', 'scs-toolbox', 'jobs.json'), '{"jobs": [');
    assert.deepEqual(allRecords(env, undefined, warn).map((r) => r.id), ['new-1']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`^job registry ${join(root, 'state', 'scs-toolbox', 'jobs.json')} is not readable JSON, its records are skipped: `));
  });
});
