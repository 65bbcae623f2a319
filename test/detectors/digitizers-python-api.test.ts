import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OptionsError, calibrateXgm, checkPeakParams, digitizerSignalDescription, dsscModuleChunks, findIntegParams, getBam, getDigAvgTrace,
  getDigitizerPeaks, getDsscModule, getLaserPeaks, getOnboardPeaks, getPeaks, getTimPeaks, getXgm, runByPath, slice,
} from '../../toolbox/index.js';
import { Dataset } from '../../toolbox/arrays/dataset.js';
import { resolveMnemonic } from '../../toolbox/mnemonics/lookup.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import { useMockRun } from '../helpers/mock-run.js';

/** Asserts that `call` throws (or rejects with) an OptionsError of function `fn` for unknown key `key`. */
async function rejectsOption(call: () => unknown, fn: string, key: string): Promise<void> {
  await assert.rejects(async () => { await call(); }, (err: unknown) => {
    assert.ok(err instanceof OptionsError, `${fn}: ${String(err)}`);
    assert.equal(err.functionName, fn);
    assert.deepEqual(err.unknown, [key]);
    assert.match(err.message, new RegExp(`^${fn}: unknown option '${key}'`));
    return true;
  });
}

describe('digitizers as the Python toolbox has them', () => {
  const fx = useMockRun({ trains: 6, frames: 4, modules: [0], seed: 8 });

  describe('options are checked at run time (plain-JS callers)', () => {
    it("getTimPeaks(run, {mnemonic: 'MCP3apd'}) names the key, the function and suggests 'mnemonics'", async () => {
      await assert.rejects(getTimPeaks(fx.run, { mnemonic: 'MCP3apd' } as never), (err: unknown) => {
        assert.ok(err instanceof OptionsError);
        assert.equal(err.name, 'OptionsError');
        assert.equal(err.functionName, 'getTimPeaks');
        assert.deepEqual(err.suggestions, ['mnemonics']);
        assert.equal(err.message, "getTimPeaks: unknown option 'mnemonic'. Did you mean 'mnemonics'? getTimPeaks accepts "
          + '{ mnemonics, mergeWith, bunchPattern, integParams, keepAllSase, useRaw, autoFind, bpt, ntrainsAvg, chunksize, sign }.');
        return true;
      });
    });

    it('a string where the options belong is an OptionsError, not silently the defaults', async () => {
      await assert.rejects(getTimPeaks(fx.run, 'MCP3apd' as never), (err: unknown) => {
        assert.ok(err instanceof OptionsError);
        assert.equal(err.dtype, 'string');
        assert.match(err.message, /^getTimPeaks: options must be an object such as \{ mnemonics, mergeWith, .* \}, got the string 'MCP3apd'$/);
        return true;
      });
      await assert.rejects(getLaserPeaks(fx.run, 'scs_ppl' as never), /^OptionsError: getLaserPeaks: options must be an object/);
      await assert.rejects(getPeaks(fx.run, 'MCP1raw', ['sase3'] as never), /got an array \(1 items\)/);
    });

    it('every detectors entry point with options checks them on entry, under its public name', async () => {
      const ds = new Dataset({});
      const calls: [string, string, () => unknown][] = [
        ['getXgm', 'mnemonic', () => getXgm(fx.run, { mnemonic: 'SCS_SA3' } as never)],
        ['calibrateXgm', 'plotIt', () => calibrateXgm(fx.run, ds, { plotIt: true } as never)],
        ['getBam', 'bunch_pattern', () => getBam(fx.run, { bunch_pattern: 'sase1' } as never)],
        ['getDsscModule', 'pulse', () => getDsscModule(fx.run, 0, { pulse: 1 } as never)],
        ['dsscModuleChunks', 'chunkSize', () => dsscModuleChunks(fx.run, 0, { chunkSize: 2 } as never)],
        ['getDigAvgTrace', 'nTrains', () => getDigAvgTrace(fx.run, 'MCP1raw', { nTrains: 2 } as never)],
        ['findIntegParams', 'polarity', () => findIntegParams([0, 0, 0, 1, 0], { polarity: 1 } as never)],
        ['getPeaks', 'extra_dim', () => getPeaks(fx.run, 'MCP1raw', { extra_dim: 'x' } as never)],
        ['getOnboardPeaks', 'useRaw', () => getOnboardPeaks(fx.run, 'MCP1apd', { useRaw: false } as never)],
        ['checkPeakParams', 'show_all', () => checkPeakParams(fx.run, 'MCP1raw', { show_all: true } as never)],
        ['getLaserPeaks', 'merge_with', () => getLaserPeaks(fx.run, { merge_with: ds } as never)],
        ['getDigitizerPeaks', 'mnemonics', () => getDigitizerPeaks(fx.run, 'MCP1raw', { mnemonics: 'MCP1raw' } as never)],
      ];
      for (const [fn, key, call] of calls) await rejectsOption(call, fn, key);
    });
  });

  describe('getPeaks: data, useRaw, extraDim, indices, bpt', () => {
    it('useRaw: false (or an apd mnemonic) gives the device integrals as MCP1peaks; useRaw: true on MCP1apd integrates MCP1raw', async () => {
      const onboard = await getOnboardPeaks(fx.run, 'MCP1apd');
      const a = await getPeaks(fx.run, 'MCP1raw', { useRaw: false });
      const b = await getPeaks(fx.run, 'MCP1apd');
      for (const p of [a, b]) {
        assert.equal(p.name, 'MCP1peaks');
        assert.deepEqual(p.dims, ['trainId', 'sa3_pId']);
        assert.deepEqual(Array.from(p.values as Float32Array), Array.from(onboard.values as Float32Array));
      }
      const raw = await getPeaks(fx.run, 'MCP1apd', { useRaw: true });
      assert.equal(raw.attrs.autoFind, true);
      assert.deepEqual(Array.from(raw.values as Float64Array), Array.from((await getPeaks(fx.run, 'MCP1raw')).values as Float64Array));
    });

    it('extraDim names the pulse dimension; data takes integrals already loaded', async () => {
      const p = await getPeaks(fx.run, 'MCP1raw', { extraDim: 'pulse' });
      assert.deepEqual(p.dims, ['trainId', 'pulse']);
      assert.deepEqual(Array.from(p.coords.pulse.values as BigInt64Array, Number), fx.truth.physics.bunchPattern.sase3PulseIds);
      const q = await getPeaks(fx.run, 'MCP1apd', { extraDim: 'pulse' });
      assert.deepEqual(q.dims, ['trainId', 'pulse']);
      const m = resolveMnemonic('MCP1apd', fx.run);
      const loaded = await fx.run.getArray(m.source, m.key, { extraDims: ['apdId'] });
      const fromData = await getPeaks(fx.run, 'MCP1apd', { data: loaded });
      assert.deepEqual(Array.from(fromData.values as Float32Array), Array.from((await getOnboardPeaks(fx.run, 'MCP1apd')).values as Float32Array));
    });

    it('without a bunch pattern the device integrals need indices (positions or a slice)', async () => {
      const n = fx.truth.physics.bunchPattern.sase3PulseIds.length;
      const onboard = await getOnboardPeaks(fx.run, 'MCP1apd');
      const byList = await getPeaks(fx.run, 'MCP1apd', { bunchPattern: null, indices: [0, 1] });
      const bySlice = await getPeaks(fx.run, 'MCP1apd', { bunchPattern: 'None', indices: slice(0, 2) });
      for (const p of [byList, bySlice]) {
        assert.deepEqual(p.dims, ['trainId', 'pulseNb']);
        assert.deepEqual(Array.from(p.coords.pulseNb.values as BigInt64Array, Number), [0, 1]);
        for (let t = 0; t < fx.truth.trainIds.length; t++) {
          assert.deepEqual([p.item(t, 0), p.item(t, 1)], [onboard.item(t, 0), onboard.item(t, 1)]);
        }
      }
      assert.ok(n >= 2);
      await assert.rejects(getPeaks(fx.run, 'MCP1apd', { bunchPattern: null }), /MCP1apd: without a bunch pattern, give indices/);
      await assert.rejects(getPeaks(fx.run, 'MCP1apd', { bunchPattern: null, indices: [1000] }), /MCP1apd: index 1000 is outside the 1000 entries/);
    });

    it('bpt: a bunch pattern table given instead of the run’s gives the same pulses', async () => {
      const m = resolveMnemonic('bunchPatternTable', fx.run);
      const bpt = await fx.run.getArray(m.source, m.key, { extraDims: ['pulse_slot'] });
      const withTable = await getPeaks(fx.run, 'MCP1raw', { bpt });
      const direct = await getPeaks(fx.run, 'MCP1raw');
      assert.deepEqual(withTable.coords.sa3_pId.values, direct.coords.sa3_pId.values);
      assert.deepEqual(Array.from(withTable.values as Float64Array), Array.from(direct.values as Float64Array));
      const tim = await getTimPeaks(fx.run, { mnemonics: 'MCP1apd', bpt });
      assert.deepEqual(Array.from(tim.get('MCP1peaks').values as Float32Array), Array.from((await getOnboardPeaks(fx.run, 'MCP1apd')).values as Float32Array));
    });
  });

  describe('checkPeakParams: showAll and apd mnemonics', () => {
    it('showAll gives the entire trace with the windows of every pulse, and one panel for them', async () => {
      const check = await checkPeakParams(fx.run, 'MCP1raw', { ntrains: 3, showAll: true });
      const ids = fx.truth.physics.bunchPattern.sase3PulseIds;
      const all = check.all!;
      assert.equal(all.start, 0);
      assert.equal(all.segment.length, fx.truth.physics.adq.samples);
      assert.deepEqual(all.pulses.map((p) => p.pulse), ids);
      const { pulseStart, pulseStop, baseStart } = check.params;
      all.pulses.forEach((p, k) => {
        const off = (ids[k] - ids[0]) * 440;
        assert.deepEqual(p.pulseWindow, [pulseStart + off, pulseStop + off]);
        assert.equal(p.baseWindow[0], baseStart + off);
      });
      const spec = await check.plot!.toSpec() as { vconcat?: { layer: { data: { values: unknown[] } }[] }[]; hconcat?: unknown };
      assert.equal(spec.hconcat, undefined);
      assert.equal(spec.vconcat!.length, 1);
      assert.equal(spec.vconcat![0].layer[0].data.values.length, 2 * ids.length);
      const plain = await checkPeakParams(fx.run, 'MCP1raw', { ntrains: 3 });
      assert.equal(plain.all, undefined);
    });

    it("an apd mnemonic names its channel's trace, as in the Python docs ('MCP2apd')", async () => {
      const viaApd = await checkPeakParams(fx.run, 'MCP1apd', { ntrains: 3, plot: false });
      const viaRaw = await checkPeakParams(fx.run, 'MCP1raw', { ntrains: 3, plot: false });
      assert.deepEqual(viaApd.params, viaRaw.params);
      assert.equal((await getDigAvgTrace(fx.run, 'MCP1apd', { ntrains: 2 })).name, 'MCP1raw');
    });
  });
});

