/**
 * process_data / process_dssc_data from a DsscBinningPlan: plan every
 * module's trains, stream its frames (worker threads, or this thread for
 * processDsscData), then finish and write one file per module. The checks
 * (modules, dark, normalisation) ran when the plan was made, before the
 * first frame is read, so bad input fails fast and writes nothing.
 */
import { availableParallelism } from 'node:os';
import type { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxError } from '../../errors.js';
import { startProgress } from '../../display/track.js';
import type { DataCollection } from '../../run/data-collection.js';
import { type AccumulateTask, accumulateModule } from './accumulate.js';
import { type DsscBinningPlan, positiveInt } from './binning-plan.js';
import type { ModuleDark } from './dark.js';
import { runTasks, runTasksHere } from './execute.js';
import { type ModuleFailure, failureReason, moduleOf, withOutcome } from './module-outcome.js';
import { finishSums, moduleDataset, writeModuleFile } from './output.js';
import { type Averaging, type BinningSetup, EXCLUSION_REASONS, type Exclusions, type ModulePlan, noExclusions, planModule } from './plan.js';

export interface ProcessDataOptions {
  /** Modules to bin (default: all the run has). */
  modules?: number[];
  /** Output folder (created); files are run_<run>_module<m>.h5. Default './'. */
  filepath?: string;
  /** Trains read at a time (default 512). */
  chunksize?: number;
  /** Worker threads (default os.availableParallelism()). */
  nJobs?: number;
  /** Dark to subtract: dims ⊆ (module, trainId of size 1, pulse, x, y). */
  darkImage?: DataArray | null;
  xgmNormalization?: boolean;
  /** With xgmNormalization: frames f with f % normevery == 0 are divided by their XGM pulse (default 1). */
  normevery?: number;
  /** Frames kept per train (the first maxframes; default all). */
  maxframes?: number | null;
  /** 'frames' (default): Σ frames / frame count; 'trains': mean over trains of per-train means (dssc_process). */
  averaging?: Averaging;
  signal?: AbortSignal;
  /** Progress label (default 'binning DSSC run …'), false for none, or a callback given frames done and total. */
  progress?: string | false | ((framesDone: number, framesTotal: number) => void);
}

export interface ModuleSummary {
  module: number;
  file: string;
  trainsUsed: number;
  trainsExcluded: Exclusions;
  framesBinned: number;
  framesExcludedNoXgm: number;
}

export interface ProcessDataSummary {
  files: string[];
  modules: number[];
  /** Trains binned in at least one module. */
  trainsUsed: number;
  /** Per reason, the most trains any module lost to it (they agree except for noDsscData). */
  trainsExcluded: Exclusions;
  framesBinned: number;
  framesExcludedNoXgm: number;
  perModule: ModuleSummary[];
}

interface ModuleJob { plan: ModulePlan; files: string[]; dark: ModuleDark | null }
interface Prepared { source: DsscBinningPlan; setup: BinningSetup; jobs: ModuleJob[] }

/** Which trains and frames of each module enter which bin, with what weight. */
function prepare(source: DsscBinningPlan): Prepared {
  const { setup } = source;
  const jobs = source.modules.map((m): ModuleJob => ({
    plan: planModule(setup, m.module, source.trainIds, (i) => m.dataCounts[i] > 0), files: m.files, dark: m.dark,
  }));
  return { source, setup, jobs };
}

/** The job's trains [from, to) as a task a worker can run. */
function task(p: Prepared, job: ModuleJob, from: number, to: number): AccumulateTask {
  const { setup, source } = p;
  return {
    files: job.files, incSuspectTrains: source.incSuspectTrains, module: job.plan.module, chunksize: source.chunksize,
    trainIds: job.plan.trainIds.slice(from, to), scanBin: job.plan.scanBin.slice(from, to),
    weights: job.plan.weights.slice(from * setup.frames, to * setup.frames),
    frames: setup.frames, pulseBin: setup.pulseBinOfFrame, nScan: setup.scanValues.length, nPulse: setup.pulseLabels.length,
    pixels: source.pixels[0] * source.pixels[1],
  };
}

