/** The kernel_info_reply content: who we are and how frontends edit our cells. */
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { toolboxVersion } from '../kernelspec.js';
import type { tslabVersions } from './tslab.js';

export { toolboxVersion };

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
