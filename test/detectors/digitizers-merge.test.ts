import assert from 'node:assert/strict';
import {
  getDigitizerPeaks, getLaserPeaks, getPeaks, getTimPeaks, loadFromRun, pulseIdsPerTrain,
} from '../../toolbox/index.js';
import { useMockRun } from '../helpers/mock-run.js';

const ids = (v: ArrayLike<number | bigint>) => Array.from(v, Number);

/** Raw traces in mergeWith, as load(..., {extractDigitizers: false}) leaves them, become peaks. */
describe('digitizer wrappers with raw traces in mergeWith', () => {
  const fx = useMockRun({ trains: 12, frames: 8, modules: [0], pixels: [8, 8], seed: 5 }, 'scs-dig-merge-');

  it('getTimPeaks integrates MCP1raw from mergeWith into MCP1peaks and drops the trace', async () => {
    const loaded = await loadFromRun(fx.run, ['MCP1raw', 'FastADC5raw', 'SCS_SA3']);
    assert.ok(loaded.has('MCP1raw'));
    const ds = await getTimPeaks(fx.run, { mergeWith: loaded });
    assert.deepEqual([...ds.dataVars].sort(), ['FastADC5raw', 'MCP1peaks', 'SCS_SA3']);
    const fromRun = await getPeaks(fx.run, 'MCP1raw');
    const got = ds.get('MCP1peaks');
    assert.deepEqual(got.dims, ['trainId', 'sa3_pId']);
    assert.deepEqual(ids(got.coords.sa3_pId.values as BigInt64Array), fx.truth.physics.bunchPattern.sase3PulseIds);
    assert.deepEqual(ids(got.coords.trainId.values as BigUint64Array), ids(fromRun.coords.trainId.values as BigUint64Array));
    // the windows are found on the average of the same 12 trains, so both ways give the same areas
    assert.equal(got.attrs.pulseStart, fromRun.attrs.pulseStart);
    assert.deepEqual(Array.from(got.values as Float64Array), Array.from(fromRun.values as Float64Array));
  });

  it('getLaserPeaks integrates FastADC5raw on the laser pattern and matches the generator', async () => {
    const loaded = await loadFromRun(fx.run, ['FastADC5raw']);
    const ds = await getLaserPeaks(fx.run, { mergeWith: loaded });
    assert.deepEqual(ds.dataVars, ['FastADC5peaks']);
    const got = ds.get('FastADC5peaks');
    assert.deepEqual(got.dims, ['trainId', 'ol_pId']);
    assert.deepEqual(ids(got.coords.ol_pId.values as BigInt64Array), fx.truth.physics.bunchPattern.laserPulseIds);
    const onboard = (await getLaserPeaks(fx.run, { useRaw: false })).get('FastADC5peaks');
    const a = got.values as Float64Array, b = onboard.values as Float64Array;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] / b[i] - 1) < 0.01, `pulse ${i}: ${a[i]} vs ${b[i]}`);
  });

  it('getDigitizerPeaks integrates only the trains mergeWith has', async () => {
    const loaded = await loadFromRun(fx.run, ['MCP1raw']);
    const some = loaded.isel({ trainId: [1, 4, 7] });
    const ds = await getDigitizerPeaks(fx.run, 'MCP1raw', { mergeWith: some, integParams: { pulseStart: 990, pulseStop: 1150, baseStart: 800, baseStop: 980 } });
    assert.deepEqual(ds.dataVars, ['MCP1peaks']);
    assert.deepEqual(ids(ds.coords.trainId.values as BigUint64Array), [1, 4, 7].map((i) => fx.truth.trainIds[i]));
    const full = await getPeaks(fx.run, 'MCP1raw', { integParams: { pulseStart: 990, pulseStop: 1150, baseStart: 800, baseStop: 980 } });
    const want = full.isel({ trainId: [1, 4, 7] });
    assert.deepEqual(Array.from(ds.get('MCP1peaks').values as Float64Array), Array.from(want.values as Float64Array));
  });

  it('skips a channel already extracted in mergeWith, with a warning', async () => {
    const peaks = await getTimPeaks(fx.run);
    const warnings: string[] = [];
    const onWarning = (w: Error) => { if (w.name === 'ToolBoxWarning') warnings.push(w.message); };
    process.on('warning', onWarning);
    try {
      const again = await getTimPeaks(fx.run, { mergeWith: peaks, mnemonics: 'MCP1raw' });
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(again.dataVars, ['MCP1peaks']);
      assert.ok(warnings.some((m) => /MCP1raw already extracted/.test(m)), warnings.join('\n'));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('getPeaks takes a bunch pattern read beforehand (what the wrappers share between channels)', async () => {
    const p = await pulseIdsPerTrain(fx.run, 'sase3');
    assert.ok(p);
    // keep only the first pulse of every train: the pulse axis follows the pattern given
    const firstOnly = { ...p, pulseIds: p.pulseIds.map((row) => row.slice(0, 1)) };
    const integParams = { pulseStart: 990, pulseStop: 1150, baseStart: 800, baseStop: 980 };
    const peaks = await getPeaks(fx.run, 'MCP1raw', { pulsePattern: firstOnly, integParams });
    assert.deepEqual(ids(peaks.coords.sa3_pId.values as BigInt64Array), [fx.truth.physics.bunchPattern.sase3PulseIds[0]]);
    const all = await getPeaks(fx.run, 'MCP1raw', { pulsePattern: p, integParams });
    assert.equal(peaks.item(0, 0), all.item(0, 0));
  });

  it('rejects loaded traces that are not (trainId, samples)', async () => {
    const loaded = await loadFromRun(fx.run, ['MCP1raw']);
    const one = loaded.get('MCP1raw').isel({ trainId: 0 });
    await assert.rejects(getPeaks(fx.run, 'MCP1raw', { data: one }), /MCP1raw: loaded traces must have dims \(trainId, samples\)/);
  });
});
