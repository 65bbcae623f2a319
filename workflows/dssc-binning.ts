/**
 * The DSSC binning workflow as two batch submissions through runner/batch:
 * the binning template as a job array over module_group (4 modules per
 * group), and the summary notebook as a job that starts only when every
 * task completed (afterok; with `local`, the local launcher's equivalent).
 * Behind `scs bin-dssc` and the demo (./demo.ts).
 */
import { join, resolve } from 'node:path';
import {
  type JobRecord, type SubmitRequest, type TaskState, allSucceeded, dryRun, submitNotebook, taskStateText, waitForJobs,
} from '../runner/batch/index.js';
import { ToolBoxValueError, findProposal, packageRoot } from '../toolbox/index.js';

export const BINNING_NOTEBOOK = 'DSSC module binning.ipynb';
export const SUMMARY_NOTEBOOK = 'DSSC summary.ipynb';
/** Where a dry run's summary script names the array job it waits for. */
const ARRAY_ID_PLACEHOLDER = 'ARRAY_JOB_ID';

export interface DsscWorkflowRequest {
  proposal: number;
  darkRun: number;
  run: number;
  /** 'nrj', 'delay' or any mnemonic (default 'delay') */
  xaxis?: string;
  binWidth?: number;
  /** Default: <proposal>/usr/processed_runs/r<4-digit run>, as scripts/bin_dssc_module_job.sh. */
  outputDir?: string;
  kernel?: string;
  /** Default 0,1,2,3: all 16 modules. */
  moduleGroups?: number[];
  /** More parameters of the binning notebook (pattern, xgm_min, xgm_normalization, ...). */
  binningParameters?: [string, string][];
  binningNotebook?: string;
  summaryNotebook?: string;
  partition?: string;
  reservation?: string;
  time?: string;
  local?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface DsscWorkflowPlan {
  outputDir: string;
  /** The binning notebooks' `path`: the module files run_<run>_module<m>.h5 land here. */
  moduleFolder: string;
  combinedFile: string;
  binning: SubmitRequest;
  /** Its `after` is filled in with the array job id at submission. */
  summary: SubmitRequest;
}

export interface DsscWorkflowJobs {
  plan: DsscWorkflowPlan;
  binning: JobRecord;
  summary: JobRecord;
}

function nonNegativeInteger(what: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new ToolBoxValueError(`${what} must be a non-negative integer, got ${v}`);
  return v;
}

export function defaultOutputDir(proposal: number, run: number): string {
  return join(findProposal(proposal), 'usr', 'processed_runs', `r${String(run).padStart(4, '0')}`);
}

export function planDsscWorkflow(req: DsscWorkflowRequest): DsscWorkflowPlan {
  const proposal = nonNegativeInteger('the proposal', req.proposal);
  const run = nonNegativeInteger('the run', req.run);
  const darkRun = nonNegativeInteger('the dark run', req.darkRun);
  const groups = req.moduleGroups ?? [0, 1, 2, 3];
  const bad = groups.filter((g) => !Number.isInteger(g) || g < 0 || g > 3);
  if (groups.length === 0 || bad.length) throw new ToolBoxValueError(`module groups are 0-3 (4 modules each), got ${groups.join(',') || 'none'}`);
  if (req.binWidth !== undefined && !(req.binWidth > 0)) throw new ToolBoxValueError(`the bin width must be a positive number, got ${req.binWidth}`);
  const outputDir = resolve(req.outputDir ?? defaultOutputDir(proposal, run));
  const xaxis = req.xaxis ?? 'delay';
  const notebooks = join(packageRoot(), 'notebooks');
  const kernel = req.kernel ? ['-k', req.kernel] : [];
  const slurm = { partition: req.partition, reservation: req.reservation, time: req.time, local: req.local, env: req.env };
  const tag = `r${String(run).padStart(4, '0')}`;
  // the trailing slash as in scripts/bin_dssc_module_job.sh: the notebooks may join or concatenate
  const path = `${outputDir}/`;
  const binning: SubmitRequest = {
    ...slurm,
    notebook: req.binningNotebook ?? join(notebooks, BINNING_NOTEBOOK),
    outputDir,
    outputName: 'dssc_binning_group{value}.ipynb',
    jobName: `scs-dssc-bin-${tag}`,
    array: `module_group=${groups.join(',')}`,
    runArgs: [...kernel,
      '-p', 'proposalNB', String(proposal), '-p', 'dark_runNB', String(darkRun), '-p', 'runNB', String(run),
      '-p', 'path', path, '-p', 'xaxis', xaxis,
      ...(req.binWidth !== undefined ? ['-p', 'bin_width', String(req.binWidth)] : []),
      ...(req.binningParameters ?? []).flatMap(([n, v]) => ['-p', n, v])],
  };
  const combinedFile = join(outputDir, 'combined', `run${run}.h5`);
  const summary: SubmitRequest = {
    ...slurm,
    notebook: req.summaryNotebook ?? join(notebooks, SUMMARY_NOTEBOOK),
    outputDir,
    outputName: 'dssc_summary.ipynb',
    jobName: `scs-dssc-summary-${tag}`,
    runArgs: [...kernel, '-p', 'proposalNB', String(proposal), '-p', 'runNB', String(run), '-p', 'path', path,
      '-p', 'xaxis', xaxis, '-p', 'output', combinedFile],
  };
  return { outputDir, moduleFolder: outputDir, combinedFile, binning, summary };
}

/** Both sbatch scripts as text; the summary's dependency names the array job ARRAY_JOB_ID. */
export function dryRunDsscWorkflow(plan: DsscWorkflowPlan): string {
  const array = dryRun(plan.binning).scriptText;
  // local: true only skips the job-id check, so the placeholder can stand where the id will be
  const summary = dryRun({ ...plan.summary, after: [ARRAY_ID_PLACEHOLDER], local: true }).scriptText;
  const logs = join(plan.outputDir, 'logs');
  // sbatch does not create the folder of --output: a job submitted by hand without it has no log
  const head = [
    '# scs bin-dssc --dry-run: the checks passed; nothing was written or submitted, so the paths below do not exist yet.',
    `# To submit by hand: mkdir -p ${logs} (sbatch does not create the log folder), save each script under the name`,
    `# its "submit again" line gives, sbatch the array, then the summary with ${ARRAY_ID_PLACEHOLDER} replaced by the array's id.`,
    '',
  ].join('\n');
  return `${head}\n${array}\n# ---- then, with ${ARRAY_ID_PLACEHOLDER} the id sbatch gave the array above:\n\n${summary}`;
}

export async function submitDsscWorkflow(plan: DsscWorkflowPlan): Promise<DsscWorkflowJobs> {
  const binning = (await submitNotebook(plan.binning)).record!;
  const summary = (await submitNotebook({ ...plan.summary, after: [binning.id] })).record!;
  return { plan, binning, summary };
}

/** Waits for every task of both jobs; true when all completed with exit code 0. */
export async function waitDsscWorkflow(jobs: DsscWorkflowJobs, onChange: (t: TaskState) => void = () => undefined): Promise<{ ok: boolean; states: TaskState[] }> {
  const states = await waitForJobs([jobs.binning, jobs.summary], onChange);
  return { ok: allSucceeded(states), states };
}

/** One line per task state, as `scs submit --wait` prints them. */
export function describeTask(t: TaskState): string {
  return `${t.label} ${t.record.name}${taskStateText(t)}`;
}
