/**
 * `--local`: the same sbatch script, run in the background under bash without
 * SLURM. A small launcher does what slurmd would: one process per array task
 * (SLURM_ARRAY_TASK_ID set), stdout+stderr to the same log files, and it waits
 * for --after jobs, cancelling itself when one failed. Exit statuses go to
 * files next to the logs, since nobody reaps the detached launcher.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote as q } from './script.js';

export interface LocalLaunch {
  id: string;
  script: string;
  outputDir: string;
  logs: string[];
  exitFiles: string[];
  /** exit-status files of the --after jobs' tasks */
  upstreamExitFiles: string[];
}

function launcherScript(l: LocalLaunch): string {
  const lines = [
    '#!/bin/bash',
    `# scs submit --local launcher for ${l.id}: runs ${l.script} like slurmd would`,
    `cd ${q(l.outputDir)}`,
    `for f in ${l.upstreamExitFiles.map(q).join(' ')}; do`,
    '  while [ ! -s "$f" ]; do sleep 0.5; done',
    '  # an upstream task did not succeed: like --kill-on-invalid-dep=yes, never start',
    `  if [ "$(cat "$f")" != 0 ]; then for e in ${l.exitFiles.map(q).join(' ')}; do echo CANCELLED >"$e"; done; exit 0; fi`,
    'done',
    'run_task() { SLURM_ARRAY_TASK_ID=$1 SCS_LOCAL_JOB_ID=' + q(l.id) + ` bash ${q(l.script)} >"$2" 2>&1; echo $? >"$3"; }`,
    ...l.logs.map((log, i) => `run_task ${i} ${q(log)} ${q(l.exitFiles[i])} &`),
    'wait',
    '',
  ];
  return lines.join('\n');
}

/** Starts the launcher detached (its own process group, which `scs cancel` signals); returns its pid. */
export function startLocal(l: LocalLaunch): number {
  const launcher = join(l.outputDir, 'logs', `${l.id}.launcher.sh`);
  writeFileSync(launcher, launcherScript(l), { mode: 0o755 });
  const child = spawn('bash', [launcher], { cwd: l.outputDir, detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}
