/**
 * The contract between the runner core and its execution engines. The core codes against these
 * types only; `local` and `server` implement them (engineByName in ./index.ts picks one).
 */
import type { DeadKernelError } from '../errors.js';

export interface KernelInfo {
  language_info: { name: string; version?: string; mimetype?: string; file_extension?: string; [k: string]: unknown };
  implementation?: string;
  [k: string]: unknown;
}

/** The iopub fields the runner reads; which are present depends on msg_type (stream, display_data, error, status, ...). */
export interface IopubContent {
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_state?: string;
  wait?: boolean;
  [field: string]: unknown;
}

export interface IopubMessage {
  header: { msg_type: string; msg_id: string; date?: string };
  parent_header: { msg_id?: string };
  metadata: Record<string, unknown>;
  content: IopubContent;
}

export interface ExecuteReply {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface ExecuteOptions {
  /** per-cell timeout in seconds (undefined: none); on timeout the engine interrupts, waits a short grace, then rejects with CellTimeoutError */
  timeout?: number;
  /** every iopub message whose parent is this request, in order, until idle (or the grace after the reply) */
  onIopub: (msg: IopubMessage) => void;
  stopOnError?: boolean;
  /** where the engine's warnings about this execution go (default: the runner's default channel) */
  warn?: (message: string) => void;
}

export interface ExecuteTimings {
  busy?: string;
  executeInput?: string;
  reply: string;
  idle?: string;
}

export interface KernelSession {
  readonly kernelName: string;
  readonly info: KernelInfo;
  /** resolves with the execute_reply (authoritative); iopub is drained until idle or a 3 s grace after the reply */
  execute(code: string, options: ExecuteOptions): Promise<{ reply: ExecuteReply; timings: ExecuteTimings }>;
  interrupt(): Promise<void>;
  /** rejects/settles when the kernel process dies (checked every second) -> DeadKernelError */
  readonly died: Promise<DeadKernelError>;
  shutdown(): Promise<void>;
}

export interface StartOptions {
  kernelName: string;
  cwd: string;
  startTimeout: number;
  env?: Record<string, string>;
  /** server engine */
  serverUrl?: string;
  token?: string;
  /** where the engine's warnings about the start go (default: the runner's default channel) */
  warn?: (message: string) => void;
}

export interface ExecutionEngine {
  readonly name: 'local' | 'server';
  start(options: StartOptions): Promise<KernelSession>;
}
