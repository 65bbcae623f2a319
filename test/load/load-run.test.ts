import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDataRate, getArray, getPeaks, load, loadRunValues } from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

const DELAY_LINE = 'SCS_ILH_LAS/MOTOR/LT3';

describe('load() on a synthetic run under EXFEL_DATA_ROOT', function () {
  let root: string;
  let truth: MockRunTruth;
  let missing: number[];
  const savedRoot = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-load-'));
    const first = 1_000_000_000;
    missing = [first + 3, first + 7];
    truth = await writeMockRun(join(root, 'SCS', '202601', 'p002719', 'raw', 'r0179'), {
      proposal: 2719, run: 179, trains: 30, firstTrainId: first, frames: 4, modules: [0], seed: 2, scan: 'delay',
      trainsPerSequence: 12, missingTrains: { [DELAY_LINE]: missing },
    });
    process.env.EXFEL_DATA_ROOT = root;
  });
  after(() => {
    if (savedRoot === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = savedRoot;
    rmSync(root, { recursive: true, force: true });
  });

  it('merges the fields on the trains every field has, with the values the generator wrote', async () => {
    const { run, ds } = await load('p002719', 'r0179', ['SCS_SA3', 'PP800_DelayLine']);
    const kept = truth.trainIds.filter((t) => !missing.includes(t));
    assert.deepEqual(run.trainIds, truth.trainIds);
    assert.deepEqual(Array.from(ds.coords.trainId.values as BigUint64Array, Number), kept);
    // recorded positions scatter around the nominal scan point by the generator's jitter
    const positions = ds.get('PP800_DelayLine').values as Float64Array;
    kept.forEach((t, i) => {
      const nominal = truth.scanValuePerTrain[truth.trainIds.indexOf(t)];
      assert.ok(Math.abs(positions[i] - nominal) < 6 * truth.physics.scan.jitter, `train ${t}: ${positions[i]} vs ${nominal}`);
    });
    // XGM slots are put on the SASE3 pulse IDs by default
    const xgm = ds.get('SCS_SA3');
    assert.deepEqual(xgm.dims, ['trainId', 'sa3_pId']);
    assert.deepEqual(Array.from(xgm.coords.sa3_pId.values as BigInt64Array, Number), truth.physics.bunchPattern.sase3PulseIds);
  });

  it('puts BAM fields on the pulses of the bunch pattern chosen per field', async () => {
    const { ds } = await load(2719, 179, ['SCS_SA3', 'BAM1932M'], { bunchPattern: { BAM1932M: 'sase1' } });
    assert.deepEqual(ds.get('BAM1932M').dims, ['trainId', 'sa1_pId']);
    assert.deepEqual(Array.from(ds.get('BAM1932M').coords.sa1_pId.values as BigInt64Array, Number), truth.physics.bunchPattern.sase1PulseIds);
    const raw = await load(2719, 179, ['BAM1932M'], { extractBam: false });
    assert.deepEqual(raw.ds.get('BAM1932M').dims, ['trainId', 'BAMbunchId']);
  });

  it('replaces raw digitizer traces by their peaks on the SASE3 pulses', async () => {
    const { run, ds } = await load(2719, 179, ['SCS_SA3', 'MCP1raw']);
    assert.deepEqual(ds.dataVars.sort(), ['MCP1peaks', 'SCS_SA3']);
    const peaks = ds.get('MCP1peaks');
    assert.deepEqual(peaks.dims, ['trainId', 'sa3_pId']);
    const direct = await getPeaks(run, 'MCP1raw');
    assert.deepEqual(Array.from(peaks.values as Float64Array), Array.from(direct.values as Float64Array));
    // the generator makes peak areas proportional to the XGM pulse energies (plus noise)
    const x = Array.from(ds.get('SCS_SA3').values as Float32Array), p = Array.from(peaks.values as Float64Array);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mx = mean(x), mp = mean(p);
    let sxy = 0, sxx = 0, syy = 0;
    x.forEach((v, i) => { sxy += (v - mx) * (p[i] - mp); sxx += (v - mx) ** 2; syy += (p[i] - mp) ** 2; });
    assert.ok(sxy / Math.sqrt(sxx * syy) > 0.99, `correlation ${sxy / Math.sqrt(sxx * syy)}`);
    const raw = await load(2719, 179, ['MCP1raw'], { extractDigitizers: false });
    assert.deepEqual(raw.ds.dataVars, ['MCP1raw']);
  });

  it('extractXgm: false keeps the device slots, padded with 1.0', async () => {
    const { ds } = await load(2719, 179, ['SCS_SA3'], { extractXgm: false });
    const xgm = ds.get('SCS_SA3');
    assert.deepEqual(xgm.dims, ['trainId', 'XGMbunchId']);
    assert.deepEqual(xgm.shape, [truth.trainIds.length, truth.physics.xgm.slots]);
    assert.equal(xgm.item(0, truth.physics.xgm.slots - 1), truth.physics.xgm.padValue);
  });

  it('checkDataRate gives the fraction of trains with data and warns above 5% missing', async () => {
    const { run } = await load(2719, 179, ['PP800_DelayLine']);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const rates = checkDataRate(run, ['PP800_DelayLine', 'SCS_SA3']);
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    assert.deepEqual(rates, { PP800_DelayLine: 28 / 30, SCS_SA3: 1 });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /PP800_DelayLine \(6\.7% of 30 trains missing\)/);
    assert.ok(!/SCS_SA3/.test(warnings[0]));
  });

  it('getArray with a stepsize recovers the nominal scan points; loadRunValues reads the RUN section', async () => {
    const { run } = await load(2719, 179, ['PP800_DelayLine']);
    const rounded = await getArray(run, 'PP800_DelayLine', 0.025);
    const ids = Array.from(rounded.coords.trainId.values as BigUint64Array, Number);
    assert.deepEqual(ids, truth.trainIds.filter((t) => !missing.includes(t)));
    ids.forEach((t, i) => {
      const nominal = truth.scanValuePerTrain[truth.trainIds.indexOf(t)];
      assert.ok(Math.abs((rounded.values as Float64Array)[i] - nominal) < 1e-9, `train ${t}`);
    });
    const all = loadRunValues(run, { which: 'all' });
    assert.deepEqual(Object.keys(all).sort(), [...run.controlSources].sort());
    const mn = loadRunValues(run);
    for (const [name, v] of Object.entries(mn)) assert.ok(v !== undefined, name);
  });
});
