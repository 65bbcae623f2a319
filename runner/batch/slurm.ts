/**
 * The SLURM client commands, spawned (there is no library for 22.05's CLI):
 * sbatch to submit, squeue --json for state, scancel. Errors become
 * SlurmError with SLURM's own message and what to do about it.
 */
import { execFile } from 'node:child_process';
import { SlurmError } from './errors.js';

interface Result { stdout: string; stderr: string; code: number }

function run(cmd: string, args: string[], cwd?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    // squeue --json lists every remembered job: allow a large answer
    execFile(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e?.code === 'ENOENT') {
        reject(new SlurmError(`${cmd} not found on PATH: SLURM's client commands are not installed here (use --local to run without SLURM, or scripts/slurm-local.sh up as root for a local cluster)`));
        return;
      }
      resolve({ stdout, stderr, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
    });
  });
}

/** Partitions the cluster knows (for error messages). */
async function knownPartitions(): Promise<string[]> {
  const r = await run('sinfo', ['-h', '-o', '%R']);
  return r.code === 0 ? [...new Set(r.stdout.split('\n').map((s) => s.trim()).filter(Boolean))] : [];
}

/** Reservations the cluster knows (for error messages). */
async function knownReservations(): Promise<string[]> {
  const r = await run('scontrol', ['-o', 'show', 'reservation']);
  return r.code === 0 ? [...r.stdout.matchAll(/ReservationName=(\S+)/g)].map((m) => m[1]) : [];
}

/** Submits a script; returns the job id (the master id for an array). */
export async function sbatch(script: string, cwd: string, context: { partition?: string; reservation?: string }): Promise<string> {
  const r = await run('sbatch', ['--parsable', script], cwd);
  if (r.code !== 0) {
    const msg = r.stderr.trim().replace(/^sbatch: error: /gm, '').split('\n').join('; ');
    if (/invalid partition/i.test(msg)) {
      throw new SlurmError(`partition '${context.partition}' is unknown to SLURM (known: ${(await knownPartitions()).join(', ') || 'none'}): ${msg}`);
    }
    if (/reservation is invalid/i.test(msg)) {
      throw new SlurmError(`reservation '${context.reservation}' is unknown, expired or not open to you (known: ${(await knownReservations()).join(', ') || 'none'}): ${msg}`);
    }
    if (/dependency/i.test(msg)) throw new SlurmError(`the --after job is unknown or already finished and purged: ${msg}`);
    throw new SlurmError(`sbatch refused ${script}: ${msg || `exit code ${r.code}`}`);
  }
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new SlurmError(`unexpected sbatch output: ${JSON.stringify(r.stdout)}`);
  return id;
}

/** One job or array task as squeue --json (openapi v0.0.38) reports it; only the keys we use. */
export interface SqueueJob {
  job_id: number;
  name: string;
  job_state: string;
  state_reason: string;
  array_job_id: number;
  array_task_id: number | null;
  array_task_string?: string;
  exit_code: number;
  partition: string;
  resv_name?: string;
  start_time: number;
  end_time: number;
}

/**
 * Every job slurmctld still remembers. 22.05 ignores -j in --json mode, so
 * callers filter themselves; finished jobs stay listed for MinJobAge.
 */
export async function squeueAll(): Promise<SqueueJob[]> {
  const r = await run('squeue', ['--json']);
  if (r.code !== 0) throw new SlurmError(`squeue --json failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
  try {
    return (JSON.parse(r.stdout) as { jobs: SqueueJob[] }).jobs;
  } catch (err) {
    throw new SlurmError(`squeue --json printed something that is not JSON: ${String(err)}`, { cause: err });
  }
}

/** Cancels jobs (array master ids cancel every task). */
export async function scancel(ids: string[]): Promise<void> {
  const r = await run('scancel', ids);
  if (r.code !== 0) throw new SlurmError(`scancel ${ids.join(' ')} failed: ${r.stderr.trim().replace(/^scancel: error: /gm, '')}`);
}
