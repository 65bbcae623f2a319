/** The kernel_info_reply content: who we are and how frontends edit our cells. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import type { tslabVersions } from './tslab.js';

/**
 * The package's version, read from its package.json beside the compiled kernel: the kernel
 * answers kernel_info before it loads the toolbox (which the preload does), so it does not ask it.
 */
export function toolboxVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function kernelInfo(tslab: ReturnType<typeof tslabVersions>): Record<string, unknown> {
  const version = toolboxVersion();
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'scs-toolbox',
    implementation_version: version,
    language_info: {
      name: 'typescript',
      version: tslab.typescriptVersion,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      codemirror_mode: { name: 'javascript', typescript: true },
      pygments_lexer: 'typescript',
      nbconvert_exporter: 'script',
    },
    banner: `SCS ToolBox ${version} for TypeScript, Node ${process.version} `
      + `(TypeScript ${tslab.typescriptVersion} via tslab ${tslab.tslabVersion}). The toolbox is imported as \`tb\`.`,
    help_links: [
      { text: 'TypeScript handbook', url: 'https://www.typescriptlang.org/docs/handbook/intro.html' },
      { text: `Node.js ${process.version} API`, url: `https://nodejs.org/docs/${process.version}/api/` },
    ],
  };
}
