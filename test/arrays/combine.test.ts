import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError, concat, merge } from '../../toolbox/index.js';

const num = (da: DataArray): number[] => Array.from(da.values as ArrayLike<number | bigint>, Number);
function same(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} != ${expected.length}`);
  expected.forEach((e, i) => assert.ok(Number.isNaN(e) ? Number.isNaN(actual[i]) : actual[i] === e, `[${i}]: expected ${e}, got ${actual[i]} in [${actual}]`));
}

// The pair used with xarray 2023.01 to get the expected values below.
function pair(): [Dataset, Dataset] {
  const ds1 = new Dataset({ a: [['t', 'x'], [[0, 1.5], [2, 3]]], b: ['x', [1, 2]], c: ['t', [5, 6]] },
    { coords: { t: [1, 2], lbl: ['x', ['p', 'q']], sc: new DataArray(3), tc: ['t', [7, 8]] }, attrs: { k: 1 } });
  const ds2 = new Dataset({ a: [['t', 'x'], [[10.5, 11], [12, 13]]], b: ['x', [1, 3]], c: ['t', [7, 8]] },
    { coords: { t: [3, 4], lbl: ['x', ['p', 'q']], sc: new DataArray(3), tc: ['t', [9, 9]] }, attrs: { k: 2 } });
  return [ds1, ds2];
}

describe('concat', () => {
  it('along an existing dim concatenates it and broadcasts data variables that lack it', () => {
    const r = concat(pair(), 't');
    assert.deepEqual(r.sizes, { t: 4, x: 2 });
    same(num(r.get('t')), [1, 2, 3, 4]);
    same(num(r.get('a')), [0, 1.5, 2, 3, 10.5, 11, 12, 13]);
    assert.deepEqual(r.variable('b').dims, ['t', 'x']);
    same(num(r.get('b')), [1, 2, 1, 2, 1, 3, 1, 3]);
    same(num(r.get('tc')), [7, 8, 9, 9]);
    assert.deepEqual(r.variable('sc').dims, []);
    assert.deepEqual(Array.from(r.get('lbl').values as string[]), ['p', 'q']);
    assert.deepEqual(r.attrs, { k: 1 });
    assert.deepEqual(r.dataVars, ['a', 'b', 'c']);
  });

  it('along a new dim outer-aligns the others and fills with NaN (xarray default join)', () => {
    const r = concat(pair(), 'm');
    assert.deepEqual(r.variable('a').dims, ['m', 't', 'x']);
    same(num(r.get('t')), [1, 2, 3, 4]);
    same(num(r.get('a')), [0, 1.5, 2, 3, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 10.5, 11, 12, 13]);
    assert.deepEqual(r.variable('b').dims, ['m', 'x']);
    assert.equal(r.variable('b').dtype, 'int64');
    same(num(r.get('b')), [1, 2, 1, 3]);
    assert.equal(r.variable('c').dtype, 'float64');
    same(num(r.get('c')), [5, 6, NaN, NaN, NaN, NaN, 7, 8]);
    // coords='different': tc differs after alignment, sc and lbl do not.
    assert.deepEqual(r.variable('tc').dims, ['m', 't']);
    same(num(r.get('tc')), [7, 8, NaN, NaN, NaN, NaN, 9, 9]);
    assert.deepEqual(r.variable('sc').dims, []);
    assert.ok(!('m' in r.coords));
  });

  it('takes the new coordinate from a DataArray, attrs included', () => {
    const r = concat(pair(), new DataArray([10, 20], { dims: 'm', name: 'm', attrs: { u: 'n' } }));
    same(num(r.get('m')), [10, 20]);
    assert.deepEqual(r.get('m').attrs, { u: 'n' });
    assert.throws(() => concat(pair(), new DataArray([1, 2, 3], { dims: 'm' })), /'m' has 3 labels but 2 objects/);
  });

  it("coords='different' concatenates a scalar coordinate that differs; 'minimal' raises; compat='override' keeps the first", () => {
    const [d1, d2] = pair();
    const d3 = Dataset.fromParts(new Map(d2.dataVars.map((n) => [n, d2.variable(n)])), { ...d2.coords, sc: new DataArray(4, { name: 'sc' }) }, d2.attrs);
    const r = concat([d1, d3], 'm');
    assert.deepEqual(r.variable('sc').dims, ['m']);
    same(num(r.get('sc')), [3, 4]);
    assert.throws(() => concat([d1, d3], 'm', { coords: 'minimal' }), (e: Error) => e instanceof ToolBoxValueError && /coordinate 'sc'/.test(e.message) && /object 1/.test(e.message));
    same(num(concat([d1, d3], 'm', { coords: 'minimal', compat: 'override' }).get('sc')), [3]);
  });

  it("join='inner' on trainId stacks modules on their common trains", () => {
    const mod = (trains: number[], offset: number) => new DataArray(
      Float32Array.from({ length: trains.length * 2 * 3 }, (_, i) => offset + i),
      { dims: ['trainId', 'pulse', 'x'], shape: [trains.length, 2, 3], coords: { trainId: new BigUint64Array(trains.map(BigInt)) }, name: 'data' },
    );
    const m0 = mod([100, 101, 102, 103], 0), m1 = mod([100, 102, 103], 1000), m2 = mod([101, 102, 103, 104], 2000);
    const r = concat([m0, m1, m2], new DataArray([0, 1, 2], { dims: 'module' }), { join: 'inner' });
    assert.deepEqual(r.dims, ['module', 'trainId', 'pulse', 'x']);
    assert.deepEqual(r.shape, [3, 2, 2, 3]);
    assert.equal(r.dtype, 'float32');
    assert.deepEqual(Array.from(r.coords.trainId.values as BigUint64Array), [102n, 103n]);
    assert.equal(r.coords.trainId.dtype, 'uint64');
    same(num(r.coords.module), [0, 1, 2]);
    const block = (start: number) => Array.from({ length: 12 }, (_, i) => start + i);
    same(num(r), [...block(12), ...block(1006), ...block(2006)]);
    assert.equal(r.name, 'data');
  });

  it("join='outer' on trainId fills the missing trains of each module with NaN", () => {
    const m0 = new DataArray(new Float32Array([1, 2]), { dims: 'trainId', coords: { trainId: new BigUint64Array([5n, 6n]) } });
    const m1 = new DataArray(new Float32Array([3, 4]), { dims: 'trainId', coords: { trainId: new BigUint64Array([6n, 7n]) } });
    const r = concat([m0, m1], 'module', { join: 'outer' });
    assert.equal(r.dtype, 'float32');
    same(num(r), [1, 2, NaN, NaN, 3, 4]);
  });

  it('concatenates along an inner existing dim (strided blocks) and promotes dtypes', () => {
    const x = new DataArray(new Int16Array([1, 2, 3, 4]), { dims: ['r', 'c'], shape: [2, 2] });
    const y = new DataArray(new Float32Array([5, 6, 7, 8, 9, 10]), { dims: ['r', 'c'], shape: [2, 3] });
    const r = concat([x, y], 'c');
    assert.deepEqual(r.shape, [2, 5]);
    assert.equal(r.dtype, 'float32');
    same(num(r), [1, 2, 5, 6, 7, 3, 4, 8, 9, 10]);
    const z = new DataArray(new Int32Array([1, 2]), { dims: 'c' });
    assert.equal(concat([z, new DataArray(new Float32Array([1]), { dims: 'c' })], 'c').dtype, 'float64');
  });

  it('transposes inputs whose dims come in another order', () => {
    const x = new DataArray([[1, 2, 3], [4, 5, 6]], { dims: ['a', 'b'] });
    const y = new DataArray([[10, 40], [20, 50], [30, 60]], { dims: ['b', 'a'] });
    const r = concat([x, y], 'm');
    assert.deepEqual(r.dims, ['m', 'a', 'b']);
    same(num(r), [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
  });

  it('concatenates string and bigint data', () => {
    const s = concat([new DataArray(['a', 'b'], { dims: 'x' }), new DataArray(['c'], { dims: 'x' })], 'x');
    assert.deepEqual(Array.from(s.values as string[]), ['a', 'b', 'c']);
    const t = concat([new DataArray(new BigUint64Array([2n ** 63n]), { dims: 'x' }), new DataArray(new BigUint64Array([1n]), { dims: 'x' })], 'x');
    assert.deepEqual(Array.from(t.values as BigUint64Array), [2n ** 63n, 1n]);
    assert.throws(() => concat([new DataArray(['a'], { dims: 'x' }), new DataArray([1], { dims: 'x' })], 'x'), ToolBoxTypeError);
  });

  it("DataArrays keep the first name; attrs follow combineAttrs (default 'override')", () => {
    const x = new DataArray([1], { dims: 'x', name: 'first', attrs: { k: 1, a: 'x' } });
    const y = new DataArray([2], { dims: 'x', name: 'second', attrs: { k: 2, b: 'y' } });
    const r = concat([x, y], 'x');
    assert.equal(r.name, 'first');
    assert.deepEqual(r.attrs, { k: 1, a: 'x' });
    assert.deepEqual(concat([x, y], 'x', { combineAttrs: 'drop' }).attrs, {});
    assert.deepEqual(concat([x, y], 'x', { combineAttrs: 'drop_conflicts' }).attrs, { a: 'x', b: 'y' });
    assert.throws(() => concat([x, y], 'x', { combineAttrs: 'no_conflicts' }), /'k'.*1.*2/);
    assert.throws(() => concat([x, y], 'x', { combineAttrs: 'identical' }), /identical.*object 1/);
  });

  it('raises for an empty list, mixed types and variables missing from some objects', () => {
    assert.throws(() => concat([], 'x'), (e: Error) => e instanceof ToolBoxValueError && /at least one/.test(e.message));
    const [d1, d2] = pair();
    assert.throws(() => concat<DataArray | Dataset>([d1, d1.get('a')], 'm'), (e: Error) => e instanceof ToolBoxTypeError && /object 1 is a DataArray/.test(e.message));
    assert.throws(() => concat([d1, Dataset.fromParts({ a: d2.variable('a'), c: d2.variable('c') }, d2.coords)], 'm'), /variable 'b' is present in object 0 but missing from object 1/);
  });
});

describe('merge', () => {
  const a = () => new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] }, name: 'a' });
  const c = () => new DataArray([1, 2], { dims: 'x', coords: { x: [2, 3] }, name: 'c' });

  it('outer-joins by default', () => {
    const r = merge([a(), c()]);
    same(num(r.get('x')), [1, 2, 3]);
    same(num(r.get('a')), [1, 2, NaN]);
    same(num(r.get('c')), [NaN, 1, 2]);
    assert.deepEqual(r.dataVars, ['a', 'c']);
    const inner = merge([a(), c()], { join: 'inner' });
    same(num(inner.get('x')), [2]);
  });

  it("compat='no_conflicts' lets each object fill the other's NaNs", () => {
    const d = new DataArray([NaN, 5], { dims: 'x', coords: { x: [1, 2] }, name: 'a' });
    const e = new DataArray([1, NaN], { dims: 'x', coords: { x: [1, 2] }, name: 'a', attrs: { u: 1 } });
    same(num(merge([d, e]).get('a')), [1, 5]);
  });

  it('raises on conflicting values naming the variable', () => {
    const other = new DataArray([1, 3], { dims: 'x', coords: { x: [1, 2] }, name: 'a' });
    assert.throws(() => merge([a(), other]), (e: Error) => e instanceof ToolBoxValueError && /conflicting values for variable 'a'/.test(e.message));
    same(num(merge([a(), other], { compat: 'override' }).get('a')), [1, 2]);
    assert.throws(() => merge([a(), other], { compat: 'equals' }), /variable 'a'/);
  });

  it("compat 'equals', 'identical' and 'broadcast_equals'", () => {
    const same1 = new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] }, name: 'a', attrs: { u: 'V' } });
    assert.doesNotThrow(() => merge([a(), same1], { compat: 'equals' }));
    assert.throws(() => merge([a(), same1], { compat: 'identical' }), /variable 'a'/);
    const wide = new DataArray([[1, 2], [1, 2]], { dims: ['y', 'x'], coords: { x: [1, 2] }, name: 'a' });
    const r = merge([a(), wide], { compat: 'broadcast_equals' });
    assert.deepEqual(r.variable('a').dims, ['x', 'y']);
    same(num(r.get('a')), [1, 1, 2, 2]);
  });

  it('broadcasts under no_conflicts (xarray: a(x) with f(y, x) gives (x, y))', () => {
    const f = new DataArray([[1, NaN], [1, 2]], { dims: ['y', 'x'], coords: { x: [1, 2] }, name: 'a' });
    const r = merge([a(), f]);
    assert.deepEqual(r.variable('a').dims, ['x', 'y']);
    same(num(r.get('a')), [1, 1, 2, 2]);
  });

  it('needs named DataArrays', () => {
    assert.throws(() => merge([new DataArray([1, 2], { dims: 'x' })]), /object 0 has no name/);
  });

  it("combines attrs: 'override' (default) takes the first's, DataArray attrs become the Dataset's", () => {
    const r = merge([a().assignAttrs({ u: 1 }), c()]);
    assert.deepEqual(r.attrs, { u: 1 });
    assert.deepEqual(r.get('a').attrs, { u: 1 });
    const ds = new Dataset({ p: ['x', [1, 2]] }, { coords: { x: [1, 2] } });
    assert.throws(() => merge([ds.assignAttrs({ k: 1 }), ds.assignAttrs({ k: 2 })], { combineAttrs: 'no_conflicts' }), /'k'/);
    assert.deepEqual(merge([ds.assignAttrs({ k: 1, j: 3 }), ds.assignAttrs({ k: 2, l: 4 })], { combineAttrs: 'drop_conflicts' }).attrs, { j: 3, l: 4 });
  });

  it('keeps coordinates as coordinates and is available as Dataset.merge', () => {
    const ds = new Dataset({ p: ['x', [1, 2]] }, { coords: { x: [1, 2], lx: ['x', [5, 6]] } });
    const r = ds.merge(c());
    assert.ok('lx' in r.coords);
    same(num(r.get('lx')), [5, 6, NaN]);
    same(num(r.get('c')), [NaN, 1, 2]);
    assert.equal(merge([]).dataVars.length, 0);
  });
});
