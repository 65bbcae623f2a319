/**
 * How `scs` reports a command that failed, for every subcommand in one place:
 * an error of a known family (the toolbox's, the runner's, or any other that
 * carries its process exit code) becomes one readable line and that exit
 * code; anything else is a bug and keeps its stack.
 */
import type { Command } from 'commander';
import { CellExecutionError, RunnerError } from '../../runner/index.js';
// the error module alone: the toolbox's entry would load all of the toolbox into every command
import { ToolBoxError } from '../../toolbox/errors.js';

/** A line to print after the error, or a function of the error giving one (or none). */
export type FailureNote = string | ((err: Error) => string | undefined);

const notes = new WeakMap<Command, FailureNote>();

/** A line printed after the error should `command` fail (scs run: where the output notebook is). */
export function noteOnFailure(command: Command, note: FailureNote): void {
  notes.set(command, note);
}

/** An error family that names its own exit code (the runner's, the protocol's, ...). */
function exitCodeOf(err: Error): number | undefined {
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : undefined;
}

/** Prints what went wrong in `command` (undefined: before any subcommand ran) and returns the exit code. */
export function reportFailure(err: unknown, command: Command | undefined): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const who = command ? `scs ${command.name()}` : 'scs';
  let code = 1;
  if (e instanceof ToolBoxError) {
    // the toolbox's messages name the value at fault, whichever command passed it on
    console.error(`scs: ${e.name}: ${e.message}`);
  } else if (e instanceof CellExecutionError) {
    // papermill's own text: the failing cell's traceback
    console.error(e.message);
    code = e.exitCode;
  } else if (e instanceof RunnerError || exitCodeOf(e) !== undefined) {
    console.error(`${who}: ${e.name}: ${e.message}`);
    code = exitCodeOf(e) ?? 1;
  } else {
    console.error(`${who}: unexpected ${e.stack ?? e.message}`);
  }
  const before = (e as { runFailure?: unknown }).runFailure;
  if (before instanceof Error) console.error(`${who}: the run had failed before the save:\n${before.message}`);
  const note = command && notes.get(command);
  const line = typeof note === 'function' ? note(e) : note;
  if (line) console.error(`${who}: ${line}`);
  return code;
}
