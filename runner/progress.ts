/**
 * Progress of a run. On a terminal: one bar redrawn in place (cells done /
 * total, current cell, elapsed). Not on a terminal, or under SLURM (whose
 * log files would keep every redraw): plain lines, one per cell start and end.
 * A cell containing `papermill_description=NAME` renames the current step.
 */
export interface ProgressReporter {
  start(total: number): void;
  /** `executed`: the cell goes to the kernel (not markdown, empty or skip-execution) */
  cellStart(index: number, executed: boolean, description?: string): void;
  cellEnd(index: number, executed: boolean, executionCount: number | null, status: 'completed' | 'failed', seconds: number): void;
  end(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

export function chooseProgressMode(wanted: boolean | undefined, stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): ProgressMode {
  if (wanted === false) return 'none';
  return stream.isTTY && !env.SLURM_JOB_ID ? 'bar' : 'lines';
}

const DESCRIPTION = /papermill_description\s*=\s*([^\s]+)/;

export function cellDescription(source: string): string | undefined {
  return DESCRIPTION.exec(source)?.[1];
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0'));
  return (hms[0] === '00' ? hms.slice(1) : hms).join(':');
}

export function makeProgress(mode: ProgressMode, stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  let total = 0;
  let done = 0;
  let started = 0;
  let ticker: NodeJS.Timeout | undefined;
  let current = '';
  const elapsed = () => (performance.now() - started) / 1000;
  const draw = () => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const pct = total ? Math.floor((done / total) * 100) : 100;
    stream.write(`\r\x1b[2K${current || 'Executing'}: ${String(pct).padStart(3)}%|${'█'.repeat(filled)}${' '.repeat(width - filled)}| ${done}/${total} cells [${clock(elapsed())}]`);
  };
  if (mode === 'none') return { start() {}, cellStart() {}, cellEnd() {}, end() {} };
  if (mode === 'lines') {
    return {
      start(n) { total = n; started = performance.now(); stream.write(`Executing ${n} cells\n`); },
      cellStart(index, executed, description) {
        if (executed) stream.write(`[${clock(elapsed())}] cell ${index + 1}/${total}${description ? ` ${description}` : ''} started\n`);
      },
      cellEnd(index, executed, count, status, seconds) {
        done++;
        if (executed) stream.write(`[${clock(elapsed())}] cell ${index + 1}/${total} In [${count ?? ' '}] ${status} in ${seconds.toFixed(2)} s\n`);
      },
      end() { stream.write(`Finished ${done}/${total} cells in ${clock(elapsed())}\n`); },
    };
  }
  return {
    start(n) { total = n; started = performance.now(); draw(); ticker = setInterval(draw, 1000).unref(); },
    cellStart(_index, _num, description) { current = description ? `Executing ${description}` : 'Executing'; draw(); },
    cellEnd() { done++; draw(); },
    end() { if (ticker) clearInterval(ticker); draw(); stream.write('\n'); },
  };
}
