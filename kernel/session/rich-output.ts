/**
 * Values as Jupyter mime bundles, and the toolbox's display and progress
 * sinks as display_data / update_display_data. The toolbox module here is the
 * one the preload cell imports as `tb` (same compiled file, same module
 * instance), so sinks installed here are the ones `tb.display` sees.
 */
import { inspect } from 'node:util';
import type { DisplayOutput, DisplaySink } from '../../toolbox/index.js';
import { toolbox, whenToolboxLoads } from './toolbox-loader.js';

/**
 * The rich form of a value (DataArray → html and text, plots → vega-lite and
 * svg, anything else → text). A failing renderer falls back to util.inspect
 * text and says why, so a broken repr never hides the value.
 */
export async function renderValue(value: unknown): Promise<DisplayOutput> {
  // A primitive has no rich form: its text, as the toolbox would give it, without loading the toolbox.
  if (isPrimitive(value)) return { data: { 'text/plain': typeof value === 'string' ? value : inspect(value) }, metadata: {} };
  try {
    const output = await toolbox().mimeBundleOf(value);
    return { data: output.data, metadata: output.metadata ?? {} };
  } catch (err) {
    const text = inspect(value, { depth: 2, maxArrayLength: 100 });
    return { data: { 'text/plain': `${text}\n[rich display failed: ${(err as Error)?.message ?? err}]` }, metadata: {} };
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Replaces a bundle larger than maxChars by its (cut) text/plain and a note. */
export function limitBundle(output: DisplayOutput, maxChars: number): DisplayOutput {
  let size = 0;
  for (const payload of Object.values(output.data)) size += typeof payload === 'string' ? payload.length : JSON.stringify(payload ?? null).length;
  if (size <= maxChars) return output;
  const text = typeof output.data['text/plain'] === 'string' ? output.data['text/plain'] : '';
  const note = `\n[output truncated: this output has ${size} characters, more than ${maxChars}; set SCS_KERNEL_MAX_OUTPUT to change the limit]`;
  return { data: { 'text/plain': text.slice(0, Math.max(0, maxChars - note.length)) + note }, metadata: {} };
}

export interface DisplayTarget {
  /** publish on iopub with the current request as parent (after pending stream output) */
  send(msgType: 'display_data' | 'update_display_data' | 'clear_output', content: unknown): void;
  maxChars: number;
}

/**
 * tb.display(), display handles, tb.clearOutput() and progress reports (an updating display per job) go to the
 * notebook; installed when the toolbox loads (only the toolbox's own calls can reach them).
 */
export function installDisplaySinks(target: DisplayTarget): void {
  const sink: DisplaySink = {
    display(output, options) {
      const limited = limitBundle(output, target.maxChars);
      const transient = options.displayId ? { display_id: options.displayId } : {};
      const content = { data: limited.data, metadata: limited.metadata ?? {}, transient };
      target.send(options.update && options.displayId ? 'update_display_data' : 'display_data', content);
    },
    clearOutput(wait) {
      target.send('clear_output', { wait });
    },
  };
  whenToolboxLoads((tb) => {
    tb.setDisplaySink(sink);
    tb.setProgressSink(tb.displayProgressSink(sink));
  });
}
