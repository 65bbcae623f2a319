/**
 * `scs run --engine server` against a real Jupyter server (Debian's
 * jupyter-server started by the test): the same contract as the local engine.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type JupyterServer, type JupyterSandbox, requireJupyter, startJupyterServer } from '../helpers/jupyter.js';
import { fixture, pythonSandbox, readOut, scs, tags, validateWithNbformat } from './helpers.js';

describe('scs run on a Jupyter server (server engine)', function () {
  let sb: JupyterSandbox;
  let server: JupyterServer;
  const out = (name: string) => join(sb.notebooks, name);
  const run = (args: string[]) => scs(['run', ...args, '--engine', 'server', '--server-url', server.baseUrl, '--token', server.token, '--no-progress-bar'],
    { env: sb.env, cwd: sb.notebooks });

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
});
