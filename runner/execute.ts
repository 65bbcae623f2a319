/**
 * runNotebook: papermill's execute_notebook for any kernel. Parameterizes the
 * notebook, starts the kernel through an engine, runs the cells in order while
 * keeping metadata.papermill and the outputs current, saves the output
 * notebook per the save policy, and ends with papermill's outcome: success,
 * the error cells plus CellExecutionError (exit 1), DeadKernelError (138), or
 * RunnerInterruptedError after SIGTERM/SIGINT (143/130).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { engineByName } from './engine/index.js';
import type { ExecutionEngine, KernelSession } from './engine/types.js';
import { NoSuchKernelError, RunnerError } from './errors.js';
import { addErrorCells } from './error-cells.js';
import { chooseLocalKernel } from './kernel-choice.js';
import { cellEnded, cellStarted, isoNow, resetCell } from './metadata.js';
import { hasTag, joinSource } from './notebook/cells.js';
import { checkWritable, readNotebook } from './notebook/io.js';
import { NotebookSaver } from './notebook/saver.js';
import type { CodeCell, Notebook } from './notebook/types.js';
import { OutputCollector } from './outputs.js';
import { type ParameterInputs, mergeParameters } from './parameters/merge.js';
import { builtinPathValues, formatPath } from './paths.js';
import { prepareNotebook } from './prepare.js';
import { type ProgressMode, cellDescription, makeProgress } from './progress.js';
import { type Stop, failure, runCell, shutdownQuietly } from './run-cell.js';
import { watchSignals } from './signals.js';
import { openStreamFiles } from './stream-files.js';

export interface RunOptions {
  parameters?: ParameterInputs;
  kernelName?: string;
  language?: string;
  /** 'local' (default), 'server', or an engine object */
  engine?: 'local' | 'server' | ExecutionEngine;
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
  warn?: (message: string) => void;
  /** turn SIGTERM/SIGINT into a saved, failed notebook (the CLI sets this) */
  handleSignals?: boolean;
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
  notebook: Notebook;
}

