/**
 * The io relay's process (see transport/io-relay.ts), started by launch.sh
 * next to a kernel started from the startup snapshot:
 * `SCS_KERNEL_IO_RELAY=<link name> node relay.js <connection_file>`.
 * It answers kernel_info with the content the kernel itself gives.
 */
import { kernelInfo } from './session/kernel-info.js';
import { tslabVersions } from './session/tslab.js';
import { runRelay } from './transport/index.js';

runRelay(kernelInfo(tslabVersions()));
