import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The package version recorded in metadata.papermill.version, read from package.json whatever the
 * build folder. Its own lookup (the toolbox has toolboxVersion): runner/ never imports the toolbox.
 */
export function toolVersion(): string {
  if (cached) return cached;
  cached = 'unknown';
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'scs-toolbox' && pkg.version) {
      cached = `scs-toolbox ${pkg.version}`;
      break;
    }
  }
  return cached;
}
