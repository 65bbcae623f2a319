/**
 * `scs run INPUT [OUTPUT]`: papermill's command line over runner/ (same
 * options, same exit codes: 0, 1 on failure, 2 on usage errors, 138 for a
 * dead kernel; 143/130 after SIGTERM/SIGINT), plus typed parameters.
 */
import { fstatSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type DeclaredParameter, type Notebook, NotebookSaveError, type ParameterInputs, RunnerError, builtinPathValues, chooseProgressMode, findTranslator, formatNotebookHelp,
  formatPath, mergeParameters, notebookDeclarations, notebookLanguage, parametersCellIndex, readNotebook, runNotebook,
} from '../../runner/index.js';
import { noteOnFailure } from './failure.js';
import { PairOptionsCommand, addParameterOptions, many } from './pair-options.js';

/** How long `scs run` may linger after its run ended. */
const EXIT_GRACE_MS = 3000;

const LOG_LEVELS = ['NOTSET', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** `scs run`: papermill's two-word pair options, and click's exit code 2 for usage errors. */
class RunCommand extends PairOptionsCommand {
  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    // click's usage errors exit with 2
    return super.error(message, { ...errorOptions, exitCode: 2 });
  }
}

const seconds = (name: string) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} expects a number of seconds, got '${v}'`);
  return n;
};

interface RunCliOptions {
  parameters?: [string, string][];
  parameters_raw?: [string, string][];
  parameters_file?: string[];
  parameters_yaml?: string[];
  parameters_base64?: string[];
  injectInputPath?: boolean;
  injectOutputPath?: boolean;
  injectPaths?: boolean;
  engine: 'local' | 'server';
  serverUrl?: string;
  token?: string;
  requestSaveOnCellExecute?: boolean;
  autosaveCellEvery: number;
  prepareOnly?: boolean;
  kernel?: string;
  language?: string;
  cwd?: string;
  progressBar?: boolean;
  logOutput?: boolean;
  stdoutFile?: string;
  stderrFile?: string;
  logLevel: string;
  startTimeout?: number;
  start_timeout?: number;
  executionTimeout?: number;
  reportMode?: boolean;
  helpNotebook?: boolean;
  strictParameters?: boolean;
}

/** A shell pipe is a FIFO; Node's child_process pipes are sockets. */
function stdinIsPipe(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** papermill's reading of the two positional paths. */
function resolvePaths(cmd: Command, input: string | undefined, output: string | undefined, helpOnly: boolean): [string, string] {
  if (input !== undefined && output === undefined && !helpOnly && stdinIsPipe()) [input, output] = ['-', input];
  input ??= stdinIsPipe() ? '-' : undefined;
  if (input === undefined) cmd.error('error: missing argument INPUT (a notebook path, or - for stdin)');
  if (helpOnly) return [input!, output ?? '-'];
  if (output === undefined) {
    if (process.stdout.isTTY) cmd.error('error: missing argument OUTPUT (a notebook path, or - for stdout)');
    output = '-';
  }
  return [input!, output];
}

/** papermill lowers the default log level to ERROR when the notebook goes to stdout (and for --help-notebook). */
function effectiveLevel(output: string, level: string): number {
  return LOG_LEVELS.indexOf(output === '-' && level === 'INFO' ? 'ERROR' : level);
}

/** papermill's parameter sources, in its merge order. */
function parameterInputs(input: string, output: string, o: RunCliOptions): ParameterInputs {
  return {
    injectInputPath: o.injectInputPath || o.injectPaths ? input : undefined,
    injectOutputPath: o.injectOutputPath || o.injectPaths ? output : undefined,
    base64: o.parameters_base64, files: o.parameters_file, yaml: o.parameters_yaml, cli: o.parameters, raw: o.parameters_raw,
  };
}

/**
 * papermill's display of a notebook's parameters: exit 1 when it has no parameters cell. As
 * papermill, the notebook read is the path filled from the parameters; the header names it as given.
 */
function helpNotebook(input: string, output: string, o: RunCliOptions): number {
  const given = Object.fromEntries([...mergeParameters(parameterInputs(input, output, o))].map(([k, p]) => [k, p.value]));
  const nb = readNotebook(formatPath(input, { ...builtinPathValues(), ...given }));
  console.log(formatNotebookHelp(input, parametersCellIndex(nb) < 0 ? undefined : inspectNotebook(nb, output, o)));
  return parametersCellIndex(nb) < 0 ? 1 : 0;
}

/** The parameters cell's declarations; none, with a warning, for a language without a translator (as papermill). */
function inspectNotebook(nb: Notebook, output: string, o: RunCliOptions): DeclaredParameter[] {
  try {
    return notebookDeclarations(nb, findTranslator(o.kernel ?? nb.metadata.kernelspec?.name, notebookLanguage(nb, o.language))) ?? [];
  } catch (err) {
    if (!(err instanceof RunnerError)) throw err;
    if (effectiveLevel(output, o.logLevel) <= LOG_LEVELS.indexOf('WARNING')) console.error(`scs run: warning: ${err.message}`);
    return [];
  }
}

/** One run of `scs run` with the options of the command line. */
async function runCli(input: string, output: string, o: RunCliOptions): Promise<void> {
      const quiet = effectiveLevel(output, o.logLevel) >= LOG_LEVELS.indexOf('ERROR');
  const wantsBar = o.progressBar ?? (output !== '-' && !o.logOutput);
  await runNotebook(input, output, {
    parameters: parameterInputs(input, output, o),
    kernelName: o.kernel,
    language: o.language,
    engine: o.engine,
    serverUrl: o.serverUrl,
    token: o.token,
    cwd: o.cwd,
    prepareOnly: o.prepareOnly,
    startTimeout: o.startTimeout ?? o.start_timeout ?? 60,
    executionTimeout: o.executionTimeout,
    requestSaveOnCellExecute: o.requestSaveOnCellExecute ?? true,
    autosaveCellEvery: o.autosaveCellEvery,
    reportMode: o.reportMode,
    strictParameters: o.strictParameters,
    logOutput: o.logOutput,
    stdoutFile: o.stdoutFile,
    stderrFile: o.stderrFile,
    progress: chooseProgressMode(wantsBar && !quiet, process.stderr, process.env),
    warn: quiet ? () => undefined : (m) => console.error(`scs run: warning: ${m}`),
    handleSignals: true,
  });
}

/**
 * The run is over (its kernel shut down): whatever handle might still keep Node alive (a socket
 * of a kernel that would not die, a stuck pipe), the process ends with the run's exit code.
 */
function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

export function registerRun(program: Command): void {
  const cmd = addParameterOptions(new RunCommand('run')
    .description("execute a notebook papermill-style: inject parameters, run every cell on a kernel, save the output notebook")
    .argument('[input]', 'input notebook (- for stdin)')
    .argument('[output]', 'output notebook (- for stdout; default stdout when it is not a terminal)'),
  'parameter NAME VALUE (True/False/None/int/float/string; typed by the parameters cell); repeatable')
    .option('-b, --parameters_base64 <b64>', 'base64-encoded YAML of parameters; repeatable', many)
    .option('--inject-input-path', 'add PAPERMILL_INPUT_PATH as a parameter')
    .option('--inject-output-path', 'add PAPERMILL_OUTPUT_PATH as a parameter')
    .option('--inject-paths', 'add PAPERMILL_INPUT_PATH and PAPERMILL_OUTPUT_PATH as parameters')
    .option('--strict-parameters', 'parameters the notebook does not declare are errors, not warnings')
    .addOption(new Option('--engine <name>', 'execution engine').choices(['local', 'server']).default('local'))
    .option('--server-url <url>', 'Jupyter server for --engine server (default $JUPYTER_SERVER_URL)')
    .option('--token <token>', 'Jupyter server token (default $JUPYTER_TOKEN)')
    .option('--request-save-on-cell-execute', 'save the output notebook at each cell start and end (default)')
    .option('--no-request-save-on-cell-execute', 'save only at the start, on error and at the end')
    .option('--autosave-cell-every <s>', 'save a long cell\'s output every N seconds (0: never)', seconds('--autosave-cell-every'), 30)
    .option('--prepare-only', 'write the parameterized notebook without executing it')
    .option('--prepare-execute', 'parameterize and execute (default)')
    .option('-k, --kernel <name>', 'kernel name (overrides the notebook\'s kernelspec)')
    .option('-l, --language <lang>', 'language for the parameters (overrides the notebook\'s language_info)')
    .option('--cwd <dir>', 'working directory of the kernel (the output path stays relative to here)')
    .option('--progress-bar', 'show progress (default when writing to a file without --log-output)')
    .option('--no-progress-bar', 'no progress output')
    .option('--log-output', 'print cell stdout/stderr and results to stderr as they arrive')
    .option('--no-log-output', 'do not print cell output (default)')
    .option('--stdout-file <file>', 'write the cells\' stdout to FILE as it arrives')
    .option('--stderr-file <file>', 'write the cells\' stderr to FILE as it arrives')
    .addOption(new Option('--log-level <level>', 'ERROR or CRITICAL silence warnings and progress').choices(LOG_LEVELS).default('INFO'))
    .option('--start-timeout <s>', 'seconds to wait for the kernel to start', seconds('--start-timeout'))
    .addOption(new Option('--start_timeout <s>').argParser(seconds('--start_timeout')).hideHelp())
    .option('--execution-timeout <s>', 'per-cell time limit in seconds (default: none)', seconds('--execution-timeout'))
    .option('--report-mode', 'hide the input of every code cell in the output')
    .option('--no-report-mode', 'keep inputs visible (default)')
    .option('--help-notebook', 'print the parameters the notebook declares (name, type, default, comment) and exit')
    .action(async (inputArg: string | undefined, outputArg: string | undefined, o: RunCliOptions, command: Command) => {
      const [input, output] = resolvePaths(command, inputArg, outputArg, !!o.helpNotebook);
      if (o.helpNotebook) {
        process.exitCode = helpNotebook(input, output, o);
        return;
      }
      // only when this run wrote one: a failure before the first save leaves no notebook to look at
      noteOnFailure(command, (err) => {
        if (!(err instanceof RunnerError && err.outputWritten)) return undefined;
        return err instanceof NotebookSaveError ? `output notebook (the last good save; the final save failed): ${err.outputWritten}` : `output notebook: ${err.outputWritten}`;
      });
      try {
        await runCli(input, output, o);
      } finally {
        exitSoon();
      }
    });

  // papermill's --prepare-only/--prepare-execute pair: the last one given wins (commander's
  // implies() would not override a --prepare-only given before it)
  cmd.on('option:prepare-execute', () => cmd.setOptionValue('prepareOnly', false));
  program.addCommand(cmd);
}
