/**
 * The transport's public shapes: requests as the main thread sees them and the
 * KernelTransport interface the session programs against.
 */

import type { JupyterMessage, ShellChannel } from '../../protocol/index.js';

export interface KernelRequest extends JupyterMessage {
  channel: ShellChannel;
  /** opaque routing ids, pass back unchanged */
  identities: Uint8Array[];
}

export interface TransportOptions {
  connectionFile: string;
  /** kernel_info answered by the io thread: on control always (main may be busy), on shell until onRequest is called (main still starting) */
  kernelInfo?: Record<string, unknown>;
}

export interface KernelTransport {
  /** shell requests, and control requests the io thread does not answer itself */
  onRequest(handler: (request: KernelRequest) => void): void;
  /** reply on the request's channel (msg_type e.g. 'execute_reply') */
  reply(request: KernelRequest, msgType: string, content: unknown, metadata?: Record<string, unknown>): void;
  /** iopub; parent null for messages without parent (e.g. the starting status) */
  publish(parent: JupyterMessage | null, msgType: string, content: unknown, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void;
  /**
   * stdin input_request / input_reply for `parent` (an execute_request with allow_stdin true);
   * synchronous, blocks the main thread with Atomics.wait until the reply (so a cell's
   * synchronous prompt works); throws KernelInputError if the frontend disallows or the
   * kernel is interrupted
   */
  inputSync(parent: KernelRequest, prompt: string, password: boolean): string;
  /** called when an interrupt_request arrived on control (the io thread has already raised SIGINT on this process) */
  onInterrupt(handler: () => void): void;
  /** shutdown_request on control: handler gets restart flag; after it resolves (or 2 s) the io thread replies and the process exits */
  onShutdown(handler: (restart: boolean) => Promise<void> | void): void;
  close(): Promise<void>;
}
