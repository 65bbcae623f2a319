/**
 * The echo kernel's io relay process (the kernel's own is kernel/relay.ts):
 * `SCS_KERNEL_IO_RELAY=<link name> node echo-relay.js <connection_file>`.
 */
import { runRelay } from '../../../kernel/transport/index.js';
import { KERNEL_INFO } from './echo-info.js';

runRelay(KERNEL_INFO);
