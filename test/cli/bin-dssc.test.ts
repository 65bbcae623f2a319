/**
 * `scs bin-dssc` checks before it submits, with --dry-run (no SLURM, no
 * kernel started): proposal, runs, x axis, module groups, the dark run and
 * the kernel, every problem named at once.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installKernelSpec } from '../../kernel/kernelspec.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { checkDsscWorkflow } from '../../workflows/dssc-checks.js';
import { type JupyterSandbox, makeSandbox } from '../helpers/jupyter.js';
import { requirePython, runPython } from '../helpers/python.js';
import { scs } from '../batch/helpers.js';

describe('scs bin-dssc: checks before submitting', function () {
  this.timeout(300_000);
  let sb: JupyterSandbox;
  let env: NodeJS.ProcessEnv;
  let root: string;
  const raw = (run: number) => join(root, 'SCS', '202601', 'p002719', 'raw', `r${String(run).padStart(4, '0')}`);
  const out = () => join(sb.root, 'out');

  before(async () => {
    sb = makeSandbox();
    root = join(sb.root, 'exfel');
    const common = { proposal: 2719, trains: 6, frames: 8, modules: [0, 1, 4], pixels: [16, 32] as [number, number], seed: 3, scan: 'delay' as const, scanPoints: 3 };
    await writeMockRun(raw(2), { ...common, run: 2 });
    await writeMockRun(raw(1), { ...common, run: 1, dark: true });
    await writeMockRun(raw(3), { ...common, run: 3, frames: 4, dark: true });
    await writeMockRun(raw(4), { ...common, run: 4, modules: [0], pixels: [16, 64], dark: true });
    installKernelSpec({ name: 'scs-toolbox', location: { prefix: sb.prefix } });
    env = { ...sb.env, EXFEL_DATA_ROOT: root, XDG_STATE_HOME: join(sb.root, 'state') };
  });
  after(() => sb?.cleanup());

  it('--dry-run: checks pass, both scripts printed with how to submit them by hand, nothing written', async () => {
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '1', '-r', '2', '-g', '0,1', '-b', '0.5', '--output-dir', out(), '--dry-run'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith('# scs bin-dssc --dry-run: the checks passed; nothing was written or submitted, so the paths below do not exist yet.\n'
      + `# To submit by hand: mkdir -p ${out()}/logs (sbatch does not create the log folder)`), r.stdout.slice(0, 400));
    assert.match(r.stdout, /^#SBATCH --array=0-1$/m);
    assert.ok(!existsSync(out()), 'a dry run writes nothing');
  });

  it('names every problem at once: x axis, module group, dark run frames, kernel; nothing written', async () => {
    const r = await scs(['bin-dssc', '-p', '2719', '-d', '3', '-r', '2', '-x', 'PP800_Delay', '-g', '0,2', '-k', 'nope', '--output-dir', out(), '--dry-run'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'scs: DsscWorkflowCheckError: cannot bin the DSSC run, 4 problems:');
    assert.match(lines[1], /^ {2}- x axis 'PP800_Delay' does not resolve in run 2: unknown mnemonic 'PP800_Delay'; closest known: PP800_DelayLine/);
    assert.equal(lines[2], '  - module group 2 (modules 8, 9, 10, 11): run 2 has none of them (its DSSC modules: 0, 1, 4); leave the group out with --module-groups');
    assert.equal(lines[3], '  - dark run 3 has 4 frames per train, run 2 has 8: a per-frame dark image needs the same frames');
    assert.match(lines[4], /^ {2}- kernel 'nope' is not installed \(installed: .*scs-toolbox.*\): run `scs kernel install nope` or name one with -k$/);
    assert.equal(lines.length, 5);
    assert.ok(!existsSync(out()));
  });

  it('a dark run with other modules and pixels; a run or proposal that does not exist', async () => {
    const request = { proposal: 2719, run: 2, darkRun: 4, moduleGroups: [0, 1], env };
    assert.deepEqual(await withEnv(env, () => checkDsscWorkflow(request)), [
      'dark run 4 has no data for DSSC module(s) 1, 4, which run 2 has: no dark image for them',
      'dark run 4 has module images of 16 × 64 pixels, run 2 of 16 × 32',
    ]);
    assert.deepEqual(await withEnv(env, () => checkDsscWorkflow({ ...request, run: 9, darkRun: 1 })), [
      `run: run 9 of proposal 2719 has no raw data: ${raw(9)} does not exist`,
    ]);
    const r = await scs(['bin-dssc', '-p', '2718', '-d', '1', '-r', '2', '--dry-run'], { ...env, JUPYTER_PATH: join(sb.root, 'no-kernels') });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'scs: DsscWorkflowCheckError: cannot bin the DSSC run, 2 problems:\n'
      + `  - proposal 2718: proposal p002718 not found under ${root}/<INSTRUMENT>/<cycle>/ (set EXFEL_DATA_ROOT if the data lives elsewhere)\n`
      + "  - kernel 'scs-toolbox' is not installed (installed: python3): run `scs kernel install` or name one with -k\n");
  });

  it('a dark run recording other memory cells (cellId) than the run', async function () {
    await requirePython(this);
    await writeMockRun(raw(5), { proposal: 2719, trains: 6, frames: 8, modules: [0, 1, 4], pixels: [16, 32], seed: 3, run: 5, dark: true });
    // the same frames per train, but the memory cells in reverse order (h5py of Debian's python3)
    await runPython(String.raw`
import glob, h5py
for name in glob.glob(sys.argv[1] + '/RAW-R0005-DSSC00-S*.h5'):
    with h5py.File(name, 'r+') as f:
        d = f['INSTRUMENT/SCS_DET_DSSC1M-1/DET/0CH0:xtdf/image/cellId']
        d[...] = 7 - d[...]
emit(True)
`, [raw(5)]);
    assert.deepEqual(await withEnv(env, () => checkDsscWorkflow({ proposal: 2719, run: 2, darkRun: 5, moduleGroups: [0, 1], env })), [
      'dark run 5 records other memory cells than run 2 (module 0, first train: 7, 6, 5, 4, 3, 2, 1, 0 against 0, 1, 2, 3, 4, 5, 6, 7): its per-frame dark does not apply',
    ]);
  });

  it('a bin width wider than the scan', async () => {
    const wide = await withEnv(env, () => checkDsscWorkflow({ proposal: 2719, run: 2, darkRun: 1, moduleGroups: [0, 1], binWidth: 1000, env }));
    assert.equal(wide.length, 1);
    assert.match(wide[0], /^bin width 1000 is larger than the range of 'delay' in run 2 \(-?\d+\.\d+ to -?\d+\.\d+\)$/);
  });
});

/** The checks read EXFEL_DATA_ROOT from process.env, as the CLI does. */
async function withEnv<T>(env: NodeJS.ProcessEnv, f: () => Promise<T>): Promise<T> {
  const saved = process.env.EXFEL_DATA_ROOT;
  process.env.EXFEL_DATA_ROOT = env.EXFEL_DATA_ROOT;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
  }
}
