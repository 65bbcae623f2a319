import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, calibrateXgm, getSasePId, getXgm, npulsesHasChanged, runByPath, slice } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';

const XGM_OUT = 'SCS_BLU_XGM/XGM/DOOCS:output';
const TIMESERVER_OUT = 'SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern';
const SASE3 = (4 << 18) | (1 << 27);

/** A 3-train run whose SASE3 pulses change per train: [100, 104], [100, 104, 108], [104]. */
async function changingPatternRun(dir: string, withTable = true): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pulses = [[100, 104], [100, 104, 108], [104]];
  const slots = 1000, entries = 3000;
  const xgm = new Float32Array(3 * slots).fill(1);
  const xgmValues = [[5, 6], [7, 8, 9], [3]];
  xgmValues.forEach((vals, t) => vals.forEach((v, k) => { xgm[t * slots + k] = v; }));
  const table = new Uint32Array(3 * entries);
  pulses.forEach((ids, t) => ids.forEach((id) => { table[t * entries + id] = SASE3; }));
  const instrument: Parameters<typeof writeRunFile>[0]['instrument'] = {
    [XGM_OUT]: { indexGroups: { data: { counts: [1, 1, 1], keys: { intensitySa3TD: { dtype: 'float32', entryShape: [slots], values: xgm } } } } },
  };
  if (withTable) {
    instrument[TIMESERVER_OUT] = { indexGroups: { data: { counts: [1, 1, 1], keys: { bunchPatternTable: { dtype: 'uint32', entryShape: [entries], values: table } } } } };
  }
  await writeRunFile({ path: join(dir, 'RAW-R0001-DA01-S00000.h5'), formatVersion: '1.0', trainIds: [1000n, 1001n, 1002n], instrument });
}

describe('XGM on the bunch-pattern pulse axis', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-xgm-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('constant pattern (synthetic run)', () => {
    let truth: MockRunTruth;
    let run: DataCollection;
    before(async () => {
      truth = await writeMockRun(join(dir, 'mock'), { trains: 8, frames: 4, modules: [0], seed: 4 });
      run = await runByPath(join(dir, 'mock'));
    });
    after(() => run.close());

    it('puts slot k on the k-th SASE3 pulse ID', async () => {
      const ds = await getXgm(run);
      const x = ds.get('SCS_SA3');
      const ids = truth.physics.bunchPattern.sase3PulseIds;
      assert.deepEqual(x.dims, ['trainId', 'sa3_pId']);
      assert.deepEqual(Array.from(x.coords.sa3_pId.values as BigInt64Array, Number), ids);
      assert.deepEqual(Array.from(x.coords.trainId.values as BigUint64Array, Number), truth.trainIds);
      const raw = await run.getArray(XGM_OUT, 'data.intensitySa3TD');
      for (let t = 0; t < truth.trainIds.length; t++) {
        for (let k = 0; k < ids.length; k++) assert.equal(x.item(t, k), (raw.values as Float32Array)[t * 1000 + k]);
      }
    });

    it('calibrates against the slow photon flux (the generator writes both in µJ: F = 1)', async () => {
      const ds = await getXgm(run);
      const F = await calibrateXgm(run, ds);
      assert.ok(Math.abs(F - 1) < 1e-5, `F = ${F}`);
      const halved = ds.assign({ SCS_SA3: ds.get('SCS_SA3').mul(0.5) });
      assert.ok(Math.abs((await calibrateXgm(run, halved)) - 2) < 1e-5);
      await assert.rejects(calibrateXgm(run, ds.dropVars('SCS_SA3')), /calibrateXgm needs 'SCS_SA3' in the Dataset/);
    });

    it('converts raw XGM variables of mergeWith and merges on trainId', async () => {
      const raw = await run.getArray(XGM_OUT, 'data.intensitySa3TD', { extraDims: ['XGMbunchId'] });
      const pos = await run.getArray('SCS_ILH_LAS/MOTOR/LT3', 'AActualPosition');
      const { Dataset } = await import('../../toolbox/index.js');
      const ds = await getXgm(run, { mergeWith: new Dataset({ SCS_SA3: raw, delay: pos }) });
      assert.deepEqual(ds.dataVars.sort(), ['SCS_SA3', 'delay']);
      assert.deepEqual(ds.get('SCS_SA3').dims, ['trainId', 'sa3_pId']);
    });
  });

  it('changing pulse counts: the union of pulse IDs, NaN where a train had no such pulse, never shifted', async () => {
    const d = join(dir, 'changing');
    await changingPatternRun(d);
    const run = await runByPath(d);
    assert.equal(await npulsesHasChanged(run), true);
    assert.deepEqual(await getSasePId(run), [100, 104, 108]);
    const x = (await getXgm(run)).get('SCS_SA3');
    assert.deepEqual(Array.from(x.coords.sa3_pId.values as BigInt64Array, Number), [100, 104, 108]);
    assert.deepEqual(Array.from(x.values as Float32Array), [5, 6, NaN, 7, 8, 9, NaN, 3, NaN]);
    run.close();
  });

  it('without a bunch pattern: keeps slots, turns the 1.0 pads into NaN and says so', async () => {
    const d = join(dir, 'nopattern');
    await changingPatternRun(d, false);
    const run = await runByPath(d);
    const warnings: string[] = [];
    const on = (w: Error) => warnings.push(w.message);
    process.on('warning', on);
    const x = (await getXgm(run, { indices: slice(0, 3) })).get('SCS_SA3');
    await new Promise((r) => setImmediate(r));
    process.off('warning', on);
    assert.deepEqual(x.dims, ['trainId', 'XGMbunchId']);
    assert.deepEqual(Array.from(x.values as Float32Array), [5, 6, NaN, 7, 8, 9, 3, NaN, NaN]);
    assert.match(warnings.join(), /no bunch pattern in this run/);
    await assert.rejects(getXgm(run, { mnemonics: 'nrj' }), /'nrj' is not a pulse-resolved XGM mnemonic/);
    run.close();
  });
});
