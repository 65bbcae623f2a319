/**
 * Where displays go. The kernel installs a sink that sends display_data and
 * update_display_data; without one (scripts, tests) text/plain goes to stdout.
 */
import type { DisplayOutput } from './mime.js';

/** Options of one display. */
export interface DisplayOptions {
  /** Id of a display to create or update (transient.display_id). */
  displayId?: string;
  /** Replace the output of an existing display instead of adding one. */
  update?: boolean;
}

/** Receives every display (the kernel's sends display_data and update_display_data). */
export interface DisplaySink {
  /** Show `output`, or replace the display `options.displayId` when `options.update`. */
  display(output: DisplayOutput, options: DisplayOptions): void;
  /** Clear the running cell's output, at once or (`wait`) when the next output arrives. */
  clearOutput?(wait: boolean): void;
}

let current: DisplaySink | null = null;

/** Installs a sink and returns the previous one (null: the stdout fallback). */
export function setDisplaySink(sink: DisplaySink | null): DisplaySink | null {
  const previous = current;
  current = sink;
  return previous;
}

/** The installed sink (null: displays go to stdout as text). */
export function displaySink(): DisplaySink | null {
  return current;
}
