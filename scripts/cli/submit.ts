/**
 * `scs submit NOTEBOOK --output-dir DIR [runner options] [SLURM options]`:
 * writes a self-contained sbatch script under DIR/logs/, submits it (or runs
 * it in the background with --local), records the job for `scs jobs`, and
 * with --wait exits 0 only when every task completed. Usage: docs/batch.md.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PairOptionsCommand, addParameterOptions, many } from './pair-options.js';
import { resolveNotebook, templatesHelp } from './templates.js';
import { type SubmitRequest, type TaskState, allSucceeded, dryRun, submitNotebook, taskStateText, waitForJobs } from '../../runner/batch/index.js';




interface SubmitCliOptions {
  outputDir: string;
  outputName?: string;
  jobName?: string;
  kernel?: string;
  language?: string;
  parameters?: [string, string][];
  parameters_raw?: [string, string][];
  parameters_file?: string[];
  parameters_yaml?: string[];
  logOutput?: boolean;
  executionTimeout?: string;
  startTimeout?: string;
  array?: string;
  partition?: string;
  reservation?: string;
  time?: string;
  after?: string[];
  mailType?: string;
  mailUser?: string;
  wait?: boolean;
  dryRun?: boolean;
  local?: boolean;
}

/** The `scs run` words each task passes after INPUT OUTPUT. */
function runArgs(o: SubmitCliOptions): string[] {
  const args: string[] = [];
  if (o.kernel) args.push('-k', o.kernel);
  if (o.language) args.push('-l', o.language);
  for (const [n, v] of o.parameters ?? []) args.push('-p', n, v);
  for (const [n, v] of o.parameters_raw ?? []) args.push('-r', n, v);
  for (const f of o.parameters_file ?? []) args.push('-f', resolve(f));
  for (const y of o.parameters_yaml ?? []) args.push('-y', y);
  if (o.logOutput) args.push('--log-output');
  if (o.executionTimeout) args.push('--execution-timeout', o.executionTimeout);
  if (o.startTimeout) args.push('--start-timeout', o.startTimeout);
  return args;
}

function describe(t: TaskState): string {
  return `scs submit: ${t.label}${taskStateText(t)}`;
}

export function registerSubmit(program: Command): void {
  const cmd = addParameterOptions(new PairOptionsCommand('submit')
    .description('run a notebook as a SLURM batch job (or in the background with --local); --array makes one task per parameter value')
    .argument('<notebook>', `input notebook, or a template of the toolbox's notebooks/ by short name (${templatesHelp()}) or file name`)
    .requiredOption('-o, --output-dir <dir>', 'folder for the output notebook(s); logs go to DIR/logs/')
    .option('--output-name <pattern>', 'output notebook name: {value} (array value), {key}, {task}, {notebook} (default output{value}.ipynb, or {notebook}.ipynb without --array)')
    .option('-J, --job-name <name>', 'SLURM job name (default scs-<notebook>)')
    .option('-k, --kernel <name>', 'kernel name for the runner (e.g. toolbox_p002719)')
    .option('-l, --language <lang>', 'language for the parameters'), 'parameter NAME VALUE for every task; repeatable')
    .option('--log-output', 'copy cell output into the job log as it arrives')
    .option('--execution-timeout <s>', 'per-cell time limit in seconds')
    .option('--start-timeout <s>', 'seconds to wait for the kernel to start')
    .option('-a, --array <key=values>', 'job array: one task per value, e.g. module_group=0,1,2,3')
    .option('--partition <name>', 'SLURM partition')
    .option('--reservation <name>', 'SLURM reservation (e.g. upex_002719)')
    .option('-t, --time <limit>', 'wall-clock limit: minutes, HH:MM:SS, D-HH:MM, ...')
    .option('--after <jobid>', 'start after this job completed successfully; cancelled if it fails; repeatable', many)
    .option('--mail-type <events>', 'mail on events: BEGIN,END,FAIL,ALL,...')
    .option('--mail-user <address>', 'mail address')
    .option('--wait', 'wait until every task finished; exit 0 only if all completed')
    .option('--dry-run', 'print the sbatch script and exit: nothing is written or submitted')
    .option('--local', 'run the same script in the background without SLURM (same logs)')
    .action(async (notebook: string, o: SubmitCliOptions) => {
      const req: SubmitRequest = {
        notebook: resolveNotebook(notebook), outputDir: o.outputDir, outputName: o.outputName, jobName: o.jobName, runArgs: runArgs(o),
        array: o.array, partition: o.partition, reservation: o.reservation, time: o.time, after: o.after,
        mailType: o.mailType, mailUser: o.mailUser, local: o.local,
      };
      if (o.dryRun) {
        process.stdout.write(dryRun(req).scriptText);
        return;
      }
      const { record } = await submitNotebook(req);
      const rec = record!;
      const tasks = rec.array ? ` (array of ${rec.array.values.length} tasks over ${rec.array.key})` : '';
      console.log(rec.backend === 'slurm' ? `Submitted batch job ${rec.id}${tasks}` : `Started local job ${rec.id}${tasks}`);
      console.error(`scs submit: script ${rec.script}`);
      console.error(`scs submit: logs ${rec.logs.length > 1 ? `${rec.logs[0]} ... (${rec.logs.length})` : rec.logs[0]}`);
      if (!o.wait) return;
      const states = await waitForJobs([rec], (t) => console.error(describe(t)));
      if (!allSucceeded(states)) {
        for (const t of states.filter((s) => s.state !== 'COMPLETED' || s.exitCode !== 0)) console.error(`scs submit: ${t.label} did not succeed; log: ${t.log}`);
        process.exitCode = 1;
      }
    });
  program.addCommand(cmd);
}