/** Split each module's trains into `parts` contiguous ranges of near-equal size. */
function splitTasks(p: Prepared, parts: number): { tasks: AccumulateTask[]; owner: number[] } {
  const tasks: AccumulateTask[] = [];
  const owner: number[] = [];
  p.jobs.forEach((job, j) => {
    const n = job.plan.trainIds.length;
    const k = Math.max(1, Math.min(parts, n));
    for (let i = 0; i < k; i++) {
      tasks.push(task(p, job, Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)));
      owner.push(j);
    }
  });
  return { tasks, owner };
}

/** Frames done → the user's callback, a startProgress display, or nothing. */
function reporter(option: ProcessDataOptions['progress'], label: string, total: number): { set: (done: number) => void; finish: () => void } {
  if (option === false) return { set: () => {}, finish: () => {} };
  if (typeof option === 'function') return { set: (done) => option(done, total), finish: () => {} };
  const progress = startProgress(option ?? label, { total, unit: 'frames' });
  return { set: (done) => progress.set(done), finish: () => progress.finish() };
}

function warnExclusions(run: number | string, summary: ProcessDataSummary): void {
  const lost = EXCLUSION_REASONS.filter((r) => summary.trainsExcluded[r] > 0);
  if (!lost.length && !summary.framesExcludedNoXgm) return;
  const parts = lost.map((r) => `${r}: ${summary.trainsExcluded[r]}`);
  if (summary.framesExcludedNoXgm) parts.push(`frames without XGM value: ${summary.framesExcludedNoXgm}`);
  process.emitWarning(`DSSC binning of run ${run}: trains not binned (most in any module) — ${parts.join(', ')}; per module in the summary and the files' trains_excluded_* attrs`, 'ToolBoxWarning');
}

/** Finish one module's sums and write its file. */
async function writeJob(p: Prepared, j: number, sums: Float64Array): Promise<ModuleSummary> {
  const { plan, dark } = p.jobs[j];
  const { source } = p;
  const means = finishSums(sums, plan, p.setup, dark, source.pixels[0] * source.pixels[1]);
  const file = await writeModuleFile(source.filepath, moduleDataset(means, plan, p.setup, dark, source), source.run, plan.module);
  return { module: plan.module, file, trainsUsed: plan.trainIds.length, trainsExcluded: plan.excluded, framesBinned: plan.framesBinned, framesExcludedNoXgm: plan.framesNoXgm };
}

function summarize(p: Prepared, perModule: ModuleSummary[]): ProcessDataSummary {
  const used = new Set<bigint>();
  for (const j of p.jobs) j.plan.trainIds.forEach((t) => used.add(t));
  const trainsExcluded = noExclusions();
  for (const m of perModule) for (const r of EXCLUSION_REASONS) trainsExcluded[r] = Math.max(trainsExcluded[r], m.trainsExcluded[r]);
  const summary: ProcessDataSummary = {
    files: perModule.map((m) => m.file), modules: perModule.map((m) => m.module), trainsUsed: used.size, trainsExcluded,
    framesBinned: perModule.reduce((s, m) => s + m.framesBinned, 0),
    framesExcludedNoXgm: Math.max(0, ...perModule.map((m) => m.framesExcludedNoXgm)),
    perModule,
  };
  warnExclusions(p.source.run, summary);
  return summary;
}

/** The options processData and processDsscData read themselves; the rest went into the plan. */
export type ExecutionOptions = Pick<ProcessDataOptions, 'nJobs' | 'signal' | 'progress'>;

/**
 * process_data: every module on worker threads (with nJobs 1 in this thread,
 * one after the other); a module is split over several workers when there
 * are fewer modules than nJobs.
 */
