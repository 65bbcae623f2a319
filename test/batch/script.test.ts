/**
 * The sbatch script `scs submit --dry-run` prints, and the checks that run
 * before anything is written (no cluster needed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArraySpec, validateMailType, validateTimeLimit } from '../../runner/batch/index.js';
import { type BatchSandbox, cli, makeBatchSandbox, scs } from './helpers.js';

describe('scs submit --dry-run and option checks', () => {
  let sb: BatchSandbox;
  before(() => { sb = makeBatchSandbox(); });
  after(() => sb.cleanup());

  it('prints a self-contained script: commented #SBATCH cookies, JUPYTER_PATH, one scs run per task', async () => {
    const out = join(sb.root, 'dry');
    const r = await scs(['submit', sb.notebook, '--output-dir', out, '--array', 'module_group=0,1,2,3', '-k', 'toolbox_p002719',
      '-p', 'name', "it's", '--partition', 'upex', '--reservation', 'upex_002719', '--time', '2:00:00', '--after', '41',
      '--mail-type', 'end,fail', '--mail-user', 'me@xfel.eu', '--dry-run'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(out), 'a dry run creates nothing');
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], '#!/bin/bash');
    const cookies = lines.filter((l) => l.startsWith('#SBATCH '));
    assert.deepEqual(cookies, [
      '#SBATCH --job-name=scs-reduce',
      `#SBATCH --output=${join(out, 'logs', '%A_%a-%x.out')}`,
      `#SBATCH --chdir=${out}`,
      '#SBATCH --ntasks=1',
      '#SBATCH --array=0-3',
      '#SBATCH --partition=upex',
      '#SBATCH --reservation=upex_002719',
      '#SBATCH --time=2:00:00',
      '#SBATCH --dependency=afterok:41',
      '#SBATCH --kill-on-invalid-dep=yes',
      '#SBATCH --mail-type=END,FAIL',
      '#SBATCH --mail-user=me@xfel.eu',
    ]);
    // every cookie has a comment line above it, and all cookies come before the first command
    for (const c of cookies) assert.match(lines[lines.indexOf(c) - 1], /^# \S/);
    const firstCommand = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
    assert.ok(lines.lastIndexOf(cookies.at(-1)!) < firstCommand);
    assert.ok(lines.includes(`export JUPYTER_PATH=${sb.env.JUPYTER_PATH}`));
    assert.ok(lines.includes('VALUES=(0 1 2 3)'));
    assert.ok(lines.includes(`OUTPUT=${out}/output"$VALUE".ipynb`));
    assert.equal(lines.find((l) => l.startsWith('exec ')),
      `exec ${process.execPath} ${cli} run ${sb.notebook} "$OUTPUT" -k toolbox_p002719 -p name 'it'\\''s' -p module_group "$VALUE"`);
    assert.equal(execFileSync('bash', ['-n'], { input: r.stdout }).length, 0, 'bash parses it');
  });

  it('runs under plain bash as SLURM would run one task', async () => {
    const r = await scs(['submit', sb.notebook, '--output-dir', join(sb.root, 'bash'), '--array', 'module_group=3,9', '-k', sb.kernel, '--dry-run'], sb.env);
    const script = join(sb.root, 'task.sh');
    writeFileSync(script, r.stdout);
    mkdirSync(join(sb.root, 'bash'));
    const log = execFileSync('bash', [script], { env: { ...sb.env, SLURM_ARRAY_TASK_ID: '1' }, cwd: join(sb.root, 'bash'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(log, /task 1 module_group=9 on .* -> .*output9\.ipynb/);
    assert.ok(existsSync(join(sb.root, 'bash', 'output9.ipynb')));
  });

  it('rejects bad input before anything is created, naming the option', async () => {
    const out = join(sb.root, 'never');
    const cases: [string[], RegExp][] = [
      [['--time', '1:75'], /--time '1:75' is not a SLURM time limit/],
      [['--time', 'soon'], /--time 'soon' is not a SLURM time limit/],
      [['--array', 'module_group='], /--array module_group: the value list is empty/],
      [['--array', '0,1,2'], /--array expects KEY=v1,v2,\.\.\. with KEY a parameter name, got '0,1,2'/],
      [['--array', 'g=1,1'], /--array g: values repeat \('g=1,1'\)/],
      [['--mail-type', 'END,LUNCH'], /--mail-type: unknown event\(s\) LUNCH/],
      [['--after', 'abc'], /--after expects a SLURM job id such as 1234, got 'abc'/],
      [['--array', 'g=1,2', '--output-name', 'same.ipynb'], /--output-name 'same\.ipynb' gives the same file name to several tasks/],
      [['--output-name', 'out{value}.ipynb'], /--output-name 'out\{value\}\.ipynb' uses \{value\}, which only exists for --array jobs/],
    ];
    for (const [args, message] of cases) {
      const r = await scs(['submit', sb.notebook, '--output-dir', out, ...args], sb.env);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, new RegExp(`^scs submit: BatchOptionError: ${message.source}`), args.join(' '));
    }
    const missing = await scs(['submit', join(sb.root, 'nope.ipynb'), '--output-dir', out], sb.env);
    assert.match(missing.stderr, /notebook .*nope\.ipynb does not exist/);
    assert.ok(!existsSync(out));
    const underFile = join(sb.notebook, 'out');
    const unwritable = await scs(['submit', sb.notebook, '--output-dir', underFile, '--local'], sb.env);
    assert.equal(unwritable.code, 1);
    assert.equal(unwritable.stderr, `scs submit: BatchOptionError: --output-dir ${underFile} is not writable: ${sb.notebook} is not a folder\n`);
  });

  it('parses array specs, time limits and mail types as SLURM does', () => {
    assert.deepEqual(parseArraySpec('module_group=0, 1,2,3'), { key: 'module_group', values: ['0', '1', '2', '3'] });
    for (const ok of ['30', '5:30', '2:00:00', '1-0', '1-12:30', '2-00:00:01', 'unlimited']) assert.ok(validateTimeLimit(ok), ok);
    for (const bad of ['0', '0:00', '1:60', '1:00:60', '-1', '1h', '']) assert.throws(() => validateTimeLimit(bad), /not a SLURM time limit/, bad);
    assert.equal(validateMailType('end,Fail'), 'END,FAIL');
  });
});
