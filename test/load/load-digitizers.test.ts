import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDigitizerPeaks, getTimPeaks, getXgm, load } from '../../toolbox/index.js';
import { peakArea } from '../../toolbox/synthetic/run/mock-adq.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

/**
 * The Python docs' example `tb.load(2212, 208, ['SCS_SA3', 'MCP2apd', 'nrj'])`
 * on a synthetic run whose MCP sits on ADQ channel C (MCP2 in the XAS-TIM wiring).
 */
describe('load() puts digitizer fields on their pulse axis (extract_digitizers)', function () {
  let root: string;
  let truth: MockRunTruth;
  const savedRoot = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-load-dig-'));
    truth = await writeMockRun(join(root, 'SCS', '202601', 'p002212', 'raw', 'r0208'), {
      proposal: 2212, run: 208, trains: 8, frames: 4, modules: [0], seed: 5, scan: 'energy', adqChannel: 'C',
    });
    process.env.EXFEL_DATA_ROOT = root;
  });
  after(() => {
    if (savedRoot === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = savedRoot;
    rmSync(root, { recursive: true, force: true });
  });

  /** What the generator put into the device integrals: amplitude × pulse energy × peak area, sign flipped. */
  const expected = (xgm: Float32Array) => {
    const q = truth.physics.adq;
    const perUJ = q.amplitudePerUJ * peakArea(q.riseSamples, q.decaySamples);
    return Array.from(xgm, (e) => perUJ * e);
  };

  it("load(2212, 208, ['SCS_SA3', 'MCP2apd', 'nrj']) gives MCP2peaks on (trainId, sa3_pId) with the generator's areas", async () => {
    const { run, ds } = await load(2212, 208, ['SCS_SA3', 'MCP2apd', 'nrj']);
    assert.deepEqual(ds.dataVars.sort(), ['MCP2peaks', 'SCS_SA3', 'nrj']);
    const p = ds.get('MCP2peaks');
    assert.deepEqual(p.dims, ['trainId', 'sa3_pId']);
    const ids = truth.physics.bunchPattern.sase3PulseIds;
    assert.deepEqual(Array.from(p.coords.sa3_pId.values as BigInt64Array, Number), ids);
    assert.deepEqual(Array.from(p.coords.trainId.values as BigUint64Array, Number), truth.trainIds);
    assert.deepEqual(p.shape, [truth.trainIds.length, ids.length]);
    assert.equal(p.attrs.onboard, true);
    const want = expected(ds.get('SCS_SA3').values as Float32Array);
    (p.values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * want[i], `entry ${i}: ${v} vs ${want[i]}`));
    // the same as the wrappers give (Python: get_tim_peaks(run, mnemonic='MCP2apd'))
    const tim = await getTimPeaks(run, { mnemonics: 'MCP2apd' });
    assert.deepEqual(Array.from(tim.get('MCP2peaks').values as Float32Array), Array.from(p.values as Float32Array));
  });

  it('MCP2raw is integrated into MCP2peaks and agrees with the device integrals to 1%', async () => {
    const { ds } = await load(2212, 208, ['SCS_SA3', 'MCP2raw']);
    assert.deepEqual(ds.dataVars.sort(), ['MCP2peaks', 'SCS_SA3']);
    const p = ds.get('MCP2peaks');
    assert.deepEqual(p.dims, ['trainId', 'sa3_pId']);
    assert.equal(p.attrs.autoFind, true);
    const want = expected(ds.get('SCS_SA3').values as Float32Array);
    (p.values as Float64Array).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 0.01 * want[i], `entry ${i}: ${v} vs ${want[i]}`));
  });

  it('a raw trace and its device integrals together: a clear error naming both and the way out', async () => {
    const msg = "load: 'MCP2raw' and 'MCP2apd' would both become the variable 'MCP2peaks': the raw trace MCP2raw is integrated into MCP2peaks, "
      + "and MCP2apd is the device's own MCP2peaks. Ask for one of them, or keep the raw trace as it is with extractDigitizers: false (load) and integrate it with getPeaks(run, 'MCP2raw').";
    await assert.rejects(load(2212, 208, ['MCP2raw', 'MCP2apd']), (err: Error) => err.name === 'ToolBoxValueError' && err.message === msg);
    await assert.rejects(load(2212, 208, ['MCP2apd', 'SCS_SA3', 'MCP2raw']), { message: msg });
    await assert.rejects(load(2212, 208, ['FastADC5raw', 'FastADC5peaks']), { message: /^load: 'FastADC5raw' and 'FastADC5peaks' would both become the variable 'FastADC5peaks'/ });
    await assert.rejects(load(2212, 208, ['MCP2raw', 'MCP2peaks']), {
      name: 'ParameterError',
      message: "load: 'MCP2peaks' is not a mnemonic but the variable load() makes of MCP2raw (the integrated raw trace) or MCP2apd (the device's own integrals); ask for one of those",
    });
    // without extraction both are loaded as recorded, under their own names
    const { ds } = await load(2212, 208, ['MCP2raw', 'MCP2apd'], { extractDigitizers: false });
    assert.deepEqual(ds.dataVars.sort(), ['MCP2apd', 'MCP2raw']);
    assert.deepEqual(ds.get('MCP2apd').dims, ['trainId', 'apdId']);
  });

  it('the wrappers convert MCP2apd loaded as recorded (mergeWith), and refuse a raw + apd pair', async () => {
    const { run, ds } = await load(2212, 208, ['SCS_SA3', 'MCP2apd'], { extractDigitizers: false, extractXgm: false });
    const out = await getDigitizerPeaks(run, 'MCP2apd', { mergeWith: ds });
    assert.deepEqual(out.dataVars.sort(), ['MCP2peaks', 'SCS_SA3']);
    assert.deepEqual(out.get('MCP2peaks').dims, ['trainId', 'sa3_pId']);
    const xgm = (await getXgm(run)).get('SCS_SA3').values as Float32Array;
    const want = expected(xgm);
    (out.get('MCP2peaks').values as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-5 * want[i]));
    await assert.rejects(getTimPeaks(run, { mnemonics: ['MCP2raw', 'MCP2apd'] }), {
      message: "getTimPeaks: 'MCP2raw' and 'MCP2apd' would both become the variable 'MCP2peaks': the raw trace MCP2raw is integrated into MCP2peaks, "
        + "and MCP2apd is the device's own MCP2peaks. Ask for one of them, or get the other one with getPeaks(run, 'MCP2raw') and rename it.",
    });
  });
});
