/**
 * Unhandled promise rejections are failures, not log lines: one that happens
 * while a cell runs (or within the settle time after its code ended, waited
 * only when the cell left operations pending) is that
 * cell's error; one that happens after the cell's reply (a forgotten `await`
 * whose operation fails later) is published at once as an error output of the
 * last cell and fails the next execute request. SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS=1
 * restores the lenient behaviour: they are only written to stderr.
 */
import { runtimeErrorReport, type ErrorReport } from './error-report.js';

/** Time after a cell's code ended in which its rejections still count as its own (ms). */
export const DEFAULT_REJECTION_SETTLE_MS = 20;

export interface RejectionPolicy {
  allow: boolean;
  settleMs: number;
}

export function rejectionPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RejectionPolicy {
  const allow = ['1', 'true', 'yes'].includes((env.SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS ?? '').toLowerCase());
  const raw = env.SCS_KERNEL_REJECTION_SETTLE_MS;
  const settle = raw === undefined || raw === '' ? DEFAULT_REJECTION_SETTLE_MS : Number(raw);
  return { allow, settleMs: Number.isFinite(settle) && settle >= 0 ? settle : DEFAULT_REJECTION_SETTLE_MS };
}

/**
 * Resources that are no pending operation: file watchers (the compiler's own,
 * for the modules a cell imports from the notebook folder) only call back on
 * changes and settle no promise.
 */
const NOT_PENDING = new Set(['FSEventWrap', 'StatWatcher']);

/**
 * Whether operations are pending now that were not before (`before` from
 * process.getActiveResourcesInfo() when the cell started): timers, file system
 * and network requests, child processes, workers. Only these can reject later;
 * a cell that started none has had all its rejections by the next event-loop
 * turn, so it need not wait the settle time.
 */
export function startedPendingWork(before: readonly string[], now: readonly string[] = process.getActiveResourcesInfo()): boolean {
  const left = new Map<string, number>();
  for (const kind of before) left.set(kind, (left.get(kind) ?? 0) + 1);
  for (const kind of now) {
    if (NOT_PENDING.has(kind)) continue;
    const n = left.get(kind) ?? 0;
    if (n === 0) return true;
    left.set(kind, n - 1);
  }
  return false;
}

/** The error a rejection stands for: the reason's own ename/evalue/traceback, headed by where it happened. */
export function rejectionReport(reason: unknown, where: string): ErrorReport {
  const report = runtimeErrorReport(reason);
  return { ...report, traceback: [`Unhandled promise rejection ${where}:`, ...report.traceback] };
}

export class RejectionTracker {
  private inCell: string | undefined;
  private cell: unknown[] = [];
  private late: ErrorReport[] = [];

  /**
   * @param onLate called for a rejection outside any cell, with its report (the session publishes it)
   */
  constructor(private readonly onLate: (report: ErrorReport) => void) {}

  /** A cell labelled `label` starts; its rejections are collected until cellEnd. */
  cellStart(label: string): void {
    this.inCell = label;
    this.cell = [];
  }

  /** The cell's reply is about to be sent: its rejections, as errors. */
  cellEnd(): ErrorReport[] {
    const label = this.inCell ?? 'a cell';
    this.inCell = undefined;
    return this.cell.splice(0).map((reason) => rejectionReport(reason, `in ${label}`));
  }

  /** Rejections that came after an earlier cell ended, not yet reported as a cell's error. */
  takeLate(): ErrorReport[] {
    return this.late.splice(0);
  }

  /** An unhandled rejection happened (process 'unhandledRejection'). */
  reject(reason: unknown, lastCell: string | undefined): void {
    if (this.inCell !== undefined) {
      this.cell.push(reason);
      return;
    }
    const report = rejectionReport(reason, lastCell ? `after ${lastCell} ended` : 'while no cell ran');
    this.late.push(report);
    this.onLate(report);
  }
}
