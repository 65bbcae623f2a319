import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read from package.json so there is one source of truth. */
export function toolboxVersion(): string {
  // dist/scripts/cli → package root is three levels up
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
