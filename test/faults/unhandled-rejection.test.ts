/**
 * Item 8 of issue RELIAB: an unhandled promise rejection is a failure, never a
 * silent loss. During a cell (or right after its code ended: a forgotten
 * `await` on an operation that fails at once) it is that cell's error, so
 * `scs run` exits non-zero with the rejection in the output notebook;
 * SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS=1 allows them.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { codeNotebook } from '../helpers/jupyter.js';
import { readOut, runSuite, scs } from '../runner/helpers.js';

describe('faults: unhandled promise rejections fail the run', function () {
  this.timeout(120_000);
  const suite = runSuite({ ourKernel: true });

  async function runNb(name: string, sources: string[], env: NodeJS.ProcessEnv = {}) {
    const input = suite.out(`${name}.ipynb`);
    const output = suite.out(`${name}-out.ipynb`);
    writeFileSync(input, JSON.stringify(codeNotebook(sources, 'scs-test')));
    const ran = await scs(['run', input, output, '--no-progress-bar'], { env: { ...suite.opts.env, ...env }, cwd: suite.opts.cwd });
    // the runner puts an error banner cell in front: the code cells are found by their source
    const code = readOut(output).cells.filter((c) => c.cell_type === 'code');
    return { ran, cells: code };
  }

  const errorsOf = (cell: { outputs?: Array<Record<string, unknown>> }) => (cell.outputs ?? []).filter((o) => o.output_type === 'error');

  it('a rejection without await in the last cell fails the run, with the rejection in the notebook', async () => {
    const { ran, cells } = await runNb('lost', ['const a = 1;', "Promise.reject(new Error('lost'));\n'cell ended';"]);
    assert.notEqual(ran.code, 0, ran.stderr);
    assert.match(ran.stderr, /lost/);
    const [error] = errorsOf(cells[1]!);
    assert.equal(error?.ename, 'Error');
    assert.equal(error?.evalue, 'lost');
    assert.equal((error?.traceback as string[])[0], 'Unhandled promise rejection in Cell In[2]:');
    assert.deepEqual(errorsOf(cells[0]!), []);
  });

  it('a forgotten await on a failing tb.saveXarray in the last cell fails the run', async () => {
    const { ran, cells } = await runNb('save', [
      "const arr = new tb.DataArray(new Float64Array([1, 2, 3]), { dims: ['x'], shape: [3] });",
      "tb.saveXarray('/nonexistent-folder-of-scs-tests/out.nc', arr);",
    ]);
    assert.notEqual(ran.code, 0, ran.stderr);
    const [error] = errorsOf(cells[1]!);
    assert.ok(error, `no error output: ${JSON.stringify(cells[1]!.outputs)}`);
    assert.match(String(error.evalue), /nonexistent-folder-of-scs-tests/);
  });

  it('a rejection while an async cell still runs is that cell\'s error; later cells do not run', async () => {
    const { ran, cells } = await runNb('mid', [
      "Promise.reject(new TypeError('mid-cell'));\nawait new Promise((resolve) => setTimeout(resolve, 300));\nconsole.log('still ran');",
      "console.log('must not run');",
    ]);
    assert.notEqual(ran.code, 0);
    const [error] = errorsOf(cells[0]!);
    assert.equal(error?.ename, 'TypeError');
    assert.equal(error?.evalue, 'mid-cell');
    assert.equal(cells[1]!.execution_count ?? null, null);
  });

  it('SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS=1 allows them: the run succeeds', async () => {
    const { ran, cells } = await runNb('allowed', ["Promise.reject(new Error('tolerated'));\n1;"], { SCS_KERNEL_ALLOW_UNHANDLED_REJECTIONS: '1' });
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(errorsOf(cells[0]!), []);
  });
});
