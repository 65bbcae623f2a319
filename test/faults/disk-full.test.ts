/**
 * A full disk (a 2 MiB tmpfs, mounted here as root) during saveXarray: the
 * message keeps HDF5's errno text and names the file, and nothing
 * half-written is left under the final name or as a temporary file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSCBinner, DataArray, ToolBoxFileError, binningOutcome, loadXarray, runByPath, saveXarray } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { reason } from '../../toolbox/io/h5file.js';

/** The deepest frames of a real HDF5 stack for a failed write(2), with the date's newline. */
function sec2Stack(message: string): Error {
  return new Error(`HDF5-DIAG: Error detected in HDF5 (2.0.0):
  #000: H5D.c line 1360 in H5Dwrite(): can't synchronously write data
    major: Dataset
    minor: Write failed
  #001: H5FDsec2.c line 775 in H5FD__sec2_write(): file write failed: time = Sun Dec  6 02:37:40 2026
, filename = '/out/.x.h5.tmp-h-1-00000000', file descriptor = 3, errno = 2, error message = '${message}', buf = 0x4f4590, total write size = 5904896, bytes this sub-write = 5904896, offset = 2097152
    major: Low-level I/O
    minor: Write failed
`);
}

describe('faults: disk full', function () {
  let dir = '';
  let mounted = false;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'scs-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
      mounted = true;
    } catch {
      this.skip(); // needs root (CI runs this group as root)
    }
  });

  after(() => {
    // Lazy: HDF5 keeps the descriptors of files it failed to close (emptied, see docs/reliability.md).
    if (mounted) execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the errno text of a multi-line HDF5 frame: disk full, permission, quota', () => {
    assert.equal(reason(sec2Stack('No space left on device')), 'file write failed: No space left on device');
    assert.equal(reason(sec2Stack('Permission denied')), 'file write failed: Permission denied');
    assert.equal(reason(sec2Stack('Disk quota exceeded')), 'file write failed: Disk quota exceeded');
    const open = new Error(`HDF5-DIAG: Error detected in HDF5 (2.0.0):
  #000: H5Fint.c line 1990 in H5F_open(): unable to open file: name = '/out/.x.h5.tmp-h-1-00000000', tent_flags = 13
    major: File accessibility
    minor: Unable to open file
  #001: H5FDsec2.c line 353 in H5FD__sec2_open(): unable to open file: name = '/out/.x.h5.tmp-h-1-00000000', errno = 2, error message = 'Permission denied', flags = 13, o_flags = 242
    major: File accessibility
    minor: Unable to open file
`);
    assert.equal(reason(open), 'unable to open file: Permission denied');
  });

  it('saveXarray of 8 MB into 2 MiB: "No space left on device", the file named, nothing left behind', async () => {
    const file = join(dir, 'big.nc');
    const big = new DataArray(new Float64Array(2 ** 20), { dims: ['x'], name: 'v' });
    await assert.rejects(saveXarray(file, big), (err: unknown) => {
      assert.ok(err instanceof ToolBoxFileError);
      assert.equal(err.message, `writing ${file} failed: file write failed: No space left on device`);
      assert.equal(err.file, file);
      assert.match(String((err.cause as Error).message), /error message = 'No space left on device'/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), []);
    const fs = statfsSync(dir);
    assert.equal(fs.bfree, fs.blocks, 'the space of the failed temporary file is free again, though HDF5 holds its descriptor');
  });

  it('adding a group that does not fit leaves the existing file as it was', async () => {
    const file = join(dir, 'kept.nc');
    await saveXarray(file, new DataArray(Float64Array.of(1, 2, 3), { dims: ['x'], name: 'v' }), { group: 'small' });
    const before = readFileSync(file);
    const big = new DataArray(new Float64Array(2 ** 20), { dims: ['x'], name: 'w' });
    await assert.rejects(saveXarray(file, big, { group: 'big' }), (err: unknown) => err instanceof ToolBoxFileError
      && err.message === `writing ${file} failed: file write failed: No space left on device`);
    assert.deepEqual(readdirSync(dir), ['kept.nc']);
    assert.ok(readFileSync(file).equals(before));
    const back = await loadXarray(file, { group: 'small', form: 'array' });
    assert.deepEqual([...(back.values as Float64Array)], [1, 2, 3]);
  });

  it('DSSC module files on a full disk: each module fails with "No space left on device", none is left behind', async function () {
    this.timeout(300_000);
    const raw = mkdtempSync(join(tmpdir(), 'scs-full-raw-'));
    const out = join(dir, 'out');
    const filler = join(dir, 'filler');
    try {
      await writeMockRun(raw, { proposal: 2719, run: 179, trains: 4, frames: 4, modules: 2, pixels: [8, 16], seed: 1 });
      const fs = statfsSync(dir);
      writeFileSync(filler, Buffer.alloc(Number(fs.bavail * fs.bsize) - 16 * 1024)); // room for the folder, not for a file
      const run = await runByPath(raw);
      try {
        const b = await DSSCBinner.create(run, {});
        await assert.rejects(b.processData({ filepath: out, nJobs: 1, progress: false }), (e: unknown) => {
          assert.ok(e instanceof ToolBoxFileError);
          const failed = (m: number) => `writing ${join(out, `run_179_module${m}.h5`)} failed: file write failed: No space left on device`;
          assert.equal(e.message, `${failed(0)}\nDSSC binning of run 179: module files written: none. `
            + `Failed: module 0 (${failed(0)}); module 1 (${failed(1)}). Not written: none.`);
          assert.deepEqual(binningOutcome(e), { run: 179, written: [], failed: [0, 1].map((m) => ({ module: m, reason: failed(m) })), notWritten: [] });
          return true;
        });
      } finally {
        run.close();
      }
      assert.deepEqual(readdirSync(out), []);
    } finally {
      rmSync(raw, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
      try { unlinkSync(filler); } catch { /* not written */ }
    }
  });
});
