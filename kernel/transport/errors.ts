/**
 * Errors of the transport, in the ToolBoxError family so cells and the
 * session catch them like every other toolbox error.
 */
import { ToolBoxError } from '../../toolbox/index.js';

/** The kernel could not start its sockets or lost its io thread. */
export class KernelTransportError extends ToolBoxError {}

/** A synchronous input could not be read: stdin not allowed by the frontend, interrupt, shutdown. */
export class KernelInputError extends ToolBoxError {}
