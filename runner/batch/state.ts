/**
 * State of each task of our recorded jobs: from squeue --json for SLURM jobs
 * (filtered here, since 22.05 ignores -j with --json), from the launcher's
 * exit-status files and process group for --local ones. No sacct needed.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JobRecord } from './records.js';
import { type SqueueJob, squeueAll } from './slurm.js';

export const TERMINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'UNKNOWN']);

export interface TaskState {
  record: JobRecord;
  task: number;
  /** `12`, or `12_3` for array task 3 (SLURM's notation) */
  label: string;
  /** the array value this task runs with */
  value?: string;
  state: string;
  reason: string;
  /** process exit code, once finished (null when killed by a signal or unknown) */
  exitCode: number | null;
  signal: number | null;
  output: string;
  log: string;
}

/**
 * After MinJobAge squeue forgets a job; the runner's output notebook still
 * says whether the run ended and how (metadata.papermill end_time, exception).
 */
function fromNotebook(path: string | undefined): Pick<TaskState, 'state' | 'reason' | 'exitCode' | 'signal'> | undefined {
  if (!path || !existsSync(path)) return undefined;
  try {
    const pm = (JSON.parse(readFileSync(path, 'utf8')) as { metadata?: { papermill?: { end_time?: string | null; exception?: boolean } } }).metadata?.papermill;
    if (!pm?.end_time) return undefined;
    const reason = 'no longer listed by squeue; from the output notebook';
    return pm.exception ? { state: 'FAILED', reason, exitCode: null, signal: null } : { state: 'COMPLETED', reason, exitCode: 0, signal: null };
  } catch {
    return undefined;
  }
}

/**
 * The squeue entry of task `task` of a recorded job, or undefined. squeue
 * lists every user's jobs, and SLURM reuses job ids once its counter is
 * reset (a reinstalled or test cluster), so an entry counts as ours only when
 * its job name is the one scs submitted under as well as its id.
 */
export function squeueEntryOf(rec: JobRecord, task: number, jobs: readonly SqueueJob[]): SqueueJob | undefined {
  const id = Number(rec.id);
  const ours = jobs.filter((j) => j.name === rec.name);
  return rec.array
    ? ours.find((j) => j.array_job_id === id && j.array_task_id === task)
      // not split off yet: the pending array record stands for the remaining tasks
      ?? ours.find((j) => j.array_job_id === id && j.array_task_id === null)
    : ours.find((j) => j.job_id === id);
}

function fromSqueue(rec: JobRecord, task: number, jobs: SqueueJob[]): Pick<TaskState, 'state' | 'reason' | 'exitCode' | 'signal'> {
  const job = squeueEntryOf(rec, task, jobs);
  if (!job) {
    if (rec.cancelledAt) return { state: 'CANCELLED', reason: 'cancelled with scs cancel', exitCode: null, signal: null };
    return fromNotebook(rec.outputs[task]) ?? { state: 'UNKNOWN', reason: 'no longer listed by squeue (finished more than MinJobAge ago)', exitCode: null, signal: null };
  }
  const done = TERMINAL_STATES.has(job.job_state);
  // exit_code is the raw wait status in 22.05: code in the high byte, signal in the low bits
  const signal = done && job.exit_code & 0x7f ? job.exit_code & 0x7f : null;
  return {
    state: job.job_state,
    reason: job.state_reason === 'None' ? '' : job.state_reason,
    exitCode: done && signal === null ? job.exit_code >> 8 : null,
    signal,
  };
}

function processGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fromLocal(rec: JobRecord, task: number): Pick<TaskState, 'state' | 'reason' | 'exitCode' | 'signal'> {
  const file = rec.exitFiles?.[task];
  if (file && existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    if (text === 'CANCELLED') return { state: 'CANCELLED', reason: 'DependencyNeverSatisfied', exitCode: null, signal: null };
    const code = Number(text);
    if (code > 128 && rec.cancelledAt) return { state: 'CANCELLED', reason: 'cancelled with scs cancel', exitCode: null, signal: code - 128 };
    return { state: code === 0 ? 'COMPLETED' : 'FAILED', reason: code === 0 ? '' : 'NonZeroExitCode', exitCode: code, signal: null };
  }
  if (rec.cancelledAt) return { state: 'CANCELLED', reason: 'cancelled with scs cancel', exitCode: null, signal: null };
  if (rec.pid && processGroupAlive(rec.pid)) {
    const waiting = rec.after?.length && !existsSync(rec.logs[task]);
    return { state: waiting ? 'PENDING' : 'RUNNING', reason: waiting ? 'Dependency' : '', exitCode: null, signal: null };
  }
  return { state: 'UNKNOWN', reason: 'the local launcher is gone without an exit status', exitCode: null, signal: null };
}

/** Current state of every task of the given records, in record then task order. */
export async function taskStates(records: JobRecord[]): Promise<TaskState[]> {
  const jobs = records.some((r) => r.backend === 'slurm') ? await squeueAll() : [];
  return records.flatMap((rec) => rec.outputs.map((output, task) => ({
    record: rec,
    task,
    label: rec.array ? `${rec.id}_${task}` : rec.id,
    value: rec.array?.values[task],
    output,
    log: rec.logs[task],
    ...(rec.backend === 'slurm' ? fromSqueue(rec, task, jobs) : fromLocal(rec, task)),
  })));
}

/** How `scs submit --wait`, `scs bin-dssc` and `scs demo` print a task's state: " key=value STATE exit N (reason)". */
export function taskStateText(t: TaskState): string {
  const value = t.value !== undefined ? ` ${t.record.array!.key}=${t.value}` : '';
  const exit = t.exitCode !== null ? ` exit ${t.exitCode}` : t.signal !== null ? ` signal ${t.signal}` : '';
  const reason = t.reason ? ` (${t.reason})` : '';
  return `${value} ${t.state}${exit}${reason}`;
}
