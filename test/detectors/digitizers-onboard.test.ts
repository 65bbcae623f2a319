import assert from 'node:assert/strict';
import { getOnboardPeaks, getPeaks, getTimPeaks, getXgm } from '../../toolbox/index.js';
import { onboardName } from '../../toolbox/detectors/digitizers/onboard.js';
import { peakArea } from '../../toolbox/synthetic/run/mock-adq.js';
import { useMockRun } from '../helpers/mock-run.js';

describe('digitizer peaks from on-board integrals', () => {
  const fx = useMockRun({ trains: 6, frames: 4, modules: [0], seed: 8 });

  it('puts the device integrals on the SASE3 pulses, positive, equal to amplitude × energy × shape area', async () => {
    const apd = await getOnboardPeaks(fx.run, 'MCP1apd');
    assert.deepEqual(apd.dims, ['trainId', 'sa3_pId']);
    assert.deepEqual(Array.from(apd.coords.sa3_pId.values as BigInt64Array, Number), fx.truth.physics.bunchPattern.sase3PulseIds);
    const xgm = (await getXgm(fx.run)).get('SCS_SA3').values as Float32Array;
    const q = fx.truth.physics.adq;
    const perUJ = q.amplitudePerUJ * peakArea(q.riseSamples, q.decaySamples);
    (apd.values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - perUJ * xgm[i]) <= 1e-5 * perUJ * xgm[i], `${v} vs ${perUJ * xgm[i]}`));
  });

  it('agrees with integrating the raw trace (auto windows) to 1%', async () => {
    const apd = (await getOnboardPeaks(fx.run, 'MCP1apd')).values as Float32Array;
    const raw = (await getPeaks(fx.run, 'MCP1raw')).values as Float64Array;
    raw.forEach((v, i) => assert.ok(Math.abs(v - apd[i]) < 0.01 * apd[i], `pulse ${i}: raw ${v}, on-board ${apd[i]}`));
  });

  it('useRaw: false in the wrappers, and clear errors', async () => {
    const ds = await getTimPeaks(fx.run, { mnemonics: 'MCP1raw', useRaw: false });
    assert.deepEqual(ds.dataVars, ['MCP1peaks']);
    assert.equal(onboardName('FastADC5raw'), 'FastADC5peaks');
    assert.throws(() => onboardName('nrj'), /'nrj' has no on-board peak counterpart/);
    await assert.rejects(getOnboardPeaks(fx.run, 'MCP1raw'), /'MCP1raw' is not an on-board peak mnemonic/);
    await assert.rejects(getOnboardPeaks(fx.run, 'FastADC3peaks'), /mnemonic 'FastADC3peaks' .* is not in this run/);
  });
});
