/**
 * Errors with nouns: SourceNameError, PropertyNameError, ParameterError,
 * MnemonicError, TrainIdError and NoDataError carry the offending name and
 * what exists, stay ToolBoxValueErrors (so older instanceof checks hold) and
 * keep their messages. Also: openRun's dataRoot option, and loadXgm telling
 * a bad xgmName from a run without the XGM.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DSSCBinner } from '../../toolbox/routines/dssc/binner.js';
import {
  MnemonicError, NoDataError, ParameterError, PropertyNameError, SourceNameError, ToolBoxError, ToolBoxPathError, ToolBoxValueError, TrainIdError,
} from '../../toolbox/errors.js';
import { mnemonicKeyData, resolveMnemonic } from '../../toolbox/mnemonics/lookup.js';
import { byId, type DataCollection, findRunPath, openRun, runByPath } from '../../toolbox/run/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { getXgm } from '../../toolbox/detectors/xgm.js';
import { LT3, XGM, tempDir, writeStandardRun } from './fixtures.js';

describe('errors with nouns', () => {
  it('are ToolBoxValueErrors named after their class, carrying what was wrong', () => {
    const cases: [ToolBoxValueError, string][] = [
      [new SourceNameError('m', { source: 'S', available: ['A'] }), 'SourceNameError'],
      [new PropertyNameError('m', { source: 'S', key: 'k', available: ['a'] }), 'PropertyNameError'],
      [new ParameterError('m', { parameter: 'p', value: 3 }), 'ParameterError'],
      [new MnemonicError('m', { mnemonic: 'X', suggestions: ['Y'] }), 'MnemonicError'],
      [new TrainIdError('m', { trainIds: [5n] }), 'TrainIdError'],
      [new NoDataError('m', { source: 'S', key: 'k' }), 'NoDataError'],
    ];
    for (const [e, name] of cases) {
      assert.ok(e instanceof ToolBoxValueError && e instanceof ToolBoxError && e instanceof Error, name);
      assert.equal(e.name, name);
      assert.equal(String(e), `${name}: m`);
    }
    const m = new MnemonicError('m', { mnemonic: 'X', suggestions: ['Y'] });
    assert.ok(m instanceof ParameterError);
    assert.deepEqual([m.parameter, m.value, m.mnemonic, m.suggestions], ['mnemonic', 'X', 'X', ['Y']]);
    const cause = new Error('inner');
    assert.equal(new SourceNameError('m', { source: 'S', available: [], cause }).cause, cause);
  });

  describe('from the run reader and the mnemonics', () => {
    let tmp: Awaited<ReturnType<typeof tempDir>>;
    let run: DataCollection;
    before(async () => {
      tmp = await tempDir('scs-nouns-');
      await writeStandardRun(tmp.dir);
      run = await runByPath(tmp.dir);
    });
    after(async () => {
      run.close();
      await tmp.cleanup();
    });

    it('unknown source: SourceNameError with the selection\'s sources, message unchanged', () => {
      assert.throws(() => run.keyInfo('SCS_ILH_LAS/MOTOR/LT4', 'x'), (e: Error) => e instanceof SourceNameError
        && e.source === 'SCS_ILH_LAS/MOTOR/LT4' && e.available.join() === run.allSources.join()
        && e.message.startsWith(`source 'SCS_ILH_LAS/MOTOR/LT4' not found in ${tmp.dir}. Did you mean '${LT3}'?`));
      assert.throws(() => run.select('NOPE*'), (e: Error) => e instanceof SourceNameError && e.source === 'NOPE*');
    });

    it('unknown key: PropertyNameError with the source\'s keys', () => {
      assert.throws(() => run.keyInfo(XGM, 'data.intensityTDD'), (e: Error) => e instanceof PropertyNameError
        && e.source === XGM && e.key === 'data.intensityTDD' && e.available.join() === 'data.intensityTD,data.trainId');
      assert.throws(() => run.select(XGM, 'nothing*'), (e: Error) => e instanceof PropertyNameError && e.key === 'nothing*'
        && /^no key matches 'nothing\*' in /.test(e.message));
      assert.throws(() => run.getRunValue(LT3, 'sped'), (e: Error) => e instanceof PropertyNameError && e.available.join() === 'classId,speed');
    });

    it('bad arguments: ParameterError naming the parameter; absent train IDs: TrainIdError', async () => {
      await assert.rejects(openRun(2719, 17, { data: 'calibrated' as never }), (e: Error) => e instanceof ParameterError
        && e.parameter === 'data' && e.value === 'calibrated' && e.expected?.join() === 'raw,proc,all,default'
        && e.message === "invalid data 'calibrated': expected 'raw', 'proc', 'all' or 'default'");
      assert.throws(() => run.splitTrains(0).next(), (e: Error) => e instanceof ParameterError && e.parameter === 'trainsPerPart');
      await assert.rejects(run.trainsChunks(XGM, 'data.intensityTD', { chunksize: 1.5 }).next(), (e: Error) => e instanceof ParameterError
        && e.parameter === 'chunksize' && e.message === 'chunksize must be a positive integer, got 1.5');
      assert.throws(() => run.selectTrains(byId([5, 6])), (e: Error) => e instanceof TrainIdError && e.trainIds.join() === '5,6');
    });

    it('mnemonics: unknown name is a MnemonicError; a device the run lacks is a SourceNameError with the mnemonic', () => {
      assert.throws(() => resolveMnemonic('SCS_SA33', run), (e: Error) => e instanceof MnemonicError && e instanceof ParameterError
        && e.mnemonic === 'SCS_SA33' && e.suggestions[0] === 'SCS_SA3' && /^unknown mnemonic 'SCS_SA33'; closest known: SCS_SA3/.test(e.message));
      assert.throws(() => resolveMnemonic('nrj', run), (e: Error) => e instanceof SourceNameError && e.mnemonic === 'nrj'
        && e.source === 'SA3_XTD10_MONO/MDL/PHOTON_ENERGY' && e.available.includes(LT3)
        && /^mnemonic 'nrj' \(SA3_XTD10_MONO\/MDL\/PHOTON_ENERGY \/ actualEnergy.value\) is not in this run: no such source/.test(e.message));
      assert.deepEqual(mnemonicKeyData(run, { source: LT3, key: 'AActualPosition', dim: null }).shape, [20]);
      assert.throws(() => mnemonicKeyData(run, 'SCS_SA3'), (e: Error) => e instanceof PropertyNameError && e.mnemonic === 'SCS_SA3' && e.key === 'data.intensitySa3TD');
      assert.throws(() => resolveMnemonic({ source: LT3, key: 'speed', dim: null }, run), (e: Error) => e instanceof PropertyNameError
        && e.source === LT3 && e.key === 'speed' && e.available.includes('AActualPosition.value')
        && /is not in this run: source SCS_ILH_LAS\/MOTOR\/LT3 is there but lacks the key/.test(e.message));
    });
  });

  describe('openRun({dataRoot}) and the DSSC binner\'s XGM', () => {
    let tmp: Awaited<ReturnType<typeof tempDir>>;
    let root: string;
    const saved = process.env.EXFEL_DATA_ROOT;
    before(async () => {
      tmp = await tempDir('scs-dataroot-');
      root = join(tmp.dir, 'exp');
      const raw = join(root, 'SCS', '202501', 'p002719', 'raw');
      await mkdir(join(raw, 'r0017'), { recursive: true });
      await writeStandardRun(join(raw, 'r0017'));
      await writeMockRun(join(raw, 'r0018'), { trains: 4, modules: [0], frames: 2 });
      process.env.EXFEL_DATA_ROOT = join(tmp.dir, 'elsewhere');
    });
    after(async () => {
      if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
      else process.env.EXFEL_DATA_ROOT = saved;
      await tmp.cleanup();
    });

    it('finds the run under the dataRoot given, leaving EXFEL_DATA_ROOT alone', async () => {
      const run = await openRun('p002719', 'r0017', { dataRoot: root });
      assert.equal(run.trainIds.length, 20);
      assert.equal(run.runFiles.where, join(root, 'SCS', '202501', 'p002719', 'raw', 'r0017'));
      run.close();
      assert.equal(process.env.EXFEL_DATA_ROOT, join(tmp.dir, 'elsewhere'));
      assert.equal(findRunPath(2719, 17, 'raw', root), run.runFiles.where);
      await assert.rejects(openRun(2719, 17), (e: Error) => e instanceof ToolBoxPathError
        && e.message === `data root ${join(tmp.dir, 'elsewhere')} does not exist (set EXFEL_DATA_ROOT); looking for proposal p002719`);
      await assert.rejects(openRun(2719, 17, { dataRoot: join(tmp.dir, 'none') }), (e: Error) => e instanceof ToolBoxPathError
        && e.message === `data root ${join(tmp.dir, 'none')} does not exist; looking for proposal p002719`);
    });

    it('loadXgm: a bad xgmName is a ParameterError, not a missing device', async () => {
      const b = await DSSCBinner.create(2719, 18, { dataRoot: root, xgmName: 'nrj' });
      try {
        await assert.rejects(b.loadXgm(), (e: Error) => e instanceof ParameterError && e.parameter === 'mnemonics' && e.value === 'nrj'
          && e.message.startsWith("'nrj' is not a pulse-resolved XGM mnemonic; use one of SCS_SA3"));
      } finally {
        b.run.close();
      }
      const noXgm = await runByPath(findRunPath(2719, 18, 'raw', root), { include: '*DSSC*' });
      try {
        await assert.rejects(getXgm(noXgm), SourceNameError);
        const b2 = await DSSCBinner.create(noXgm, {});
        await assert.rejects(b2.loadXgm('XGM normalisation'), (e: Error) => e instanceof SourceNameError && e.mnemonic === 'SCS_SA3'
          && e.source === 'SCS_BLU_XGM/XGM/DOOCS:output' && e.cause instanceof SourceNameError
          && e.message.startsWith("XGM 'SCS_SA3' is needed for XGM normalisation but cannot be read: mnemonic 'SCS_SA3'"));
      } finally {
        noXgm.close();
      }
    });
  });
});
