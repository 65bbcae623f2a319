/**
 * `scs cancel`: scancel for SLURM jobs (an array id cancels every task),
 * SIGTERM to the launcher's process group for --local ones (the runner then
 * saves the notebook and exits 143). The record remembers the cancellation.
 */
import { BatchOptionError } from './errors.js';
import { type JobRecord, allRecords, saveRecord } from './records.js';
import { type SqueueJob, scancel, squeueAll } from './slurm.js';

/**
 * The SLURM ids among `records` that squeue still lists under the job name
 * scs gave them: an id SLURM has since handed to another job (its counter was
 * reset) is not cancelled.
 */
export function ourLiveSlurmIds(records: readonly JobRecord[], jobs: readonly SqueueJob[]): string[] {
  return records.filter((r) => r.backend === 'slurm'
    && jobs.some((j) => (j.job_id === Number(r.id) || j.array_job_id === Number(r.id)) && j.name === r.name)).map((r) => r.id);
}

export async function cancelJobs(ids: string[], env: NodeJS.ProcessEnv = process.env): Promise<JobRecord[]> {
  const known = allRecords(env);
  const records = ids.map((id) => {
    const rec = known.find((r) => r.id === id);
    if (!rec) throw new BatchOptionError(`job ${id} was not submitted by scs submit (see scs jobs for the known ids)`, 'JOBID');
    return rec;
  });
  const slurmIds = records.some((r) => r.backend === 'slurm') ? ourLiveSlurmIds(records, await squeueAll()) : [];
  if (slurmIds.length) await scancel(slurmIds);
  for (const rec of records) {
    if (rec.backend === 'local' && rec.pid) {
      try {
        process.kill(-rec.pid, 'SIGTERM');
      } catch { /* already finished */ }
    }
    rec.cancelledAt = new Date().toISOString();
    saveRecord(rec, env);
  }
  return records;
}
