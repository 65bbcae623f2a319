/**
 * `scs run --engine server` against a real Jupyter server (Debian's
 * jupyter-server started by the test): the same contract as the local engine,
 * on Debian's ipykernel and on our TypeScript kernel.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type JupyterServer, type JupyterSandbox, requireJupyter, startJupyterServer } from '../helpers/jupyter.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { codeNotebook } from '../helpers/jupyter.js';
import { fixture, nbconvertHtml, pythonSandbox, readOut, scs, signalWhenPrinted, tags, validateWithNbformat } from './helpers.js';

describe('scs run on a Jupyter server (server engine)', function () {
  let sb: JupyterSandbox;
  let server: JupyterServer;
  const out = (name: string) => join(sb.notebooks, name);
  const serverArgs = () => ['--engine', 'server', '--server-url', server.baseUrl, '--token', server.token, '--no-progress-bar'];
  const run = (args: string[], stdin?: string) => scs(['run', ...args, ...serverArgs()], { env: sb.env, cwd: sb.notebooks, stdin });

  before(async function () {
    await requireJupyter(this);
    sb = pythonSandbox();
    const installed = await scs(['kernel', 'install', '--prefix', sb.prefix, '--name', 'scs-test'], { env: sb.env });
    assert.equal(installed.code, 0, installed.stderr);
    server = await startJupyterServer(sb);
  });
  after(async () => {
    await server?.stop();
    sb?.cleanup();
  });

  it('runs a parameterized notebook on python3', async () => {
    const r = await run([fixture('python-params.ipynb'), out('server.ipynb'), '-p', 'run', '12']);
    assert.equal(r.code, 0, r.stderr);
    await validateWithNbformat(out('server.ipynb'));
    const nb = readOut(out('server.ipynb'));
    assert.match(nb.cells[2].source, /^run = 12$/m);
    assert.equal(nb.cells.at(-1)!.outputs![0].data['text/plain'], '24');
    assert.ok(nb.cells.every((c) => c.metadata.papermill.status === 'completed'));
  });

  it('runs a parameterized notebook on our TypeScript kernel', async () => {
    const r = await run([fixture('typescript-params.ipynb'), out('server-ts.ipynb'), '-p', 'run', '0007', '-p', 'mode', 'slow']);
    assert.equal(r.code, 0, r.stderr);
    await validateWithNbformat(out('server-ts.ipynb'));
    const nb = readOut(out('server-ts.ipynb'));
    assert.equal(nb.cells[2].outputs![0].text, 'run=7 number label=dark bins=[1,2,3] mode=slow flag=false\nslow mode no flag\n');
    assert.equal(nb.cells[3].outputs![0].data['text/plain'], '14');
  });

  it('fails with error cells and exit 1', async () => {
    const r = await run([fixture('python-error.ipynb'), out('server-error.ipynb')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ValueError: bad value 1/);
    const nb = readOut(out('server-error.ipynb'));
    assert.equal(nb.cells.filter((c) => tags(c).includes('papermill-error-cell-tag')).length, 2);
  });

  it('reports a dead kernel with exit code 138', async () => {
    const r = await run([fixture('python-die.ipynb'), out('server-die.ipynb')]);
    assert.equal(r.code, 138, r.stderr);
    assert.match(r.stderr, /DeadKernelError/);
    await validateWithNbformat(out('server-die.ipynb'));
  });

  it('lists the server\'s kernels for an unknown kernel name', async () => {
    const r = await run([fixture('python-params.ipynb'), out('server-nokernel.ipynb'), '-k', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such kernel 'nope'; available kernels: .*python3/);
  });

  it('interrupts a cell after --execution-timeout and fails with exit 1', async () => {
    const r = await run([fixture('python-sleep.ipynb'), out('server-timeout.ipynb'), '-p', 'seconds', '60', '--execution-timeout', '2']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /CellTimeoutError: cell execution on kernel 'python3' timed out after 2 s/);
    await validateWithNbformat(out('server-timeout.ipynb'));
    const nb = readOut(out('server-timeout.ipynb'));
    assert.equal(nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!.outputs![0].text, 'start\n');
    assert.equal(nb.cells.at(-1)!.metadata.papermill.status, 'pending');
  });

  it('on SIGTERM marks the running cell failed, saves and exits 143', async () => {
    const r = await signalWhenPrinted(['run', fixture('python-sleep.ipynb'), out('server-sigterm.ipynb'), '-p', 'seconds', '60', ...serverArgs(), '--log-output'],
      'start', 'SIGTERM', { env: sb.env, cwd: sb.notebooks });
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr, /RunnerInterruptedError: the runner received SIGTERM/);
    await validateWithNbformat(out('server-sigterm.ipynb'));
    const nb = readOut(out('server-sigterm.ipynb'));
    const failed = nb.cells.find((c) => c.metadata.papermill?.status === 'failed')!;
    assert.match(failed.outputs!.at(-1).evalue, /received SIGTERM while this cell was running/);
    assert.equal(nb.cells.filter((c) => tags(c).includes('papermill-error-cell-tag')).length, 2);
  });

  it("reads stdin and writes stdout for '-', and runs the kernel in --cwd", async () => {
    const nb = codeNotebook(['import os\nprint(os.getcwd())', 'run * 3'], 'python3');
    nb.metadata.kernelspec.language = 'python';
    const r = await run(['-', '-', '-p', 'run', '5', '--cwd', sb.notebooks], JSON.stringify(nb));
    assert.equal(r.code, 0, r.stderr);
    writeFileSync(out('server-stdout.ipynb'), r.stdout);
    await validateWithNbformat(out('server-stdout.ipynb'));
    const back = readOut(out('server-stdout.ipynb'));
    assert.equal(back.cells[0].source, '# Parameters\nrun = 5\n');
    assert.equal(back.cells[1].outputs![0].text, `${sb.notebooks}\n`);
    assert.equal(back.cells[2].outputs![0].data['text/plain'], '15');
  });

  it("warns through scs run's channel when the server cannot see --cwd, and --log-level ERROR silences it", async () => {
    const outside = mkdtempSync(join(tmpdir(), 'scs-outside-'));
    try {
      const args = [fixture('python-params.ipynb'), out('server-outside.ipynb'), '--cwd', outside];
      const loud = await run(args);
      assert.equal(loud.code, 0, loud.stderr);
      assert.equal(loud.stderr, `scs run: warning: the Jupyter server ${server.baseUrl} cannot see ${outside}; the kernel runs in the server's root folder\n`);
      const quiet = await run([...args, '--log-level', 'ERROR']);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.equal(quiet.stderr, '');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('fails with the error cells on our TypeScript kernel, and the output converts to HTML', async () => {
    const r = await run([fixture('typescript-error.ipynb'), out('server-ts-error.ipynb'), '-p', 'value', '4']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad value 4/);
    assert.equal(await validateWithNbformat(out('server-ts-error.ipynb')), '4.5');
    const nb = readOut(out('server-ts-error.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill?.status ?? tags(c)[0]), [
      'papermill-error-cell-tag', 'completed', 'completed', 'completed', 'papermill-error-cell-tag', 'failed', 'pending',
    ]);
    assert.match(await nbconvertHtml(out('server-ts-error.ipynb'), sb.env), /bad value 4/);
  });

  it('reports our TypeScript kernel dying mid-cell with exit code 138', async () => {
    writeFileSync(out('server-ts-die.ipynb'), JSON.stringify(codeNotebook(['const x = 1;', 'process.kill(process.pid, "SIGKILL");', 'x'], 'scs-test')));
    const r = await run([out('server-ts-die.ipynb'), out('server-ts-die.out.ipynb')]);
    assert.equal(r.code, 138, r.stderr);
    assert.match(r.stderr, /DeadKernelError: kernel 'scs-test' .*(died|restart)/);
    await validateWithNbformat(out('server-ts-die.out.ipynb'));
    const nb = readOut(out('server-ts-die.out.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill?.status ?? null), [null, 'completed', null, 'failed', 'pending']);
  });
});
