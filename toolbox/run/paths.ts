/**
 * Where runs live on EuXFEL storage and how users name them. Layout (see
 * docs/run-format.md, Folders and file names): <root>/<INSTRUMENT>/<cycle>/p<6 digits>/{raw,proc}/r<4 digits>,
 * root given by the caller (openRun's dataRoot option), else from
 * EXFEL_DATA_ROOT (default /gpfs/exfel/exp).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParameterError, ToolBoxPathError } from '../errors.js';

export type RunData = 'raw' | 'proc';

/** The data root from the environment: EXFEL_DATA_ROOT, else /gpfs/exfel/exp. */
export function dataRoot(): string {
  return process.env.EXFEL_DATA_ROOT || '/gpfs/exfel/exp';
}

/** A given proposal or run as typed: JSON.stringify would show NaN (`-p run nan`) as null. */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/** 2719, '2719', 'p002719' → 2719. */
export function proposalNumber(proposal: number | string): number {
  const m = /^p?(\d+)$/i.exec(String(proposal).trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n > 999999) {
    throw new ParameterError(`invalid proposal ${shown(proposal)}: expected a number like 2719, '2719' or 'p002719'`, { parameter: 'proposal', value: proposal });
  }
  return n;
}

/** 17, '17', 'r0017' → 17. */
export function runNumber(run: number | string): number {
  const m = /^r?(\d+)$/i.exec(String(run).trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 9999) {
    throw new ParameterError(`invalid run ${shown(run)}: expected a number like 17, '17' or 'r0017'`, { parameter: 'run', value: run });
  }
  return n;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function subdirs(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory() || d.isSymbolicLink()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** The proposal folder, searched over every instrument and cycle under `root` (default: dataRoot()). */
export function findProposal(proposal: number | string, root?: string): string {
  const name = `p${String(proposalNumber(proposal)).padStart(6, '0')}`;
  const given = root !== undefined;
  root ??= dataRoot();
  if (!isDir(root)) {
    throw new ToolBoxPathError(`data root ${root} does not exist${given ? '' : ' (set EXFEL_DATA_ROOT)'}; looking for proposal ${name}`, root);
  }
  for (const instrument of subdirs(root)) {
    for (const cycle of subdirs(join(root, instrument))) {
      const p = join(root, instrument, cycle, name);
      if (isDir(p)) return p;
    }
  }
  const hint = given ? '' : ' (set EXFEL_DATA_ROOT if the data lives elsewhere)';
  throw new ToolBoxPathError(`proposal ${name} not found under ${root}/<INSTRUMENT>/<cycle>/${hint}`, root);
}

/**
 * The folder of one run: <proposal>/<data>/r<4 digits>, below `root` (default:
 * dataRoot()). `data: 'all'` (raw and proc together, as load() and openRun
 * read them) gives the raw folder, as the Python toolbox's find_run_path does:
 * every run has one, proc only after calibration.
 */
export function findRunPath(proposal: number | string, run: number | string, data: RunData | 'all' = 'raw', root?: string): string {
  if (data !== 'raw' && data !== 'proc' && data !== 'all') {
    throw new ParameterError(`invalid data ${JSON.stringify(data)}: expected 'raw', 'proc' or 'all'`, { parameter: 'data', value: data, expected: ['raw', 'proc', 'all'] });
  }
  const folderOf = data === 'all' ? 'raw' : data;
  const folder = join(findProposal(proposal, root), folderOf, `r${String(runNumber(run)).padStart(4, '0')}`);
  if (!isDir(folder)) {
    throw new ToolBoxPathError(`run ${runNumber(run)} of proposal ${proposalNumber(proposal)} has no ${folderOf} data: ${folder} does not exist`, folder);
  }
  return folder;
}
