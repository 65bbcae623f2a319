/**
 * `scs jobs` shows only what scs submitted: a recorded job matches an squeue
 * entry by id and job name, so another job that got the same id (another
 * user's, or after SLURM's id counter was reset) is not taken for ours.
 * squeue's answer is written out here as 22.05 prints it, so no cluster is needed.
 */
import assert from 'node:assert/strict';
import { squeueEntryOf } from '../../runner/batch/state.js';
import { ourLiveSlurmIds } from '../../runner/batch/cancel.js';
import type { JobRecord } from '../../runner/batch/records.js';
import type { SqueueJob } from '../../runner/batch/slurm.js';

const record = (o: Partial<JobRecord>): JobRecord => ({
  id: '41', backend: 'slurm', name: 'scs-dssc-bin-r0002', notebook: '/nb.ipynb', outputDir: '/out', script: '/out/logs/x.sbatch',
  outputs: ['/out/a.ipynb'], logs: ['/out/logs/41-scs-dssc-bin-r0002.out'], submittedAt: '2026-12-06T05:00:00Z', ...o,
});

const entry = (o: Partial<SqueueJob>): SqueueJob => ({
  job_id: 41, name: 'scs-dssc-bin-r0002', job_state: 'RUNNING', state_reason: 'None', array_job_id: 0, array_task_id: null,
  exit_code: 0, partition: 'exfel', start_time: 0, end_time: 0, ...o,
});

describe('scs jobs: only the jobs scs submitted', () => {
  it('a plain job matches its id and name; the same id under another name is not ours', () => {
    const rec = record({});
    const other = entry({ name: 'somebody-elses-job', job_state: 'PENDING' });
    assert.equal(squeueEntryOf(rec, 0, [other]), undefined);
    const ours = entry({});
    assert.equal(squeueEntryOf(rec, 0, [other, ours]), ours);
    assert.equal(squeueEntryOf(rec, 0, [entry({ job_id: 42 })]), undefined);
  });

  it('array tasks: split-off tasks by array id, task and name; the pending array record for the rest', () => {
    const rec = record({ array: { key: 'module_group', values: ['0', '1', '2'] }, outputs: ['/a0', '/a1', '/a2'], logs: ['/l0', '/l1', '/l2'] });
    const task0 = entry({ job_id: 41, array_job_id: 41, array_task_id: 0 });
    const task1 = entry({ job_id: 43, array_job_id: 41, array_task_id: 1, job_state: 'COMPLETED' });
    const pending = entry({ job_id: 41, array_job_id: 41, array_task_id: null, job_state: 'PENDING' });
    const foreign = entry({ job_id: 44, array_job_id: 41, array_task_id: 2, name: 'reused-id', job_state: 'FAILED' });
    const jobs = [foreign, task0, task1, pending];
    assert.equal(squeueEntryOf(rec, 0, jobs), task0);
    assert.equal(squeueEntryOf(rec, 1, jobs), task1);
    // task 2 of a job with a reused id is not ours: the pending record of our array stands for it
    assert.equal(squeueEntryOf(rec, 2, jobs), pending);
    assert.equal(squeueEntryOf(rec, 2, [foreign]), undefined);
  });

  it('scs cancel only scancels ids squeue lists under the name scs gave them', () => {
    const plain = record({});
    const array = record({ id: '50', name: 'scs-dssc-summary-r0002' });
    const local = record({ id: 'local-1', backend: 'local' });
    const jobs = [entry({ job_id: 41, name: 'reused-by-someone' }), entry({ job_id: 51, array_job_id: 50, array_task_id: 0, name: 'scs-dssc-summary-r0002' })];
    assert.deepEqual(ourLiveSlurmIds([plain, array, local], jobs), ['50']);
    assert.deepEqual(ourLiveSlurmIds([plain], [...jobs, entry({})]), ['41']);
  });
});
