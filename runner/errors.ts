/**
 * Errors of the notebook runner. Each carries the process exit code papermill
 * would use (1, or 138 for a dead kernel) so `scs run` and the library API
 * agree; messages name the notebook, parameter or kernel at fault.
 *
 * Kept apart from toolbox/errors.ts on purpose: runner/ never imports the
 * science, and its errors are about notebooks and kernels, not data.
 */
export class RunnerError extends Error {
  /** process exit code for `scs run` */
  readonly exitCode: number = 1;
  /** the output notebook this run had written when it failed; undefined when it wrote none (or wrote to stdout) */
  outputWritten?: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The notebook's (or -k) kernel name is not a known kernelspec. */
export class NoSuchKernelError extends RunnerError {
  constructor(readonly kernelName: string, readonly available: string[], options?: { cause?: unknown }) {
    super(`no such kernel '${kernelName}'; available kernels: ${available.length ? available.join(', ') : '(none found on the Jupyter data path)'}`, options);
  }
}

/** The kernel did not answer kernel_info within --start-timeout. */
export class KernelStartTimeoutError extends RunnerError {
  constructor(readonly kernelName: string, readonly seconds: number, detail = '') {
    super(`kernel '${kernelName}' did not start within ${seconds} s${detail ? `: ${detail}` : ''}`);
  }
}

/** The kernel process died (OOM kill, segfault, os._exit): papermill's exit code 138. */
export class DeadKernelError extends RunnerError {
  override readonly exitCode: number = 138;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A cell ran longer than --execution-timeout (the kernel was interrupted). */
export class CellTimeoutError extends RunnerError {
  constructor(readonly seconds: number, message?: string) {
    super(message ?? `cell execution timed out after ${seconds} s`);
  }
}

/** A parameter value is malformed, has the wrong type, or is unknown under --strict-parameters. */
export class ParameterError extends RunnerError {
  constructor(message: string, readonly parameter?: string) {
    super(message);
  }
}

/** The input is not a readable nbformat 4 notebook, or the output cannot be written. */
export class NotebookFormatError extends RunnerError {
  constructor(message: string, readonly path?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The final save of the output notebook failed (disk full, folder gone). Saves are atomic, so the
 * output path still holds the last good save, which the message names.
 */
export class NotebookSaveError extends NotebookFormatError {
  /** the run had failed before the save (a cell raised): that error, which the lost notebook would have shown */
  runFailure?: unknown;
  constructor(path: string, reason: string, readonly lastGoodSave: string | undefined, cause?: unknown) {
    super(`${reason}; ${lastGoodSave ? `the last good save is ${lastGoodSave}` : `no save of ${path} succeeded during this run`}`, path, { cause });
  }
}

/** A cell raised: papermill's PapermillExecutionError (exit code 1). */
export class CellExecutionError extends RunnerError {
  constructor(
    readonly cellIndex: number,
    readonly execCount: number | null,
    readonly source: string,
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[],
  ) {
    super(executionErrorText(execCount, ename, evalue, traceback));
  }
}

/** The runner got SIGTERM/SIGINT (SLURM time limit, scancel, Ctrl-C): exit 128+signal. */
export class RunnerInterruptedError extends RunnerError {
  override readonly exitCode: number;
  constructor(readonly signal: 'SIGTERM' | 'SIGINT') {
    super(`the runner received ${signal}; the running cell was marked failed and the output notebook saved`);
    this.exitCode = signal === 'SIGTERM' ? 143 : 130;
  }
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** papermill's string form: a rule, `Exception encountered at "In [N]":`, then the plain traceback. */
export function executionErrorText(execCount: number | null, ename: string, evalue: string, traceback: string[]): string {
  const lines = ['-'.repeat(75), `Exception encountered at "In [${execCount ?? ' '}]":`];
  const tb = traceback.map(stripAnsi).join('\n').trim();
  lines.push(tb || `${ename}: ${evalue}`);
  return lines.join('\n');
}
