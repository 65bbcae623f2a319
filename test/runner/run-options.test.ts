/**
 * `scs run` options the other end-to-end suites do not reach: the remaining
 * parameter sources (-r, -f, -b, the single --inject-* paths), long option
 * forms, --language, --progress-bar on a pipe, --log-level, --prepare-execute,
 * --request-save-on-cell-execute, a missing input, an output folder that
 * cannot be written, and SIGINT.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { codeNotebook } from '../helpers/jupyter.js';
import { fixture, readOut, runSuite, signalWhenPrinted, tags, validateWithNbformat } from './helpers.js';

describe('scs run options on ipykernel (local engine)', function () {
  const suite = runSuite();
  const { out, run } = suite;

  it('merges -b, -f and -r (long forms too) with --inject-input-path, typed by the parameters cell, on --kernel', async () => {
    writeFileSync(out('p.yaml'), 'run: 11\nlabel: from-file\n');
    const b64 = Buffer.from('threshold: 2\nsubtract: true\n').toString('base64');
    const r = await run([fixture('python-params.ipynb'), out('sources.ipynb'), '--parameters_file', out('p.yaml'), '-b', b64,
      '-r', 'label', '0042', '--kernel', 'python3', '--inject-input-path', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    await validateWithNbformat(out('sources.ipynb'));
    const nb = readOut(out('sources.ipynb'));
    assert.equal(nb.cells[2].source, `# Parameters\nPAPERMILL_INPUT_PATH = "${fixture('python-params.ipynb')}"\n`
      + 'threshold = 2.0\nsubtract = True\nrun = 11\nlabel = "0042"\n');
    // the float default keeps -b's 2 a float; -r's text stays a string over -f's value
    assert.deepEqual(nb.cells[3].outputs, [{
      output_type: 'stream', name: 'stdout', text: "run=11 int\nlabel='0042' threshold=2.0 subtract=True bins=[1, 2, 3]\n",
    }]);
    assert.deepEqual(nb.metadata.papermill.parameters,
      { PAPERMILL_INPUT_PATH: fixture('python-params.ipynb'), threshold: 2, subtract: true, run: 11, label: '0042' });

    const o = await run([fixture('python-params.ipynb'), out('outpath.ipynb'), '-f', out('p.yaml'), '--parameters_raw', 'label', '7',
      '--parameters_base64', Buffer.from('run: 12').toString('base64'), '--inject-output-path', '--prepare-only']);
    assert.equal(o.code, 0, o.stderr);
    // -f comes after -b in the merge order: its run wins
    assert.equal(readOut(out('outpath.ipynb')).cells[2].source,
      `# Parameters\nPAPERMILL_OUTPUT_PATH = "${out('outpath.ipynb')}"\nrun = 11\nlabel = "7"\n`);
  });

  it('types the final value of a name given twice, and writes no notebook (nor says it did) when that fails', async () => {
    const r = await run([fixture('python-params.ipynb'), out('twice.ipynb'), '--parameters', 'run', '179', '-p', 'run', 'abc']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ParameterError: parameter 'run' expects an integer \(declared `run = 179`\), got string "abc" \(-p\)/);
    assert.doesNotMatch(r.stderr, /output notebook/);
    assert.equal(existsSync(out('twice.ipynb')), false);
  });

  it('takes the parameter syntax from --language when the kernel name does not tell', async () => {
    const input = out('nolang.ipynb');
    const nb = codeNotebook(['1'], 'custom-kernel');
    delete nb.metadata.kernelspec.language;
    writeFileSync(input, JSON.stringify(nb));
    const js = await run([input, out('nolang.js.ipynb'), '--prepare-only', '-l', 'javascript', '-p', 'a', '1', '-p', 'b', 'x']);
    assert.equal(js.code, 0, js.stderr);
    assert.equal(readOut(out('nolang.js.ipynb')).cells[0].source, '// Parameters\nconst a = 1;\nconst b = "x";\n');
    const py = await run([input, out('nolang.py.ipynb'), '--prepare-only', '--language', 'python', '-p', 'a', '1']);
    assert.equal(py.code, 0, py.stderr);
    assert.equal(readOut(out('nolang.py.ipynb')).cells[0].source, '# Parameters\na = 1\n');
    const none = await run([input, out('nolang.none.ipynb'), '--prepare-only', '-p', 'a', '1']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no parameter translator for kernel 'custom-kernel' with language '\?'.*set it with --language/);
  });

  it('--progress-bar prints plain lines on a pipe; --log-level ERROR silences progress and warnings', async () => {
    const r = await run([fixture('python-sleep.ipynb'), out('progress.ipynb'), '--progress-bar', '-p', 'secs', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: parameter 'secs' is not declared in the parameters cell/);
    assert.match(r.stderr, /^Executing 4 cells$/m);
    assert.match(r.stderr, /^\[\d\d:\d\d\] cell 4\/4 In \[\d+\] completed in \d+\.\d\d s$/m);
    assert.match(r.stderr, /^Finished 4\/4 cells in \d\d:\d\d$/m);
    const quiet = await run([fixture('python-sleep.ipynb'), out('quiet.ipynb'), '--progress-bar', '--log-level', 'ERROR', '-p', 'secs', '0']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    assert.equal(readOut(out('quiet.ipynb')).cells.at(-1)!.outputs![0].text, 'after\n');
    const bad = await run([fixture('python-sleep.ipynb'), out('quiet.ipynb'), '--log-level', 'LOUD']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /argument 'LOUD' is invalid/);
  });

  it('--prepare-execute undoes --prepare-only (the last one wins); --request-save-on-cell-execute still writes the complete notebook', async () => {
    const prepared = await run([fixture('python-sleep.ipynb'), out('prepared.ipynb'), '--prepare-execute', '--prepare-only', '-p', 'seconds', '0.1']);
    assert.equal(prepared.code, 0, prepared.stderr);
    assert.deepEqual(readOut(out('prepared.ipynb')).cells.map((c) => c.outputs), [[], [], [], []]);
    const r = await run([fixture('python-sleep.ipynb'), out('execute.ipynb'), '--prepare-only', '--prepare-execute',
      '--request-save-on-cell-execute', '--no-progress-bar', '-p', 'seconds', '0.1']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('execute.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill.status), ['completed', 'completed', 'completed', 'completed']);
    assert.deepEqual(nb.cells[2].outputs!.map((o) => o.text), ['start\nslept\n']);
    assert.equal(nb.cells.at(-1)!.outputs![0].text, 'after\n');
  });

  it('names a missing input notebook', async () => {
    const r = await run([out('nowhere.ipynb'), out('nowhere.out.ipynb')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NotebookFormatError: .*nowhere\.ipynb.* does not exist/);
    assert.equal(existsSync(out('nowhere.out.ipynb')), false);
  });

  it('on SIGINT (Ctrl-C) marks the running cell failed, saves and exits 130', async () => {
    const r = await signalWhenPrinted(['run', fixture('python-sleep.ipynb'), out('sigint.ipynb'), '-p', 'seconds', '60', '--log-output'],
      'start', 'SIGINT', suite.opts);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /RunnerInterruptedError: the runner received SIGINT/);
    await validateWithNbformat(out('sigint.ipynb'));
    const nb = readOut(out('sigint.ipynb'));
    assert.match(nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!.outputs!.at(-1).evalue, /received SIGINT while this cell was running/);
    assert.equal(nb.cells.filter((c) => tags(c).includes('papermill-error-cell-tag')).length, 2);
    assert.equal(nb.metadata.papermill.exception, true);
  });

  it('refuses an output folder it cannot write to, before starting a kernel', async () => {
    // /proc takes no new files, not even from root
    const r = await run([fixture('python-params.ipynb'), '/proc/out.ipynb']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NotebookFormatError: cannot write output notebook \/proc\/out\.ipynb: folder \/proc is not writable \(E[A-Z]+\)/);
  });
});
