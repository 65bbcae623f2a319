/**
 * clearOutput(): IPython's `clear_output(wait=False)`, for cells that redraw
 * (a live plot or a status line replaced in a loop). In the kernel it sends
 * clear_output; without a display sink (scripts, tests) it does nothing,
 * since text already written to stdout cannot be taken back.
 */
import { checkOptions, optionNames } from '../options.js';
import { displaySink } from './sink.js';

/** Options of clearOutput. */
export interface ClearOutputOptions {
  /** Clear only when the next output arrives, so the cell does not flicker (IPython's `wait`); default false. */
  wait?: boolean;
}

const CLEAR_OUTPUT_OPTIONS = optionNames<ClearOutputOptions>({ wait: true });

/** Clear the output of the running cell, now or (`wait: true`) when the next output arrives. */
export function clearOutput(options: ClearOutputOptions = {}): void {
  const { wait = false } = checkOptions('clearOutput', options, CLEAR_OUTPUT_OPTIONS);
  displaySink()?.clearOutput?.(wait === true);
}
