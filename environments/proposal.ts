/**
 * Where a proposal lives, the way EuXFEL's `findxfel` answers it: the data
 * root holds `<instrument>/<cycle>/p<6-digit proposal>/`, and a proposal
 * number is unique across instruments and cycles, so the lookup only needs
 * the number.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../toolbox/errors.js';

/** The root on Maxwell; EXFEL_DATA_ROOT points elsewhere (tests, laptops with a copy of a proposal). */
export const DEFAULT_DATA_ROOT = '/gpfs/exfel/exp';

export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.EXFEL_DATA_ROOT || DEFAULT_DATA_ROOT);
}

/** 2719, '2719', '002719' and 'p002719' all mean proposal 2719. */
export function proposalNumber(proposal: string | number): number {
  const text = String(proposal).trim();
  const m = /^p?(\d{1,6})$/i.exec(text);
  if (!m || Number(m[1]) === 0) {
    throw new ToolBoxValueError(`invalid proposal '${text}': expected a proposal number such as 2719, 002719 or p002719`);
  }
  return Number(m[1]);
}

/** 'p002719': the folder name, and the default environment identifier. */
export function proposalFolderName(proposal: string | number): string {
  return `p${String(proposalNumber(proposal)).padStart(6, '0')}`;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => {
      try {
        return statSync(join(dir, name)).isDirectory();
      } catch {
        return false;
      }
    }).sort();
  } catch {
    return [];
  }
}

/** `<root>/<instrument>/<cycle>/p<6 digits>` for the proposal; ToolBoxPathError when no folder (or more than one) matches. */
export function findProposalPath(proposal: string | number, env: NodeJS.ProcessEnv = process.env): string {
  const root = dataRoot(env);
  const folder = proposalFolderName(proposal);
  const found: string[] = [];
  for (const instrument of subdirs(root)) {
    for (const cycle of subdirs(join(root, instrument))) {
      if (subdirs(join(root, instrument, cycle)).includes(folder)) found.push(join(root, instrument, cycle, folder));
    }
  }
  if (found.length === 0) {
    throw new ToolBoxPathError(`proposal folder not found: no ${root}/<instrument>/<cycle>/${folder} (set EXFEL_DATA_ROOT if the data is elsewhere)`, root);
  }
  if (found.length > 1) {
    throw new ToolBoxPathError(`proposal ${folder} is ambiguous under ${root}: ${found.join(', ')}`, root);
  }
  return found[0]!;
}

/** Every `<root>/<instrument>/<cycle>/p<6 digits>` folder under the data root, sorted by path. */
export function allProposalPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const root = dataRoot(env);
  return subdirs(root).flatMap((instrument) => subdirs(join(root, instrument)).flatMap((cycle) =>
    subdirs(join(root, instrument, cycle)).filter((name) => /^p\d{6}$/.test(name)).map((name) => join(root, instrument, cycle, name))));
}
