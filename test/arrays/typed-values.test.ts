import assert from 'node:assert/strict';
import { DTYPES } from '../../toolbox/arrays/dtype.js';
import { DataArray, type DType } from '../../toolbox/index.js';

/**
 * The assignments below are the test of the typing: this file compiles only
 * if `values` and `item()` have the types they claim, without casts. The
 * run-time checks make sure the claims hold for every dtype.
 */
describe('values typed by dtype', () => {
  it('compiles without casts where the dtype is known, and the values are what the type says', () => {
    const da = new DataArray([0.5, 1.5, 2.5], { dims: ['t'], dtype: 'float64' });
    const first: number = da.values[0];
    const f64: Float64Array = da.values;
    const mean: number = new DataArray([1, 2, 4], { dims: ['t'] }).mean().item();
    const perTrain: number = new DataArray([[1, 2], [3, 4]], { dims: ['t', 'p'] }).mean('p').values[1];
    const flag: boolean = da.gt(1).item(0);
    const n: bigint = da.count().item();
    const ids: BigUint64Array = new DataArray([1n, 2n], { dims: ['trainId'], dtype: 'uint64' }).isel({ trainId: [1] }).values;
    const labels: string[] = new DataArray(['a', 'b'], { dims: ['k'], dtype: 'string' }).values;
    const asFloat: number = new DataArray(new Int16Array([3]), { dims: ['t'] }).astype('float32').values[0];
    assert.deepEqual([first, Array.from(f64), mean, perTrain, flag, n, Array.from(ids), labels, asFloat], [0.5, [0.5, 1.5, 2.5], 7 / 3, 3.5, false, 3n, [2n], ['a', 'b'], 3]);
    assert.ok(f64 instanceof Float64Array);
  });

  it('copy keeps bool (it became uint8)', () => {
    assert.equal(new DataArray([true, false], { dims: ['t'] }).copy().dtype, 'bool');
  });

  it('hasDType narrows an array of unknown dtype', () => {
    const unknown: DataArray = new DataArray(new Float32Array([1.25]), { dims: ['t'] });
    if (!unknown.hasDType('float32', 'float64')) assert.fail('float32 is float');
    const v: number = unknown.values[0];
    assert.equal(v, 1.25);
    assert.equal(unknown.hasDType('int64', 'uint64'), false);
  });

  const sample = (dtype: DType): DataArray => (dtype === 'string'
    ? new DataArray(['a', 'b', 'c', 'd'], { dims: ['a', 'b'], shape: [2, 2], coords: { a: [10, 20] } })
    : new DataArray([[0, 1], [1, 0]], { dims: ['a', 'b'], coords: { a: [10, 20] } }).astype(dtype));
  const floats = new Set(['float32', 'float64']);

  for (const dtype of DTYPES) {
    it(`the typed results hold for ${dtype}`, () => {
      const da = sample(dtype);
      const keeps = [da.isel({ a: 0 }), da.sel({ a: 10 }), da.head(1), da.tail(1), da.transpose(), da.squeeze(), da.expandDims('z'),
        da.assignCoords({ b: [1, 2] }), da.assignAttrs({ u: 1 }), da.rename('r'), da.resetCoords(), da.dropVars('a'), da.copy(), da.stack({ z: ['a', 'b'] })];
      for (const r of keeps) assert.equal(r.dtype, dtype);
      assert.equal(da.eq(dtype === 'string' ? 'a' : 1).dtype, 'bool');
      assert.equal(da.isnull().dtype, 'bool');
      assert.equal(da.count().dtype, 'int64');
      if (dtype === 'string') return;
      for (const r of [da.lt(1), da.any(), da.all('a')]) assert.equal(r.dtype, 'bool');
      for (const r of [da.argmax('a'), da.argmin('b')]) assert.equal(r.dtype, 'int64');
      for (const r of [da.div(2), da.sqrt(), da.exp(), da.log(), da.log10(), da.std(), da.var('a'), da.mean(), da.mean('a'), da.median('b')]) {
        assert.ok(floats.has(r.dtype), `${r.dtype} is not a float dtype`);
      }
      assert.equal(da.map((x) => x).dtype, 'float64');
    });
  }
});
