/**
 * The execution manager's lifecycle hooks on a real ipykernel run (in the
 * order papermill's engines call them), an engine of our own built on the
 * shared execution path choosing the kernel, and `scs run --log-level ERROR`
 * silencing the warnings of every layer (parameters, kernel choice).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CellExecutionError, LocalEngine, type ExecutionObserver, type KernelChoice, type ManagedExecuteOptions, type NotebookEngine,
  type NotebookExecutionManager, type Notebook, executeManagedNotebook, runNotebook,
} from '../../runner/index.js';
import type { StartOptions } from '../../runner/engine/types.js';
import type { JupyterSandbox } from '../helpers/jupyter.js';
import { requireJupyter } from '../helpers/jupyter.js';
import { pythonSandbox, readOut, runSuite } from './helpers.js';

function notebook(kernel: string, cells: Array<{ type: 'code' | 'markdown'; source: string; tags?: string[] }>): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: kernel, language: 'python' }, language_info: { name: 'python' } },
    cells: cells.map((c, i) => (c.type === 'code'
      ? { id: `c${i}`, cell_type: 'code', source: c.source, metadata: { tags: c.tags ?? [] }, outputs: [], execution_count: null }
      : { id: `c${i}`, cell_type: 'markdown', source: c.source, metadata: {} })),
  };
}

/** Records every hook as "hook index" (and the error's name for exceptions). */
function recorder(): { events: string[]; observer: ExecutionObserver } {
  const events: string[] = [];
  return {
    events,
    observer: {
      notebookStart: () => events.push('notebookStart'),
      cellStart: (_c, i) => events.push(`cellStart ${i}`),
      cellException: (_c, i, e) => events.push(`cellException ${i} ${(e as Error).name}`),
      cellComplete: (c, i) => events.push(`cellComplete ${i} ${c.metadata.papermill?.status}`),
      notebookComplete: (nb) => events.push(`notebookComplete exception=${nb.metadata.papermill?.exception}`),
    },
  };
}

describe('runner execution manager hooks on ipykernel', function () {
  let sb: JupyterSandbox;

  before(async function () {
    await requireJupyter(this);
    sb = pythonSandbox();
  });
  after(() => sb?.cleanup());

  it('calls notebook start, cell start/complete per cell and notebook complete, in order', async () => {
    const { events, observer } = recorder();
    const out = join(sb.notebooks, 'hooks-ok.ipynb');
    const summary = await runNotebook(notebook('python3', [
      { type: 'code', source: 'x = 6 * 7' }, { type: 'markdown', source: '# between' }, { type: 'code', source: 'print(x)' },
    ]), out, { env: sb.jupyterEnv, cwd: sb.notebooks, observer, warn: () => undefined });
    assert.deepEqual(events, [
      'notebookStart',
      'cellStart 0', 'cellComplete 0 completed',
      'cellStart 1', 'cellComplete 1 completed',
      'cellStart 2', 'cellComplete 2 completed',
      'notebookComplete exception=false',
    ]);
    assert.equal(summary.cellsExecuted, 2);
    assert.deepEqual(readOut(out).cells[2].outputs, [{ output_type: 'stream', name: 'stdout', text: '42\n' }]);
  });

  it('calls cell exception before the failing cell completes, then stops and completes the notebook', async () => {
    const { events, observer } = recorder();
    const out = join(sb.notebooks, 'hooks-fail.ipynb');
    await assert.rejects(runNotebook(notebook('python3', [
      { type: 'code', source: '1 / 0', tags: ['raises-exception'] }, { type: 'code', source: 'raise ValueError("bad value")' },
      { type: 'code', source: 'print("never")' },
    ]), out, { env: sb.jupyterEnv, cwd: sb.notebooks, observer, warn: () => undefined }), (err: unknown) => {
      assert.ok(err instanceof CellExecutionError);
      assert.equal(err.ename, 'ValueError');
      assert.equal(err.evalue, 'bad value');
      return true;
    });
    assert.deepEqual(events, [
      'notebookStart',
      'cellStart 0', 'cellComplete 0 completed',
      'cellStart 1', 'cellException 1 CellExecutionError', 'cellComplete 1 failed',
      'notebookComplete exception=true',
    ]);
    const saved = readOut(out);
    assert.equal(saved.metadata.papermill.exception, true);
    assert.equal(saved.cells.find((c) => c.source === 'print("never")')?.metadata.papermill.status, 'pending');
  });

  it('lets an engine of our own choose the kernel and run the notebook through the shared execution path', async () => {
    const started: string[] = [];
    const local = new LocalEngine();
    const engine: NotebookEngine = {
      name: 'local',
      chooseKernel: (): KernelChoice => ({ name: 'python3', language: 'python' }),
      start: (options: StartOptions) => {
        started.push(options.kernelName);
        return local.start(options);
      },
      execute(manager: NotebookExecutionManager, options: ManagedExecuteOptions) {
        return executeManagedNotebook(this, manager, options);
      },
    };
    const out = join(sb.notebooks, 'own-engine.ipynb');
    // the notebook names a kernel nobody installed: the engine's choice is what runs
    const summary = await runNotebook(notebook('not-installed', [{ type: 'code', source: 'print(1 + 1)' }]), out, {
      engine, env: sb.jupyterEnv, cwd: sb.notebooks, warn: () => undefined,
    });
    assert.deepEqual(started, ['python3']);
    assert.equal(summary.kernelName, 'python3');
    assert.deepEqual(readOut(out).cells[0].outputs, [{ output_type: 'stream', name: 'stdout', text: '2\n' }]);
  });
});

describe('scs run --log-level and the warn channel', function () {
  const suite = runSuite();

  // a kernel that is not installed (the local engine falls back with a warning) and no parameters cell
  // (the injected cell goes on top with a warning)
  const writeInput = (): string => {
    const path = join(suite.sb.notebooks, 'warns.ipynb');
    writeFileSync(path, JSON.stringify(notebook('python-elsewhere', [{ type: 'code', source: 'print(x)' }])));
    return path;
  };
  const fallback = "kernel 'python-elsewhere' of the notebook is not installed; using 'python3', which also runs python";
  const topCell = 'input notebook does not contain a cell with tag "parameters"; the injected-parameters cell goes at the top';

  it('prints the warnings of the kernel choice and of the parameters at the default level', async () => {
    const r = await suite.run([writeInput(), 'warns-out.ipynb', '-p', 'x', '5', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `scs run: warning: ${fallback}\nscs run: warning: ${topCell}\n`);
  });

  it('prints none of them with --log-level ERROR, and the run is the same', async () => {
    const r = await suite.run([writeInput(), 'warns-quiet.ipynb', '-p', 'x', '5', '--no-progress-bar', '--log-level', 'ERROR']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(readOut(suite.out('warns-quiet.ipynb')).cells[1].outputs, [{ output_type: 'stream', name: 'stdout', text: '5\n' }]);
  });
});
