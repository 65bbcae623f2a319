/**
 * `scs run` end to end on our TypeScript kernel (installed with
 * `scs kernel install --prefix` of this build): the TypeScript translator,
 * typed parameters checked against TS annotations, error cells and exit 1,
 * kernel death (138) and --execution-timeout.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { codeNotebook } from '../helpers/jupyter.js';
import { fixture, nbconvertHtml, readOut, runSuite, tags, validateWithNbformat } from './helpers.js';

describe('scs run on the TypeScript kernel (local engine)', function () {
  const suite = runSuite({ ourKernel: true });
  const { out, run } = suite;

  it('injects declarations typed and bound like the parameters cell', async () => {
    const r = await run([fixture('typescript-params.ipynb'), out('ts.ipynb'), '-p', 'run', '0179', '-p', 'label', '0042',
      '-y', 'bins: [4, 5]', '-p', 'mode', 'slow', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await validateWithNbformat(out('ts.ipynb')), '4.5');
    const nb = readOut(out('ts.ipynb'));
    assert.deepEqual(tags(nb.cells[1]), ['injected-parameters']);
    assert.equal(nb.cells[1].source,
      '// Parameters\nconst bins: number[] = [4, 5];\nconst run: number = 179;\nlet label: string = "0042";\nconst mode: \'fast\' | \'slow\' = "slow";\n');
    assert.deepEqual(nb.cells[2].outputs, [{ output_type: 'stream', name: 'stdout', text: 'run=179 number label=0042 bins=[4,5] mode=slow flag=false\nslow mode no flag\n' }]);
    assert.equal(nb.cells[3].outputs![0].data['text/plain'], '358');
    assert.equal(nb.metadata.language_info.name, 'typescript');
    await nbconvertHtml(out('ts.ipynb'), suite.sb.env);
  });

  it('checks values against TypeScript annotations', async () => {
    const r = await run([fixture('typescript-params.ipynb'), out('bad.ipynb'), '-p', 'mode', 'medium']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /parameter 'mode' expects a string \(declared `const mode: 'fast' \| 'slow' = 'fast'`\), got string "medium" \(-p\); allowed: "fast", "slow"/);
    const help = await run([fixture('typescript-params.ipynb'), '--help-notebook']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, [
      'Usage: scs run [OPTIONS] INPUT [OUTPUT]', '', `Parameters inferred for notebook '${fixture('typescript-params.ipynb')}':`,
      '  run: number (default 179)       run number',
      "  label: string (default 'dark')",
      '                                  what the run is',
      '  bins: number[] (default [1, 2, 3])',
      "  mode: 'fast' | 'slow' (default 'fast')",
      '  flag: boolean (default false)',
      '',
    ].join('\n'));
  });

  it('fails with the error cells and exit 1 on a throwing cell', async () => {
    const r = await run([fixture('typescript-error.ipynb'), out('tserr.ipynb'), '-p', 'value', '3', '--no-progress-bar']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Exception encountered at "In \[\d+\]":\n[\s\S]*bad value 3/);
    await validateWithNbformat(out('tserr.ipynb'));
    const nb = readOut(out('tserr.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill?.status ?? tags(c)[0]), [
      'papermill-error-cell-tag', 'completed', 'completed', 'completed', 'papermill-error-cell-tag', 'failed', 'pending',
    ]);
    assert.equal(nb.cells[3].outputs![0].text, 'before\n');
    assert.deepEqual([nb.cells[5].outputs![0].ename, nb.cells[5].outputs![0].evalue], ['Error', 'bad value 3']);
    await nbconvertHtml(out('tserr.ipynb'), suite.sb.env);
  });

  it('reports the kernel dying mid-cell with exit code 138 and keeps the notebook', async () => {
    writeFileSync(out('die.ipynb'), JSON.stringify(codeNotebook(['const x = 1;', 'process.kill(process.pid, "SIGKILL");', 'console.log("never");'], 'scs-test')));
    const r = await run([out('die.ipynb'), out('die.out.ipynb'), '--no-progress-bar']);
    assert.equal(r.code, 138, r.stderr);
    assert.match(r.stderr, /DeadKernelError: kernel 'scs-test' \(pid \d+\) died/);
    await validateWithNbformat(out('die.out.ipynb'));
    const nb = readOut(out('die.out.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill?.status ?? null),
      [null, 'completed', null, 'failed', 'pending']); // banner, cell, anchor, the dying cell, the one after
    assert.equal(nb.cells[3].outputs!.at(-1).ename, 'DeadKernelError');
  });

  it('interrupts a cell after --execution-timeout and fails with exit 1', async () => {
    writeFileSync(out('slow.ipynb'), JSON.stringify(codeNotebook(
      ['console.log("start");', 'await new Promise((resolve) => setTimeout(resolve, 60_000));', 'console.log("after");'], 'scs-test')));
    // the limit covers the first cell too, which waits for the kernel's preload (seconds on a busy machine;
    // an interrupt before the preload ends kills our kernel: it installs its SIGINT handler only after)
    const r = await run([out('slow.ipynb'), out('slow.out.ipynb'), '--execution-timeout', '20', '--no-progress-bar']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /CellTimeoutError: cell execution on kernel 'scs-test' timed out after 20 s/);
    await validateWithNbformat(out('slow.out.ipynb'));
    const nb = readOut(out('slow.out.ipynb'));
    const failed = nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!;
    assert.match(failed.source, /setTimeout/);
    assert.equal(nb.cells.find((c) => c.source.includes('"start"'))!.outputs![0].text, 'start\n');
    assert.equal(nb.cells.at(-1)!.metadata.papermill.status, 'pending');
  });
});
