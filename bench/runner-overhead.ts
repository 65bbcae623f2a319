/**
 * Runner overhead: wall time of one whole notebook run, `scs run` against
 * Debian's nbclient 0.7.2, for trivial notebooks of 20 and 200 cells, on our
 * TypeScript kernel and on ipykernel, all in one go.
 *
 * Every run is a fresh process, timed from spawn to exit, as a user (or a
 * SLURM job) sees it: interpreter start, kernel start, the cells, saving,
 * kernel shutdown. Three runners per kernel:
 *   - `scs run IN OUT -k K` of this build (saves at start, per cell and at the end: its default);
 *   - `python3 -m jupyter execute --kernel_name=K IN` (nbclient 0.7.2's CLI; it does NOT save);
 *   - NotebookClient(...).execute() + nbformat.write (the saved-output equivalent).
 * Runs are interleaved (every runner on every kernel, then again) so a slow
 * moment of the machine does not fall on one of them; medians are printed.
 *
 * (a) the runner's own overhead: scs run / nbclient on the same kernel (goal ≤ 1.0×);
 * (b) end to end: scs run on our kernel / nbclient on ipykernel.
 *
 *   node dist/bench/runner-overhead.js [--repeats N] [--sizes 20,200] [--kernels ours,ipykernel] [--runners scs,jupyter,nbclient]
 *
 * --kernels and --runners keep only some of them (while working on one side; rows whose
 * runners were left out are not printed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec } from '../kernel/kernelspec.js';
import { type BenchRow, SYSTEM_PYTHON, median, printRows } from './harness.js';

const SCS = join(__dirname, '..', 'scripts', 'scs.js');

const NBCLIENT_SAVE = String.raw`
import sys, nbformat
from nbclient import NotebookClient
src, dst, kernel, cwd = sys.argv[1:5]
nb = nbformat.read(src, as_version=4)
NotebookClient(nb, kernel_name=kernel, resources={'metadata': {'path': cwd}}).execute()
nbformat.write(nb, dst)
`;

interface Kernel { label: string; name: string; language: string }
type Runner = 'scs run' | 'jupyter execute' | 'nbclient + write';
const RUNNERS: Runner[] = ['scs run', 'jupyter execute', 'nbclient + write'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** `n` code cells `i + 1` (valid TypeScript and Python), each with a result to record. */
function trivialNotebook(n: number, k: Kernel): object {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: k.name, display_name: k.label, language: k.language } },
    cells: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: `${i} + 1` })),
  };
}

function commandFor(runner: Runner, k: Kernel, input: string, output: string, cwd: string): [string, string[]] {
  switch (runner) {
    case 'scs run': return [process.execPath, [SCS, 'run', input, output, '-k', k.name, '--no-progress-bar']];
    case 'jupyter execute': return [SYSTEM_PYTHON, ['-m', 'jupyter', 'execute', `--kernel_name=${k.name}`, input]];
    case 'nbclient + write': return [SYSTEM_PYTHON, ['-c', NBCLIENT_SAVE, input, output, k.name, cwd]];
  }
}

/** Wall time (s) of one run; checks that a saved notebook has the last cell's result. */
function timeRun(runner: Runner, k: Kernel, n: number, dir: string, env: NodeJS.ProcessEnv): number {
  const input = join(dir, `${k.name}-${n}.ipynb`);
  const output = join(dir, `${k.name}-${n}.${runner.replace(/\W+/g, '-')}.out.ipynb`);
  rmSync(output, { force: true });
  const [cmd, args] = commandFor(runner, k, input, output, dir);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${runner} on ${k.label} (${n} cells) exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  if (runner !== 'jupyter execute') {
    const nb = JSON.parse(readFileSync(output, 'utf8')) as { cells: Array<{ outputs: Array<{ data?: Record<string, unknown> }> }> };
    const last = nb.cells.at(-1)!.outputs[0]?.data?.['text/plain'];
    const text = Array.isArray(last) ? last.join('') : last;
    if (text !== String(n)) throw new Error(`${runner} on ${k.label} (${n} cells): last cell gave ${JSON.stringify(text)}, expected ${n}`);
  }
  return dt;
}

