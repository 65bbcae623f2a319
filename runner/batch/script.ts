/**
 * The sbatch script `scs submit` writes: self-contained (absolute paths, the
 * environment it needs exported), #SBATCH cookies at the top each with a
 * comment line above saying why, then one `scs run` call. The same file runs
 * under plain bash for `--local` (the cookies are comments there).
 */
import { join } from 'node:path';
import { type BatchSpec, logPattern } from './spec.js';
import { toolVersion } from '../version.js';

/** Single-quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:,+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function cookies(spec: BatchSpec): string[] {
  const lines: [string, string][] = [
    ['Job name shown by squeue, and part of the log file name', `--job-name=${spec.jobName}`],
    [`stdout and stderr of the job (${spec.array ? 'one file per task: <array id>_<task>-<name>.out' : '<job id>-<name>.out'})`, `--output=${join(spec.outputDir, 'logs', logPattern(spec))}`],
    ['Run in the output folder, so relative paths in the notebook land next to its outputs', `--chdir=${spec.outputDir}`],
    ['One CPU-bound notebook per task', '--ntasks=1'],
  ];
  if (spec.array) lines.push([`One task per value of ${spec.array.key} (${spec.array.values.join(', ')}): task i runs with the i-th value`, `--array=0-${spec.array.values.length - 1}`]);
  if (spec.partition) lines.push(['Partition (queue) to run in', `--partition=${spec.partition}`]);
  if (spec.reservation) lines.push(['Run inside this reservation (reserved nodes, e.g. a beamtime\'s upex_00XXXX)', `--reservation=${spec.reservation}`]);
  if (spec.time) lines.push(['Wall-clock limit; at the limit SLURM sends SIGTERM and the runner saves the notebook (exit 143)', `--time=${spec.time}`]);
  if (spec.after?.length) {
    lines.push([`Start only after job(s) ${spec.after.join(', ')} completed successfully`, `--dependency=afterok:${spec.after.join(':')}`]);
    lines.push(['If an upstream job fails, cancel this one instead of leaving it pending forever', '--kill-on-invalid-dep=yes']);
  }
  if (spec.mailType) lines.push(['Mail on these job events', `--mail-type=${spec.mailType}`]);
  if (spec.mailUser) lines.push(['Mail address for --mail-type', `--mail-user=${spec.mailUser}`]);
  return lines.flatMap(([why, opt]) => [`# ${why}`, `#SBATCH ${opt}`]);
}

/** bash words that build the output path from the pattern, with $VALUE/$TASK spliced in. */
function outputExpression(spec: BatchSpec): string {
  const notebook = spec.notebook.replace(/^.*\//, '').replace(/\.ipynb$/, '');
  const parts = join(spec.outputDir, spec.outputName).split(/(\{value\}|\{task\}|\{key\}|\{notebook\})/);
  return parts.map((p) => {
    if (p === '{value}') return '"$VALUE"';
    if (p === '{task}') return '"$TASK"';
    if (p === '{key}') return shellQuote(spec.array?.key ?? '');
    if (p === '{notebook}') return shellQuote(notebook);
    return p === '' ? '' : shellQuote(p);
  }).join('');
}

export function batchScript(spec: BatchSpec, scriptPath: string, now = new Date()): string {
  const q = shellQuote;
  const body: string[] = ['set -euo pipefail', ''];
  const envNames = Object.keys(spec.env).sort();
  if (envNames.length) {
    body.push('# the environment the submitter had (kernelspecs on JUPYTER_PATH, ...)');
    for (const k of envNames) body.push(`export ${k}=${q(spec.env[k])}`);
    body.push('');
  }
  const run = [q(spec.node), q(spec.scsCli), 'run', q(spec.notebook), '"$OUTPUT"', ...spec.runArgs.map(q)];
  if (spec.array) {
    body.push(`VALUES=(${spec.array.values.map(q).join(' ')})`);
    body.push('TASK=${SLURM_ARRAY_TASK_ID:?this is an array job script: SLURM_ARRAY_TASK_ID must be set}');
    body.push('VALUE=${VALUES[$TASK]}');
    run.push('-p', q(spec.array.key), '"$VALUE"');
  } else {
    body.push('TASK=0');
  }
  body.push(`OUTPUT=${outputExpression(spec)}`);
  const what = spec.array ? ` ${spec.array.key}=$VALUE` : '';
  body.push(`echo "scs submit: job \${SLURM_JOB_ID:-local} task $TASK${what} on $(hostname) -> $OUTPUT"`);
  body.push(`exec ${run.join(' ')}`);
  return [
    '#!/bin/bash',
    `# Written by \`scs submit\` (${toolVersion()}) at ${now.toISOString()}.`,
    `# Runs ${spec.notebook} with the SCS ToolBox notebook runner; submit again with: sbatch ${scriptPath}`,
    '#',
    ...cookies(spec),
    '',
    ...body,
    '',
  ].join('\n');
}
