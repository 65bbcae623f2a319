/**
 * `scs run` end to end on Debian's ipykernel (python3) through the local
 * engine: the papermill contract (parameters, metadata, error cells, exit
 * codes), typed parameters, kernel death, timeouts, SIGTERM and stdin/stdout,
 * with every output notebook checked by Debian's nbformat validator.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OutNotebook, fixture, nbconvertHtml, readOut, runSuite, signalWhenPrinted, startScs, tags, validateWithNbformat } from './helpers.js';

describe('scs run on ipykernel (local engine)', function () {
  const suite = runSuite();
  const { out, run } = suite;

  it('injects typed parameters after the parameters cell and records outputs and metadata', async () => {
    const r = await run([fixture('python-params.ipynb'), out('params.ipynb'), '-p', 'run', '0179', '-p', 'label', '42',
      '-y', 'bins: [4, 5]', '-p', 'threshold', '1e-3', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await validateWithNbformat(out('params.ipynb')), '4.5');
    const nb = readOut(out('params.ipynb'));
    assert.deepEqual(tags(nb.cells[1]), ['parameters']);
    assert.deepEqual(tags(nb.cells[2]), ['injected-parameters']);
    assert.equal(nb.cells[2].source, '# Parameters\nbins = [4, 5]\nrun = 179\nlabel = "42"\nthreshold = 0.001\n');
    assert.deepEqual(nb.cells[3].outputs, [{
      output_type: 'stream', name: 'stdout', text: "run=179 int\nlabel='42' threshold=0.001 subtract=False bins=[4, 5]\n",
    }]);
    assert.deepEqual(nb.cells[4].outputs, []); // empty cell: skipped
    assert.equal(nb.cells[4].execution_count, null);
    // ipykernel flushes stdout and stderr independently: their order varies
    assert.equal(nb.cells[5].outputs!.length, 2);
    assert.ok(nb.cells[5].outputs!.some((o) => o.name === 'stdout' && o.text === '100%\n'));
    assert.ok(nb.cells[5].outputs!.some((o) => o.name === 'stderr' && o.text === 'to stderr\n'));
    assert.deepEqual(nb.cells[6].outputs!.map((o) => o.data['text/html']), ['<b>updated</b>']);
    assert.deepEqual(nb.cells[7].outputs, []); // skip-execution
    const last = nb.cells[8];
    assert.deepEqual(last.outputs, [{ output_type: 'execute_result', data: { 'text/plain': '358' }, metadata: {}, execution_count: last.execution_count }]);
    assert.ok(last.execution_count! >= 5);
    for (const c of nb.cells) assert.equal(c.metadata.papermill.status, 'completed');
    assert.deepEqual(Object.keys(last.metadata.execution).sort(), ['iopub.execute_input', 'iopub.status.busy', 'iopub.status.idle', 'shell.execute_reply']);
    const pm = nb.metadata.papermill;
    assert.deepEqual(pm.parameters, { bins: [4, 5], run: 179, label: '42', threshold: 0.001 });
    assert.deepEqual(pm.default_parameters, { run: 179, proposal: 2719, label: 'dark', threshold: 0.5, subtract: false, bins: [1, 2, 3] });
    assert.equal(pm.input_path, fixture('python-params.ipynb'));
    assert.equal(pm.output_path, out('params.ipynb'));
    assert.equal(pm.exception, false);
    assert.ok(pm.duration > 0 && Date.parse(pm.end_time) >= Date.parse(pm.start_time));
    assert.deepEqual(pm.environment_variables, {});
    assert.equal(nb.metadata.language_info.name, 'python');
    assert.match(await nbconvertHtml(out('params.ipynb'), suite.sb.env), /<b>updated<\/b>/);
  });

  it('fails like papermill: error cells, later cells pending, exit 1, traceback printed; a re-run removes old error cells', async () => {
    const r = await run([fixture('python-error.ipynb'), out('error.ipynb'), '-p', 'value', '7', '--no-progress-bar']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Exception encountered at "In \[4\]":\n[\s\S]*ValueError: bad value 7/);
    assert.doesNotMatch(r.stderr, /\x1b\[/); // ANSI stripped
    await validateWithNbformat(out('error.ipynb'));
    const nb = readOut(out('error.ipynb'));
    assert.deepEqual(nb.cells.map((c) => [c.cell_type, tags(c)[0] ?? null, c.metadata.papermill?.status ?? null]), [
      ['markdown', 'papermill-error-cell-tag', null],
      ['code', 'parameters', 'completed'],
      ['code', 'injected-parameters', 'completed'],
      ['code', null, 'completed'],
      ['markdown', 'papermill-error-cell-tag', null],
      ['code', null, 'failed'],
      ['code', null, 'pending'],
    ]);
    assert.match(nb.cells[0].source, /An Exception was encountered at '<a href="#papermill-error-cell">In \[4\]<\/a>'/);
    assert.equal(nb.cells[5].outputs![0].ename, 'ValueError');
    assert.equal(nb.cells[5].metadata.papermill.exception, true);
    assert.equal(nb.metadata.papermill.exception, true);
    await nbconvertHtml(out('error.ipynb'), suite.sb.env);

    const again = await run([out('error.ipynb'), out('error2.ipynb'), '-p', 'value', '8', '--no-progress-bar']);
    assert.equal(again.code, 1);
    const nb2 = readOut(out('error2.ipynb'));
    assert.equal(nb2.cells.filter((c) => tags(c).includes('papermill-error-cell-tag')).length, 2);
    assert.equal(nb2.cells.filter((c) => tags(c).includes('injected-parameters')).length, 1);
    assert.match(nb2.cells[2].source, /value = 8/);
  });

  it('allows errors in cells tagged raises-exception', async () => {
    const input = out('raises.ipynb');
    const src = JSON.parse(readFileSync(fixture('python-error.ipynb'), 'utf8'));
    src.cells[2].metadata.tags = ['raises-exception'];
    writeFileSync(input, JSON.stringify(src));
    const r = await run([input, out('raises.out.ipynb'), '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('raises.out.ipynb'));
    assert.equal(nb.cells[2].outputs![0].ename, 'ValueError');
    assert.deepEqual(nb.cells[3].outputs, [{ output_type: 'stream', name: 'stdout', text: 'never runs\n' }]);
  });

  it('rejects a string for a declared number, naming the parameter, before starting a kernel', async () => {
    const r = await run([fixture('python-params.ipynb'), out('typed.ipynb'), '-p', 'run', 'r0179']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ParameterError: parameter 'run' expects an integer \(declared `run = 179`\), got string "r0179" \(-p\)/);
    assert.equal(existsSync(out('typed.ipynb')), false);
    const strict = await run([fixture('python-params.ipynb'), out('typed.ipynb'), '-p', 'runn', '1', '--strict-parameters']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /parameter 'runn' is not declared .*--strict-parameters forbids unknown parameters/);
    const loose = await run([fixture('python-params.ipynb'), out('typed.ipynb'), '-p', 'runn', '1', '--prepare-only']);
    assert.equal(loose.code, 0);
    assert.match(loose.stderr, /warning: parameter 'runn' is not declared in the parameters cell/);
  });

  it('reports a dead kernel with exit code 138 and keeps the notebook', async () => {
    const r = await run([fixture('python-die.ipynb'), out('die.ipynb'), '--no-progress-bar']);
    assert.equal(r.code, 138, r.stderr);
    assert.match(r.stderr, /DeadKernelError: kernel 'python3' \(pid \d+\) died/);
    await validateWithNbformat(out('die.ipynb'));
    const nb = readOut(out('die.ipynb'));
    const failed = nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!;
    assert.match(failed.source, /os\._exit/);
    assert.equal(failed.outputs!.at(-1).ename, 'DeadKernelError');
  });

  it('interrupts a cell after --execution-timeout and fails with exit 1', async () => {
    const r = await run([fixture('python-sleep.ipynb'), out('timeout.ipynb'), '-p', 'seconds', '60', '--execution-timeout', '2', '--no-progress-bar']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /CellTimeoutError: cell execution on kernel 'python3' timed out after 2 s/);
    const nb = readOut(out('timeout.ipynb'));
    const failed = nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!;
    assert.equal(failed.outputs![0].text, 'start\n');
    assert.equal(nb.cells.at(-1)!.metadata.papermill.status, 'pending');
    await validateWithNbformat(out('timeout.ipynb'));
  });

  it('on SIGTERM marks the running cell failed, saves and exits 143', async () => {
    const r = await signalWhenPrinted(['run', fixture('python-sleep.ipynb'), out('sigterm.ipynb'), '-p', 'seconds', '60', '--log-output'],
      'start', 'SIGTERM', suite.opts);
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr, /RunnerInterruptedError: the runner received SIGTERM/);
    const nb = readOut(out('sigterm.ipynb'));
    const failed = nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!;
    assert.deepEqual(failed.outputs!.map((o) => o.output_type), ['stream', 'error']);
    assert.match(failed.outputs![1].evalue, /received SIGTERM while this cell was running/);
    assert.equal(nb.cells.filter((c) => tags(c).includes('papermill-error-cell-tag')).length, 2);
    await validateWithNbformat(out('sigterm.ipynb'));
  });

  it('autosaves a long cell\'s output during the cell (--autosave-cell-every), even without per-cell saves', async () => {
    const file = out('autosave.ipynb');
    const { child, done } = startScs(['run', fixture('python-sleep.ipynb'), file, '-p', 'seconds', '60',
      '--autosave-cell-every', '1', '--no-request-save-on-cell-execute', '--no-progress-bar'], suite.opts);
    // the cell prints "start" then sleeps a minute: only an autosave can put "start" in the file while it runs
    let running: OutNotebook | undefined;
    while (child.exitCode === null) {
      const nb = existsSync(file) ? readOut(file) : undefined;
      const cell = nb?.cells.find((c) => c.metadata.papermill?.status === 'running');
      if (cell?.outputs?.[0]?.text === 'start\n') { running = nb; break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    assert.equal((await done).code, 143);
    assert.ok(running, 'the running cell\'s output never reached the file before the run ended');
  });

  it("reads stdin and writes stdout for '-'", async () => {
    const r = await run(['-', '-', '-p', 'run', '5'], readFileSync(fixture('python-params.ipynb'), 'utf8'));
    assert.equal(r.code, 0, r.stderr);
    const nb = JSON.parse(r.stdout);
    assert.match(nb.cells[2].source.join?.('') ?? nb.cells[2].source, /run = 5/);
    assert.equal(nb.cells.at(-1).outputs[0].data['text/plain'], '10');
    writeFileSync(out('stdout.ipynb'), r.stdout);
    await validateWithNbformat(out('stdout.ipynb'));
  });

  it('takes a single path as the output when the notebook is piped in', async () => {
    const r = await run([out('piped.ipynb'), '-p', 'run', '6', '--no-progress-bar'], readFileSync(fixture('python-params.ipynb'), 'utf8'));
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('piped.ipynb'));
    assert.equal(nb.metadata.papermill.input_path, '-');
    assert.equal(nb.cells.at(-1)!.outputs![0].data['text/plain'], '12');
  });

  it('--prepare-only parameterizes without running; --report-mode hides inputs; --inject-paths adds the paths', async () => {
    const r = await run([fixture('python-params.ipynb'), out('prepared.ipynb'), '--prepare-only', '--report-mode', '--inject-paths', '-p', 'run', '3']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('prepared.ipynb'));
    assert.equal(nb.cells[2].source, `# Parameters\nPAPERMILL_INPUT_PATH = "${fixture('python-params.ipynb')}"\nPAPERMILL_OUTPUT_PATH = "${out('prepared.ipynb')}"\nrun = 3\n`);
    assert.ok(nb.cells.every((c) => c.cell_type !== 'code' || (c.outputs!.length === 0 && c.metadata.jupyter.source_hidden === true)));
    await validateWithNbformat(out('prepared.ipynb'));
  });

  it('fills {name} in the output path from the parameters, as papermill does', async () => {
    const r = await run([fixture('python-params.ipynb'), join(suite.sb.notebooks, 'r{run}_{label}.ipynb'), '--prepare-only', '-p', 'run', '0179', '-p', 'label', 'dark']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readOut(out('r179_dark.ipynb')).metadata.papermill.output_path, out('r179_dark.ipynb'));
  });

  it('runs the kernel in --cwd without moving the output, and copies streams with --stdout-file/--stderr-file/--log-output', async () => {
    const input = out('cwd.ipynb');
    writeFileSync(input, JSON.stringify({
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'P' } },
      cells: [{ id: 'a', cell_type: 'code', metadata: {}, outputs: [], execution_count: null,
        source: 'import os, sys\nprint(os.getcwd())\nprint("oops", file=sys.stderr)\n"result"' }],
    }));
    const r = await run([input, 'cwd.out.ipynb', '--cwd', '/tmp', '--stdout-file', 'so.txt', '--stderr-file', 'se.txt', '--log-output']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('cwd.out.ipynb'));
    assert.equal(nb.cells[0].outputs![0].text, '/tmp\n');
    assert.equal(readFileSync(out('so.txt'), 'utf8'), '/tmp\n');
    assert.equal(readFileSync(out('se.txt'), 'utf8'), 'oops\n');
    assert.match(r.stderr, /Executing Cell 1-+\n[\s\S]*\/tmp\n[\s\S]*'result'\n[\s\S]*Ending Cell 1-+/);
  });

  it('falls back to an installed kernel of the notebook\'s language, and treats sys.exit(0) as a clean stop', async () => {
    const input = out('fallback.ipynb');
    writeFileSync(input, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3-on-maxwell', language: 'python', display_name: 'P' }, language_info: { name: 'python' } },
      cells: ['print("one")', 'import sys\nsys.exit(0)', 'print("never")'].map((source, i) => (
        { id: `c${i}`, cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source })),
    }));
    const r = await run([input, out('fallback.out.ipynb'), '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: kernel 'python3-on-maxwell' of the notebook is not installed; using 'python3', which also runs python/);
    const nb = readOut(out('fallback.out.ipynb'));
    assert.equal(nb.cells[0].outputs![0].text, 'one\n');
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill.status), ['completed', 'completed', 'pending']);
    assert.equal(nb.metadata.papermill.exception, false);
  });

  it('gives up on a kernel that never starts after --start-timeout, keeping the parameterized notebook', async () => {
    const dir = join(suite.sb.prefix, 'share', 'jupyter', 'kernels', 'sleeper');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify({ argv: ['/bin/sh', '-c', 'exec sleep 600', 'sleeper', '{connection_file}'], display_name: 'never ready', language: 'python' }));
    const r = await run([fixture('python-params.ipynb'), out('nostart.ipynb'), '-k', 'sleeper', '--start-timeout', '2', '-p', 'run', '1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /KernelStartTimeoutError: kernel 'sleeper' did not start within 2 s/);
    const nb = readOut(out('nostart.ipynb'));
    assert.equal(nb.metadata.papermill.exception, true);
    assert.match(nb.cells[2].source, /^run = 1$/m);
  });

  it('--help-notebook lists parameters as papermill does (exit 0), or says there are none (exit 1)', async () => {
    const r = await run([fixture('python-params.ipynb'), '--help-notebook']);
    assert.equal(r.code, 0, r.stderr);
    // papermill shows a type only where the cell writes one (annotation or `# type:` comment)
    assert.equal(r.stdout, [
      'Usage: scs run [OPTIONS] INPUT [OUTPUT]', '', `Parameters inferred for notebook '${fixture('python-params.ipynb')}':`,
      '  run: Unknown type (default 179)', '                                  run number',
      '  proposal: int (default 2719)    ',
      '  label: Unknown type (default "dark")', '                                  what the run is',
      '  threshold: Unknown type (default 0.5)',
      '  subtract: Unknown type (default False)',
      '  bins: Unknown type (default [1, 2, 3])',
      '',
    ].join('\n'));
    const none = await run([fixture('python-die.ipynb'), '--help-notebook']);
    assert.equal(none.code, 1);
    assert.equal(none.stdout.split('\n').slice(2).join('\n'), `Parameters inferred for notebook '${fixture('python-die.ipynb')}':\n\n  No cell tagged 'parameters'\n`);
  });

  it('explains bad input: unknown kernel (listing kernels), malformed notebook, missing folder, usage errors (exit 2)', async () => {
    const k = await run([fixture('python-params.ipynb'), out('nokernel.ipynb'), '-k', 'nope']);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /NoSuchKernelError: no such kernel 'nope'; available kernels: .*python3/);
    assert.equal(readOut(out('nokernel.ipynb')).metadata.papermill.exception, true);
    writeFileSync(out('bad.ipynb'), '{"cells": [');
    const bad = await run([out('bad.ipynb'), out('bad.out.ipynb')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /NotebookFormatError: notebook .*bad\.ipynb is not valid JSON/);
    const folder = await run([fixture('python-params.ipynb'), out('missing/x.ipynb')]);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /cannot write output notebook .*missing\/x\.ipynb: folder .*missing does not exist/);
    const usage = await run([]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /missing argument INPUT/);
    const pair = await run([fixture('python-params.ipynb'), out('x.ipynb'), '-p', 'run']);
    assert.equal(pair.code, 2);
    const yaml = await run([fixture('python-params.ipynb'), out('x.ipynb'), '-y', 'a: [1']);
    assert.equal(yaml.code, 1);
    assert.match(yaml.stderr, /ParameterError: --parameters_yaml value is not valid YAML/);
  });
});
