/**
 * Shared pieces of the notebook tests: a temporary root with our kernel's
 * kernelspec installed under it (and JUPYTER_PATH, and optionally
 * EXFEL_DATA_ROOT, pointing there until restore()), `scs run` of a notebook
 * with a parameter file, and what the tests read from an output notebook
 * (its errors, and its vega-lite plots with their static fallbacks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec } from '../../kernel/kernelspec.js';
import { VEGALITE_MIME } from '../../toolbox/plots/spec.js';
import { type OutNotebook, type Ran, readOut, scs } from '../runner/helpers.js';

/** The error outputs of an output notebook, as (ename, evalue). */
export function errorsOf(nb: OutNotebook): { ename: string; evalue: string }[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => ({ ename: o.ename as string, evalue: o.evalue as string })));
}

/** The display outputs of a notebook that hold a vega-lite spec, and which static fallbacks they carry. */
export function plotsOf(nb: OutNotebook): { cell: string; fallback: string[] }[] {
  return nb.cells.flatMap((c) => (c.outputs ?? [])
    .filter((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result') && o.data && VEGALITE_MIME in o.data)
    .map((o) => ({ cell: c.id, fallback: ['image/svg+xml', 'image/png'].filter((m) => m in o.data) })));
}

export interface NotebookSandbox {
  /** the temporary folder of the suite: data, kernelspec prefix, notebooks and results */
  root: string;
  /** `<root>/data`, the EXFEL_DATA_ROOT of the suite's synthetic proposals */
  dataRoot: string;
  /** the raw folder of a proposal under dataRoot (instrument SCS, cycle 202601) */
  raw(proposal: number): string;
  /** gives JUPYTER_PATH and EXFEL_DATA_ROOT back their values from before the sandbox and removes root */
  restore(): void;
}

const SAVED_ENV = ['JUPYTER_PATH', 'EXFEL_DATA_ROOT'] as const;

/**
 * Makes a temporary root (`prefix` + random), installs our kernel's kernelspec as `kernel` into
 * `<root>/prefix` and puts its share/jupyter on JUPYTER_PATH: the runner in this process and the
 * `scs run` children find the kernel there. EXFEL_DATA_ROOT becomes `<root>/data` unless
 * `dataRootEnv` is false (a notebook given its data root as a parameter must not find it otherwise).
 * Call it in before(), after requireJupyter; call restore() in after().
 */
export function notebookSandbox(prefix: string, kernel: string, o: { dataRootEnv?: boolean } = {}): NotebookSandbox {
  const saved = SAVED_ENV.map((k) => [k, process.env[k]] as const);
  const root = mkdtempSync(join(tmpdir(), prefix));
  const restore = () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(root, { recursive: true, force: true });
  };
  const dataRoot = join(root, 'data');
  try {
    const kernelPrefix = join(root, 'prefix');
    installKernelSpec({ name: kernel, location: { prefix: kernelPrefix } });
    process.env.JUPYTER_PATH = join(kernelPrefix, 'share', 'jupyter');
    if (o.dataRootEnv !== false) process.env.EXFEL_DATA_ROOT = dataRoot;
  } catch (e) {
    restore();
    throw e;
  }
  const raw = (proposal: number) => join(dataRoot, 'SCS', '202601', `p${String(proposal).padStart(6, '0')}`, 'raw');
  return { root, dataRoot, raw, restore };
}

/**
 * `scs run NOTEBOOK OUT -k KERNEL -f PARAMS --no-progress-bar` in cwd, with this process's
 * environment; the parameters are written next to OUT (its name with .json for .ipynb).
 * Resolves with how scs ended and the output notebook read back.
 */
export async function scsRun(notebook: string, out: string, kernel: string, params: Record<string, unknown>, cwd: string): Promise<{ ran: Ran; nb: OutNotebook }> {
  const file = out.replace(/\.ipynb$/, '') + '.json';
  writeFileSync(file, JSON.stringify(params));
  const ran = await scs(['run', notebook, out, '-k', kernel, '-f', file, '--no-progress-bar'], { cwd });
  return { ran, nb: readOut(out) };
}
