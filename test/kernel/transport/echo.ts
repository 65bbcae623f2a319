/**
 * Helpers for the transport tests: start the echo kernel (echo-kernel.ts)
 * through the shared test client, pick streams out of a result, and wait for
 * something the kernel does asynchronously (a log line, a process exit).
 */
import { join } from 'node:path';
import { startKernel, type RequestResult, type StartedKernel, type StartKernelOptions } from '../../helpers/kernel-client.js';

export const ECHO_KERNEL = join(__dirname, 'echo-kernel.js');
export const ECHO_RELAY = join(__dirname, 'echo-relay.js');

/**
 * Who holds the sockets: the kernel's io thread, or the io relay launch.sh starts next to a
 * kernel started from the snapshot (started here the same way, next to the echo kernel).
 */
export const SOCKET_HOLDERS = ['io thread', 'io relay'] as const;
export type SocketHolder = (typeof SOCKET_HOLDERS)[number];

const VIA_RELAY = 'SCS_KERNEL_IO_RELAY=scs-kernel-io-$$; export SCS_KERNEL_IO_RELAY; "$0" "$1" "$3" & exec "$0" "$2" "$3"';

export function startEchoKernel(options: Omit<StartKernelOptions, 'argv'> = {}, holder: SocketHolder = 'io thread'): Promise<StartedKernel> {
  const argv = holder === 'io relay'
    ? ['/bin/sh', '-c', VIA_RELAY, process.execPath, ECHO_RELAY, ECHO_KERNEL, '{connection_file}']
    : [process.execPath, ECHO_KERNEL, '{connection_file}'];
  return startKernel({ ...options, argv });
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
