/**
 * Kernelspec lookup against jupyter_client itself (Debian's python3): the same names resolve to
 * the same folders, and kernelspec env values expand like Python's Template.safe_substitute.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandVars, jupyterPath, kernelArgv, kernelEnvironment, listKernelSpecs, ProtocolError } from '../../protocol/index.js';
import { findKernelSpec } from '../../runner/engine/kernelspecs.js';
import { NoSuchKernelError, RunnerError } from '../../runner/errors.js';
import { PYTHON, requirePythonJupyter } from '../runner/engine/peers.js';

function python(code: string, env: NodeJS.ProcessEnv, args: string[] = [], cwd?: string, interpreter = PYTHON): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(interpreter, ['-c', code, ...args], { env, cwd }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

describe('protocol: Jupyter data path and kernelspec lookup', function () {
  let root: string;
  let env: Record<string, string>;
  const spec = (dir: string, name: string, body: unknown) => {
    mkdirSync(join(root, dir, 'kernels', name), { recursive: true });
    writeFileSync(join(root, dir, 'kernels', name, 'kernel.json'), typeof body === 'string' ? body : JSON.stringify(body));
  };

  before(async function () {
    await requirePythonJupyter(this);
    root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-kernelspecs-')));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: join(root, 'home'),
      JUPYTER_PATH: [join(root, 'first'), join(root, 'second')].join(':'),
      JUPYTER_DATA_DIR: join(root, 'user'),
      JUPYTER_CONFIG_DIR: join(root, 'config'),
    };
    const argv = (tag: string) => ({ argv: ['/bin/echo', tag, '{connection_file}'], display_name: tag, language: 'python' });
    spec('first', 'dup', argv('first'));
    spec('second', 'dup', argv('second'));
    spec('user', 'dup', argv('user'));
    spec('user', 'only-user', { ...argv('user'), interrupt_mode: 'message', env: { A: '${HOME}/x' } });
    spec('second', 'MixedCase', argv('mixed'));
    mkdirSync(join(root, 'first', 'kernels', 'no-kernel-json'), { recursive: true });
  });

  after(() => root && rmSync(root, { recursive: true, force: true }));

  it('orders the data path as jupyter_core does', async function () {
    const theirs = JSON.parse(await python('import json; from jupyter_core.paths import jupyter_path; print(json.dumps(jupyter_path()))', env)) as string[];
    assert.deepEqual(jupyterPath(env), [...new Set(theirs)]);
  });

  it('orders it as jupyter_core does inside a virtual environment, with JUPYTER_PREFER_ENV_PATH and without the user site', async function () {
    const venv = join(root, 'venv');
    await new Promise<void>((resolve, reject) => execFile(PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', venv],
      (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve())));
    const inVenv = { ...env, VIRTUAL_ENV: venv, PATH: `${join(venv, 'bin')}:${env.PATH}` };
    const variants: Record<string, string>[] = [inVenv, { ...inVenv, JUPYTER_PREFER_ENV_PATH: '1' }, { ...inVenv, PYTHONNOUSERSITE: '1' }, { ...inVenv, JUPYTER_PREFER_ENV_PATH: 'no' }];
    for (const variant of variants) {
      const theirs = JSON.parse(await python('import json; from jupyter_core.paths import jupyter_path; print(json.dumps(jupyter_path()))', variant, [], undefined, join(venv, 'bin', 'python'))) as string[];
      assert.deepEqual(jupyterPath(variant), [...new Set(theirs)], JSON.stringify(variant));
    }
  });

  it('takes relative JUPYTER_PATH entries against the current directory, as Python does', async function () {
    const relative = { ...env, JUPYTER_PATH: ['second', join(root, 'first')].join(':') };
    const theirs = JSON.parse(await python(
      'import json, os; from jupyter_client.kernelspec import KernelSpecManager; print(json.dumps({k: os.path.abspath(v) for k, v in KernelSpecManager().find_kernel_specs().items()}))',
      relative, [], root)) as Record<string, string>;
    const ours = Object.fromEntries(listKernelSpecs({ env: relative, cwd: root }).map((s) => [s.name, s.resourceDir]));
    assert.deepEqual(ours, theirs);
    assert.equal(ours.mixedcase, join(root, 'second', 'kernels', 'MixedCase'));
    assert.equal(jupyterPath(relative, root)[0], join(root, 'second'));
  });

  it('finds the same kernels in the same folders as jupyter_client', async function () {
    const theirs = JSON.parse(await python(
      'import json; from jupyter_client.kernelspec import KernelSpecManager; print(json.dumps(KernelSpecManager().find_kernel_specs()))', env)) as Record<string, string>;
    const ours = Object.fromEntries(listKernelSpecs({ env }).map((s) => [s.name, s.resourceDir]));
    assert.deepEqual(ours, theirs);
    assert.equal(ours.dup, join(root, 'first', 'kernels', 'dup'));
    assert.equal(ours.mixedcase, join(root, 'second', 'kernels', 'MixedCase'));
  });

  it('reads argv, language and interrupt_mode, and fills in the connection file', function () {
    const dup = findKernelSpec('DUP', env);
    assert.equal(dup.name, 'dup');
    assert.deepEqual(kernelArgv(dup, '/run/k.json'), ['/bin/echo', 'first', '/run/k.json']);
    assert.equal(dup.interruptMode, 'signal');
    assert.equal(dup.language, 'python');
    const user = findKernelSpec('only-user', env);
    assert.equal(user.interruptMode, 'message');
    assert.equal(kernelEnvironment(user, { HOME: '/home/me', KEEP: '1' }).A, '/home/me/x');
    assert.equal(kernelEnvironment(user, { HOME: '/home/me', KEEP: '1' }).KEEP, '1');
  });

  it('expands env values exactly like string.Template.safe_substitute', async function () {
    const vars = { A: 'alpha', B_2: 'beta', EMPTY: '' };
    const cases = ['${A}/bin', '$A/bin', '$$A', '${MISSING}', '$MISSING/x', '$1', 'a$', '${A}${B_2}x', '$EMPTY|', '${A', 'pre$A$B_2'];
    const theirs = JSON.parse(await python(
      'import json, sys, string; v = json.loads(sys.argv[1]); print(json.dumps([string.Template(c).safe_substitute(v) for c in json.loads(sys.argv[2])]))',
      process.env, [JSON.stringify(vars), JSON.stringify(cases)])) as string[];
    assert.deepEqual(cases.map((c) => expandVars(c, vars)), theirs);
  });

  it('names the installed kernels when one is missing', function () {
    assert.throws(() => findKernelSpec('nope', env), (err: Error) => {
      assert.ok(err instanceof NoSuchKernelError, 'the runner sees its own error (exit code, scs run message)');
      assert.ok(err.cause instanceof ProtocolError && err.cause.name === 'NoSuchKernelError');
      assert.equal(err.kernelName, 'nope');
      assert.ok(['dup', 'mixedcase', 'only-user'].every((n) => err.available.includes(n)), err.message);
      assert.ok(!err.available.includes('no-kernel-json'));
      return true;
    });
  });

  it('rejects a kernel.json that does not parse or has no argv, naming the file', function () {
    spec('first', 'broken', '{"argv": [');
    spec('first', 'no-argv', { display_name: 'x' });
    try {
      assert.throws(() => findKernelSpec('broken', env), (err: Error) => err instanceof RunnerError && err.message.includes(join(root, 'first', 'kernels', 'broken', 'kernel.json')));
      const skipped: string[] = [];
      assert.ok(!listKernelSpecs({ env, warn: (m) => skipped.push(m) }).some((s) => s.name === 'broken'));
      assert.match(skipped.join('\n'), /skipping kernelspec .*broken: kernelspec .*kernel\.json is not valid JSON/);
      assert.throws(() => findKernelSpec('no-argv', env), /"argv" must be a non-empty list of strings/);
    } finally {
      rmSync(join(root, 'first', 'kernels', 'broken'), { recursive: true });
      rmSync(join(root, 'first', 'kernels', 'no-argv'), { recursive: true });
    }
  });
});
