/**
 * What the main thread and the io thread say to each other over the worker's
 * port. Types only; both sides import it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { JupyterMessage } from '../../protocol/index.js';
import type { KernelRequest } from './types.js';

export interface IoWorkerData {
  endpoints: { shell: string; iopub: string; stdin: string; control: string; hb: string };
  key: string;
  /** the io relay's link name (launch.sh started one): the relay holds the sockets */
  relay?: string;
  /** the connection file the kernel was given (removed when the kernel ends because its parent died) */
  connectionFile: string;
  kernelInfo?: Record<string, unknown>;
  /** Int32 flag the io thread raises (and notifies) when an input reply is waiting on inputPort. */
  inputFlag: SharedArrayBuffer;
  inputPort: MessagePort;
}

/** Answers to an input request, read synchronously with receiveMessageOnPort. */
export type InputAnswer = { id: number; value: string } | { id: number; error: string };

export type MainToIo =
  | {
      type: 'send';
      channel: 'shell' | 'control' | 'iopub';
      identities: Uint8Array[];
      msgType: string;
      /** JSON text: serialised on the main thread so a value JSON cannot hold fails in the caller */
      parent: string;
      metadata: string;
      content: string;
      buffers?: Uint8Array[];
    }
  | { type: 'input'; id: number; parent: KernelRequest; prompt: string; password: boolean }
  | { type: 'shutdown-done' }
  /** the main thread handles requests from now on (it may have been busy starting until then) */
  | { type: 'serving' }
  | { type: 'close' };

export type IoToMain =
  | { type: 'ready'; session: string }
  | { type: 'failed'; error: string }
  | { type: 'request'; request: KernelRequest }
  | { type: 'interrupt' }
  | { type: 'shutdown'; restart: boolean; request: JupyterMessage }
  | { type: 'exit' }
  | { type: 'closed' };
