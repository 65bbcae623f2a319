/**
 * The toolbox's template notebooks by short name, so that `scs submit boz
 * -o DIR -p proposal 2937 ...` finds "BOZ analysis part I.a Correction
 * determination.ipynb" in the installed toolbox's notebooks/ (what
 * scripts/boz_parameters_job.sh runs). A path that exists always wins.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from 'scs-toolbox';

/** Short name → file in notebooks/. */
export const NOTEBOOK_TEMPLATES: Readonly<Record<string, string>> = {
  boz: 'BOZ analysis part I.a Correction determination.ipynb',
  'boz-validation': 'BOZ analysis part I.b Correction validation.ipynb',
  'boz-small-data': 'BOZ analysis part II.1 Small data.ipynb',
  'boz-binning': 'BOZ analysis part II.2 Binning.ipynb',
  'dssc-binning': 'DSSC module binning.ipynb',
  'dssc-summary': 'DSSC summary.ipynb',
};

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

/**
 * The notebook to submit: `arg` when it is a file; else a short name of NOTEBOOK_TEMPLATES, or a
 * template's file name (with or without .ipynb), in the toolbox's notebooks/; else `arg` unchanged
 * (the submission then reports that it does not exist).
 */
export function resolveNotebook(arg: string): string {
  if (isFile(arg) || arg.includes('/')) return arg;
  const dir = join(packageRoot(), 'notebooks');
  for (const name of [NOTEBOOK_TEMPLATES[arg], arg, `${arg}.ipynb`]) {
    if (name !== undefined && isFile(join(dir, name))) return join(dir, name);
  }
  return arg;
}

/** One line for --help. */
export function templatesHelp(): string {
  return Object.keys(NOTEBOOK_TEMPLATES).join(', ');
}
