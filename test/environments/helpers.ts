/**
 * A synthetic EuXFEL data root (<root>/SCS/<cycle>/p<6 digits>/raw) with an
 * isolated Jupyter home, and the compiled commands of this build.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Result, run } from '../helpers/run.js';

/** The build folder holding this test (dist/ or .build/<tag>/). */
export const BUILD = join(__dirname, '..', '..');
export const SCS = join(BUILD, 'scripts', 'scs.js');
export const CREATE_BIN = join(BUILD, 'scripts', 'bin', 'scs-create-toolbox-env.js');
export const ACTIVATE_BIN = join(BUILD, 'scripts', 'bin', 'scs-activate-toolbox-kernel.js');

export interface ProposalTree {
  root: string;
  /** EXFEL_DATA_ROOT: <root>/exp */
  dataRoot: string;
  /** Environment for every command: EXFEL_DATA_ROOT and a private Jupyter home. */
  env: NodeJS.ProcessEnv;
  jupyterDataDir: string;
  /** Makes <dataRoot>/<instrument>/<cycle>/p<6 digits>/raw and returns the proposal folder. */
  addProposal(proposal: number, cycle?: string, instrument?: string): string;
  cleanup(): void;
}

export function makeProposalTree(): ProposalTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-envs-')));
  const dataRoot = join(root, 'exp');
  const jupyterDataDir = join(root, 'jupyter-data');
  mkdirSync(dataRoot);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXFEL_DATA_ROOT: dataRoot,
    JUPYTER_DATA_DIR: jupyterDataDir,
    JUPYTER_PATH: '',
    JUPYTER_CONFIG_DIR: join(root, 'jupyter-config'),
    JUPYTER_RUNTIME_DIR: join(root, 'jupyter-runtime'),
  };
  const addProposal = (proposal: number, cycle = '202201', instrument = 'SCS') => {
    const dir = join(dataRoot, instrument, cycle, `p${String(proposal).padStart(6, '0')}`);
    mkdirSync(join(dir, 'raw'), { recursive: true });
    return dir;
  };
  return { root, dataRoot, env, jupyterDataDir, addProposal, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export { type Result, run };

export const node = (script: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) => run(process.execPath, [script, ...args], env, cwd);

/** A one-parameter TypeScript notebook for `kernel`, whose second cell prints what the kernel runs from. */
export function probeNotebook(kernel: string): object {
  const cell = (id: string, source: string[], tags?: string[]) => ({ cell_type: 'code', execution_count: null, id, metadata: tags ? { tags } : {}, outputs: [], source });
  return {
    cells: [
      cell('params', ["const label: string = 'none';"], ['parameters']),
      cell('probe', [
        'console.log(`label=${label}`);\n',
        "console.log(`marker=${(tb as any).proposalEnvMarker ?? 'absent'}`);\n",
        "const loaded = Object.keys(require.cache);\n",
        "console.log(`toolbox=${loaded.find((k) => k.endsWith('/toolbox/index.js'))}`);\n",
        "console.log(`tslab=${loaded.find((k) => k.endsWith('/tslab/dist/executor.js'))}`);",
      ]),
    ],
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: kernel }, language_info: { name: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** All stream text of a notebook's cells, joined. */
export function streamText(nb: { cells: { outputs?: { output_type: string; text?: string | string[] }[] }[] }): string {
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === 'stream')
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : o.text ?? '')).join('');
}