export async function runNotebook(input: string | Notebook, outputTemplate: string, options: RunOptions = {}): Promise<RunSummary> {
  // papermill formats both paths with the (untyped) parameters
  const pathValues = { ...builtinPathValues(), ...Object.fromEntries([...mergeParameters(options.parameters ?? {})].map(([k, v]) => [k, v.value])) };
  if (typeof input === 'string') input = formatPath(input, pathValues);
  const output = formatPath(outputTemplate, pathValues);
  const inputPath = typeof input === 'string' ? input : '<notebook>';
  const nb = typeof input === 'string' ? readNotebook(input) : input;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const warn = options.warn ?? ((m: string) => process.emitWarning(m, 'RunnerWarning'));
  checkWritable(output);
  const kernelCwd = resolve(options.cwd ?? process.cwd());
  if (!options.prepareOnly && !(existsSync(kernelCwd) && statSync(kernelCwd).isDirectory())) {
    throw new RunnerError(`--cwd ${options.cwd} is not an existing folder`);
  }

  const engine = typeof options.engine === 'object' ? options.engine : engineByName(options.engine ?? 'local');
  const kernelEnv = { ...options.env };
  let kernel: { name?: string; language?: string } = { name: options.kernelName };
  let missingKernel: RunnerError | undefined;
  try {
    if (engine.name === 'local') kernel = chooseLocalKernel(nb, options, warn);
  } catch (err) {
    if (!(err instanceof NoSuchKernelError)) throw err;
    missingKernel = err; // still write the parameterized notebook, then fail
  }
  const prepared = prepareNotebook(nb, {
    parameters: options.parameters, kernelName: kernel.name, language: options.language ?? kernel.language,
    inputPath, outputPath: output, reportMode: options.reportMode, strictParameters: options.strictParameters, warn,
  });
  const summary: RunSummary = {
    status: 'prepared', inputPath, outputPath: output, kernelName: prepared.kernelName, language: prepared.language,
    parameters: prepared.parameters, cellsExecuted: 0, cellsTotal: nb.cells.length, notebook: nb,
  };
  const toStdout = output === '-';
  const saver = new NotebookSaver(nb, {
    outputPath: output,
    requestSaveOnCellExecute: (options.requestSaveOnCellExecute ?? true) && !toStdout,
    autosaveCellEvery: options.autosaveCellEvery ?? 30,
  });
  if (options.prepareOnly) {
    saver.final();
    return summary;
  }
  if (!prepared.kernelName) throw new RunnerError(`notebook ${inputPath} names no kernel (metadata.kernelspec.name); give one with -k/--kernel`);

  const pm = nb.metadata.papermill!;
  if (missingKernel) {
    pm.exception = true;
    saver.final();
    throw missingKernel;
  }
  for (const cell of nb.cells) resetCell(cell);
  pm.start_time = isoNow();
  pm.end_time = null;
  pm.duration = null;
  pm.exception = null;

  saver.save();
  let session: KernelSession;
  try {
    session = await engine.start({
      kernelName: prepared.kernelName, cwd: kernelCwd, startTimeout: options.startTimeout ?? 60, env: kernelEnv,
      serverUrl: options.serverUrl, token: options.token,
    });
  } catch (err) {
    // the output notebook stays, parameterized, recording that the run never started
    pm.exception = true;
    pm.end_time = isoNow();
    saver.final();
    throw err;
  }
  nb.metadata.language_info = session.info.language_info;
  saver.checkpoint();

  const sinks = openStreamFiles(options);
  const collector = new OutputCollector({
    onStream: (name, text) => {
      sinks.write(name, text);
      if (options.logOutput) log(text.replace(/\n$/, ''));
    },
    onResult: options.logOutput ? (text) => log(text) : undefined,
    onChange: () => saver.outputChanged(),
  });
  const progress = makeProgress(options.progress ?? 'none');
  const signals = options.handleSignals ? watchSignals() : undefined;
  let failedIndex = -1;
  let stop: Stop | undefined;
  let current = -1;
  let unexpected: unknown;
  try {
    progress.start(nb.cells.length);
    for (let i = 0; i < nb.cells.length && !stop; i++) {
      const cell = nb.cells[i];
      const source = joinSource(cell.source);
      current = i;
      cellStarted(cell);
      saver.checkpoint();
      const runs = cell.cell_type === 'code' && source.trim() !== '' && !hasTag(cell, 'skip-execution');
      if (options.logOutput && runs) log(`Executing Cell ${i + 1}${'-'.repeat(40)}`);
      progress.cellStart(i, runs, cellDescription(source));
      if (runs) {
        stop = await runCell(session, cell as CodeCell, source, collector, options, signals);
        summary.cellsExecuted++;
        if (stop?.kind === 'error' && hasTag(cell, 'raises-exception')) stop = undefined;
      }
      const failed = stop !== undefined && stop.kind !== 'exit';
      if (failed) failedIndex = i;
      cellEnded(cell, failed);
      if (options.logOutput && runs) log(`Ending Cell ${i + 1}${'-'.repeat(42)}`);
      const count = cell.cell_type === 'code' ? cell.execution_count : null;
      progress.cellEnd(i, runs, count, failed ? 'failed' : 'completed', cell.metadata.papermill!.duration ?? 0);
      saver.checkpoint();
    }
    progress.end();
  } catch (err) {
    // an engine or I/O failure mid-cell: record it like a cell failure so the notebook and kernel are not lost
    unexpected = err;
    const cell = nb.cells[current] as CodeCell | undefined;
    if (cell) {
      if (cell.cell_type === 'code') cell.outputs.push({ output_type: 'error', ename: (err as Error).name ?? 'Error', evalue: String((err as Error).message ?? err), traceback: [] });
      cellEnded(cell, true);
      failedIndex = current;
    }
  } finally {
    signals?.dispose();
    sinks.close();
  }

  const end = new Date();
  pm.end_time = end.toISOString();
  pm.duration = (end.getTime() - Date.parse(pm.start_time)) / 1000;
  pm.exception = failedIndex >= 0;
  let error: unknown = unexpected;
  if (failedIndex >= 0) {
    const cell = nb.cells[failedIndex] as CodeCell;
    if (stop) error = failure(stop, cell, failedIndex);
    addErrorCells(nb, failedIndex, cell.cell_type === 'code' ? cell.execution_count : null);
  }
  saver.final();
  await shutdownQuietly(session, unexpected !== undefined || stop?.kind === 'dead' || stop?.kind === 'signal');
  if (error) throw error;
  summary.status = 'completed';
  summary.startTime = pm.start_time;
  summary.endTime = pm.end_time;
  summary.durationSeconds = pm.duration;
  return summary;
}

