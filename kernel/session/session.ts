/**
 * The shell side of the kernel: requests are handled one at a time in arrival
 * order, each wrapped in iopub busy … idle with the request as parent.
 * execute runs cells through CellRunner; everything a cell produces is
 * published in order (streams are flushed before any other message).
 */
import type { JupyterMessage, KernelRequest, KernelTransport } from '../transport/index.js';
import type { CellRunner } from './cell-runner.js';
import { History, type HistoryRequest } from './history.js';
import { completeReply, inspectReply, isCompleteReply } from './introspection.js';
import { StreamCapture } from './output.js';
import { installDisplaySinks, limitBundle, renderValue } from './rich-output.js';
import type { Tslab } from './tslab.js';
import { installInputHook } from './input.js';
import type { ErrorReport } from './error-report.js';
import { setRejectionSink } from './process-guards.js';
import { RejectionTracker, rejectionPolicyFromEnv, startedPendingWork } from './rejections.js';

export interface SessionOptions {
  transport: KernelTransport;
  tslab: Tslab;
  runner: CellRunner;
  kernelInfo: Record<string, unknown>;
  /** characters of stream output per cell, and of one rich output, before truncation */
  maxOutput: number;
  /** for the kernel's own log lines */
  log(line: string): void;
}

export class Session {
  private readonly queue: KernelRequest[] = [];
  private pumping = false;
  private executionCount = 0;
  private readonly history = new History();
  private readonly streams: StreamCapture;
  /** the execute request that runs, or ran last (output after a cell belongs to it) */
  private current: KernelRequest | undefined;
  /** label of the last cell that ran (late rejections name it) */
  private lastLabel: string | undefined;
  private readonly rejectionPolicy = rejectionPolicyFromEnv();
  private readonly rejections = new RejectionTracker((report) => this.reportLateRejection(report));

  constructor(private readonly options: SessionOptions) {
    const { transport } = options;
    this.streams = new StreamCapture((parent, msgType, content) => transport.publish(parent, msgType, content), options.maxOutput);
  }

