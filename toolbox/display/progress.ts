/**
 * Progress of long toolbox calls (trains read, pulses integrated, files
 * written). Calls report through startProgress; the kernel turns reports into
 * an updating display, a terminal gets a throttled line on stderr.
 */

/** Where a job stands, as reported to a ProgressSink. */
export interface ProgressState {
  /** What is being done, e.g. "reading SCS_DET_DSSC1M-1/DET/0CH0:xtdf". */
  label: string;
  /** Units done so far. */
  done: number;
  /** Unknown totals are allowed (streams). */
  total?: number;
  /** What done counts, e.g. "trains", "frames", "files". */
  unit: string;
  /** The last report of the job. */
  finished: boolean;
  /** Time since the job started. */
  elapsedMs: number;
}

/** Receives progress reports (the kernel's shows them as updating displays). */
export interface ProgressSink {
  /** Called at most every few hundred ms per progress id, and always at the end. */
  update(id: string, state: ProgressState): void;
}

let current: ProgressSink | null = null;

/** Installs a sink and returns the previous one (null: the stderr fallback). */
export function setProgressSink(sink: ProgressSink | null): ProgressSink | null {
  const previous = current;
  current = sink;
  return previous;
}

/** The installed sink (null: progress goes to stderr as text). */
export function progressSink(): ProgressSink | null {
  return current;
}
