/**
 * Temporary files of atomic writes: a writer killed outright (SIGKILL) leaves
 * its `.NAME.tmp-<host>-<pid>-<hex>`; the next write of the same target
 * removes it, but never that of a writer still running. A writer that exits
 * mid-write (a kernel's shutdown) removes its own.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataArray, loadXarray, saveXarray } from '../../toolbox/index.js';

const ATOMIC = resolve(__dirname, '../../toolbox/io/atomic.js');
const H5FILE = resolve(__dirname, '../../toolbox/io/h5file.js');

/**
 * A node process that starts an atomic write of `file` (HDF5 file created,
 * half a dataset written), prints the temporary file's path, then either
 * waits forever ('hang') or exits the process ('exit').
 */
function writer(file: string, then: 'hang' | 'exit'): ChildProcess {
  const script = `
    const { replaceAtomically, resolveTarget } = require(${JSON.stringify(ATOMIC)});
    const { withH5File } = require(${JSON.stringify(H5FILE)});
    (async () => {
      const target = await resolveTarget(${JSON.stringify(file)});
      await replaceAtomically(target, false, (tmp) => withH5File(tmp, 'w', async (f) => {
        f.create_dataset({ name: 'x', data: new Float64Array(1000) });
        f.flush();
        process.stdout.write(tmp + '\\n');
        ${then === 'exit' ? 'process.exit(3);' : 'await new Promise(() => setInterval(() => {}, 1000));'}
      }));
    })();`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('\n')) return out.split('\n')[0];
  }
  throw new Error('writer ended without printing its temporary file');
}

const temporaries = (dir: string) => readdirSync(dir).filter((n) => n.includes('.tmp-')).sort();

describe('faults: stale temporary files', function () {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-stale-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a writer killed with SIGKILL leaves its temporary file; the next write of the target removes it', async () => {
    const file = join(dir, 'out.nc');
    const child = writer(file, 'hang');
    const tmp = await firstLine(child);
    const host = hostname().replace(/[^A-Za-z0-9.]/g, '_');
    assert.equal(tmp, join(dir, `.out.nc.tmp-${host}-${child.pid}-${tmp.slice(-8)}`));
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.deepEqual(temporaries(dir), [tmp.slice(dir.length + 1)]);

    await saveXarray(file, new DataArray(Float64Array.of(4, 5), { dims: ['x'], name: 'v' }));
    assert.deepEqual(readdirSync(dir), ['out.nc']);
    assert.deepEqual([...((await loadXarray(file, { form: 'array' })).values as Float64Array)], [4, 5]);
  });

  it('leaves the temporary files of a live writer, of other hosts, of other targets and of the old naming', async () => {
    const file = join(dir, 'out.nc');
    const child = writer(file, 'hang');
    try {
      const live = (await firstLine(child)).slice(dir.length + 1);
      const others = ['.out.nc.tmp-otherhost-1-0123abcd', '.other.nc.tmp-x-1-0123abcd', '.out.nc.tmp-1-ab'];
      for (const n of others) writeFileSync(join(dir, n), 'partial');
      await saveXarray(file, new DataArray(Float64Array.of(1), { dims: ['x'], name: 'v' }));
      assert.deepEqual(temporaries(dir), [...others, live].sort());
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('a writer whose process exits mid-write removes its own temporary file', async () => {
    const child = writer(join(dir, 'out.nc'), 'exit');
    const tmp = await firstLine(child);
    const [code] = await once(child, 'exit') as [number];
    assert.equal(code, 3);
    assert.ok(tmp.includes('.out.nc.tmp-'));
    assert.deepEqual(readdirSync(dir), []);
  });
});
