import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package version, read from package.json so there is one source of
 * truth; found by walking up from the compiled file, whatever the build folder.
 */
export function toolboxVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'scs-toolbox' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
