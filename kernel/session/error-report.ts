/**
 * What a failed cell reports to Jupyter: ename, evalue and a traceback whose
 * lines name the cell line (IPython's "Cell In[n], line L" convention).
 */
import { inspect } from 'node:util';
import { mapStackFrames, sourceExcerpt } from './cell-scripts.js';

export interface ErrorReport {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** A type or syntax error tslab reported for a cell, positions 1-based. */
export interface CellDiagnostic {
  /** set when the error is in another file (a local module the cell imports) */
  file?: string;
  line: number;
  column: number;
  message: string;
}

/** Name used for cells stopped by an interrupt (signal or interrupt_request). */
export const INTERRUPTED = 'Interrupted';

export function compileErrorReport(label: string, source: string, diagnostics: CellDiagnostic[]): ErrorReport {
  const lines = source.split('\n');
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}, line ${d.line}:${d.column}` : `${label}, line ${d.line}:${d.column}`;
    traceback.push(`${where}: ${d.message}`);
    if (!d.file) traceback.push(...sourceExcerpt(lines[d.line - 1], d.column));
  }
  const first = diagnostics[0];
  return {
    ename: 'TSError',
    evalue: first ? first.message : 'the cell does not compile',
    traceback,
  };
}

export function runtimeErrorReport(thrown: unknown): ErrorReport {
  if (!(thrown instanceof Error)) {
    // Not an Error (throw "text", a rejected promise with a plain value): there is no name or stack.
    const evalue = typeof thrown === 'string' ? thrown : inspect(thrown, { depth: 2 });
    return { ename: 'Uncaught', evalue, traceback: [`Uncaught ${inspect(thrown, { depth: 2 })} (not an Error, so no stack)`] };
  }
  const ename = thrown.name || thrown.constructor?.name || 'Error';
  const evalue = thrown.message;
  const { frames, innermost } = mapStackFrames(thrown.stack ?? '');
  const traceback = [`${ename}: ${evalue}`, ...frames];
  if (innermost) traceback.push('', `${innermost.label}, line ${innermost.line}:${innermost.column}:`, ...sourceExcerpt(innermost.sourceLine, innermost.column));
  return { ename, evalue, traceback };
}

export function interruptReport(label: string, how: string): ErrorReport {
  return {
    ename: INTERRUPTED,
    evalue: `${label} was interrupted (${how}); the kernel keeps its state`,
    traceback: [`${INTERRUPTED}: ${label} was interrupted (${how})`],
  };
}

/** A traceback line for logging a thrown value outside a cell (timers, unhandled rejections). */
export function describeThrown(thrown: unknown): string {
  const report = runtimeErrorReport(thrown);
  return report.traceback.join('\n');
}
