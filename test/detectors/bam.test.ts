import assert from 'node:assert/strict';
import { Dataset, getBam, getBamParams } from '../../toolbox/index.js';
import { bamArrivalPs } from '../../toolbox/synthetic/run/mock-physics.js';
import { useMockRun } from '../helpers/mock-run.js';
import { BAM_STATUS } from '../../toolbox/synthetic/run/mock-sources.js';

describe('BAM', () => {
  const fx = useMockRun({ trains: 7, frames: 4, modules: [0], seed: 6 });

  it('reads arrival times at index 2p for the pulses of the bunch pattern, in ps', async () => {
    for (const [loc, dim, ids] of [
      ['sase3', 'sa3_pId', fx.truth.physics.bunchPattern.sase3PulseIds],
      ['sase1', 'sa1_pId', fx.truth.physics.bunchPattern.sase1PulseIds],
    ] as const) {
      const bam = (await getBam(fx.run, { bunchPattern: loc })).get('BAM1932M');
      assert.deepEqual(bam.dims, ['trainId', dim]);
      assert.deepEqual(Array.from(bam.coords[dim].values as BigInt64Array, Number), ids);
      assert.equal(bam.attrs.units, 'ps');
      fx.truth.trainIds.forEach((_, t) => ids.forEach((p, k) => {
        assert.ok(Math.abs((bam.item(t, k) as number) - bamArrivalPs(fx.truth.physics, t, p)) < 1e-5, `train ${t} pulse ${p}`);
      }));
    }
  });

  it('takes given pulse IDs, converts raw variables of mergeWith, and names bad input', async () => {
    const bam = (await getBam(fx.run, { pulseIds: [0, 5] })).get('BAM1932M');
    assert.deepEqual(Array.from(bam.values as Float32Array).slice(0, 2), [0, 0]); // no pulse at IDs 0 and 5 in this run
    const raw = await fx.run.getArray('XFEL_SDIAG_BAM/DOOCS/1932M_TL:output', 'data.lowChargeArrivalTime', { extraDims: ['BAMbunchId'] });
    const merged = await getBam(fx.run, { mergeWith: new Dataset({ BAM1932M: raw }) });
    assert.deepEqual(merged.get('BAM1932M').dims, ['trainId', 'sa3_pId']);
    await assert.rejects(getBam(fx.run, { mnemonics: 'SCS_SA3' }), /'SCS_SA3' is not a BAM mnemonic; use one of BAM414, BAM1932M, BAM1932S/);
    await assert.rejects(getBam(fx.run, { mnemonics: 'BAM414' }), /mnemonic 'BAM414' .* is not in this run/);
  });

  it('gives the device status words recorded at run start', () => {
    assert.deepEqual(getBamParams(fx.run, 'BAM1932M'), { ...BAM_STATUS });
    assert.throws(() => getBamParams(fx.run, 'BAM1932S'), /BAM device XFEL_SDIAG_BAM\/DOOCS\/1932S_TL has no control data in this run/);
  });
});
