/**
 * Helpers for the transport tests: start the echo kernel (echo-kernel.ts)
 * through the shared test client, pick streams out of a result, and wait for
 * something the kernel does asynchronously (a log line, a process exit).
 */
import { join } from 'node:path';
import { startKernel, type RequestResult, type StartedKernel, type StartKernelOptions } from '../../helpers/kernel-client.js';

export const ECHO_KERNEL = join(__dirname, 'echo-kernel.js');

export function startEchoKernel(options: Omit<StartKernelOptions, 'argv'> = {}): Promise<StartedKernel> {
  return startKernel({ ...options, argv: [process.execPath, ECHO_KERNEL, '{connection_file}'] });
}

/** Text of the stream messages of one request, in order. */
export function streams(result: RequestResult): string[] {
  return result.iopub.filter((m) => m.header.msg_type === 'stream').map((m) => m.content.text as string);
}

/** iopub msg_types of one request, in order (status shown as status:<state>). */
export function iopubTypes(result: RequestResult): string[] {
  return result.iopub.map((m) => (m.header.msg_type === 'status' ? `status:${m.content.execution_state}` : m.header.msg_type));
}

/** Polls until `check` holds; the error says what never happened. */
export async function eventually(check: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
