/**
 * One code cell on the kernel: the execute request raced against the
 * kernel's death and the runner's signals, the reply turned into how the cell
 * ended, and papermill's error for a cell that failed.
 */
import type { ExecuteReply, ExecuteTimings, KernelSession } from './engine/types.js';
import { CellExecutionError, CellTimeoutError, DeadKernelError, type RunnerError, RunnerInterruptedError } from './errors.js';
import { recordExecutionTimes } from './metadata.js';
import { hasTag, joinSource } from './notebook/cells.js';
import type { CodeCell } from './notebook/types.js';
import type { OutputCollector } from './outputs.js';
import type { SignalWatch } from './signals.js';

/** How long a signalled run waits for the kernel to answer its interrupt before shutting it down. */
const INTERRUPT_GRACE_MS = 5000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** How a cell run ended when it did not simply complete. */
export type Stop =
  | { kind: 'error'; reply: ExecuteReply }
  | { kind: 'exit' }
  | { kind: 'timeout'; error: CellTimeoutError }
  | { kind: 'dead'; error: DeadKernelError }
  | { kind: 'signal'; signal: 'SIGTERM' | 'SIGINT' };

export async function runCell(
  session: KernelSession, cell: CodeCell, source: string, collector: OutputCollector, options: { executionTimeout?: number; warn?: (message: string) => void },
  signals: SignalWatch | undefined,
): Promise<Stop | undefined> {
  const signal = signals?.received;
  const record = collector.forCell(cell);
  // after a signal the runner's note says why the cell stopped; the kernel's answer to the interrupt is not kept
  let stopped = false;
  const execution = session.execute(source, {
    timeout: options.executionTimeout, onIopub: (m) => { if (!stopped) record(m); }, stopOnError: !hasTag(cell, 'raises-exception'), warn: options.warn,
  });
  const died = session.died.then((e) => { throw e; });
  const raced: Promise<{ reply: ExecuteReply; timings: ExecuteTimings } | { signal: 'SIGTERM' | 'SIGINT' }> = Promise.race([
    execution, died, ...(signal ? [signal.then((s) => ({ signal: s }))] : []),
  ]);
  execution.catch(() => undefined);
  died.catch(() => undefined);
  try {
    const result = await raced;
    if ('signal' in result) {
      stopped = true;
      // the interrupt lets the cell's finally blocks run (an atomic write removes its temporary
      // file); the shutdown request follows once the kernel has answered, or after the grace
      await session.interrupt().catch(() => undefined);
      await Promise.race([execution.catch(() => undefined), died.catch(() => undefined), sleep(INTERRUPT_GRACE_MS)]);
      cell.outputs.push({
        output_type: 'error', ename: 'RunnerInterrupted',
        evalue: `scs run received ${result.signal} while this cell was running; execution stopped here`, traceback: [],
      });
      return { kind: 'signal', signal: result.signal };
    }
    const { reply, timings } = result;
    recordExecutionTimes(cell, timings);
    if (typeof reply.execution_count === 'number') cell.execution_count = reply.execution_count;
    if (reply.status === 'ok') return undefined;
    if (reply.ename === 'SystemExit' && ['', '0'].includes(reply.evalue ?? '')) return { kind: 'exit' };
    // kernels like tslab answer status:error without an iopub error: keep the reason in the notebook
    if (!cell.outputs.some((o) => o.output_type === 'error')) {
      cell.outputs.push({ output_type: 'error', ename: reply.ename ?? 'CellExecutionError', evalue: reply.evalue ?? '', traceback: reply.traceback ?? [] });
    }
    return { kind: 'error', reply };
  } catch (err) {
    // SLURM signals the whole process group: the kernel may die of the same SIGTERM first
    const got = signals?.got();
    if (got && err instanceof DeadKernelError) {
      cell.outputs.push({ output_type: 'error', ename: 'RunnerInterrupted', evalue: `scs run received ${got}; the kernel died with it`, traceback: [] });
      return { kind: 'signal', signal: got };
    }
    if (err instanceof DeadKernelError) {
      cell.outputs.push({ output_type: 'error', ename: 'DeadKernelError', evalue: err.message, traceback: [] });
      return { kind: 'dead', error: err };
    }
    if (err instanceof CellTimeoutError) {
      cell.outputs.push({ output_type: 'error', ename: 'CellTimeoutError', evalue: err.message, traceback: [] });
      return { kind: 'timeout', error: err };
    }
    throw err;
  }
}

export function failure(stop: Stop, cell: CodeCell, index: number): RunnerError {
  const source = joinSource(cell.source);
  switch (stop.kind) {
    case 'error': {
      const out = cell.outputs.find((o) => o.output_type === 'error');
      const ename = out?.output_type === 'error' ? out.ename : stop.reply.ename ?? 'CellExecutionError';
      const evalue = out?.output_type === 'error' ? out.evalue : stop.reply.evalue ?? '';
      const tb = out?.output_type === 'error' ? out.traceback : stop.reply.traceback ?? [];
      return new CellExecutionError(index, cell.execution_count, source, ename, evalue, tb);
    }
    case 'timeout':
      return new CellExecutionError(index, cell.execution_count, source, 'CellTimeoutError', stop.error.message, [`CellTimeoutError: ${stop.error.message}`]);
    case 'dead':
      return stop.error;
    case 'signal':
      return new RunnerInterruptedError(stop.signal);
    case 'exit':
      throw new Error('unreachable: SystemExit(0) is not a failure');
  }
}

export async function shutdownQuietly(session: KernelSession, hurry: boolean): Promise<void> {
  const done = session.shutdown().catch(() => undefined);
  // a dead or signalled run must not wait long for a polite shutdown
  await Promise.race([done, new Promise((r) => setTimeout(r, hurry ? 3000 : 30_000).unref())]);
}

