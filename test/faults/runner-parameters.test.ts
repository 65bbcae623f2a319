/**
 * papermill's parameter contract at its edges: `-r NAME VALUE` is raw text
 * (a string whatever the declaration), and `-p runNB nan` is papermill's
 * float nan, which ends in a message naming NaN rather than "invalid run null".
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { codeNotebook } from '../helpers/jupyter.js';
import { readOut, runSuite, tags } from '../runner/helpers.js';
import { pythonNotebook } from './helpers.js';

describe('fault: papermill parameters -r and -p nan', function () {
  this.timeout(120_000);
  const suite = runSuite({ ourKernel: true });
  const tsNotebook = () => {
    const nb = codeNotebook(['const proposalNB = 2719;\nconst runNB: number = 11;', 'console.log(typeof runNB, JSON.stringify(runNB));\ntb.runNumber(runNB);'], 'scs-test');
    nb.cells[0].metadata.tags = ['parameters'];
    return nb;
  };
  const pyNotebook = () => {
    const nb = pythonNotebook(['runNB = 11', 'print(type(runNB).__name__, repr(runNB))']);
    nb.cells[0].metadata.tags = ['parameters'];
    return nb;
  };

  it('-r runNB 11 injects the string "11" where runNB is declared a number (TypeScript and Python)', async () => {
    writeFileSync(suite.out('raw-ts.ipynb'), JSON.stringify(tsNotebook()));
    const ts = await suite.run([suite.out('raw-ts.ipynb'), suite.out('raw-ts-out.ipynb'), '-r', 'runNB', '11', '--no-progress-bar']);
    assert.equal(ts.code, 0, ts.stderr);
    assert.equal(ts.stderr, 'scs run: warning: parameter \'runNB\' is declared `const runNB: number = 11`; -r injects the string "11" as given (use -p for a typed value)\n');
    const nb = readOut(suite.out('raw-ts-out.ipynb'));
    assert.equal(nb.cells[1].source, '// Parameters\nconst runNB: string = "11";\n');
    assert.equal(nb.metadata.papermill.parameters.runNB, '11');
    assert.equal(nb.cells[2].outputs![0].text, 'string "11"\n');

    writeFileSync(suite.out('raw-py.ipynb'), JSON.stringify(pyNotebook()));
    const py = await suite.run([suite.out('raw-py.ipynb'), suite.out('raw-py-out.ipynb'), '-r', 'runNB', '11', '--no-progress-bar']);
    assert.equal(py.code, 0, py.stderr);
    const pyOut = readOut(suite.out('raw-py-out.ipynb'));
    assert.equal(pyOut.cells[1].source, '# Parameters\nrunNB = "11"\n');
    assert.equal(pyOut.cells[2].outputs![0].text, "str '11'\n");
  });

  it('-p runNB nan is NaN for a number (papermill: float nan), named as such; an error before the kernel for a Python int', async () => {
    const ts = await suite.run([suite.out('raw-ts.ipynb'), suite.out('nan-ts-out.ipynb'), '-p', 'runNB', 'nan', '--no-progress-bar']);
    assert.equal(ts.code, 1, ts.stderr);
    assert.match(ts.stderr, /ParameterError: invalid run NaN: expected a number like 17, '17' or 'r0017'/);
    const nb = readOut(suite.out('nan-ts-out.ipynb'));
    // the failed run has papermill's error banner on top: find the injected cell by its tag
    const injected = nb.cells.findIndex((c) => tags(c).includes('injected-parameters'));
    assert.equal(nb.cells[injected].source, '// Parameters\nconst runNB: number = NaN;\n');
    assert.equal(nb.cells[injected + 2].outputs![0].text, 'number null\n');

    const py = await suite.run([suite.out('raw-py.ipynb'), suite.out('nan-py-out.ipynb'), '-p', 'runNB', 'nan', '--no-progress-bar']);
    assert.equal(py.code, 1);
    assert.equal(py.stderr, 'scs run: ParameterError: parameter \'runNB\' expects an integer (declared `runNB = 11`), got number "nan" (-p)\n');
  });
});
