/**
 * `scs kernel install|list|remove`, and the contract acceptance checks use:
 * `scs kernel install --prefix DIR --name NAME` writes
 * DIR/share/jupyter/kernels/NAME/kernel.json; with JUPYTER_PATH=DIR/share/jupyter
 * Debian's `jupyter kernelspec list` shows NAME and `jupyter execute
 * --kernel_name=NAME nb.ipynb` runs TypeScript cells with `tb` predefined.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type JupyterSandbox, KERNEL_UNDER_TEST, codeNotebook, installTestKernel, jupyterExecute, jupyterKernelspecs, makeSandbox, requireJupyter,
} from '../helpers/jupyter.js';
import { packageRoot } from '../../kernel/kernelspec.js';
import { snapshotDir } from '../../kernel/snapshot/snapshot.js';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');
const kernelMain = join(__dirname, '..', '..', 'kernel', 'main.js');

function scs(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The fields of a kernel.json these tests read (foreign specs have no metadata). */
interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: string;
  env?: Record<string, string>;
  metadata: { scs_toolbox: { version: string; path: string } };
}

function readSpec(dir: string): KernelJson {
  return JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as KernelJson;
}

describe('scs kernel install / list / remove', () => {
  let sb: JupyterSandbox;
  beforeEach(() => { sb = makeSandbox(); });
  afterEach(() => sb.cleanup());

  it('--prefix DIR --name NAME writes DIR/share/jupyter/kernels/NAME with kernel.json and logos', async () => {
    const r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'toolbox_2719'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(sb.prefix, 'share', 'jupyter', 'kernels', 'toolbox_2719');
    assert.match(r.stdout, new RegExp(`installed kernelspec 'toolbox_2719' .* in ${dir}`));
    assert.deepEqual(readdirSync(dir).sort(), ['kernel.json', 'logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']);
    const spec = readSpec(dir);
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(spec.argv, ['/bin/sh', join(packageRoot(), 'kernel', 'launch.sh'), process.execPath, kernelMain, snapshotDir(), '{connection_file}']);
    assert.equal(spec.display_name, `TypeScript (SCS ToolBox ${pkg.version})`);
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'signal');
    assert.deepEqual(spec.env, { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    assert.equal(spec.metadata.scs_toolbox.version, pkg.version);
    assert.ok(existsSync(join(spec.metadata.scs_toolbox.path, 'package.json')));
    // PNG signature: real images, not placeholders
    assert.deepEqual([...readFileSync(join(dir, 'logo-64x64.png')).subarray(1, 4)], [...Buffer.from('PNG')]);
    // built under a temporary name and renamed: nothing else is left behind
    assert.deepEqual(readdirSync(join(sb.prefix, 'share', 'jupyter')), ['kernels']);
    assert.deepEqual(readdirSync(join(sb.prefix, 'share', 'jupyter', 'kernels')), ['toolbox_2719']);
  });

  it('takes the name as argument, a display name and --env merged over GLIBC_TUNABLES; re-installing replaces', async () => {
    assert.equal((await scs(['kernel', 'install', 'Lab-1', '--prefix', sb.prefix], sb.env)).code, 0);
    const r = await scs(['kernel', 'install', 'lab-1', '--prefix', sb.prefix, '--display-name', 'TS for p2719',
      '--env', 'EXFEL_DATA_ROOT=/gpfs/exfel/exp', '--env', 'A=b=c'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const kernels = join(sb.prefix, 'share', 'jupyter', 'kernels');
    assert.deepEqual(readdirSync(kernels), ['lab-1'], 'names are lower-cased as jupyter_client does');
    assert.deepEqual(readdirSync(join(kernels, '..')), ['kernels'], 'the replaced folder is gone');
    const spec = readSpec(join(kernels, 'lab-1'));
    assert.equal(spec.display_name, 'TS for p2719');
    assert.deepEqual(spec.env, { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1', EXFEL_DATA_ROOT: '/gpfs/exfel/exp', A: 'b=c' });
  });

  it('--user writes to $JUPYTER_DATA_DIR, --sys-prefix to the active environment', async () => {
    assert.equal((await scs(['kernel', 'install', '--user'], sb.env)).code, 0);
    assert.ok(existsSync(join(sb.env.JUPYTER_DATA_DIR!, 'kernels', 'scs-toolbox', 'kernel.json')));
    const venv = join(sb.root, 'venv');
    assert.equal((await scs(['kernel', 'install', '--sys-prefix', '--name', 'envk'], { ...sb.env, VIRTUAL_ENV: venv })).code, 0);
    assert.ok(existsSync(join(venv, 'share', 'jupyter', 'kernels', 'envk', 'kernel.json')));
  });

  it('rejects bad names, conflicting locations and foreign kernelspecs with a clear error', async () => {
    let r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'my kernel'], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /scs: ToolBoxValueError: invalid kernel name 'my kernel': use only letters, digits/);
    r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--user'], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /choose one of --user, --prefix and --sys-prefix, got --user and --prefix/);
    r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--env', 'NOVALUE'], sb.env);
    assert.match(r.stderr, /--env expects KEY=VALUE, got 'NOVALUE'/);
    const foreign = join(sb.prefix, 'share', 'jupyter', 'kernels', 'python3');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, 'kernel.json'), JSON.stringify({ argv: ['python3'], display_name: 'Python 3', language: 'python' }));
    r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'python3'], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /python3 holds a kernelspec that is not an SCS ToolBox one/);
    assert.equal(readSpec(foreign).display_name, 'Python 3');
    r = await scs(['kernel', 'remove', 'python3', '--prefix', sb.prefix], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not an SCS ToolBox kernelspec/);
    assert.ok(existsSync(join(foreign, 'kernel.json')));
  });

  it('list shows our specs on JUPYTER_PATH and the user dir with their version; remove deletes them', async () => {
    await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'toolbox_1'], sb.env);
    await scs(['kernel', 'install', '--user', '--name', 'toolbox_2'], sb.env);
    let r = await scs(['kernel', 'list', '--json'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const listed = (JSON.parse(r.stdout) as Array<{ name: string; dir: string; version: string }>).filter((s) => s.name.startsWith('toolbox_'));
    assert.deepEqual(listed.map((s) => [s.name, s.dir]), [
      ['toolbox_1', join(sb.prefix, 'share', 'jupyter', 'kernels', 'toolbox_1')],
      ['toolbox_2', join(sb.env.JUPYTER_DATA_DIR!, 'kernels', 'toolbox_2')],
    ]);
    r = await scs(['kernel', 'list'], sb.env);
    assert.match(r.stdout, /toolbox_1 +\S+toolbox_1 +toolbox \d+\.\d+\.\d+/);
    r = await scs(['kernel', 'remove', 'toolbox_2'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(sb.env.JUPYTER_DATA_DIR!, 'kernels', 'toolbox_2')));
    r = await scs(['kernel', 'remove', 'toolbox_2'], sb.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no SCS ToolBox kernelspec 'toolbox_2' on the Jupyter data path/);
  });
});

