/** The kernel_info_reply content: who we are and how frontends edit our cells. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { tslabVersions } from './tslab.js';

export const PROTOCOL_VERSION = '5.3';

/** The version of the scs-toolbox package this kernel belongs to. */
export function toolboxVersion(): string {
  // Walk up from the compiled file: dist/kernel/session or any build folder.
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'scs-toolbox' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return '0.0.0';
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
