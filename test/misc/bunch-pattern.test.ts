import assert from 'node:assert/strict';
import {
  DataArray, Dataset, extractBunchPattern, getSasePId, isPpl, isPulseAt, isSase1, isSase3,
  npulsesHasChanged, pulseIdsPerTrain, pulsePatternInfo, repRate,
} from '../../toolbox/index.js';
import { BUCKET_RATE_KHZ } from '../../toolbox/misc/bunch-pattern-bits.js';
import { useMockRun } from '../helpers/mock-run.js';

const T4D = 4 << 18, T5D = 2 << 18, KICK = 1 << 27, SEED6 = 1 << 13;

/** A (trainId, pulse_slot) table of `slots` words per train, with the given words set. */
function table(slots: number, trains: Array<Record<number, number>>): DataArray {
  const v = new Uint32Array(trains.length * slots);
  trains.forEach((set, t) => { for (const [slot, word] of Object.entries(set)) v[t * slots + Number(slot)] = word; });
  return new DataArray(v, { dims: ['trainId', 'pulse_slot'], shape: [trains.length, slots], coords: { trainId: BigUint64Array.from(trains, (_, i) => BigInt(1000 + i)) } });
}

describe('bunch pattern bits', () => {
  // a 3000-entry table: longer than 2700, as tables may be since 2025
  const bpt = table(3000, [
    { 10: T4D, 20: T4D | KICK, 36: T4D | KICK | SEED6, 2800: T5D, 2900: SEED6 },
    { 20: T4D | KICK, 36: T4D | KICK, 52: T4D | KICK },
  ]);

  it('tells destinations apart by the dump and the soft kick, and the SCS laser by seed 6', () => {
    const idx = (da: DataArray, t: number) => [...(da.values as Uint8Array).subarray(t * 3000, (t + 1) * 3000).entries()].filter(([, v]) => v).map(([i]) => i);
    assert.deepEqual(idx(isSase1(bpt), 0), [10]);
    assert.deepEqual(idx(isSase3(bpt), 0), [20, 36]);
    assert.deepEqual(idx(isPulseAt(bpt, 'sase2'), 0), [2800]);
    assert.deepEqual(idx(isPpl(bpt), 0), [36, 2900]);
    assert.equal(isSase3(bpt).dtype, 'bool');
    assert.throws(() => isPulseAt(bpt, 'sase4'), /unknown pulse location 'sase4'; use one of sase1, sase2, sase3, scs_ppl/);
  });

  it('extracts pulse IDs and counts per train, wide enough for the largest train', () => {
    const { bunchPattern, npulses, matched } = extractBunchPattern(bpt, 'sase3');
    assert.deepEqual(bunchPattern.dims, ['trainId', 'bunchId']);
    assert.deepEqual(bunchPattern.shape, [2, 3]);
    assert.deepEqual(Array.from(bunchPattern.values as BigUint64Array, Number), [20, 36, 0, 20, 36, 52]);
    assert.deepEqual(Array.from(npulses.values as BigInt64Array, Number), [2, 3]);
    assert.equal(npulses.name, 'npulses_sase3');
    assert.deepEqual(matched.dims, ['trainId', 'pulse_slot']);
    assert.deepEqual(Array.from(bunchPattern.coords.trainId.values as BigUint64Array, Number), [1000, 1001]);
  });

  it('repRate of a Dataset: 4.5 MHz over the pulse spacing', async () => {
    assert.equal(await repRate(new Dataset({ bunchPatternTable: bpt }), { key: 'sase3' }), BUCKET_RATE_KHZ / 16);
    const { bunchPattern, npulses } = extractBunchPattern(bpt, 'sase3');
    assert.equal(await repRate(new Dataset({ sase3: bunchPattern, npulses_sase3: npulses })), BUCKET_RATE_KHZ / 16);
    assert.ok(Math.abs(BUCKET_RATE_KHZ / 16 - 282.118) < 1e-3);
    await assert.rejects(repRate(new Dataset({ x: ['trainId', [1, 2]] })), /repRate needs 'sase3' and 'npulses_sase3', or 'bunchPatternTable'/);
  });
});

describe('bunch pattern of a run', () => {
  const fx = useMockRun({ trains: 6, frames: 4, modules: [0], seed: 3 });

  it('recovers the pulse IDs the generator put in, from the decoder and from the table alike', async () => {
    const bp = fx.truth.physics.bunchPattern;
    assert.deepEqual(await getSasePId(fx.run, { loc: 'sase3' }), bp.sase3PulseIds);
    assert.deepEqual(await getSasePId(fx.run, { loc: 'sase1' }), bp.sase1PulseIds);
    assert.deepEqual(await getSasePId(fx.run, { loc: 'scs_ppl' }), bp.laserPulseIds);
    const fromTable = extractBunchPattern(await fx.run.getArray('SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern', 'data.bunchPatternTable'), 'sase3');
    const w = fromTable.bunchPattern.shape[1];
    assert.deepEqual(Array.from((fromTable.bunchPattern.values as BigUint64Array).subarray(0, w), Number), bp.sase3PulseIds);
    assert.equal((await pulseIdsPerTrain(fx.run, 'sase3'))?.from, 'decoder');
  });

  it('sees a constant pattern, its repetition rate and how the SASEs share the train', async () => {
    assert.equal(await npulsesHasChanged(fx.run), false);
    const ids = fx.truth.physics.bunchPattern.sase3PulseIds;
    assert.equal(await repRate(fx.run), BUCKET_RATE_KHZ / (ids[1] - ids[0]));
    const info = await pulsePatternInfo(fx.run);
    assert.equal(info.sase3.maxPulses, ids.length);
    assert.equal(info.sase1.maxPulses, fx.truth.physics.bunchPattern.sase1PulseIds.length);
    assert.match(info.text, /SASE3: \d+ pulses per train/);
  });
});
