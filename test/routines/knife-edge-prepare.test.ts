/**
 * The data preparation of knife-edge fits, as the Python toolbox's tests
 * name it: test_range_mask, test_prepare_arrays_nans, test_prepare_arrays_size,
 * test_prepare_arrays_range; plus the model choice (erfc/erf from the slope),
 * the default p0 and the error function against known values.
 */
import assert from 'node:assert/strict';
import { DataArray } from '../../toolbox/index.js';
import { chooseFunction, defaultP0, linearSlope } from '../../toolbox/routines/knife-edge/model.js';
import { prepareArrays, rangeMask } from '../../toolbox/routines/knife-edge/prepare.js';

/** `array` with `num` values replaced by `value` at every other index from 1 (the Python tests' _with_values). */
function withValues(array: number[], value: number, num = 5): number[] {
  const out = array.slice();
  for (let i = 0; i < num; i++) out[1 + 2 * i] = value;
  return out;
}

describe('knife-edge data preparation', () => {
  const positions = Array.from({ length: 20 }, (_, i) => i * 0.5);

  it('rangeMask: inclusive edges, open sides, no range keeps all', () => {
    assert.deepEqual(rangeMask([0, 1, 2, 3, 4], [1, 3]), [false, true, true, true, false]);
    assert.deepEqual(rangeMask([0, 1, 2, 3, 4], [null, 1]), [true, true, false, false, false]);
    assert.deepEqual(rangeMask([0, 1, 2, 3, 4], [3, null]), [false, false, false, true, true]);
    assert.deepEqual(rangeMask([0, NaN, 2]), [true, true, true]);
    assert.deepEqual(rangeMask([0, NaN, 2], [0, 5]), [true, false, true]);
    assert.throws(() => rangeMask([1], [3, 1]), /lower edge above its upper edge/);
  });

  it('prepareArrays drops NaNs in positions or intensities', () => {
    const y = positions.map((x) => 10 - x);
    const { x: x1, y: y1 } = prepareArrays(withValues(positions, NaN), y);
    assert.equal(x1.length, 15);
    assert.ok(x1.every(Number.isFinite) && y1.every(Number.isFinite));
    const { x: x2 } = prepareArrays(positions, withValues(y, NaN, 3));
    assert.equal(x2.length, 17);
    assert.deepEqual(Array.from(prepareArrays(positions, withValues(y, Infinity, 2)).x).length, 18);
  });

  it('prepareArrays flattens 2-D intensities against repeated positions (numpy repeat + flatten)', () => {
    const rows = positions.map((x) => [x, 2 * x, 3 * x]);
    const { x, y } = prepareArrays(positions, rows);
    assert.equal(x.length, 60);
    assert.equal(y.length, 60);
    assert.deepEqual(Array.from(x.slice(0, 6)), [0, 0, 0, 0.5, 0.5, 0.5]);
    assert.deepEqual(Array.from(y.slice(3, 6)), [0.5, 1, 1.5]);
    // a DataArray whose first dim is the positions' (trainId, pulse)
    const da = new DataArray(Float64Array.from(rows.flat()), { dims: ['trainId', 'sa3_pId'], shape: [20, 3] });
    assert.deepEqual(prepareArrays(positions, da), { x, y });
  });

  it('prepareArrays checks the sizes: one intensity (row) per position', () => {
    assert.throws(() => prepareArrays(positions, positions.slice(1)), /intensities have 19 values but there are 20 positions/);
    assert.throws(() => prepareArrays(positions, positions.slice(2).map((x) => [x, x])), /intensities have 18 rows but there are 20 positions/);
    assert.throws(() => prepareArrays([1, 2], [[1, 2], [3]]), /row 1 has 1 values, row 0 has 2/);
    const da = new DataArray(new Float64Array(8), { dims: ['pulse', 'trainId'], shape: [4, 2] });
    assert.throws(() => prepareArrays([1, 2], da), /intensities have 4 rows along 'pulse' but there are 2 positions/);
  });

  it('prepareArrays keeps the points inside axisRange only', () => {
    const y = positions.map((x) => 10 - x);
    const { x, y: yy } = prepareArrays(positions, y, [2, 5]);
    assert.deepEqual(Array.from(x), [2, 2.5, 3, 3.5, 4, 4.5, 5]);
    assert.deepEqual(Array.from(yy), [8, 7.5, 7, 6.5, 6, 5.5, 5]);
    assert.equal(prepareArrays(positions, y, [100, 200]).x.length, 0);
  });

  it('erfc for a falling signal, erf for a rising one, from the least-squares slope', () => {
    assert.equal(chooseFunction([0, 1, 2, 3], [4, 3, 1, 0]), 'erfc');
    assert.equal(chooseFunction([0, 1, 2, 3], [0, 1, 3, 4]), 'erf');
    assert.equal(chooseFunction([0, 1, 2], [1, 1, 1]), 'erfc');
    assert.equal(linearSlope([0, 1, 2, 3], [1, 3, 5, 7]), 2);
  });

  it("the default p0 is the Python toolbox's: mean position, 0.1, max/2, 0", () => {
    assert.deepEqual(defaultP0([1, 2, 3], [8, 4, 0]), [2, 0.1, 4, 0]);
  });
});
