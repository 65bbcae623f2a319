/**
 * `scs bin-dssc -p PROPOSAL -d DARK_RUN -r RUN`: the whole DSSC binning of a
 * run in one command — the binning template for the 4 module groups as a
 * SLURM job array, and the summary notebook (combined file, pump-probe
 * difference) as a job that waits for it. Usage: docs/dssc-binning.md.
 */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  DsscWorkflowCheckError, checkDsscWorkflow, describeTask, dryRunDsscWorkflow, planDsscWorkflow, submitDsscWorkflow, waitDsscWorkflow,
} from 'scs-toolbox/workflows';

interface BinDsscCliOptions {
  proposal: number;
  darkRun: number;
  run: number;
  xaxis: string;
  binWidth?: number;
  outputDir?: string;
  kernel?: string;
  moduleGroups: number[];
  set?: [string, string][];
  partition?: string;
  reservation?: string;
  time?: string;
  local?: boolean;
  wait?: boolean;
  dryRun?: boolean;
}

const integer = (what: string) => (v: string): number => {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${what} must be a non-negative integer`);
  return Number(v);
};

const positive = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('the bin width must be a positive number');
  return n;
};

const groupList = (v: string): number[] => v.split(',').map((g) => integer('a module group')(g));

const assignment = (v: string, acc: [string, string][] = []): [string, string][] => {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expects NAME=VALUE, got '${v}'`);
  return [...acc, [v.slice(0, eq), v.slice(eq + 1)]];
};

export function registerBinDssc(program: Command): void {
  program
    .command('bin-dssc')
    .description('bin a DSSC run: the binning notebook for module groups 0-3 as a SLURM job array, then the summary notebook combining the 16 module files')
    .requiredOption('-p, --proposal <n>', 'proposal number', integer('the proposal'))
    .requiredOption('-d, --dark-run <n>', 'dark run number', integer('the dark run'))
    .requiredOption('-r, --run <n>', 'run number', integer('the run'))
    .option('-x, --xaxis <name>', "axis to bin along: 'nrj', 'delay' or a mnemonic", 'delay')
    .option('-b, --bin-width <w>', 'bin width along that axis (default: the notebook\'s)', positive)
    .option('-o, --output-dir <dir>', 'module files, combined file, notebooks and logs (default <proposal>/usr/processed_runs/r<run>)')
    .option('-k, --kernel <name>', "kernel for both notebooks (default: the notebooks' own, scs-toolbox)")
    .option('-g, --module-groups <list>', 'module groups to bin (4 modules each)', groupList, [0, 1, 2, 3])
    .option('-s, --set <name=value>', 'another parameter of the binning notebook (pattern, xgm_min, xgm_normalization, ...); repeatable', assignment)
    .option('--partition <name>', 'SLURM partition')
    .option('--reservation <name>', 'SLURM reservation (e.g. upex_002719)')
    .option('-t, --time <limit>', 'wall-clock limit of each job: minutes, HH:MM:SS, D-HH:MM, ...')
    .option('--local', 'run the same jobs in the background without SLURM')
    .option('--wait', 'wait for every job; exit 0 only if all completed')
    .option('--dry-run', 'check, then print both job scripts; nothing is written or submitted')
    .action(async (o: BinDsscCliOptions) => {
      const request = {
        proposal: o.proposal, darkRun: o.darkRun, run: o.run, xaxis: o.xaxis, binWidth: o.binWidth, outputDir: o.outputDir,
        kernel: o.kernel, moduleGroups: o.moduleGroups, binningParameters: o.set,
        partition: o.partition, reservation: o.reservation, time: o.time, local: o.local,
      };
      // option values first (module groups, bin width), then what the jobs would meet on a node
      planDsscWorkflow({ ...request, outputDir: o.outputDir ?? '.' });
      const problems = await checkDsscWorkflow(request);
      if (problems.length) throw new DsscWorkflowCheckError(problems);
      const plan = planDsscWorkflow(request);
      if (o.dryRun) {
        process.stdout.write(dryRunDsscWorkflow(plan));
        return;
      }
      const jobs = await submitDsscWorkflow(plan);
      const verb = jobs.binning.backend === 'slurm' ? 'Submitted batch job' : 'Started local job';
      console.log(`${verb} ${jobs.binning.id} (array of ${jobs.binning.outputs.length} tasks over module_group): binning run ${o.run} minus dark run ${o.darkRun}`);
      console.log(`${verb} ${jobs.summary.id} (after ${jobs.binning.id}): summary`);
      console.log(`module files:  ${plan.moduleFolder}/run_${o.run}_module<m>.h5`);
      console.log(`combined file: ${plan.combinedFile}`);
      console.log(`notebooks:     ${[...jobs.binning.outputs, ...jobs.summary.outputs].join(', ')}`);
      const logs = [...jobs.binning.logs, ...jobs.summary.logs].map((l) => basename(l));
      console.log(`logs:          ${join(plan.outputDir, 'logs')}/ (${logs.join(', ')}: each written when its task starts)`);
      if (!o.wait) return;
      const { ok, states } = await waitDsscWorkflow(jobs, (t) => console.error(`scs bin-dssc: ${describeTask(t)}`));
      if (!ok) {
        for (const t of states.filter((s) => s.state !== 'COMPLETED' || s.exitCode !== 0)) console.error(`scs bin-dssc: ${t.label} did not succeed; log: ${t.log}`);
        process.exitCode = 1;
      }
    });
}
