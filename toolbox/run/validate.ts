/**
 * validateRun: the index checks of EXtra-data's extra-data-validate, which
 * the Python toolbox's load(validate=True) runs: train IDs increase in each
 * file, and every source's INDEX (first, count) points inside its datasets
 * without two trains sharing an entry. Files that fail them give wrong or
 * shifted data silently, so load() stops on them.
 */
import { ToolBoxFileError } from '../errors.js';
import type { DataCollection } from './data-collection.js';
import type { FileAccess } from './file-access.js';

/** Problems of one index group against the datasets holding its keys. */
function indexProblems(fa: FileAccess, source: string, group: string, paths: string[]): string[] {
  const where = `${fa.path}: ${source}${group ? ` ${group}` : ''}`;
  let idx;
  try {
    idx = fa.index(source, group);
  } catch (err) {
    return [`${where}: ${(err as Error).message}`];
  }
  const { first, count } = idx;
  const out: string[] = [];
  let end = 0;
  for (let t = 0; t < first.length; t++) {
    if (count[t] === 0) continue;
    if (first[t] < end) {
      out.push(`${where}: train ${fa.trainIds[t]} starts at entry ${first[t]}, inside the previous train's entries (up to ${end})`);
      break;
    }
    end = first[t] + count[t];
  }
  for (const p of paths) {
    const len = fa.datasetInfo(p).shape[0] ?? 0;
    if (end > len) out.push(`${where}: INDEX points to entry ${end - 1} but ${p} has ${len} entries`);
  }
  return out;
}

function fileProblems(fa: FileAccess): string[] {
  const out: string[] = [];
  const ids = fa.trainIds;
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] <= ids[i - 1]) {
      out.push(`${fa.path}: train IDs do not increase (${ids[i - 1]} then ${ids[i]} at position ${i})`);
      break;
    }
  }
  const path = (section: string, source: string, key: string) => `/${section}/${source}/${key.replace(/\./g, '/')}`;
  for (const source of fa.controlSources) {
    out.push(...indexProblems(fa, source, '', fa.keys(source).map((k) => path('CONTROL', source, k))));
  }
  for (const [source, groups] of fa.instrumentSources) {
    const keys = fa.keys(source);
    for (const g of groups) {
      const prefix = `${g.replace(/\//g, '.')}.`;
      out.push(...indexProblems(fa, source, g, keys.filter((k) => k.startsWith(prefix)).map((k) => path('INSTRUMENT', source, k))));
    }
  }
  return out;
}

/** Index problems of every file of the run (none: an empty list). */
export function validateRun(run: DataCollection): string[] {
  return run.runFiles.files.flatMap(fileProblems);
}

/** Throws a ToolBoxFileError listing the problems validateRun finds. */
export function assertValidRun(run: DataCollection): void {
  const problems = validateRun(run);
  if (!problems.length) return;
  const shown = problems.slice(0, 10).join('\n  ');
  const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : '';
  throw new ToolBoxFileError(`run ${run.runFiles.where} failed validation (${problems.length} problem(s)):\n  ${shown}${more}`, run.runFiles.where);
}
