/**
 * What a multi-module binning left behind when it failed: which module files
 * were written, which module failed and why, which were not written. Added to
 * the error itself (its class and its first line unchanged, so code that
 * catches by class keeps working) because a scientist reading the failure
 * must know which files of the output folder are results of this run.
 */
import { reason } from '../../io/h5file.js';

export interface ModuleFailure {
  module: number;
  /** The first line of the module's error. */
  reason: string;
}

export interface ModuleOutcome {
  run: number | string;
  /** Module files written by this call, in module order. */
  written: { module: number; file: string }[];
  failed: ModuleFailure[];
  /** Modules neither written nor failed: binning stopped before they were done. */
  notWritten: number[];
}

/** Modules whose failure a worker reported, by error: the worker knows its module, the error does not say it. */
const failedModule = new WeakMap<object, number>();

export function markModule(err: unknown, module: number): void {
  if (typeof err === 'object' && err !== null) failedModule.set(err, module);
}

export function moduleOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null ? failedModule.get(err) : undefined;
}

/** The outcome attached to a binning error by withOutcome, if any. */
export function binningOutcome(err: unknown): ModuleOutcome | undefined {
  return (err as { dsscModules?: ModuleOutcome } | null)?.dsscModules;
}

const list = (ms: number[]) => (ms.length ? ms.join(', ') : 'none');

/** One line per kind of outcome, for the error message and the docs' example. */
export function describeOutcome(o: ModuleOutcome): string {
  const written = o.written.length ? o.written.map((w) => `module ${w.module} → ${w.file}`).join('; ') : 'none';
  const failed = o.failed.length ? o.failed.map((f) => `module ${f.module} (${f.reason})`).join('; ') : 'none';
  return `DSSC binning of run ${o.run}: module files written: ${written}. Failed: ${failed}. Not written: ${list(o.notWritten)}.`;
}

/** `err` with the outcome appended to its message (and stack) and kept as `dsscModules`. */
export function withOutcome(err: unknown, o: ModuleOutcome): unknown {
  if (!(err instanceof Error)) return err;
  const before = err.message;
  const message = `${before}\n${describeOutcome(o)}`;
  Object.defineProperty(err, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (err.stack?.includes(before)) err.stack = err.stack.replace(before, message);
  Object.defineProperty(err, 'dsscModules', { value: o, enumerable: false, configurable: true });
  return err;
}

/** The first line of an error, as the reason a module failed. */
export function failureReason(err: unknown): string {
  return reason(err);
}
