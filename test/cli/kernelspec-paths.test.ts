/**
 * One data path for installing, listing and running kernels: for every way
 * of installing (`--sys-prefix` in an active virtual environment, `--user`,
 * `--prefix DIR` with DIR/share/jupyter on JUPYTER_PATH, and JUPYTER_PATH
 * with a relative entry), `scs kernel list`, Jupyter's own `kernelspec list`
 * and `scs run -k` (a notebook executed for real) all find the same kernel in
 * the same folder. The runner once ignored VIRTUAL_ENV and kept relative
 * entries relative, so `scs run -k` failed with NoSuchKernelError on kernels
 * the other two showed.
 *
 * The virtual environment is a real one (`python3 -m venv
 * --system-site-packages`, so Debian's jupyter_client is importable there).
 * It has no jupyter scripts of its own, and `python -m jupyter kernelspec`
 * would dispatch to Debian's /usr/bin/jupyter-kernelspec (running as /usr);
 * so the venv's Python runs the kernelspec app module itself, which is what a
 * `jupyter kernelspec list` installed into the venv runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireJupyter } from '../helpers/jupyter.js';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');
const SYSTEM_PYTHON = '/usr/bin/python3';

const SYS_PREFIX = '--sys-prefix in an active virtual environment';
const USER_HOME = '--user with HOME pointed at a temporary folder';
const USER_DATA_DIR = '--user with JUPYTER_DATA_DIR';
const PREFIX = '--prefix DIR with JUPYTER_PATH=DIR/share/jupyter';
const RELATIVE = 'a relative JUPYTER_PATH entry, taken against the current directory';

interface Result { code: number; stdout: string; stderr: string }

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, cwd, encoding: 'utf8', timeout: 180_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The Jupyter-related variables of this process are dropped: each case sets its own. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['JUPYTER_PATH', 'JUPYTER_DATA_DIR', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'XDG_DATA_HOME', 'PYTHONUSERBASE', 'JUPYTER_PREFER_ENV_PATH']) {
    delete env[name];
  }
  return env;
}

interface Case {
  title: string;
  /** `scs kernel install` location arguments */
  where: string[];
  /** the kernelspec folder the install must write */
  expectedDir: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** how Jupyter itself is asked: the environment's Python running the kernelspec app */
  python: string;
}

describe('kernelspec paths: scs kernel install, scs kernel list, jupyter kernelspec list and scs run -k agree', function () {
  let root: string;
  let venv: string;
  let base: NodeJS.ProcessEnv;
  let notebook: string;

  before(async function () {
    await requireJupyter(this);
    root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-kernelspec-paths-')));
    venv = join(root, 'venv');
    const made = await exec(SYSTEM_PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', venv], process.env, root);
    assert.equal(made.code, 0, `python3 -m venv failed: ${made.stderr}`);
    const dir = (name: string) => {
      mkdirSync(join(root, name), { recursive: true });
      return join(root, name);
    };
    base = {
      ...cleanEnv(),
      HOME: dir('home'),
      JUPYTER_CONFIG_DIR: dir('config'),
      JUPYTER_RUNTIME_DIR: dir('runtime'),
      IPYTHONDIR: dir('ipython'),
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
    notebook = join(dir('notebooks'), 'which-spec.ipynb');
    writeFileSync(notebook, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'not-installed', display_name: 'x', language: 'typescript' } },
      cells: [{ id: 'tag', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: 'console.log(process.env.SPEC_TAG)' }],
    }));
  });

  after(() => root && rmSync(root, { recursive: true, force: true }));

  const cases = (): Case[] => [
    {
      title: SYS_PREFIX,
      where: ['--sys-prefix'],
      expectedDir: join(venv, 'share', 'jupyter', 'kernels', 'k-sys'),
      env: { ...base, VIRTUAL_ENV: venv, PATH: `${join(venv, 'bin')}:${process.env.PATH}` },
      cwd: root,
      python: join(venv, 'bin', 'python'),
    },
    {
      title: USER_HOME,
      where: ['--user'],
      expectedDir: join(root, 'home', '.local', 'share', 'jupyter', 'kernels', 'k-user'),
      env: base,
      cwd: root,
      python: SYSTEM_PYTHON,
    },
    {
      title: USER_DATA_DIR,
      where: ['--user'],
      expectedDir: join(root, 'data', 'kernels', 'k-data'),
      env: { ...base, JUPYTER_DATA_DIR: join(root, 'data') },
      cwd: root,
      python: SYSTEM_PYTHON,
    },
    {
      title: PREFIX,
      where: ['--prefix', join(root, 'prefix')],
      expectedDir: join(root, 'prefix', 'share', 'jupyter', 'kernels', 'k-prefix'),
      env: { ...base, JUPYTER_PATH: join(root, 'prefix', 'share', 'jupyter') },
      cwd: root,
      python: SYSTEM_PYTHON,
    },
    {
      title: RELATIVE,
      where: ['--prefix', 'relative'],
      expectedDir: join(root, 'relative', 'share', 'jupyter', 'kernels', 'k-relative'),
      env: { ...base, JUPYTER_PATH: `${join(root, 'elsewhere')}:relative/share/jupyter` },
      cwd: root,
      python: SYSTEM_PYTHON,
    },
  ];

  for (const title of [SYS_PREFIX, USER_HOME, USER_DATA_DIR, PREFIX, RELATIVE]) {
    it(`${title}: the same kernel everywhere`, async function () {
      const c = cases().find((x) => x.title === title)!;
      const name = c.expectedDir.split('/').pop()!;
      const scs = (args: string[]) => exec(process.execPath, [cli, ...args], c.env, c.cwd);

      const installed = await scs(['kernel', 'install', ...c.where, '--name', name, '--env', `SPEC_TAG=${name} from ${c.title}`]);
      assert.equal(installed.code, 0, `${c.title}: ${installed.stderr}`);
      assert.match(installed.stdout, new RegExp(`installed kernelspec '${name}' .* in ${c.expectedDir}$`, 'm'), c.title);

      const listed = await scs(['kernel', 'list', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const ours = (JSON.parse(listed.stdout) as { name: string; dir: string }[]).find((s) => s.name === name);
      assert.equal(ours?.dir, c.expectedDir, `${c.title}: scs kernel list`);

      const jupyter = await exec(c.python, ['-m', 'jupyter_client.kernelspecapp', 'list', '--json'], c.env, c.cwd);
      assert.equal(jupyter.code, 0, jupyter.stderr);
      const theirs = (JSON.parse(jupyter.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs[name];
      assert.equal(theirs && realpathSync(resolve(c.cwd, theirs.resource_dir)), c.expectedDir, `${c.title}: jupyter kernelspec list`);

      const output = join(root, 'notebooks', `${name}.out.ipynb`);
      const ran = await scs(['run', notebook, output, '-k', name]);
      assert.equal(ran.code, 0, `${c.title}: scs run -k ${name}: ${ran.stderr}`);
      const cell = (JSON.parse(readFileSync(output, 'utf8')) as { cells: { outputs: { text?: string | string[] }[] }[] }).cells
        .find((x) => x.outputs.length > 0);
      const text = [cell?.outputs[0]?.text ?? ''].flat().join('');
      assert.equal(text, `${name} from ${c.title}\n`, `${c.title}: scs run ran the kernelspec the others list`);
    });
  }
});
