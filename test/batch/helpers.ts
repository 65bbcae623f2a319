/**
 * Shared pieces of the batch tests: the real single-node cluster (brought up
 * with the project's scripts/slurm-local.sh, as root), a sandbox with our
 * kernel in a temporary JUPYTER_PATH prefix and its own job registry, and
 * `scs` run as a child process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { packageRoot } from '../../kernel/kernelspec.js';
import { type JupyterSandbox, installTestKernel, makeSandbox } from '../helpers/jupyter.js';

export const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');
export const slurmLocal = join(packageRoot(), 'scripts', 'slurm-local.sh');

function whyNoCluster(): string | null {
  if (process.getuid?.() !== 0) return 'not root: scripts/slurm-local.sh must run as root';
  const installed = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged'].every((f) => existsSync(f));
  if (!installed && !existsSync('/usr/bin/apt-get')) return 'SLURM is not installed and there is no apt-get to install it';
  return null;
}

let clusterUp = false;

/** Brings the cluster up once per test process; skips (fails under CI) when that is impossible here. */
export function requireCluster(ctx: Context): void {
  const why = whyNoCluster();
  if (why) {
    if (process.env.CI) throw new Error(`CI is set but the SLURM tests cannot run: ${why}`);
    ctx.skip();
  }
  if (clusterUp) return;
  ctx.timeout(600_000);
  // its progress lines only matter when it fails: then they are the error's message
  try {
    execFileSync('bash', [slurmLocal, 'up'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  } catch (err) {
    throw new Error(`scripts/slurm-local.sh up failed: ${String((err as { stderr?: string }).stderr ?? '').trim() || (err as Error).message}`, { cause: err });
  }
  clusterUp = true;
}

export interface BatchSandbox extends JupyterSandbox {
  kernel: string;
  /** a notebook declaring `module_group` and `name`, printing and saving a per-group file */
  notebook: string;
}

/** Our kernel installed as `scs-batch` in a temp prefix on JUPYTER_PATH, and a private job registry. */
export function makeBatchSandbox(): BatchSandbox {
  const sb = makeSandbox();
  sb.env.XDG_STATE_HOME = join(sb.root, 'state');
  delete sb.env.SLURM_JOB_ID;
  const kernel = installTestKernel(sb, 'scs-batch');
  const notebook = join(sb.notebooks, 'reduce.ipynb');
  writeNotebook(notebook, kernel, [
    ['parameters', 'const module_group: number = 0; // DSSC module group\nconst name: string = "none";\nconst fail: boolean = false;'],
    ['', 'const fs = require("fs");\nfs.writeFileSync(`group${module_group}.txt`, `${name}:${module_group * module_group}\\n`);\nconsole.log(`group ${module_group} of ${name} on ${process.env.SLURM_JOB_ID ?? "local"}`);'],
    ['', 'if (fail) throw new Error(`group ${module_group} failed on purpose`);'],
  ]);
  return { ...sb, kernel, notebook };
}

/** A small nbformat 4.5 notebook; [tag, source] per code cell. */
export function writeNotebook(path: string, kernel: string, cells: [string, string][]): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify({
    cells: cells.map(([tag, source], i) => ({
      cell_type: 'code', execution_count: null, id: `c${i}`, metadata: tag ? { tags: [tag] } : {}, outputs: [], source,
    })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: kernel }, language_info: { name: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  }, null, 1));
}

export interface CliResult { code: number; stdout: string; stderr: string }

export function scs(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The job id `scs submit` printed. */
export function submittedId(r: CliResult): string {
  const m = /^(?:Submitted batch job|Started local job) (\S+)/m.exec(r.stdout);
  if (!m) throw new Error(`scs submit printed no job id (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return m[1];
}

/** stdout text of every stream output of a saved notebook. */
export function notebookStdout(path: string): string {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.name === 'stdout').map((o) => [o.text ?? ''].flat().join('')).join('');
}
