/**
 * Fault: an autosave during a long cell cannot be written (disk full for a
 * while). The run must go on: no uncaught exception, the failure told as a
 * warning and reported at the end, the final notebook complete once the disk
 * has room again; when it has none, the run fails naming the last good save.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotebookSaveError } from '../../runner/errors.js';
import { NotebookSaver } from '../../runner/notebook/saver.js';
import { parseNotebook } from '../../runner/notebook/io.js';
import { readOut, runSuite, scs } from '../runner/helpers.js';
import { FILL, pythonNotebook, useTmpfs } from './helpers.js';

describe('fault: an autosave of the output notebook fails', function () {
  this.timeout(120_000);
  const suite = runSuite();
  const disk = useTmpfs('256k');
  afterEach(() => rmSync(join(disk.dir, 'filler'), { force: true }));

  // "a" is autosaved at once (more than a second since the last save); "b" within the second arms the
  // autosave timer, which fires into a full disk during the sleep
  const cell = (free: boolean) => [
    "import sys, time\ntime.sleep(1.2)\nprint('a'); sys.stdout.flush()\ntime.sleep(0.4)", `${FILL(disk.dir)}\nprint('b'); sys.stdout.flush()\ntime.sleep(2.5)`,
    free ? `import os\nos.remove(${JSON.stringify(join(disk.dir, 'filler'))})\nprint('c')` : "print('c')",
  ].join('\n');

  it('goes on, reports the failure and ends with a complete notebook once there is room again', async () => {
    const input = suite.out('autosave.ipynb');
    writeFileSync(input, JSON.stringify(pythonNotebook(['time = None', cell(true)])));
    const out = join(disk.dir, 'autosave.ipynb');
    const r = await scs(['run', input, out, '--autosave-cell-every', '1', '--no-request-save-on-cell-execute', '--no-progress-bar'], suite.opts);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0], new RegExp(`^scs run: warning: cannot write output notebook ${out}: ENOSPC: no space left on device, write; `
      + `the run goes on, the last good save is ${out} as saved at [^ ]+ \\(cell 2 of 2 running\\)$`));
    assert.match(lines[1], new RegExp(`^scs run: warning: [1-9]\\d* save\\(s\\) of the output notebook during the run failed `
      + `\\(first: cannot write output notebook ${out}: ENOSPC: no space left on device, write\\); the final save succeeded$`));
    assert.equal(lines.length, 2, r.stderr);
    const nb = readOut(out);
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill.status), ['completed', 'completed']);
    assert.equal(nb.cells[1].outputs!.map((o) => o.text).join(''), 'a\ndisk full: No space left on device\nb\nc\n');
    assert.equal(nb.metadata.papermill.exception, false);
  });

  it('fails with the last good save named when the disk stays full, the cell recorded as it was', async () => {
    const input = suite.out('autosave-full.ipynb');
    writeFileSync(input, JSON.stringify(pythonNotebook(['time = None', cell(false)])));
    const out = join(disk.dir, 'autosave-full.ipynb');
    const r = await scs(['run', input, out, '--autosave-cell-every', '1', '--no-request-save-on-cell-execute', '--no-progress-bar'], suite.opts);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`NotebookSaveError: cannot write output notebook ${out}: ENOSPC: no space left on device, write; `
      + `the last good save is ${out} as saved at [^ ]+ \\(cell 2 of 2 running\\)\n`));
    assert.doesNotMatch(r.stderr, /unexpected|Uncaught/);
    // the last good save: "a" autosaved while the cell ran
    const nb = readOut(out);
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill.status), ['completed', 'running']);
    assert.equal(nb.cells[1].outputs![0].text, 'a\n');
  });
});

describe('fault: the output folder disappears under the saver', () => {
  it('records failed checkpoints and timer autosaves, tells the first, and fails the final save naming the last good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-saver-'));
    const path = join(dir, 'out.ipynb');
    const told: string[] = [];
    const nb = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }));
    const saver = new NotebookSaver(nb, { outputPath: path, requestSaveOnCellExecute: true, autosaveCellEvery: 0.05, onFailure: (m) => told.push(m) });
    saver.state = 'cell 1 of 2 running';
    saver.save();
    rmSync(dir, { recursive: true });
    saver.state = 'cell 1 of 2 completed';
    saver.checkpoint();
    // a checkpoint is written a little later (end of this turn, or once the gap after the last write
    // has passed); an output after it then needs the timer
    while (!saver.failures) await new Promise((r) => setTimeout(r, 5));
    saver.outputChanged();
    // the timer's save fails inside a timer callback: recorded, not an uncaught exception
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(saver.failures?.count, 2);
    assert.match(saver.failures!.first, new RegExp(`^cannot write output notebook ${path}: ENOENT: no such file or directory, open '${dir}/\\.out\\.ipynb\\.\\d+\\.tmp'$`));
    assert.equal(told.length, 1);
    assert.match(told[0], new RegExp(`; the run goes on, the last good save is ${path} as saved at [^ ]+ \\(cell 1 of 2 running\\)$`));
    assert.throws(() => saver.final(), (err: unknown) => err instanceof NotebookSaveError
      && /the last good save is .* \(cell 1 of 2 running\)$/.test(err.message) && err.lastGoodSave === saver.describeLastGood());
  });
});
