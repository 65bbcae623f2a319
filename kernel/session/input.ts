/**
 * input()/prompt()/getpass() in cells: the preload cell defines them (typed)
 * on top of a global hook that reads through the transport's stdin channel,
 * synchronously, for the request that runs.
 */
import type { KernelRequest, KernelTransport } from '../transport/index.js';

export const INPUT_HOOK = 'scs-kernel.input';

export function installInputHook(transport: KernelTransport, currentRequest: () => KernelRequest | undefined): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(INPUT_HOOK)] = (prompt: string, password: boolean): string => {
    const request = currentRequest();
    if (!request) throw new Error('input() was called outside of a cell request, so there is no frontend to ask');
    return transport.inputSync(request, String(prompt), password);
  };
}
