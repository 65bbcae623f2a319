import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import { join } from 'node:path';
import { slice } from '../../toolbox/arrays/slice.js';
import { ToolBoxPathError, ToolBoxValueError } from '../../toolbox/errors.js';
import { byIndex, findRunPath, openRun, proposalNumber, runNumber } from '../../toolbox/run/index.js';
import { DSSC, LT3, XGM, XGM_MISSING, range, tempDir, writeStandardRun } from './fixtures.js';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');

describe('openRun, findRunPath and scs run-info', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let runDir: string;
  const saved = process.env.EXFEL_DATA_ROOT;
  before(async () => {
    tmp = await tempDir();
    runDir = join(tmp.dir, 'SCS', '202501', 'p002719', 'raw', 'r0017');
    await mkdir(runDir, { recursive: true });
    await writeStandardRun(runDir);
    await mkdir(join(tmp.dir, 'SCS', '202501', 'p002719', 'proc', 'r0017'), { recursive: true });
    process.env.EXFEL_DATA_ROOT = tmp.dir;
  });
  after(async () => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    await tmp.cleanup();
  });

  it('accepts the usual spellings of proposal and run', () => {
    for (const p of [2719, '2719', 'p002719']) assert.equal(proposalNumber(p), 2719);
    for (const r of [17, '17', 'r0017']) assert.equal(runNumber(r), 17);
    assert.throws(() => proposalNumber('x12'), ToolBoxValueError);
    assert.throws(() => runNumber(-1), ToolBoxValueError);
  });

  it('finds the run folder under EXFEL_DATA_ROOT', () => {
    assert.equal(findRunPath('p002719', 'r0017'), runDir);
    assert.throws(() => findRunPath(2719, 18), (e: Error) => e instanceof ToolBoxPathError && /r0018 does not exist/.test(e.message));
    assert.throws(() => findRunPath(1234, 17), (e: Error) => e instanceof ToolBoxPathError && /proposal p001234 not found/.test(e.message));
  });

  it('opens a run by proposal and number, with include and subset', async () => {
    const run = await openRun(2719, '17', { subset: byIndex(slice(0, 5)) });
    assert.deepEqual(run.trainIds, [10000, 10001, 10002, 10003, 10004]);
    run.close();
    const da = await openRun('2719', 17, { include: '*DA01*' });
    assert.deepEqual(da.allSources, [XGM, LT3]);
    da.close();
    await assert.rejects(openRun(2719, 17, { data: 'proc' }), /contains no \.h5 files/);
    const dflt = await openRun(2719, 17, { data: 'default' });
    assert.equal(dflt.trainIds.length, 20);
    dflt.close();
    const out = execFileSync(process.execPath, [cli, 'run-info', runDir, '--include', '*DSSC*', '--json'], { encoding: 'utf8' });
    assert.deepEqual(Object.keys(JSON.parse(out).sources), [DSSC]);
  });

  it("opens raw and proc together with data: 'all'", async () => {
    const procDir = join(tmp.dir, 'SCS', '202501', 'p002719', 'proc', 'r0017');
    const corr = 'SCS_DET_DSSC1M-1/CORR/0CH0:output';
    await writeRunFile({
      path: join(procDir, 'CORR-R0017-DSSC00-S00000.h5'), formatVersion: '1.0', trainIds: range(10000, 10020),
      instrument: { [corr]: { indexGroups: { image: { counts: new Array(20).fill(1), keys: { data: { dtype: 'float32', entryShape: [2], values: new Float32Array(40) } } } } } },
    });
    try {
      const all = await openRun(2719, 17, { data: 'all' });
      assert.deepEqual(all.instrumentSources, [XGM, corr, DSSC]);
      assert.equal(all.files.length, 4);
      // 'default': a source in both folders comes from proc only.
      await writeRunFile({
        path: join(procDir, 'CORR-R0017-DA01-S00000.h5'), formatVersion: '1.0', trainIds: range(10000, 10005),
        control: { [LT3]: { keys: { AActualPosition: { dtype: 'float64', entryShape: [], values: Float64Array.of(1, 2, 3, 4, 5) } } } },
      });
      const dflt = await openRun(2719, 17, { data: 'default' });
      assert.deepEqual(Array.from((await dflt.getArray(LT3, 'AActualPosition')).values as Float64Array), [1, 2, 3, 4, 5]);
      assert.equal(dflt.trainIds.length, 20);
      dflt.close();
      await rm(join(procDir, 'CORR-R0017-DA01-S00000.h5'));
      const proc = await openRun(2719, 17, { data: 'proc' });
      assert.deepEqual(proc.allSources, [corr]);
      all.close();
      proc.close();
    } finally {
      await rm(join(procDir, 'CORR-R0017-DSSC00-S00000.h5'));
    }
  });

  it('prints run-info as text and as the JSON contract', () => {
    const text = execFileSync(process.execPath, [cli, 'run-info', runDir], { encoding: 'utf8' });
    assert.match(text, /image\.data: \(38, 1, 4, 6\) uint16, 19\/20 trains/);
    const out = execFileSync(process.execPath, [cli, 'run-info', '2719', '17', '--json'], { encoding: 'utf8', env: { ...process.env, EXFEL_DATA_ROOT: tmp.dir } });
    const j = JSON.parse(out);
    assert.deepEqual(j.trainIds, range(10000, 10020).map(Number));
    assert.deepEqual(Object.keys(j.sources).sort(), [DSSC, LT3, XGM].sort());
    assert.deepEqual(j.sources[XGM].keys['data.intensityTD'], { shape: [20 - XGM_MISSING.length, 5], dtype: 'float32', trainsWithData: 17 });
    assert.deepEqual(j.sources[LT3].keys['AActualPosition.value'], { shape: [20], dtype: 'float64', trainsWithData: 20 });
  });

  it('fails run-info with one readable line', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [cli, 'run-info', join(tmp.dir, 'nope')], { encoding: 'utf8', stdio: 'pipe' });
      assert.fail('should fail');
    } catch (e) {
      stderr = String((e as { stderr?: string }).stderr);
    }
    assert.match(stderr, /scs: ToolBoxPathError: run folder not found/);
  });
});
