/**
 * runNotebook: papermill's execute_notebook for any kernel. Prepares the
 * notebook (paths, kernel, parameters), lets the engine execute it under an
 * execution manager, and ends with papermill's outcome: success, the error
 * cells plus CellExecutionError (exit 1), DeadKernelError (138), or
 * RunnerInterruptedError after SIGTERM/SIGINT (143/130).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { engineByName } from './engine/index.js';
import type { NotebookEngine } from './engine/notebook-engine.js';
import { NoSuchKernelError, RunnerError } from './errors.js';
import { type ExecutionObserver, NotebookExecutionManager } from './execution-manager.js';
import { checkWritable, readNotebook } from './notebook/io.js';
import type { Notebook } from './notebook/types.js';
import { type ParameterInputs, mergeParameters } from './parameters/merge.js';
import { builtinPathValues, formatPath } from './paths.js';
import { type Prepared, prepareNotebook } from './prepare.js';
import type { ProgressMode } from './progress.js';
import { type Warn, defaultWarn } from './warnings.js';

export interface RunOptions {
  parameters?: ParameterInputs;
  kernelName?: string;
  language?: string;
  /** 'local' (default), 'server', or an engine object */
  engine?: 'local' | 'server' | NotebookEngine;
  serverUrl?: string;
  token?: string;
  /** the kernel's working directory (default: this process's); the runner's own stays put */
  cwd?: string;
  /** extra environment for the kernel */
  env?: Record<string, string>;
  prepareOnly?: boolean;
  /** seconds (default 60) */
  startTimeout?: number;
  /** seconds per cell (default: none) */
  executionTimeout?: number;
  /** default true (forced off for stdout output) */
  requestSaveOnCellExecute?: boolean;
  /** seconds (default 30, 0 disables) */
  autosaveCellEvery?: number;
  reportMode?: boolean;
  strictParameters?: boolean;
  /** stream stdout/stderr and results of cells to `log`, with Executing/Ending Cell markers */
  logOutput?: boolean;
  stdoutFile?: string;
  stderrFile?: string;
  progress?: ProgressMode;
  /** where log lines go (default: process.stderr) */
  log?: (line: string) => void;
  /** where every warning of the run goes (default: Node's process warnings) */
  warn?: Warn;
  /** turn SIGTERM/SIGINT into a saved, failed notebook (the CLI sets this) */
  handleSignals?: boolean;
  /** told of each lifecycle hook of the run (notebook start, cell start/exception/complete, notebook complete) */
  observer?: ExecutionObserver;
}

export interface RunSummary {
  status: 'completed' | 'prepared';
  inputPath: string;
  outputPath: string;
  kernelName?: string;
  language?: string;
  parameters: Record<string, unknown>;
  cellsExecuted: number;
  cellsTotal: number;
  startTime?: string;
  endTime?: string;
  durationSeconds?: number;
  /** saves of the output notebook during the run that failed (the final save went through) */
  saveFailures?: { count: number; first: string };
  notebook: Notebook;
}

/** The notebook and where it goes, once papermill's path templates are filled in. */
interface Target {
  nb: Notebook;
  inputPath: string;
  outputPath: string;
  kernelCwd: string;
}

export async function runNotebook(input: string | Notebook, outputTemplate: string, options: RunOptions = {}): Promise<RunSummary> {
  const warn = options.warn ?? defaultWarn;
  const target = locate(input, outputTemplate, options);
  const engine = typeof options.engine === 'object' ? options.engine : engineByName(options.engine ?? 'local');
  const { prepared, missingKernel } = prepareFor(engine, target, options, warn);
  const manager = new NotebookExecutionManager(target.nb, {
    outputPath: target.outputPath,
    requestSaveOnCellExecute: options.requestSaveOnCellExecute ?? true,
    autosaveCellEvery: options.autosaveCellEvery ?? 30,
    progress: options.progress ?? 'none',
    logOutput: options.logOutput,
    log: options.log ?? ((line: string) => process.stderr.write(`${line}\n`)),
    stdoutFile: options.stdoutFile,
    stderrFile: options.stderrFile,
    observer: options.observer,
    warn,
  });
  const summary: RunSummary = {
    status: 'prepared', inputPath: target.inputPath, outputPath: target.outputPath, kernelName: prepared.kernelName,
    language: prepared.language, parameters: prepared.parameters, cellsExecuted: 0, cellsTotal: target.nb.cells.length, notebook: target.nb,
  };
  try {
    return await execute(engine, manager, summary, { prepared, missingKernel, target, options, warn });
  } catch (err) {
    // whether there is an output notebook to look at after the failure
    if (err instanceof RunnerError && manager.saver.saves > 0 && target.outputPath !== '-') err.outputWritten = target.outputPath;
    throw err;
  }
}

