/**
 * Errors of the kernel's transport, in the protocol's error family: they are
 * about messaging, not data, and the transport sits below the science.
 */
import { ProtocolError } from '../../protocol/index.js';

/** The kernel could not start its sockets or lost its io thread. */
export class KernelTransportError extends ProtocolError {}

/** A synchronous input could not be read: stdin not allowed by the frontend, interrupt, shutdown. */
export class KernelInputError extends ProtocolError {}