  start(): void {
    const { transport, runner } = this.options;
    this.streams.install();
    installDisplaySinks({ send: (msgType, content) => this.publishForCurrent(msgType, content), maxChars: this.options.maxOutput });
    installInputHook(transport, () => this.current);
    // The io thread raises SIGINT for interrupt_request too, so the signal alone drives interrupts:
    // its notice arrives through the port, possibly after the interrupted cell ended and the
    // next one started, and must not interrupt that one.
    process.on('SIGINT', () => runner.interrupt('SIGINT'));
    if (!this.rejectionPolicy.allow) {
      setRejectionSink((reason) => {
        this.rejections.reject(reason, this.lastLabel);
        return true;
      });
    }
    transport.onInterrupt(() => undefined);
    transport.onShutdown(() => this.streams.flush());
    transport.onRequest((request) => {
      this.queue.push(request);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let request = this.queue.shift(); request; request = this.queue.shift()) {
        await this.handle(request);
        // Let signals and port messages that arrived during the request (a late interrupt) be
        // handled while no cell runs.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
    }
  }

  private async handle(request: KernelRequest): Promise<void> {
    const { transport } = this.options;
    transport.publish(request, 'status', { execution_state: 'busy' });
    try {
      await this.dispatch(request);
    } catch (err) {
      this.options.log(`handling ${request.header.msg_type} failed: ${(err as Error)?.stack ?? err}`);
    } finally {
      this.streams.flush();
      transport.publish(request, 'status', { execution_state: 'idle' });
    }
  }

  private async dispatch(request: KernelRequest): Promise<void> {
    const { transport, tslab, runner } = this.options;
    const content = request.content ?? {};
    switch (request.header.msg_type) {
      case 'kernel_info_request':
        return transport.reply(request, 'kernel_info_reply', this.options.kernelInfo);
      case 'execute_request':
        return this.execute(request);
      case 'complete_request':
        return transport.reply(request, 'complete_reply', completeReply(runner.executor, String(content.code ?? ''), Number(content.cursor_pos ?? 0)));
      case 'inspect_request':
        return transport.reply(request, 'inspect_reply', inspectReply(tslab, runner.executor, String(content.code ?? ''), Number(content.cursor_pos ?? 0)));
      case 'is_complete_request':
        return transport.reply(request, 'is_complete_reply', isCompleteReply(tslab, String(content.code ?? '')));
      case 'history_request':
        return transport.reply(request, 'history_reply', { status: 'ok', history: this.history.query(content as HistoryRequest) });
      case 'comm_info_request':
        return transport.reply(request, 'comm_info_reply', { status: 'ok', comms: {} });
      case 'comm_open':
        // No comm targets exist: tell the frontend the comm is closed right away.
        transport.publish(request, 'comm_close', { comm_id: content.comm_id, data: {} });
        return;
      case 'comm_msg':
      case 'comm_close':
        return;
      default:
        this.options.log(`ignored unknown ${request.channel} message ${request.header.msg_type}`);
    }
  }

  private async execute(request: KernelRequest): Promise<void> {
    const { transport, runner } = this.options;
    const content = request.content ?? {};
    const code = String(content.code ?? '');
    const silent = content.silent === true;
    const storeHistory = content.store_history !== false && !silent;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    this.current = request;
    this.streams.beginRequest(request);
    if (!silent) transport.publish(request, 'execute_input', { code, execution_count: count });
    if (storeHistory) this.history.add(count, code);
    const label = storeHistory ? `Cell In[${count}]` : 'Cell In[silent]';
    const late = this.rejections.takeLate();
    if (late.length > 0) return this.failWithLateRejections(request, count, late);

    this.rejections.cellStart(label);
    this.lastLabel = label;
    const pendingBefore = process.getActiveResourcesInfo();
    let outcome = await runner.run(code, label);
    // Output the cell queued for the next tick (process.emitWarning prints there) belongs to this cell,
    // and so do rejections of operations it started without await that fail within the settle time
    // (a cell that left no operation pending has none to wait for: `1+1` answers at once).
    await new Promise((resolve) => setImmediate(resolve));
    if (this.rejectionPolicy.settleMs > 0 && startedPendingWork(pendingBefore)) await new Promise((resolve) => setTimeout(resolve, this.rejectionPolicy.settleMs));
    const rejected = this.rejections.cellEnd();
    if (outcome.ok && rejected.length > 0) outcome = { ok: false, error: rejected.shift()! };
    this.streams.flush();
    for (const report of rejected) transport.publish(request, 'error', report);
    if (outcome.ok && outcome.hasValue && !silent) {
      const output = limitBundle(await renderValue(outcome.value), this.options.maxOutput);
      this.streams.flush();
      transport.publish(request, 'execute_result', { execution_count: count, data: output.data, metadata: output.metadata ?? {} });
      if (storeHistory && typeof output.data['text/plain'] === 'string') this.history.setOutput(count, output.data['text/plain']);
    }
    this.streams.flush();
    if (!outcome.ok) {
      transport.publish(request, 'error', outcome.error);
      transport.reply(request, 'execute_reply', { status: 'error', execution_count: count, ...outcome.error });
      if (content.stop_on_error === true) await this.abortQueuedExecutes();
      return;
    }
    transport.reply(request, 'execute_reply', { status: 'ok', execution_count: count, user_expressions: {}, payload: [] });
  }

  /**
   * Rejections that came after an earlier cell's reply fail this execute request before its code
   * runs: the failure stays visible (and ends a batch run) instead of passing silently.
   */
  private async failWithLateRejections(request: KernelRequest, count: number, late: ErrorReport[]): Promise<void> {
    const { transport } = this.options;
    for (const report of late) transport.publish(request, 'error', report);
    const first = late[0]!;
    const error = {
      ename: first.ename,
      evalue: `${first.evalue} (unhandled promise rejection after an earlier cell ended; this cell did not run)`,
      traceback: first.traceback,
    };
    transport.reply(request, 'execute_reply', { status: 'error', execution_count: count, ...error });
    if (request.content?.stop_on_error === true) await this.abortQueuedExecutes();
  }

  /** A rejection while no cell runs: shown at once under the last cell and in the kernel log. */
  private reportLateRejection(report: ErrorReport): void {
    this.options.log(`${report.traceback.join('\n')}\n(it fails the next execute request; SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS=1 allows it)`);
    if (this.current) {
      this.streams.flush();
      this.options.transport.publish(this.current, 'error', report);
    }
  }

  /**
   * After an error with stop_on_error, execute requests already sent in the
   * same batch are answered "aborted". Requests the io thread forwarded while
   * the cell ran are delivered on the next turns of the event loop, so let
   * them arrive first.
   */
  private async abortQueuedExecutes(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const kept: KernelRequest[] = [];
    for (const request of this.queue.splice(0)) {
      if (request.header.msg_type !== 'execute_request') {
        kept.push(request);
        continue;
      }
      const { transport } = this.options;
      transport.publish(request, 'status', { execution_state: 'busy' });
      transport.reply(request, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      transport.publish(request, 'status', { execution_state: 'idle' });
    }
    this.queue.unshift(...kept);
  }

  private publishForCurrent(msgType: string, content: unknown): void {
    const parent: JupyterMessage | undefined = this.current;
    if (!parent) {
      this.options.log(`dropped ${msgType} sent outside of any request`);
      return;
    }
    this.streams.flush();
    this.options.transport.publish(parent, msgType, content);
  }
}