describe('digitizerSignalDescription: FastADC2 and ADQ412_2', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-digdesc-'));
    mkdirSync(join(dir, 'r'));
    const str = (s: string, n = 1) => ({ dtype: 'string' as const, entryShape: [], values: Array<string>(n).fill(s) });
    await writeRunFile({
      path: join(dir, 'r', 'RAW-R0001-DA01-S00000.h5'), formatVersion: '1.0', trainIds: [7n, 8n],
      control: {
        'SCS_UTC2_FADC/ADC/1': { keys: { 'channel_3.description': str('I0 photodiode', 2) }, run: { 'channel_3.description': str('I0 photodiode') } },
        'SCS_UTC2_ADQ/ADC/1': { keys: { 'board1.channel_1_B.description': str('reflectivity', 2) }, run: { 'board1.channel_1_B.description': str('reflectivity') } },
      },
      instrument: {
        'SCS_UTC2_FADC/ADC/1:channel_3.output': { indexGroups: { data: { counts: [1, 1], keys: { rawData: { dtype: 'uint16', entryShape: [8], values: new Uint16Array(16) } } } } },
        'SCS_UTC2_ADQ/ADC/1:network': { indexGroups: { digitizers: { counts: [1, 1], keys: { 'channel_1_B.raw.samples': { dtype: 'int16', entryShape: [8], values: new Int16Array(16) } } } } },
      },
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the channels and recorded descriptions of the chosen digitizers only; unknown names are refused', async () => {
    const run = await runByPath(join(dir, 'r'));
    try {
      assert.deepEqual(digitizerSignalDescription(run, 'FastADC2'), {
        FastADC2_3raw: 'FastADC2 channel 3 (SCS_UTC2_FADC/ADC/1:channel_3.output)',
        'SCS_UTC2_FADC/ADC/1.channel_3.description.value': 'I0 photodiode',
      });
      assert.deepEqual(digitizerSignalDescription(run, 'ADQ412_2'), {
        'ADQ412_2 channel_1_B': 'ADQ412_2 channel_1_B (SCS_UTC2_ADQ/ADC/1:network)',
        'SCS_UTC2_ADQ/ADC/1.board1.channel_1_B.description.value': 'reflectivity',
      });
      assert.deepEqual(Object.keys(digitizerSignalDescription(run)).sort(), [
        'ADQ412_2 channel_1_B', 'FastADC2_3raw', 'SCS_UTC2_ADQ/ADC/1.board1.channel_1_B.description.value', 'SCS_UTC2_FADC/ADC/1.channel_3.description.value',
      ]);
      assert.deepEqual(digitizerSignalDescription(run, ['FastADC', 'ADQ412']), {});
      assert.throws(() => digitizerSignalDescription(run, 'FastADC3' as never), {
        name: 'ParameterError', message: "digitizerSignalDescription: unknown digitizer 'FastADC3'; use one of FastADC, FastADC2, ADQ412, ADQ412_2",
      });
    } finally {
      run.close();
    }
  });
});
