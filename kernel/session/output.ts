/**
 * process.stdout/stderr of cells as Jupyter stream messages. Writes go to the
 * request that runs (or ran last: output from timers after a cell belongs to
 * it, as in ipykernel). Writes are coalesced and flushed when the stream name
 * changes, when the buffer is large or old (so a long synchronous loop still
 * shows output), on the next turn of the event loop, and before any other
 * message of the request (flush()), which keeps the order. A cell's stream
 * output is cut at a limit with a note, so a runaway print loop cannot
 * swamp the frontend.
 */
import type { JupyterMessage } from '../transport/index.js';

type StreamName = 'stdout' | 'stderr';
type Publish = (parent: JupyterMessage, msgType: string, content: unknown) => void;
type Write = typeof process.stdout.write;

const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 50;
export const DEFAULT_MAX_OUTPUT = 5 * 1024 * 1024;

/** SCS_KERNEL_MAX_OUTPUT: bytes of stream output per cell (and of one rich output) before truncation. */
export function maxOutputFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SCS_KERNEL_MAX_OUTPUT;
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : DEFAULT_MAX_OUTPUT;
}

export class StreamCapture {
  private parent: JupyterMessage | undefined;
  private pending: { name: StreamName; text: string } | undefined;
  private pendingSince = 0;
  private written = 0;
  private truncated = false;
  private scheduled = false;
  /** the real writers, for output before the first request */
  readonly original: { stdout: Write; stderr: Write };

  constructor(private readonly publish: Publish, readonly maxBytes: number) {
    this.original = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  }

  install(): void {
    process.stdout.write = this.writer('stdout');
    process.stderr.write = this.writer('stderr');
  }

  /** A new execute request: its output starts counting from zero. */
  beginRequest(parent: JupyterMessage): void {
    this.flush();
    this.parent = parent;
    this.written = 0;
    this.truncated = false;
  }

  flush(): void {
    const pending = this.pending;
    if (!pending || !this.parent) return;
    this.pending = undefined;
    this.publish(this.parent, 'stream', { name: pending.name, text: pending.text });
  }

  private writer(name: StreamName): Write {
    const write = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (!this.parent) return this.original[name](chunk as string, encoding as BufferEncoding, callback as () => void);
      this.add(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    };
    return write as Write;
  }

  private add(name: StreamName, text: string): void {
    if (this.truncated || text.length === 0) return;
    if (this.written + text.length > this.maxBytes) {
      text = text.slice(0, Math.max(0, this.maxBytes - this.written))
        + `\n[output truncated: this cell wrote more than ${this.maxBytes} characters; `
        + 'set SCS_KERNEL_MAX_OUTPUT to change the limit]\n';
      this.truncated = true;
    }
    this.written += text.length;
    if (this.pending && this.pending.name !== name) this.flush();
    if (this.pending) this.pending.text += text;
    else {
      this.pending = { name, text };
      this.pendingSince = Date.now();
    }
    if (this.pending.text.length >= FLUSH_BYTES || Date.now() - this.pendingSince >= FLUSH_MS) this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}
