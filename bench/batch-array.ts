/**
 * BATCH: wall time from `scs submit` of a 4-task job array (one notebook per
 * DSSC module group, on our kernel) to all four output notebooks written,
 * next to the same four notebooks run one after another with `scs run`, and
 * the same array with `--local`. Needs the single-node cluster
 * (scripts/slurm-local.sh up, as root); without sbatch only --local runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec } from '../kernel/kernelspec.js';
import { type BenchRow, printRows } from './harness.js';

const cli = join(__dirname, '..', 'scripts', 'scs.js');
const root = mkdtempSync(join(tmpdir(), 'scs-bench-batch-'));
const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_PATH: join(root, 'prefix', 'share', 'jupyter'), XDG_STATE_HOME: join(root, 'state') };
installKernelSpec({ name: 'scs-bench', location: { prefix: join(root, 'prefix') } });

// a small reduction per module group: a few thousand random frames binned by delay
const notebook = join(root, 'reduce.ipynb');
const cells = [
  ['parameters', 'const module_group: number = 0;'],
  ['', 'const n = 200000; const bins = new Float64Array(100);\nfor (let i = 0; i < n; i++) bins[(i * 7919 + module_group) % 100] += Math.sin(i);\nconsole.log(module_group, bins[0].toFixed(3));'],
];
writeFileSync(notebook, JSON.stringify({
  cells: cells.map(([tag, source], i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: tag ? { tags: [tag] } : {}, outputs: [], source })),
  metadata: { kernelspec: { name: 'scs-bench', display_name: 'TS', language: 'typescript' }, language_info: { name: 'typescript' } },
  nbformat: 4, nbformat_minor: 5,
}));

function timed(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scs ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const groups = [0, 1, 2, 3];
const sequential = (out: string) => groups.reduce((s, g) => s + timed(['run', '--no-progress-bar', notebook, join(out, `output${g}.ipynb`), '-k', 'scs-bench', '-p', 'module_group', String(g)]), 0);
const array = (out: string, extra: string[]) => timed(['submit', notebook, '--output-dir', out, '--array', 'module_group=0,1,2,3', '-k', 'scs-bench', '--wait', ...extra]);

let hasSlurm = true;
try {
  execFileSync('sinfo', ['-h'], { stdio: 'ignore' });
} catch {
  hasSlurm = false;
}
mkdirSync(join(root, 'seq'));
const seq = sequential(join(root, 'seq'));
const rows: BenchRow[] = [];
const cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
if (hasSlurm) {
  rows.push({ name: 'scs submit --array of 4 (SLURM) to 4 notebooks written', ours: array(join(root, 'slurm'), []), reference: seq, referenceName: '4 x scs run, one after another', note: `single-node cluster, ${cpus} CPUs = ${cpus} tasks at a time; includes squeue polling (0.5 s)` });
}
rows.push({ name: 'scs submit --array of 4 --local to 4 notebooks written', ours: array(join(root, 'local'), ['--local']), reference: seq, referenceName: '4 x scs run, one after another', note: 'all 4 tasks start at once' });
printRows('BATCH: 4-task job array vs sequential runs', rows);
if (!hasSlurm) console.log('\n(no SLURM cluster reachable: run scripts/slurm-local.sh up as root for the SLURM row)');
rmSync(root, { recursive: true, force: true });
