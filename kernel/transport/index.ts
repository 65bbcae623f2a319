/**
 * The kernel's messaging layer (Jupyter messaging 5.3 over ZeroMQ). All
 * sockets live in an io thread so heartbeat, control and output keep working
 * while the main thread runs a cell; the main thread uses startTransport.
 */
export type { JupyterMessage, KernelRequest, KernelTransport, MessageHeader, TransportOptions } from './types.js';
export { startTransport } from './transport.js';
export { KernelInputError, KernelTransportError } from './errors.js';
export { readConnectionFile, parseConnectionInfo, endpoint, type ConnectionInfo } from './connection.js';
