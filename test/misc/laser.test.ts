import assert from 'node:assert/strict';
import {
  DataArray, Dataset, SPEED_OF_LIGHT_MM_PER_PS, alignOlToFelPId, degToRelPower, delayToPosition, fluenceCalibration, positionToDelay,
} from '../../toolbox/index.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('laser helpers', () => {
  it('converts stage positions to delays and back (invert, origin, reflections)', () => {
    close(positionToDelay(1.5), -2 * 1.5 / SPEED_OF_LIGHT_MM_PER_PS);
    close(positionToDelay(1.5, { invert: false }), 10.006922855944561);
    close(positionToDelay(1.5, { origin: 1, reflections: 2, invert: false }), 4 * 0.5 / SPEED_OF_LIGHT_MM_PER_PS);
    for (const opts of [{}, { origin: 12.3 }, { invert: false, reflections: 4 }]) {
      for (const p of [-3, 0, 7.25]) close(delayToPosition(positionToDelay(p, opts), opts), p);
    }
    assert.deepEqual(positionToDelay([0, 0]), [-0, -0]);
    assert.throws(() => positionToDelay(1, { reflections: 0 }), /reflections must be a positive number/);
  });

  it('keeps labels when given a DataArray', () => {
    const pos = new DataArray([10, 10.15], { dims: ['trainId'], coords: { trainId: [1, 2] }, name: 'PP800_DelayLine' });
    const d = positionToDelay(pos, { origin: 10 });
    assert.deepEqual(d.dims, ['trainId']);
    assert.deepEqual(Array.from(d.coords.trainId.values as BigInt64Array, Number), [1, 2]);
    close((d.values as Float64Array)[1], -2 * 0.15 / SPEED_OF_LIGHT_MM_PER_PS);
  });

  it('returns the form it is given, and its overloads type it exactly (number, number[], DataArray)', () => {
    const one: number = delayToPosition(0, { origin: 5 });
    const many: number[] = degToRelPower(new Float64Array([0, 45]));
    const labelled: DataArray = degToRelPower(new DataArray([22.5], { dims: ['hwp'] }));
    const either: number | number[] | DataArray = positionToDelay(Math.random() < 2 ? 0 : [0]);
    assert.equal(one, 5);
    assert.deepEqual(many.map((v) => +v.toFixed(12)), [0, 1]);
    close((labelled.values as Float64Array)[0], 0.5);
    assert.equal(either, -0);
  });

  it('gives relative power behind a half-wave plate (Malus)', () => {
    close(degToRelPower(22.5), 0.5);
    close(degToRelPower(45), 1);
    close(degToRelPower(50, { theta0: 5 }), 1);
    close(degToRelPower(0), 0);
  });

  it('calibrates fluence: energy per pulse, Gaussian peak fluence and numpy-ordered fits', () => {
    // 100 mW at 10 Hz with 10 pulses per train: 1 mJ = 1000 µJ per pulse; w0 = 100 µm
    const r = fluenceCalibration([0, 0.5, 1], [0, 50, 100], 10, 100e-6, { fitOrder: 1 });
    assert.deepEqual(r.E.map((e) => +e.toFixed(9)), [0, 500, 1000]);
    close(r.F[2], 2 / (Math.PI * 1e-4));
    close(r.fit_E[0], 1000, 1e-9);
    close(r.fit_E[1], 0 + 0, 1e-6);
    close(r.fit_F[0], 2 / (Math.PI * 1e-4), 1e-9);
    const q = fluenceCalibration([0, 1, 2, 3], [1, 2, 5, 10], 1, 1e-4, { fitOrder: 2, w0y: 2e-4, trainRepRate: 1 });
    // E = P × 1e3 = 1e3 (x² + 1): highest power first like numpy.polyfit
    close(q.fit_E[0], 1000, 1e-9); close(q.fit_E[2], 1000, 1e-9);
    assert.throws(() => fluenceCalibration([1, 2], [1], 1, 1e-4), /hwp has 2 values but powerMw has 1/);
    assert.throws(() => fluenceCalibration([1, 2], [1, 2], 1, 1e-4, { fitOrder: 2 }), /needs more than 2 measurements/);
    assert.throws(() => fluenceCalibration([1, 2], [1, 2], 0, 1e-4), /npulses must be positive/);
  });

  it('aligns optical-laser pulses onto the FEL pulse axis', () => {
    const ds = new Dataset({
      xgm: ['sa3_pId', [1, 2, 3]],
      ol: ['ol_pId', [7, 8]],
    }, { coords: { sa3_pId: [100, 104, 108], ol_pId: [0, 4] }, attrs: { run: 179 } });
    const out = alignOlToFelPId(ds);
    assert.deepEqual(Array.from(out.coords.sa3_pId.values as ArrayLike<number>, Number), [100, 104, 108]);
    assert.deepEqual(Array.from(out.get('ol').values as Float64Array), [7, 8, NaN]);
    assert.ok(!('ol_pId' in out.sizes));
    assert.equal(out.attrs.run, 179);
    const shifted = alignOlToFelPId(ds, { offset: 4 });
    assert.deepEqual(Array.from(shifted.get('ol').values as Float64Array), [NaN, 7, 8]);
    assert.throws(() => alignOlToFelPId(ds, { olDim: 'laser' }), /dimension 'laser' not in the Dataset/);
  });
});
