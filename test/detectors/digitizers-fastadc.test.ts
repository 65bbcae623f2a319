import assert from 'node:assert/strict';
import { getDigitizerPeaks, getLaserPeaks, getOnboardPeaks } from '../../toolbox/index.js';
import { peakShape } from '../../toolbox/synthetic/run/mock-adq.js';
import { fastAdcAmplitude } from '../../toolbox/synthetic/run/mock-physics.js';
import { useMockRun } from '../helpers/mock-run.js';

describe('FastADC laser photodiode', () => {
  // 8 frames per train: two pumped frames, so two laser pulses per train
  const fx = useMockRun({ trains: 6, frames: 8, modules: [0], seed: 9 });
  const area = (t: number, k: number) => {
    const q = fx.truth.physics.fastAdc;
    return fastAdcAmplitude(fx.truth.physics, t, k) * peakShape(q.riseSamples, q.decaySamples).reduce((s, v) => s + v, 0);
  };

  it('getLaserPeaks integrates the raw trace on the SCS laser pulses (auto windows, within 1%)', async () => {
    const ds = await getLaserPeaks(fx.run);
    assert.deepEqual(ds.dataVars, ['FastADC5peaks']);
    const p = ds.get('FastADC5peaks');
    const laser = fx.truth.physics.bunchPattern.laserPulseIds;
    assert.equal(laser.length, 2);
    assert.deepEqual(p.dims, ['trainId', 'ol_pId']);
    assert.deepEqual(Array.from(p.coords.ol_pId.values as ArrayLike<number | bigint>, Number), laser);
    fx.truth.trainIds.forEach((_, t) => laser.forEach((__, k) => {
      const v = p.item(t, k) as number;
      assert.ok(Math.abs(v - area(t, k)) < 0.01 * area(t, k), `train ${t} pulse ${k}: ${v} vs ${area(t, k)}`);
    }));
  });

  it('the device integrals (FastADC5peaks) are kept positive and equal the areas put in', async () => {
    const p = await getOnboardPeaks(fx.run, 'FastADC5peaks', { bunchPattern: 'scs_ppl' });
    assert.deepEqual(p.dims, ['trainId', 'ol_pId']);
    fx.truth.trainIds.forEach((_, t) => [0, 1].forEach((k) => {
      assert.ok(Math.abs((p.item(t, k) as number) - area(t, k)) <= 1e-5 * area(t, k));
    }));
  });

  it('the wrappers take the on-board mnemonic FastADC5peaks as Python does (device integrals, same name)', async () => {
    const onboard = await getOnboardPeaks(fx.run, 'FastADC5peaks', { bunchPattern: 'scs_ppl' });
    const laser = await getLaserPeaks(fx.run, { mnemonics: 'FastADC5peaks' });
    const dig = await getDigitizerPeaks(fx.run, 'FastADC5peaks', { bunchPattern: { FastADC5peaks: 'scs_ppl' } });
    for (const ds of [laser, dig]) {
      assert.deepEqual(ds.dataVars, ['FastADC5peaks']);
      assert.deepEqual(ds.get('FastADC5peaks').dims, ['trainId', 'ol_pId']);
      assert.deepEqual(Array.from(ds.get('FastADC5peaks').values as Float32Array), Array.from(onboard.values as Float32Array));
    }
    // a mnemonic missing from the per-mnemonic table takes the default, SASE3
    const sase3 = await getDigitizerPeaks(fx.run, 'FastADC5raw', { bunchPattern: { FastADC5peaks: 'scs_ppl' }, integParams: { pulseStart: 0, pulseStop: 4, baseStart: 4, baseStop: 8 } });
    assert.deepEqual(sase3.get('FastADC5peaks').dims, ['trainId', 'sa3_pId']);
  });
});
