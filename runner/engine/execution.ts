/**
 * What "executing a cell" means, shared by both engines (nbclient's semantics): the execute_reply
 * is authoritative; iopub messages of the request are passed on in order until its idle status,
 * waiting at most IDLE_GRACE_MS after the reply (kernels such as tslab lose idle messages); the
 * kernel's death ends the wait at once (the session calls fail()); on a timeout the kernel is interrupted, its answer to the
 * interrupt awaited briefly (its KeyboardInterrupt output still reaches onIopub), then the cell
 * fails with CellTimeoutError and the kernel stays usable.
 */
import { nbclientTimestamp } from '../clock.js';
import { CellTimeoutError } from '../errors.js';
import { defaultWarn } from '../warnings.js';
import type { ExecuteOptions, ExecuteReply, ExecuteTimings, IopubMessage } from './types.js';

const IDLE_GRACE_MS = 3000;
const INTERRUPT_GRACE_MS = 5000;

export interface WatchOptions extends ExecuteOptions {
  kernelName: string;
  interrupt: () => Promise<void>;
}

export interface ExecuteResult {
  reply: ExecuteReply;
  timings: ExecuteTimings;
}

export class ExecutionWatch {
  readonly result: Promise<ExecuteResult>;
  private resolve!: (r: ExecuteResult) => void;
  private reject!: (e: Error) => void;
  private settled = false;
  private replyContent: ExecuteReply | undefined;
  private idle = false;
  private timedOut = false;
  private readonly timings: Partial<ExecuteTimings> = {};
  private readonly timers: NodeJS.Timeout[] = [];
  /** after a timeout: fails the cell, saying whether the kernel answered the interrupt */
  private giveUp: ((answered: boolean) => void) | undefined;

  constructor(private readonly options: WatchOptions) {
    this.result = new Promise<ExecuteResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (options.timeout !== undefined && options.timeout > 0) {
      this.timers.push(setTimeout(() => this.onTimeout(), options.timeout * 1000));
    }
  }

  /** An iopub message whose parent is this request. */
  iopub(msg: IopubMessage): void {
    if (this.settled) return;
    const type = msg.header.msg_type;
    const date = nbclientTimestamp(msg.header.date);
    try {
      this.options.onIopub(msg);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (type === 'execute_input') this.timings.executeInput ??= date;
    if (type === 'status' && msg.content?.execution_state === 'busy') this.timings.busy ??= date;
    if (type === 'status' && msg.content?.execution_state === 'idle') {
      this.timings.idle ??= date;
      this.idle = true;
      if (this.replyContent) this.finish();
    }
  }

  /** The execute_reply as received (content and header date); its fields are checked here. */
  reply(content: unknown, date?: string): void {
    if (this.settled || this.replyContent) return;
    this.replyContent = normaliseReply(content);
    this.timings.reply = nbclientTimestamp(date);
    if (this.idle) {
      this.finish();
    } else if (!this.timedOut) {
      this.timers.push(setTimeout(() => {
        (this.options.warn ?? defaultWarn)(`kernel '${this.options.kernelName}' sent no idle status within ${IDLE_GRACE_MS / 1000} s of its execute_reply; later output of this cell may be missing`);
        this.finish();
      }, IDLE_GRACE_MS));
    }
  }

  /** The request could not be sent, the kernel died (the session calls this), or the session was shut down. */
  fail(err: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(err);
  }

  private onTimeout(): void {
    if (this.settled) return;
    this.timedOut = true;
    const seconds = this.options.timeout!;
    const give = (answered: boolean) => this.fail(new CellTimeoutError(seconds,
      `cell execution on kernel '${this.options.kernelName}' timed out after ${seconds} s; the kernel was interrupted` +
      (answered ? '' : ` but did not answer within ${INTERRUPT_GRACE_MS / 1000} s`)));
    this.giveUp = give;
    this.options.interrupt().catch(() => undefined);
    this.timers.push(setTimeout(() => give(false), INTERRUPT_GRACE_MS));
  }

  private finish(): void {
    if (this.settled) return;
    if (this.timedOut) {
      this.giveUp?.(true);
      return;
    }
    this.settle();
    this.resolve({ reply: this.replyContent!, timings: { ...this.timings, reply: this.timings.reply! } });
  }

  private settle(): void {
    this.settled = true;
    for (const t of this.timers) clearTimeout(t);
  }
}

function normaliseReply(raw: unknown): ExecuteReply {
  const content = (raw ?? {}) as Record<string, unknown>;
  const status = content.status === 'error' || content.status === 'aborted' ? content.status : 'ok';
  const reply: ExecuteReply = { status, execution_count: typeof content.execution_count === 'number' ? content.execution_count : null };
  if (status === 'error') {
    reply.ename = String(content.ename ?? '');
    reply.evalue = String(content.evalue ?? '');
    reply.traceback = Array.isArray(content.traceback) ? content.traceback.map(String) : [];
  }
  return { ...content, ...reply };
}
