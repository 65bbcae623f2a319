/**
 * Progress as an updating notebook display: the first report of a job
 * creates a display (its id is the progress id), later reports replace it.
 * The kernel installs this with setProgressSink(displayProgressSink()).
 */
import { escapeHtml } from '../arrays/repr-html.js';
import type { DisplayOutput } from './mime.js';
import type { ProgressSink, ProgressState } from './progress.js';
import { formatProgress, stderrProgressSink } from './progress-text.js';
import { type DisplaySink, displaySink } from './sink.js';

/** The display of a progress state: its text line, with an HTML progress bar when the total is known. */
export function progressOutput(state: ProgressState): DisplayOutput {
  const text = formatProgress(state);
  const bar = state.total !== undefined ? `<progress value="${state.done}" max="${state.total}" style="width: 20em; vertical-align: middle;"></progress> ` : '';
  return { data: { 'text/plain': text, 'text/html': `<div style="font-family: var(--jp-code-font-family, monospace); font-size: 12px;">${bar}${escapeHtml(text)}</div>` } };
}

/** `sink`: where displays go (default: the display sink installed when a report arrives; none → stderr text). */
export function displayProgressSink(sink?: DisplaySink): ProgressSink {
  const shown = new Set<string>();
  return {
    update(id, state) {
      const target = sink ?? displaySink();
      if (!target) return stderrProgressSink().update(id, state);
      target.display(progressOutput(state), { displayId: id, update: shown.has(id) });
      if (state.finished) shown.delete(id);
      else shown.add(id);
    },
  };
}
