/**
 * Keeps user code from taking the kernel down: errors that escape a cell
 * (timers) are reported on stderr of the last request instead of crashing,
 * unhandled rejections go to the session's sink (rejections.ts; stderr when
 * they are allowed), and process.exit() called from cell code throws
 * instead of exiting; SIGTERM exits normally (exit hooks run). Everything else (the transport ending the process at
 * shutdown) still gets the real process.exit.
 */
import type { ToolBoxError } from '../../toolbox/index.js';
import { describeThrown } from './error-report.js';
import { toolbox } from './toolbox-loader.js';

/** process.exit() was called by cell code; the kernel refused and keeps running (a ToolBoxError, named ProcessExitError). */
export type ProcessExitError = ToolBoxError;

let exitErrorClass: (new (message: string) => ToolBoxError) | undefined;

/** The error class, made when first needed: the toolbox is not loaded at start for it. */
export function processExitError(message: string): ProcessExitError {
  exitErrorClass ??= class ProcessExitError extends toolbox().ToolBoxError {};
  return new exitErrorClass(message);
}

/** Takes unhandled rejections once the session serves; returns false to leave them to the stderr report. */
let rejectionSink: ((reason: unknown) => boolean) | undefined;

export function setRejectionSink(sink: ((reason: unknown) => boolean) | undefined): void {
  rejectionSink = sink;
}

const CELL_FRAME = /__scs_cell_\d+__\.js:/;

export function installProcessGuards(): void {
  process.on('uncaughtException', (err) => {
    process.stderr.write(`Uncaught exception (outside the running cell, the kernel keeps running):\n${describeThrown(err)}\n`);
  });
  process.on('unhandledRejection', (reason) => {
    if (rejectionSink?.(reason)) return;
    process.stderr.write(`Unhandled promise rejection (the kernel keeps running):\n${describeThrown(reason)}\n`);
  });
  const realExit = process.exit.bind(process);
  // SIGTERM (SLURM's cancel and time limit, a kernel manager's shutdown) ends the kernel through a normal exit,
  // so exit hooks run: temporary files of writes in progress are removed. A blocked main thread still gets SIGKILL.
  process.on('SIGTERM', () => realExit(143));
  process.exit = function exit(code?: number | string | null) {
    if (calledFromCell()) {
      throw processExitError(
        `process.exit(${code ?? ''}) was called in a cell; the kernel does not exit that way `
        + '(use the frontend to restart or shut down the kernel)',
      );
    }
    return realExit(code as number | undefined);
  } as typeof process.exit;
}

function calledFromCell(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return CELL_FRAME.test(new Error().stack ?? '');
  } finally {
    Error.stackTraceLimit = limit;
  }
}
