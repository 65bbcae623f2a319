/**
 * The kernel's messaging layer (the Jupyter protocol of protocol/ over
 * ZeroMQ). All sockets live in an io thread (or in the io relay process it
 * links to) so heartbeat, control and output keep working while the main
 * thread runs a cell; the main thread uses startTransport, the relay's
 * process runRelay.
 */
export type { KernelRequest, KernelTransport, TransportOptions } from './types.js';
export type { JupyterMessage, MessageHeader } from '../../protocol/index.js';
export { startTransport } from './transport.js';
export { runRelay } from './io-relay.js';
export { KernelInputError, KernelTransportError } from './errors.js';
