import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxValueError } from '../../toolbox/index.js';
import { fromDict, toDict, toDictDataset, toNested } from '../../toolbox/arrays/convert.js';

// xarray: a = DataArray([[1.5, nan], [3, 4]], dims=('t','x'), coords={'t': uint64 [5, 6]}, name='v', attrs={'a': np.array([1, 2])})
const sample = () => new DataArray([[1.5, NaN], [3, 4]], {
  dims: ['t', 'x'], coords: { t: new BigUint64Array([5n, 6n]) }, name: 'v', attrs: { a: new Int32Array([1, 2]) },
});

describe('toNested', () => {
  it('gives nested arrays in C order, bool as boolean, int64 as bigint', () => {
    assert.deepEqual(toNested(new DataArray(Float64Array.from({ length: 6 }, (_, i) => i), { dims: ['a', 'b'], shape: [2, 3] })), [[0, 1, 2], [3, 4, 5]]);
    assert.deepEqual(new DataArray([true, false]).toArray(), [true, false]);
    assert.deepEqual(toNested(new DataArray(new BigUint64Array([2n ** 64n - 1n]))), [2n ** 64n - 1n]);
    assert.deepEqual(toNested(new DataArray(['a', 'b'])), ['a', 'b']);
    assert.equal(toNested(new DataArray(2.5)), 2.5);
  });

  it('keeps the shape of empty arrays', () => {
    assert.deepEqual(toNested(new DataArray(new Float64Array(0), { dims: ['a', 'b'], shape: [3, 0] })), [[], [], []]);
    assert.deepEqual(toNested(new DataArray(new Float64Array(0), { dims: ['a', 'b'], shape: [0, 3] })), []);
  });
});

describe('toDict', () => {
  it("has xarray's layout and plain attrs", () => {
    const d = toDict(sample());
    assert.deepEqual(Object.keys(d), ['dims', 'attrs', 'data', 'coords', 'name']);
    assert.deepEqual(d.dims, ['t', 'x']);
    assert.deepEqual(d.attrs, { a: [1, 2] });
    assert.deepEqual(d.data, [[1.5, NaN], [3, 4]]);
    assert.deepEqual(d.coords, { t: { dims: ['t'], attrs: {}, data: [5n, 6n] } });
    assert.equal(d.name, 'v');
  });

  it('with data: false gives dtype and shape instead of values', () => {
    assert.deepEqual(sample().toDict({ data: false }), {
      dims: ['t', 'x'], attrs: { a: [1, 2] }, dtype: 'float64', shape: [2, 2],
      coords: { t: { dims: ['t'], attrs: {}, dtype: 'uint64', shape: [2] } }, name: 'v',
    });
  });

  it('with json: true survives JSON.stringify: NaN → null, bigints → numbers or decimal strings', () => {
    const big = new DataArray([1], { dims: 'x', coords: { x: new BigUint64Array([2n ** 63n + 1n]) }, attrs: { n: 7n, nested: { f: new Float32Array([NaN]) } } });
    const text = JSON.stringify(big.toJSON());
    assert.deepEqual(JSON.parse(text), {
      dims: ['x'], attrs: { n: 7, nested: { f: [null] } }, data: [1],
      coords: { x: { dims: ['x'], attrs: {}, data: ['9223372036854775809'] } }, name: null,
    });
    assert.equal(JSON.stringify(toDict(sample(), { json: true }).data), '[[1.5,null],[3,4]]');
  });

  it("Dataset: {coords, attrs, dims, data_vars}", () => {
    const ds = new Dataset({ v: sample() }, { attrs: { run: 3 } });
    const d = toDictDataset(ds);
    assert.deepEqual(Object.keys(d), ['coords', 'attrs', 'dims', 'data_vars']);
    assert.deepEqual(d.dims, { t: 2, x: 2 });
    assert.deepEqual(d.attrs, { run: 3 });
    assert.deepEqual(d.coords, { t: { dims: ['t'], attrs: {}, data: [5n, 6n] } });
    assert.deepEqual(d.data_vars, { v: { dims: ['t', 'x'], attrs: { a: [1, 2] }, data: [[1.5, NaN], [3, 4]] } });
    assert.deepEqual(ds.toDict({ data: false }).data_vars, { v: { dims: ['t', 'x'], attrs: { a: [1, 2] }, dtype: 'float64', shape: [2, 2] } });
  });
});

describe('fromDict', () => {
  it('rebuilds a DataArray, its coords and attrs', () => {
    const r = fromDict(toDict(sample())) as DataArray;
    assert.ok(r instanceof DataArray);
    assert.equal(r.name, 'v');
    assert.deepEqual(r.dims, ['t', 'x']);
    assert.deepEqual(toNested(r), [[1.5, NaN], [3, 4]]);
    assert.deepEqual(Array.from(r.coords.t.values as BigInt64Array), [5n, 6n]);
    assert.deepEqual(r.attrs, { a: [1, 2] });
  });

  it('round-trips a Dataset through JSON, uint64 labels beyond 2^53 included', () => {
    const ds = new Dataset({ v: ['t', [1.5, NaN]] }, { coords: { t: new BigUint64Array([2n ** 63n + 1n, 5n]) }, attrs: { run: 3 } });
    const back = fromDict(JSON.parse(JSON.stringify(ds.toJSON()))) as Dataset;
    assert.ok(back instanceof Dataset);
    assert.equal(back.variable('t').dtype, 'uint64');
    assert.deepEqual(Array.from(back.variable('t').values as BigUint64Array), [2n ** 63n + 1n, 5n]);
    assert.deepEqual(toNested(back.get('v')), [1.5, NaN]);
    assert.deepEqual(back.attrs, { run: 3 });
  });

  it('honours an explicit dtype and explains what is missing', () => {
    const r = fromDict({ dims: ['x'], data: [1, 2], dtype: 'float32' }) as DataArray;
    assert.equal(r.dtype, 'float32');
    assert.throws(() => fromDict(sample().toDict({ data: false })), (e: Error) => e instanceof ToolBoxValueError && /without 'data'/.test(e.message));
    assert.throws(() => fromDict({ dims: ['x'] }), /'data'.*'data_vars'/);
  });
});