describe('kernelspec contract with Debian jupyter (kernelspec list, jupyter execute)', function () {
  let sb: JupyterSandbox;
  before(async function () {
    await requireJupyter(this);
    sb = makeSandbox();
  });
  after(() => sb?.cleanup());

  it('jupyter kernelspec list shows NAME from JUPYTER_PATH=DIR/share/jupyter', async () => {
    const r = await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'toolbox_contract'], sb.env);
    assert.equal(r.code, 0, r.stderr);
    const specs = await jupyterKernelspecs(sb.env);
    assert.equal(specs.toolbox_contract?.resource_dir, join(sb.prefix, 'share', 'jupyter', 'kernels', 'toolbox_contract'));
    assert.equal(specs.toolbox_contract.spec.language, 'typescript');
    assert.equal(specs.toolbox_contract.spec.interrupt_mode, 'signal');
  });

  it('jupyter execute --kernel_name=NAME runs TypeScript cells with tb predefined', async function () {
    // the stock tslab harness check has no tb: only our kernel can pass this
    if (KERNEL_UNDER_TEST === 'tslab') this.skip();
    const name = installTestKernel(sb, 'toolbox_exec');
    const marker = join(sb.notebooks, 'tb-mean.json');
    const nb = codeNotebook([
      'const a: tb.DataArray = new tb.DataArray(new Float64Array([1, 2, 3, 4]), { dims: ["x"], shape: [4] });',
      'const m: number = a.mean().item() as number;\nif (m !== 2.5) throw new Error(`mean ${m}`);',
      // jupyter execute (nbclient 0.7.2) does not save outputs: the cell leaves a file as evidence
      `require("node:fs").writeFileSync(${JSON.stringify(marker)}, JSON.stringify({ mean: m, dims: a.dims }));`,
    ], name);
    const r = await jupyterExecute(sb, nb, name);
    assert.equal(r.code, 0, `jupyter execute failed:\n${r.stderr}`);
    assert.deepEqual(JSON.parse(readFileSync(marker, 'utf8')), { mean: 2.5, dims: ['x'] });
  });

  it('jupyter execute exits 1 and names the error of a failing cell', async () => {
    const name = installTestKernel(sb, 'toolbox_fail');
    const r = await jupyterExecute(sb, codeNotebook(['const ok = 1;', 'throw new RangeError("beam off at train 42");', 'const never = 2;'], name), name);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /RangeError: beam off at train 42/);
  });
});
