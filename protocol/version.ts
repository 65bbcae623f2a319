/**
 * The Jupyter messaging protocol version both sides speak: the kernel declares
 * it in kernel_info_reply and every header carries it.
 *
 * 5.4 over 5.3 only moves shutdown_request to the control channel (on shell it
 * is deprecated): our client sends it on control, and our kernel answers it on
 * control and, for older clients, still on shell.
 */
export const PROTOCOL_VERSION = '5.4';