export async function processModules(plan: DsscBinningPlan, options: ExecutionOptions): Promise<ProcessDataSummary> {
  const nJobs = positiveInt('nJobs', options.nJobs ?? availableParallelism());
  const p = prepare(plan);
  const parts = p.jobs.length >= nJobs ? 1 : Math.floor(nJobs / p.jobs.length);
  const { tasks, owner } = splitTasks(p, parts);
  const total = p.jobs.reduce((s, j) => s + j.plan.framesBinned, 0);
  const progress = reporter(options.progress, `binning DSSC run ${plan.run}, module${p.jobs.length > 1 ? 's' : ''} ${p.jobs.map((j) => j.plan.module).join(', ')}`, total);
  // A module is finished and written as soon as its last part is in, so only the
  // modules in progress hold accumulators. Parts are added in task order, so the
  // rounding does not depend on which worker finished first.
  const partSums: Float64Array[][] = p.jobs.map(() => []);
  const partsLeft = p.jobs.map((_, j) => owner.filter((o) => o === j).length);
  const perModule: ModuleSummary[] = new Array(p.jobs.length);
  const failed: ModuleFailure[] = [];
  const errors: unknown[] = [];
  // Each module's write is tried even after another one failed: its sums are done.
  let writing = Promise.resolve();
  const onResult = (i: number, s: Float64Array) => {
    const j = owner[i];
    partSums[j][i - owner.indexOf(j)] = s;
    if (--partsLeft[j] > 0) return;
    const [sum, ...rest] = partSums[j];
    for (const part of rest) for (let k = 0; k < part.length; k++) sum[k] += part[k];
    partSums[j] = [];
    writing = writing.then(async () => {
      try {
        perModule[j] = await writeJob(p, j, sum);
      } catch (err) {
        failed.push({ module: p.jobs[j].plan.module, reason: failureReason(err) });
        errors.push(err);
      }
    });
  };
  // Ctrl-C in a script, or the kernel's interrupt (a SIGINT), stops the workers as well instead
  // of leaving them binning in the background after the cell or script has given up.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.on('SIGINT', onSigint);
  const signal = options.signal ? AbortSignal.any([options.signal, interrupt.signal]) : interrupt.signal;
  try {
    await (nJobs === 1 ? runTasksHere : runTasks)(tasks, { nJobs, signal, onFrames: progress.set, onResult });
  } catch (err) {
    const m = moduleOf(err);
    if (m !== undefined) failed.unshift({ module: m, reason: failureReason(err) });
    errors.unshift(err);
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress.finish();
  }
  await writing;
  if (errors.length > 0) throw report(p, perModule, failed, errors[0]);
  return summarize(p, perModule);
}

/** The first error, with the modules written, failed and not written when there are several modules. */
function report(p: Prepared, perModule: ModuleSummary[], failed: ModuleFailure[], err: unknown): unknown {
  if (p.jobs.length < 2) return err;
  const written = perModule.filter((m) => m !== undefined).map((m) => ({ module: m.module, file: m.file }));
  const settled = new Set([...written.map((w) => w.module), ...failed.map((f) => f.module)]);
  const notWritten = p.jobs.map((j) => j.plan.module).filter((m) => !settled.has(m));
  return withOutcome(err, { run: p.source.run, written, failed, notWritten });
}

/**
 * process_dssc_data: the plan's one module streamed in this thread (what each
 * worker of processData does, plus finishing and writing). `run` is the open
 * run to read from; without it the module's files are opened here.
 */
export async function processModuleHere(plan: DsscBinningPlan, options: Omit<ExecutionOptions, 'nJobs'>, run?: DataCollection): Promise<ProcessDataSummary> {
  const p = prepare(plan);
  const [job] = p.jobs;
  const { module } = job.plan;
  const progress = reporter(options.progress, `binning DSSC run ${plan.run}, module ${module}`, job.plan.framesBinned);
  let done = 0;
  let sums: Float64Array;
  try {
    sums = await accumulateModule(task(p, job, 0, job.plan.trainIds.length), (n) => progress.set(done += n), {
      run, aborted: () => options.signal?.aborted ?? false,
    });
  } catch (err) {
    if (options.signal?.aborted && !(err instanceof ToolBoxError)) throw new ToolBoxError(`binning of DSSC module ${module} aborted`, { cause: err });
    throw err;
  } finally {
    progress.finish();
  }
  return summarize(p, [await writeJob(p, 0, sums)]);
}
