/**
 * Damaged run files read as what they are: a dataset whose object header
 * HDF5 cannot decode is "corrupt" (file and dataset named), not missing; a
 * missing INDEX count is named as such, not as the 0.5 format's `last`.
 * The damage is done with h5py (Debian's python3), which also finds the
 * object header's address.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolBoxFileError } from '../../toolbox/index.js';
import { runByPath } from '../../toolbox/run/open.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { requirePython, runPython } from '../helpers/python.js';

const DSSC = 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf';

/** Overwrite the first 16 bytes of the object header of `dataset` in `file`; returns the header's address. */
function corruptHeader(file: string, dataset: string): Promise<number> {
  return runPython<number>(String.raw`
import h5py
file, name = sys.argv[1], sys.argv[2]
with h5py.File(file, 'r') as f:
    addr = h5py.h5o.get_info(f[name].id).addr
with open(file, 'r+b') as fh:
    fh.seek(addr)
    fh.write(b'\xff' * 16)
try:
    with h5py.File(file, 'r') as f:
        f[name]
    emit(-1)
except Exception:
    emit(addr)
`, [file, dataset]);
}

function deleteDataset(file: string, dataset: string): Promise<unknown> {
  return runPython(`
import h5py
with h5py.File(sys.argv[1], 'r+') as f:
    del f[sys.argv[2]]
emit(True)
`, [file, dataset]);
}

async function readKey(dir: string, source: string, key: string): Promise<void> {
  const run = await runByPath(dir);
  try {
    await run.getArray(source, key);
  } finally {
    run.close();
  }
}

describe('faults: corrupt run files', function () {
  let dir = '';
  before(async function () { await requirePython(this); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-corrupt-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a corrupt dataset header is "corrupt", naming the file and the dataset', async () => {
    await writeMockRun(dir, { trains: 4, frames: 2, modules: 1 });
    const file = join(dir, 'RAW-R0001-DSSC00-S00000.h5');
    const addr = await corruptHeader(file, `INSTRUMENT/${DSSC}/image/data`);
    assert.ok(addr > 0, 'h5py cannot open the damaged dataset either');
    await assert.rejects(readKey(dir, DSSC, 'image.data'), (e: unknown) => e instanceof ToolBoxFileError && e.file === file
      && e.message === `${file} is corrupt: HDF5 cannot decode INSTRUMENT/${DSSC}/image/data (bad object header version number)`);
  });

  it('a corrupt INDEX dataset is "corrupt" too, naming it', async () => {
    await writeMockRun(dir, { trains: 4, frames: 2, modules: 1 });
    const file = join(dir, 'RAW-R0001-DSSC00-S00000.h5');
    await corruptHeader(file, `INDEX/${DSSC}/image/first`);
    await assert.rejects(readKey(dir, DSSC, 'image.data'), (e: unknown) => e instanceof ToolBoxFileError
      && e.message === `${file} is corrupt: HDF5 cannot decode INDEX/${DSSC}/image/first (bad object header version number)`);
  });

  it('a missing INDEX/…/count is named (format 1.0), and `last` is named for format 0.5', async () => {
    await writeMockRun(join(dir, 'a'), { trains: 4, frames: 2, modules: 1 });
    const file = join(dir, 'a', 'RAW-R0001-DSSC00-S00000.h5');
    await deleteDataset(file, `INDEX/${DSSC}/image/count`);
    await assert.rejects(readKey(join(dir, 'a'), DSSC, 'image.data'), (e: unknown) => e instanceof ToolBoxFileError
      && e.message === `${file} has no dataset INDEX/${DSSC}/image/count (format 1.0)`);

    await writeMockRun(join(dir, 'b'), { trains: 4, frames: 2, modules: 1, formatVersion: '0.5' });
    const old = join(dir, 'b', 'RAW-R0001-DSSC00-S00000.h5');
    await deleteDataset(old, `INDEX/${DSSC}/image/last`);
    await assert.rejects(readKey(join(dir, 'b'), DSSC, 'image.data'), (e: unknown) => e instanceof ToolBoxFileError
      && e.message === `${old} has no dataset INDEX/${DSSC}/image/last (format 0.5)`);
  });
});
