import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, getOnboardPeaks, getPeaks, getTimPeaks, getXgm, onboardName, runByPath } from '../../toolbox/index.js';
import { adqShapeSum } from '../../toolbox/synthetic/run/mock-adq.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

describe('digitizer peaks from on-board integrals', () => {
  let dir: string;
  let truth: MockRunTruth;
  let run: DataCollection;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-apd-'));
    truth = await writeMockRun(dir, { trains: 6, frames: 4, modules: [0], seed: 8 });
    run = await runByPath(dir);
  });
  after(() => { run.close(); rmSync(dir, { recursive: true, force: true }); });

  it('puts the device integrals on the SASE3 pulses, positive, equal to amplitude × energy × shape area', async () => {
    const apd = await getOnboardPeaks(run, 'MCP1apd');
    assert.deepEqual(apd.dims, ['trainId', 'sa3_pId']);
    assert.deepEqual(Array.from(apd.coords.sa3_pId.values as BigInt64Array, Number), truth.physics.bunchPattern.sase3PulseIds);
    const xgm = (await getXgm(run)).get('SCS_SA3').values as Float32Array;
    const q = truth.physics.adq;
    const perUJ = q.amplitudePerUJ * adqShapeSum(q.riseSamples, q.decaySamples);
    (apd.values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - perUJ * xgm[i]) <= 1e-5 * perUJ * xgm[i], `${v} vs ${perUJ * xgm[i]}`));
  });

  it('agrees with integrating the raw trace (auto windows) to 1%', async () => {
    const apd = (await getOnboardPeaks(run, 'MCP1apd')).values as Float32Array;
    const raw = (await getPeaks(run, 'MCP1raw')).values as Float64Array;
    raw.forEach((v, i) => assert.ok(Math.abs(v - apd[i]) < 0.01 * apd[i], `pulse ${i}: raw ${v}, on-board ${apd[i]}`));
  });

  it('useRaw: false in the wrappers, and clear errors', async () => {
    const ds = await getTimPeaks(run, { mnemonics: 'MCP1raw', useRaw: false });
    assert.deepEqual(ds.dataVars, ['MCP1apd']);
    assert.equal(onboardName('FastADC5raw'), 'FastADC5peaks');
    assert.throws(() => onboardName('nrj'), /'nrj' has no on-board peak counterpart/);
    await assert.rejects(getOnboardPeaks(run, 'MCP1raw'), /'MCP1raw' is not an on-board peak mnemonic/);
    await assert.rejects(getOnboardPeaks(run, 'FastADC5peaks'), /mnemonic 'FastADC5peaks' .* is not in this run/);
  });
});
