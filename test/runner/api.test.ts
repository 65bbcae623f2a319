/** The library API, runNotebook(input, output, options), in process on ipykernel. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CellExecutionError } from '../../runner/errors.js';
import { runNotebook } from '../../runner/execute.js';
import { readNotebook } from '../../runner/notebook/io.js';
import { chooseProgressMode, makeProgress } from '../../runner/progress.js';
import type { JupyterSandbox } from '../helpers/jupyter.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { fixture, pythonSandbox, readOut } from './helpers.js';

describe('runner progress', () => {
  it('draws a bar only on a terminal outside SLURM', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    assert.equal(chooseProgressMode(undefined, tty, {}), 'bar');
    assert.equal(chooseProgressMode(true, tty, { SLURM_JOB_ID: '123' }), 'lines');
    assert.equal(chooseProgressMode(true, pipe, {}), 'lines');
    assert.equal(chooseProgressMode(false, tty, {}), 'none');
  });

  it('prints one line per executed cell when not on a terminal', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d: Buffer) => { text += d.toString(); });
    const p = makeProgress('lines', stream);
    p.start(3);
    p.cellStart(0, false);
    p.cellEnd(0, false, null, 'completed', 0);
    p.cellStart(1, true, 'load-data');
    p.cellEnd(1, true, 1, 'failed', 1.5);
    p.end();
    const lines = text.trim().split('\n').map((l) => l.replace(/^\[\d\d:\d\d\] /, ''));
    assert.deepEqual(lines, ['Executing 3 cells', 'cell 2/3 load-data started', 'cell 2/3 In [1] failed in 1.50 s', 'Finished 2/3 cells in 00:00']);
  });
});

describe('runner library API on ipykernel', function () {
  let sb: JupyterSandbox;
  let savedPath: string | undefined;

  before(async function () {
    await requireJupyter(this);
    sb = pythonSandbox();
    // the local engine finds kernelspecs through this process's environment
    savedPath = process.env.JUPYTER_PATH;
    process.env.JUPYTER_PATH = sb.env.JUPYTER_PATH;
  });
  after(() => {
    if (savedPath === undefined) delete process.env.JUPYTER_PATH;
    else process.env.JUPYTER_PATH = savedPath;
    sb?.cleanup();
  });

  it('runs a notebook object with typed values and returns a summary', async () => {
    const output = join(sb.notebooks, 'api.ipynb');
    const summary = await runNotebook(readNotebook(fixture('python-params.ipynb')), output, {
      parameters: { values: { run: 21, label: 'x "y"' } }, env: { IPYTHONDIR: sb.env.IPYTHONDIR!, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    });
    assert.equal(summary.status, 'completed');
    assert.equal(summary.kernelName, 'python3');
    assert.deepEqual(summary.parameters, { run: 21, label: 'x "y"' });
    assert.equal(summary.cellsTotal, 9);
    assert.equal(summary.cellsExecuted, 6); // 9 cells minus markdown, empty and skip-execution
    const nb = readOut(output);
    assert.equal(nb.cells[2].source, '# Parameters\nrun = 21\nlabel = "x \\"y\\""\n');
    assert.match(nb.cells[3].outputs![0].text, /^run=21 int\nlabel='x "y"'/);
  });

  it('throws CellExecutionError with papermill\'s fields', async () => {
    const output = join(sb.notebooks, 'api-error.ipynb');
    await assert.rejects(runNotebook(fixture('python-error.ipynb'), output, { env: { PYDEVD_DISABLE_FILE_VALIDATION: '1' } }), (e: Error) => {
      assert.ok(e instanceof CellExecutionError);
      assert.equal(e.exitCode, 1);
      assert.equal(e.ename, 'ValueError');
      assert.equal(e.evalue, 'bad value 1');
      assert.equal(e.execCount, 3);
      assert.equal(e.cellIndex, 2);
      assert.equal(e.source, 'raise ValueError(f"bad value {value}")');
      return true;
    });
  });
});
