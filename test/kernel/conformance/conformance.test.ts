/**
 * The Jupyter project's kernel conformance suite (Debian's
 * python3-jupyter-kernel-test) against our kernel: test_scs_kernel.py is a
 * jupyter_kernel_test.KernelTests subclass, run with Debian's python3 and
 * unittest on our kernelspec installed under the sandbox's JUPYTER_PATH.
 * Every test must pass; only test_pager is skipped (no pager in TypeScript).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../kernel/kernelspec.js';
import { type JupyterSandbox, SYSTEM_PYTHON, installTestKernel, makeSandbox, requireJupyter } from '../../helpers/jupyter.js';

const SUITE_DIR = join(packageRoot(), 'test', 'kernel', 'conformance');

function unittest(sb: JupyterSandbox, kernel: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(SYSTEM_PYTHON, ['-B', '-m', 'unittest', '-v', 'test_scs_kernel'], {
      cwd: SUITE_DIR, env: { ...sb.env, SCS_CONFORMANCE_KERNEL: kernel }, timeout: 600_000, encoding: 'utf8',
    }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? Number(err.code) : 0, output: stdout + stderr });
    });
  });
}

describe('Jupyter kernel conformance (jupyter_kernel_test)', function () {
  let sb: JupyterSandbox;

  before(async function () {
    await requireJupyter(this);
    sb = makeSandbox();
  });
  after(() => sb?.cleanup());

  it('passes every test of jupyter_kernel_test.KernelTests', async function () {
    this.timeout(600_000);
    const kernel = installTestKernel(sb);
    const { code, output } = await unittest(sb, kernel);
    if (/No module named '?jupyter_kernel_test/.test(output)) {
      const problem = `${SYSTEM_PYTHON} lacks jupyter_kernel_test (Debian package python3-jupyter-kernel-test)`;
      if (process.env.CI) throw new Error(`${problem}; run scripts/install-test-deps.sh`);
      console.log(`      (skipping the conformance suite: ${problem}; run scripts/install-test-deps.sh)`);
      this.skip();
    }
    const summary = /^Ran (\d+) tests? in [\d.]+s\n\n(OK.*|FAILED.*)$/m.exec(output);
    assert.ok(summary, `no unittest summary in:\n${output}`);
    assert.equal(code, 0, `unittest failed:\n${output}`);
    assert.equal(summary[2], 'OK (skipped=1)', `unexpected result:\n${output}`);
    assert.match(output, /test_pager .*skipped "TypeScript has no pager syntax/, output);
    assert.equal(Number(summary[1]), 12, output);
  });
});
