import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DataCollection, checkPeakParams, digitizerSignalDescription, findIntegParams, getDigAvgTrace, getPeaks, getTimPeaks, getXgm, runByPath,
} from '../../toolbox/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';

const ADQ = 'SCS_UTC1_ADQ/ADC/1:network';
const TIMESERVER_OUT = 'SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern';
const SASE3 = (4 << 18) | (1 << 27);

/** Area of the generator's unit peak (mock-adq.ts peakShape). */
function unitArea(rise: number, decay: number): number {
  let a = 0;
  for (let x = 0; x < rise + 8 * decay; x++) a += x < rise ? (x / rise) * Math.exp(1 - x / rise) : Math.exp(-(x - rise) / decay);
  return a;
}

/**
 * 4 trains, SASE3 pulses [100, 104], [100, 104, 108], [104], none; channel D has a
 * 10-sample rectangular dip of depth `amp` at 1000 + (id − 100)·440 on a
 * baseline of 100; channel C exists but recorded nothing.
 */
const PULSES = [[100, 104], [100, 104, 108], [104], []];
const AMPS = [[5, 6], [7, 8, 9], [3], []];
const NS = 6000;
async function changingRun(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const entries = 3000;
  const table = new Uint32Array(4 * entries);
  const trace = new Int16Array(4 * NS).fill(100);
  PULSES.forEach((ids, t) => ids.forEach((id, k) => {
    table[t * entries + id] = SASE3;
    const at = t * NS + 1000 + (id - 100) * 440;
    for (let s = 0; s < 10; s++) trace[at + s] = 100 - AMPS[t][k];
  }));
  await writeRunFile({
    path: join(dir, 'RAW-R0001-DA01-S00000.h5'), formatVersion: '1.0', trainIds: [1000n, 1001n, 1002n, 1003n],
    instrument: {
      [TIMESERVER_OUT]: { indexGroups: { data: { counts: [1, 1, 1, 1], keys: { bunchPatternTable: { dtype: 'uint32', entryShape: [entries], values: table } } } } },
      [ADQ]: {
        indexGroups: {
          digitizers: {
            counts: [1, 1, 1, 1],
            keys: {
              'channel_1_D.raw.samples': { dtype: 'int16', entryShape: [NS], values: trace },
            },
          },
        },
      },
      'SCS_UTC1_ADQ/ADC/2:network': {
        indexGroups: { digitizers: { counts: [0, 0, 0, 0], keys: { 'channel_1_C.raw.samples': { dtype: 'int16', entryShape: [NS], values: new Int16Array(0) } } } },
      },
    },
  });
}

const WINDOWS = { pulseStart: 990, pulseStop: 1030, baseStart: 900, baseStop: 980 };

