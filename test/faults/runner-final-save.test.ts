/**
 * Fault: the output notebook's disk fills up during the run (a 256 kB tmpfs,
 * mounted as root). `scs run` must not hang: it shuts the kernel down, exits
 * 1 within seconds and names the last good save, which is still on disk.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOut, runSuite, scs } from '../runner/helpers.js';
import { FILL, alive, pythonNotebook, useTmpfs } from './helpers.js';

describe('fault: the final save of the output notebook fails (disk full)', function () {
  this.timeout(120_000);
  const suite = runSuite();
  const disk = useTmpfs('256k');

  it('shuts the kernel down, exits 1 within 10 s and names the last good save', async () => {
    const input = suite.out('fill.ipynb');
    writeFileSync(input, JSON.stringify(pythonNotebook(['import os\nprint(os.getpid())', FILL(disk.dir)])));
    const out = join(disk.dir, 'out.ipynb');
    const started = Date.now();
    const r = await scs(['run', input, out, '--no-progress-bar'], suite.opts);
    const ended = Date.now();
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    const lastGood = `${out} as saved at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+\\+00:00 \\(cell 2 of 2 running\\)`;
    // the cell's end checkpoint, when it is written before the final save takes its place, fails
    // first: told once, and the run goes on to its end
    assert.ok(lines.length === 2 || lines.length === 3, r.stderr);
    if (lines.length === 3) {
      assert.match(lines.shift()!, new RegExp(`^scs run: warning: cannot write output notebook ${out}: ENOSPC: no space left on device, write; the run goes on, the last good save is ${lastGood}$`));
    }
    assert.match(lines[0], new RegExp(`^scs run: NotebookSaveError: cannot write output notebook ${out}: ENOSPC: no space left on device, write; the last good save is ${lastGood}$`));
    assert.equal(lines[1], `scs run: output notebook (the last good save; the final save failed): ${out}`);
    // the last good save is what the file holds: the second cell running, its pid printed before
    const nb = readOut(out);
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill.status), ['completed', 'running']);
    const pid = Number(nb.cells[0].outputs![0].text);
    assert.ok(pid > 0 && !alive(pid), `kernel ${pid} is still running`);
    assert.ok(ended - started < 10_000 + 3_000, `took ${ended - started} ms`);
    // no temporary notebook left in the full folder
    assert.deepEqual(readdirSync(disk.dir).sort(), ['filler', 'out.ipynb']);
  });

  it('names the cell error of a run that had failed before its final save failed', async () => {
    rmSync(join(disk.dir, 'filler'), { force: true });
    const input = suite.out('fill-raise.ipynb');
    writeFileSync(input, JSON.stringify(pythonNotebook([FILL(disk.dir), "raise ValueError('bad gain')", 'print(1)'])));
    const out = join(disk.dir, 'raise.ipynb');
    const r = await scs(['run', input, out, '--no-progress-bar'], suite.opts);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\nscs run: NotebookSaveError: cannot write output notebook .*; the last good save is .* \(cell 1 of 3 running\)\n/);
    assert.match(r.stderr, /\nscs run: the run had failed before the save:\n-+\nException encountered at "In \[2\]":\n[^]*ValueError: bad gain\n/);
  });
});
