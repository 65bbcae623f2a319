/**
 * Headless runs as papermill and the runner do them: Debian's nbclient
 * (NotebookClient, raise_on_iopub_timeout=True) executes notebooks on our
 * kernel. A lost idle status fails such a run with CellTimeoutError; a cell
 * error must surface as CellExecutionError with the real ename/evalue.
 */
import assert from 'node:assert/strict';
import {
  type JupyterSandbox, codeNotebook, installTestKernel, makeSandbox, requireJupyter, runWithNbclient,
} from '../../helpers/jupyter.js';

describe('kernel via nbclient (NotebookClient)', function () {
  let sb: JupyterSandbox;
  let name: string;

  before(async function () {
    await requireJupyter(this);
    sb = makeSandbox();
    name = installTestKernel(sb);
  });
  after(() => sb?.cleanup());

  it('runs 1000 cells with output without losing an idle status', async function () {
    this.timeout(900_000);
    const N = 1000;
    // alternate stdout and execute_result cells: tslab lost an idle after ~170 requests with output
    const sources = Array.from({ length: N }, (_, i) => (i % 2 === 0
      ? `const v${i}: number = ${i} * 3;\nconsole.log("cell ${i}", v${i});`
      : `v${i - 1} + 1`));
    const r = await runWithNbclient(sb, codeNotebook(sources, name), { kernelName: name, raiseOnIopubTimeout: true, timeout: 60 });
    assert.equal(r.ok, true, `${r.type}: ${r.message}`);
    const cells = r.notebook.cells;
    assert.equal(cells.length, N);
    cells.forEach((cell, i) => {
      assert.equal(cell.execution_count, i + 1, `cell ${i} execution_count`);
      const outputs = cell.outputs ?? [];
      assert.equal(outputs.length, 1, `cell ${i}: ${JSON.stringify(outputs)}`);
      if (i % 2 === 0) {
        assert.deepEqual([outputs[0].output_type, outputs[0].name, outputs[0].text], ['stream', 'stdout', `cell ${i} ${i * 3}\n`]);
      } else {
        assert.equal(outputs[0].output_type, 'execute_result');
        assert.equal(outputs[0].data['text/plain'], String((i - 1) * 3 + 1));
      }
    });
    assert.equal(r.notebook.metadata.language_info?.name, 'typescript');
  });

  it('surfaces a runtime error as CellExecutionError with the real ename and evalue, and stops there', async () => {
    const nb = codeNotebook(['const moduleNo = 17;', 'throw new TypeError(`detector module ${moduleNo} missing`);', 'const after = 1;'], name);
    const r = await runWithNbclient(sb, nb, { kernelName: name });
    assert.equal(r.ok, false);
    assert.equal(r.type, 'CellExecutionError');
    assert.equal(r.ename, 'TypeError');
    assert.equal(r.evalue, 'detector module 17 missing');
    assert.match(r.message ?? '', /TypeError: detector module 17 missing/);
    const [, failed, after] = r.notebook.cells;
    const error = (failed.outputs ?? []).find((o) => o.output_type === 'error');
    assert.deepEqual([error?.ename, error?.evalue], ['TypeError', 'detector module 17 missing']);
    assert.ok(Array.isArray(error?.traceback) && error.traceback.length > 0);
    assert.equal(after.execution_count, null, 'the cell after the error must not run');
  });

  it('surfaces a toolbox error by its ToolBoxError name', async () => {
    const nb = codeNotebook(['new tb.DataArray(new Float64Array(3), { dims: ["x"], shape: [4] });'], name);
    const r = await runWithNbclient(sb, nb, { kernelName: name });
    assert.equal(r.type, 'CellExecutionError');
    assert.equal(r.ename, 'ToolBoxValueError');
    assert.equal(r.evalue, 'data has 3 elements but shape [4] needs 4');
  });

  it('with allow_errors, records the error output and runs on', async () => {
    const nb = codeNotebook(['JSON.parse("{not json");', '"after the error"'], name);
    const r = await runWithNbclient(sb, nb, { kernelName: name, allowErrors: true });
    assert.equal(r.ok, true, `${r.type}: ${r.message}`);
    const [bad, good] = r.notebook.cells;
    assert.equal(bad.outputs?.[0]?.output_type, 'error');
    assert.equal(bad.outputs?.[0]?.ename, 'SyntaxError');
    assert.match(good.outputs?.[0]?.data['text/plain'], /^'?after the error'?$/);
  });
});
