/**
 * Where this package is installed and its version, found by walking up from
 * the compiled file, so it holds in dist/, in any build folder and when
 * installed as a dependency: one lookup for the library (file attributes),
 * the kernel (kernel_info, kernelspec) and the CLI (--version).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ToolBoxPathError } from './errors.js';

const PACKAGE_NAME = 'scs-toolbox';
let found: { root: string; version: string } | undefined;

function locate(): { root: string; version: string } | undefined {
  if (found) return found;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return (found = { root: dir, version: pkg.version ?? 'unknown' });
    } catch { /* an unreadable package.json of something else: keep walking up */ }
  }
  return undefined;
}

/** The folder of the installed scs-toolbox package (holding its package.json). */
export function packageRoot(): string {
  const at = locate();
  if (!at) throw new ToolBoxPathError(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`, __dirname);
  return at.root;
}

/** The scs-toolbox version ('unknown' when its package.json cannot be found). */
export function toolboxVersion(): string {
  return locate()?.version ?? 'unknown';
}