interface Planned { prepared: Prepared; missingKernel?: NoSuchKernelError; target: Target; options: RunOptions; warn: Warn }

async function execute(engine: NotebookEngine, manager: NotebookExecutionManager, summary: RunSummary, plan: Planned): Promise<RunSummary> {
  const { prepared, missingKernel, target, options, warn } = plan;
  if (options.prepareOnly) {
    manager.saveFinal();
    return summary;
  }
  if (!prepared.kernelName) throw new RunnerError(`notebook ${target.inputPath} names no kernel (metadata.kernelspec.name); give one with -k/--kernel`);
  if (missingKernel) {
    manager.abandon();
    throw missingKernel;
  }
  await engine.execute(manager, {
    kernelName: prepared.kernelName, cwd: target.kernelCwd, startTimeout: options.startTimeout ?? 60, env: { ...options.env },
    serverUrl: options.serverUrl, token: options.token, executionTimeout: options.executionTimeout, handleSignals: options.handleSignals, warn,
  });
  return finish(manager, summary);
}

/** papermill formats both paths with the (untyped) parameters; the output must be writable and --cwd a folder. */
function locate(input: string | Notebook, outputTemplate: string, options: RunOptions): Target {
  const given = Object.fromEntries([...mergeParameters(options.parameters ?? {})].map(([k, v]) => [k, v.value]));
  const pathValues = { ...builtinPathValues(), ...given };
  const inputPath = typeof input === 'string' ? formatPath(input, pathValues) : '<notebook>';
  const outputPath = formatPath(outputTemplate, pathValues);
  const nb = typeof input === 'string' ? readNotebook(inputPath) : input;
  checkWritable(outputPath);
  const kernelCwd = resolve(options.cwd ?? process.cwd());
  if (!options.prepareOnly && !(existsSync(kernelCwd) && statSync(kernelCwd).isDirectory())) {
    throw new RunnerError(`--cwd ${options.cwd} is not an existing folder`);
  }
  return { nb, inputPath, outputPath, kernelCwd };
}

/** The engine picks the kernel; a missing one still gets the parameterized notebook written before the run fails. */
function prepareFor(engine: NotebookEngine, target: Target, options: RunOptions, warn: Warn): { prepared: Prepared; missingKernel?: NoSuchKernelError } {
  let kernel: { name?: string; language?: string } = { name: options.kernelName };
  let missingKernel: NoSuchKernelError | undefined;
  try {
    kernel = engine.chooseKernel(target.nb, options, warn);
  } catch (err) {
    if (!(err instanceof NoSuchKernelError)) throw err;
    missingKernel = err;
  }
  const prepared = prepareNotebook(target.nb, {
    parameters: options.parameters, kernelName: kernel.name, language: options.language ?? kernel.language,
    inputPath: target.inputPath, outputPath: target.outputPath, reportMode: options.reportMode, strictParameters: options.strictParameters, warn,
  });
  return { prepared, missingKernel };
}

/** papermill's raise_for_execution_errors, or the summary of a completed run. */
function finish(manager: NotebookExecutionManager, summary: RunSummary): RunSummary {
  if (manager.failure) throw manager.failure.error;
  const pm = manager.papermill;
  return {
    ...summary, status: 'completed', cellsExecuted: manager.cellsExecuted,
    startTime: pm.start_time ?? undefined, endTime: pm.end_time ?? undefined, durationSeconds: pm.duration ?? undefined,
    ...(manager.saver.failures ? { saveFailures: { ...manager.saver.failures } } : {}),
  };
}
