import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolBoxFileError, ToolBoxPathError, ToolBoxValueError } from '../../toolbox/errors.js';
import { runByPath } from '../../toolbox/run/index.js';
import { withH5File } from '../../toolbox/io/h5file.js';
import { DSSC, LT3, XGM, range, tempDir, writeDaFile, writeStandardRun } from './fixtures.js';

describe('run reader: bad input', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => { tmp = await tempDir(); });
  afterEach(async () => { await tmp.cleanup(); });

  it('names a missing run folder', async () => {
    const missing = join(tmp.dir, 'r9999');
    await assert.rejects(runByPath(missing), (e: Error) => e instanceof ToolBoxPathError && e.message.includes(missing));
  });

  it('names an empty run folder', async () => {
    await writeFile(join(tmp.dir, 'notes.txt'), 'x');
    await assert.rejects(runByPath(tmp.dir), (e: Error) => e instanceof ToolBoxPathError && /contains no \.h5 files/.test(e.message) && e.message.includes(tmp.dir));
    await writeStandardRun(tmp.dir);
    await assert.rejects(runByPath(tmp.dir, { include: '*AGIPD*' }), /no \.h5 files matching '\*AGIPD\*'/);
  });

  it('names a non-HDF5 and a truncated file; skipBadFiles skips them with a warning', async () => {
    await writeStandardRun(tmp.dir);
    const fake = join(tmp.dir, 'RAW-R0017-DA02-S00000.h5');
    await writeFile(fake, 'this is not HDF5');
    await assert.rejects(runByPath(tmp.dir), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(fake) && /not an HDF5 file/.test(e.message));
    const whole = await readFile(join(tmp.dir, 'RAW-R0017-DSSC00-S00000.h5'));
    const cut = join(tmp.dir, 'RAW-R0017-DSSC01-S00000.h5');
    await writeFile(cut, whole.subarray(0, 2048));
    await writeFile(fake, whole.subarray(0, 0));
    const warnings: string[] = [];
    const onWarn = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarn);
    try {
      await assert.rejects(runByPath(tmp.dir, { include: '*DSSC01*' }), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(cut));
      const run = await runByPath(tmp.dir, { skipBadFiles: true });
      assert.deepEqual(run.skippedFiles.map((s) => s.file).sort(), [fake, cut].sort());
      assert.deepEqual(run.trainIds, range(10000, 10020).map(Number));
      assert.match(run.info(), /2 unreadable files skipped/);
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes('DSSC01') && w.includes('DA02')), warnings.join('\n'));
      run.close();
    } finally {
      process.off('warning', onWarn);
    }
  });

  it('names an HDF5 file that is not a run file', async () => {
    await writeStandardRun(tmp.dir);
    const other = join(tmp.dir, 'analysis.h5');
    await withH5File(other, 'w', (f) => { f.create_group('stuff'); });
    await assert.rejects(runByPath(tmp.dir), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(other) && /not a EuXFEL run file/.test(e.message));
    const run = await runByPath(tmp.dir, { skipBadFiles: true });
    assert.deepEqual(run.skippedFiles.map((s) => s.file), [other]);
    run.close();
  });

  it('rejects the same source and train in two files, naming both', async () => {
    await writeDaFile(join(tmp.dir, 'RAW-R0017-DA01-S00000.h5'), '1.0', range(10000, 10005));
    await writeDaFile(join(tmp.dir, 'RAW-R0017-DA01-S00001.h5'), '1.0', range(10004, 10008));
    await assert.rejects(runByPath(tmp.dir), (e: Error) => e instanceof ToolBoxValueError
      && /train 10004/.test(e.message) && e.message.includes('DA01-S00000.h5') && e.message.includes('DA01-S00001.h5')
      && (e.message.includes(LT3) || e.message.includes(XGM)));
  });

  it('lists close matches and what exists for unknown sources and keys', async () => {
    await writeStandardRun(tmp.dir);
    const run = await runByPath(tmp.dir);
    assert.throws(() => run.keysForSource('SCS_ILH_LAS/MOTOR/LT4'), (e: Error) => e instanceof ToolBoxValueError
      && /source 'SCS_ILH_LAS\/MOTOR\/LT4' not found/.test(e.message) && e.message.includes(`Did you mean '${LT3}'`) && e.message.includes(DSSC));
    await assert.rejects(run.getArray(XGM, 'data.intensityTDD'), (e: Error) => e instanceof ToolBoxValueError
      && e.message.includes(`key 'data.intensityTDD' not found for source ${XGM}`) && /Did you mean 'data.intensityTD'/.test(e.message));
    assert.throws(() => run.dataCounts(LT3, 'APosition'), /Available keys: AActualPosition/);
    run.close();
  });

  it('includes suspect trains by default and drops them on request (flag inverted in 1.1)', async () => {
    for (const v of ['1.0', '1.1', '1.2'] as const) {
      const dir = join(tmp.dir, v);
      await mkdir(dir);
      await writeDaFile(join(dir, 'RAW-R0001-DA01-S00000.h5'), v, range(10000, 10004), [1, 0, 1, 1]);
      const all = await runByPath(dir);
      assert.equal((await all.getArray(LT3, 'AActualPosition')).shape[0], 4, v);
      const good = await runByPath(dir, { incSuspectTrains: false });
      const a = await good.getArray(LT3, 'AActualPosition');
      assert.deepEqual(Array.from(a.coords.trainId.values as BigUint64Array), [10000n, 10002n, 10003n], v);
      assert.deepEqual(good.trainIds, [10000, 10002, 10003], v);
      all.close();
      good.close();
    }
  });
});