export interface Selection { kernels?: string[]; runners?: string[] }

/** `scs`, `jupyter`, `nbclient`: the first word of a runner's name. */
const runnerWord = (r: Runner) => r.split(' ')[0];

export function run(repeats = 5, sizes = [20, 200], only: Selection = {}): { rows: BenchRow[]; medians: Map<string, number> } {
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-runner-'));
  try {
    const prefix = join(root, 'prefix');
    const dir = join(root, 'notebooks');
    mkdirSync(dir);
    installKernelSpec({ name: 'bench-ours', location: { prefix } });
    const pyDir = join(prefix, 'share', 'jupyter', 'kernels', 'bench-ipykernel');
    mkdirSync(pyDir, { recursive: true });
    writeFileSync(join(pyDir, 'kernel.json'), JSON.stringify({
      argv: [SYSTEM_PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Python 3 (ipykernel)', language: 'python',
    }));
    const allKernels: Kernel[] = [
      { label: 'ours', name: 'bench-ours', language: 'typescript' },
      { label: 'ipykernel', name: 'bench-ipykernel', language: 'python' },
    ];
    const kernels = allKernels.filter((k) => !only.kernels || only.kernels.includes(k.label));
    const runners = RUNNERS.filter((r) => !only.runners || only.runners.includes(runnerWord(r)));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(root, 'data'), JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
      JUPYTER_CONFIG_DIR: join(root, 'config'), IPYTHONDIR: join(root, 'ipython'), PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
    for (const k of kernels) for (const n of sizes) writeFileSync(join(dir, `${k.name}-${n}.ipynb`), JSON.stringify(trivialNotebook(n, k)));

    const times = new Map<string, number[]>();
    const key = (runner: Runner, k: Kernel, n: number) => `${runner}|${k.label}|${n}`;
    // one untimed warm-up of each (file caches, Python bytecode), then the timed rounds
    for (let round = -1; round < repeats; round++) {
      for (const n of sizes) for (const k of kernels) for (const runner of runners) {
        const dt = timeRun(runner, k, n, dir, env);
        if (round >= 0) times.set(key(runner, k, n), [...(times.get(key(runner, k, n)) ?? []), dt]);
      }
    }
    const medians = new Map([...times].map(([k, v]) => [k, median(v)]));
    const m = (runner: Runner, k: Kernel, n: number) => medians.get(key(runner, k, n));
    const [ours, ipy] = allKernels;
    const rows: BenchRow[] = [];
    const row = (name: string, a: number | undefined, b: number | undefined, referenceName: string, note: string) => {
      if (a !== undefined && b !== undefined) rows.push({ name, ours: a, reference: b, referenceName, note });
    };
    for (const n of sizes) {
      for (const k of kernels) {
        row(`(a) ${n} cells on ${k.label}: scs run vs nbclient + write`, m('scs run', k, n), m('nbclient + write', k, n), 'nbclient + write', 'goal ≤ 1.0×');
        row(`(a) ${n} cells on ${k.label}: scs run vs jupyter execute (no save)`, m('scs run', k, n), m('jupyter execute', k, n), 'jupyter execute', '');
      }
      row(`(b) ${n} cells: scs run on ours vs nbclient + write on ipykernel`, m('scs run', ours, n), m('nbclient + write', ipy, n), 'nbclient + write, ipykernel', 'end to end');
    }
    return { rows, medians };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function main(): void {
  const repeats = Math.max(1, Math.round(Number(arg('--repeats', '5'))));
  const sizes = arg('--sizes', '20,200').split(',').map(Number);
  const before = loadavg()[0];
  const list = (name: string) => (process.argv.includes(name) ? arg(name, '').split(',') : undefined);
  const { rows } = run(repeats, sizes, { kernels: list('--kernels'), runners: list('--runners') });
  printRows(`Notebook runner: whole-run wall time, median of ${repeats} (load average ${before.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`, rows);
}

if (require.main === module) main();
