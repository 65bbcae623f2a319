/** The echo kernel's kernel_info content, given by its main thread and by its io relay alike. */
import { PROTOCOL_VERSION } from '../../../protocol/index.js';

export const KERNEL_INFO = {
  status: 'ok',
  protocol_version: PROTOCOL_VERSION,
  implementation: 'echo-kernel',
  implementation_version: '0.0.0',
  language_info: { name: 'echo', version: '1.0', mimetype: 'text/plain', file_extension: '.txt' },
  banner: 'transport test kernel',
};
