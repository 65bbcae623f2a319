/**
 * Fault: SIGTERM (SLURM's scancel and time limit) reaches `scs run` while a
 * cell of our kernel writes files with the toolbox's atomic writer in a loop.
 * The runner interrupts the kernel, asks it to shut down, kills it only after
 * jupyter_client's grace: no `.NAME.tmp-…` file may stay, nor the kernel.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { codeNotebook } from '../helpers/jupyter.js';
import { readOut, runSuite, signalWhenPrinted } from '../runner/helpers.js';
import { alive } from './helpers.js';

describe('fault: SIGTERM to scs run during an atomic write in the kernel', function () {
  this.timeout(180_000);
  const suite = runSuite({ ourKernel: true });

  it('exits 143 with the cell failed, no temporary file and no kernel left', async () => {
    const folder = suite.out('sigterm-writes');
    mkdirSync(folder);
    const input = suite.out('sigterm-writes.ipynb');
    writeFileSync(input, JSON.stringify(codeNotebook([
      // 32 MB per file: a write takes long enough that the signal lands in one
      "const a = new tb.DataArray(new Float64Array(4_000_000).fill(1.5), { dims: ['trainId', 'x'], shape: [4000, 1000] } as any);\nconsole.log(process.pid);",
      "for (let i = 0; ; i++) {\n  await tb.saveXarray(`sigterm-writes/m${i % 3}.h5`, a);\n  if (i === 2) console.log('writing');\n}",
    ], 'scs-test')));
    const r = await signalWhenPrinted(['run', input, suite.out('sigterm-out.ipynb'), '--log-output'], 'writing', 'SIGTERM', suite.opts);
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stderr, /RunnerInterruptedError: the runner received SIGTERM/);
    const nb = readOut(suite.out('sigterm-out.ipynb'));
    assert.deepEqual(nb.cells.map((c) => c.metadata.papermill?.status).filter(Boolean), ['completed', 'failed']);
    const pid = Number(nb.cells.find((c) => c.source.startsWith('const a'))!.outputs![0].text);
    assert.ok(pid > 0 && !alive(pid), `kernel ${pid} is still running`);
    const files = readdirSync(folder).sort();
    assert.deepEqual(files.filter((f) => f.startsWith('.')), [], `temporary files left: ${files.join(', ')}`);
    assert.deepEqual(files, ['m0.h5', 'm1.h5', 'm2.h5']);
  });
});