describe('digitizer peak integration', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-dig-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('synthetic run (writeMockRun)', () => {
    let truth: MockRunTruth;
    let run: DataCollection;
    before(async () => {
      truth = await writeMockRun(join(dir, 'mock'), { trains: 12, frames: 8, modules: [0], pixels: [8, 8], seed: 11 });
      run = await runByPath(join(dir, 'mock'));
    });
    after(() => run.close());

    it('recovers the generator peak areas within 1 % with automatic windows', async () => {
      const peaks = await getPeaks(run, 'MCP1raw');
      const ids = truth.physics.bunchPattern.sase3PulseIds;
      assert.deepEqual(peaks.dims, ['trainId', 'sa3_pId']);
      assert.deepEqual(Array.from(peaks.coords.sa3_pId.values as BigInt64Array, Number), ids);
      assert.equal(peaks.name, 'MCP1peaks');
      assert.equal(peaks.attrs.autoFind, true);
      assert.equal(peaks.attrs.period, (ids[1] - ids[0]) * 440);
      const q = truth.physics.adq;
      const per = q.amplitudePerUJ * unitArea(q.riseSamples, q.decaySamples);
      const xgm = (await getXgm(run)).get('SCS_SA3');
      assert.deepEqual(Array.from(peaks.coords.trainId.values as BigUint64Array), Array.from(xgm.coords.trainId.values as BigUint64Array));
      const a = peaks.values as Float64Array, e = xgm.values as Float32Array;
      let sumA = 0, sumT = 0, sumErr = 0;
      for (let i = 0; i < a.length; i++) {
        sumA += a[i]; sumT += e[i] * per; sumErr += Math.abs(a[i] - e[i] * per);
      }
      assert.ok(Math.abs(sumA / sumT - 1) < 0.01, `total area ratio ${sumA / sumT}`);
      assert.ok(sumErr / sumT < 0.01, `mean relative error ${sumErr / sumT}`);
    });

    it('finds windows around the first peak with a baseline before it', async () => {
      const avg = await getDigAvgTrace(run, 'MCP1raw', { ntrains: 5 });
      assert.deepEqual(avg.dims, ['samplesId']);
      assert.equal(avg.attrs.trains, 5);
      const p = findIntegParams(avg.values as Float64Array, { period: 3520, npulses: 4 });
      const first = truth.physics.adq.firstPulseSample;
      assert.ok(p.pulseStart <= first && p.pulseStop >= first + 3 + 8 * 15, JSON.stringify(p));
      assert.ok(p.baseStop <= p.pulseStart && p.baseStart >= 0 && p.baseStop - p.baseStart > 100, JSON.stringify(p));
      const check = await checkPeakParams(run, 'MCP1raw', { ntrains: 5, params: { ...p, period: 1 } });
      assert.equal(check.autoFind, false);
      assert.equal(check.params.period, 3520);
      assert.equal(check.warnings.length, 1);
      assert.equal(check.first.pulse, truth.physics.bunchPattern.sase3PulseIds[0]);
      assert.equal(check.last.pulseWindow[0], p.pulseStart + 3520 * (check.params.npulses - 1));
      assert.ok(check.first.segment.length > p.pulseStop - p.baseStart);
    });

    it('getTimPeaks integrates the recorded MCP channels; description lists them', async () => {
      const ds = await getTimPeaks(run);
      assert.deepEqual(ds.dataVars, ['MCP1peaks']);
      assert.match(digitizerSignalDescription(run).MCP1raw, /MCP 1/);
    });
  });

  it('an interleaved ADQ board has 880 samples per bunch slot', async () => {
    const d = join(dir, 'interleaved');
    mkdirSync(d, { recursive: true });
    const entries = 3000, ns = 4000;
    const table = new Uint32Array(entries);
    table[100] = SASE3; table[102] = SASE3;
    const trace = new Int16Array(ns).fill(0);
    for (let s = 0; s < 10; s++) { trace[1000 + s] = -4; trace[1000 + 2 * 880 + s] = -7; }
    await writeRunFile({
      path: join(d, 'RAW-R0001-DA01-S00000.h5'), formatVersion: '1.0', trainIds: [5n],
      control: {
        'SCS_UTC1_ADQ/ADC/1': {
          keys: { 'board1.interleavedMode': { dtype: 'uint8', entryShape: [], values: Uint8Array.of(1) } },
          run: { 'board1.interleavedMode': { dtype: 'uint8', entryShape: [], values: Uint8Array.of(1) } },
        },
      },
      instrument: {
        [TIMESERVER_OUT]: { indexGroups: { data: { counts: [1], keys: { bunchPatternTable: { dtype: 'uint32', entryShape: [entries], values: table } } } } },
        [ADQ]: { indexGroups: { digitizers: { counts: [1], keys: { 'channel_1_D.raw.samples': { dtype: 'int16', entryShape: [ns], values: trace } } } } },
      },
    });
    const run = await runByPath(d);
    try {
      const peaks = await getPeaks(run, 'MCP1raw', { integParams: WINDOWS });
      assert.equal(peaks.attrs.samplesPerBucket, 880);
      assert.deepEqual([peaks.item(0, 0), peaks.item(0, 1)], [40, 70]);
    } finally {
      run.close();
    }
  });

  describe('hand-made run', () => {
    let run: DataCollection;
    before(async () => {
      await changingRun(join(dir, 'changing'));
      run = await runByPath(join(dir, 'changing'));
    });
    after(() => run.close());

    it('changing pulse pattern: union of pulse IDs, NaN where missing, never shifted; the pattern period wins', async () => {
      const peaks = await getPeaks(run, 'MCP1raw', { integParams: { ...WINDOWS, period: 999, npulses: 1 } });
      assert.deepEqual(Array.from(peaks.coords.sa3_pId.values as BigInt64Array, Number), [100, 104, 108]);
      assert.equal(peaks.attrs.period, 4 * 440);
      assert.equal(peaks.attrs.npulses, 3);
      const want = [[50, 60, NaN], [70, 80, 90], [NaN, 30, NaN]];
      for (let t = 0; t < 3; t++) for (let k = 0; k < 3; k++) assert.deepEqual(peaks.item(t, k), want[t][k], `train ${t} pulse ${k}`);
      assert.deepEqual(Array.from(peaks.coords.trainId.values as BigUint64Array, Number), [1000, 1001, 1002]);
    });

    it('keepAllSase keeps a train without pulses as a NaN row', async () => {
      const peaks = await getPeaks(run, 'MCP1raw', { integParams: WINDOWS, keepAllSase: true });
      assert.deepEqual(Array.from(peaks.coords.trainId.values as BigUint64Array, Number), [1000, 1001, 1002, 1003]);
      for (let k = 0; k < 3; k++) assert.ok(Number.isNaN(peaks.item(3, k)));
      assert.equal(peaks.item(1, 2), 90);
    });

    it('automatic windows work on the changing pattern too', async () => {
      const peaks = await getPeaks(run, 'MCP1raw');
      assert.equal(peaks.attrs.autoFind, true);
      assert.equal(peaks.item(1, 2), 90);
      assert.equal(peaks.item(2, 1), 30);
    });

    it('rejects windows outside the trace, naming the channel', async () => {
      await assert.rejects(getPeaks(run, 'MCP1raw', { integParams: { ...WINDOWS, pulseStop: NS - 100 } }), /MCP1raw: pulse window \[990, 5900\).*outside the trace of 6000 samples/);
      await assert.rejects(getPeaks(run, 'MCP1raw', { integParams: { ...WINDOWS, baseStart: -5 } }), /MCP1raw: baseline window/);
    });

    it('rejects a channel that recorded nothing and a non-digitizer mnemonic', async () => {
      await assert.rejects(getPeaks(run, { source: 'SCS_UTC1_ADQ/ADC/2:network', key: 'digitizers.channel_1_C.raw.samples' }), /recorded no trace/);
      await assert.rejects(getPeaks(run, 'SCS_SA3'), /'SCS_SA3'.*is not a digitizer raw trace/);
    });

    it('without bunch pattern uses the given period and npulses on a pulseNb axis', async () => {
      const peaks = await getPeaks(run, 'MCP1raw', { bunchPattern: null, integParams: { ...WINDOWS, period: 1760, npulses: 2 } });
      assert.deepEqual(peaks.dims, ['trainId', 'pulseNb']);
      assert.equal(peaks.sizes.trainId, 4);
      assert.equal((peaks.item(2, 0) as number) + 0, 0);
      assert.deepEqual(peaks.item(2, 1), 30);
    });
  });
});
