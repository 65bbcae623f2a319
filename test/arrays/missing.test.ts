import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError } from '../../toolbox/index.js';
import { assertNumbers, coordNum, num, raw } from './ops-helpers.js';

const f64 = (v: number[], dims: string[] = ['x'], opts: object = {}) => new DataArray(new Float64Array(v), { dims, ...opts });

describe('isnull / notnull', () => {
  it('marks NaN in float data only', () => {
    const a = f64([1, NaN, 3], ['x'], { name: 'a', attrs: { u: 1 }, coords: { x: [1, 2, 3] } });
    const n = a.isnull();
    assert.equal(n.dtype, 'bool');
    assert.deepEqual(num(n), [0, 1, 0]);
    assert.deepEqual(num(a.notnull()), [1, 0, 1]);
    assert.deepEqual(n.attrs, {});
    assert.equal(n.name, 'a');
    assert.deepEqual(coordNum(n, 'x'), [1, 2, 3]);
    const f32 = new DataArray(new Float32Array([NaN, 0]), { dims: ['x'] });
    assert.deepEqual(num(f32.isnull()), [1, 0]);
    assert.deepEqual(num(new DataArray(new Int32Array([1, 2]), { dims: ['x'] }).isnull()), [0, 0]);
    assert.deepEqual(num(new DataArray(['a', ''], { dims: ['x'] }).notnull()), [1, 1]);
    assert.deepEqual(num(new DataArray([true], { dims: ['x'] }).isnull()), [0]);
  });
});

describe('where', () => {
  it('masks with NaN, promoting ints to float64 and keeping float32', () => {
    const i = new DataArray(new Int16Array([1, 2, 3]), { dims: ['x'], name: 'i', attrs: { u: 1 } });
    const r = i.where(i.gt(1));
    assert.equal(r.dtype, 'float64');
    assertNumbers(num(r), [NaN, 2, 3]);
    assert.equal(r.name, 'i');
    assert.deepEqual(r.attrs, { u: 1 });
    const f = new DataArray(new Float32Array([1, 2]), { dims: ['x'] });
    const rf = f.where(f.lt(2));
    assert.equal(rf.dtype, 'float32');
    assertNumbers(num(rf), [1, NaN]);
    assert.equal(new DataArray([true, false], { dims: ['x'] }).where(true).dtype, 'float64');
  });

  it('keeps the dtype for a representable scalar other', () => {
    const i = new DataArray(new Int16Array([1, 2, 3]), { dims: ['x'] });
    const r = i.where(i.gt(1), 0);
    assert.equal(r.dtype, 'int16');
    assert.deepEqual(num(r), [0, 2, 3]);
    assert.equal(i.where(i.gt(1), 0.5).dtype, 'float64');
    assert.equal(i.where(i.gt(1), 100000).dtype, 'int64');
    const big = new DataArray(new BigUint64Array([2n ** 64n - 1n, 1n]), { dims: ['x'] });
    assert.deepEqual(raw(big.where(big.gt(1), 7n)), [2n ** 64n - 1n, 7n]);
    const s = new DataArray(['a', 'b'], { dims: ['x'] });
    assert.deepEqual(raw(s.where(s.eq('a'), 'z')), ['a', 'z']);
    assert.throws(() => s.where(s.eq('a')), ToolBoxTypeError);
  });

  it('broadcasts the condition and other by dimension name', () => {
    const a = f64([1, 2], ['x']);
    const cond = new DataArray([true, false, true], { dims: ['y'] });
    const r = a.where(cond);
    assert.deepEqual(r.dims, ['x', 'y']);
    assertNumbers(num(r), [1, NaN, 1, 2, NaN, 2]);
    const other = f64([10, 20, 30], ['y']);
    assert.deepEqual(num(a.where(cond, other)), [1, 20, 1, 2, 20, 2]);
    assert.deepEqual(num(a.where(false, -1)), [-1, -1]);
    assert.throws(() => a.where(f64([1, 0, 1], ['x']) as never), /size 2 in the first operand but 3 in the second/);
  });

  it('aligns the condition (inner join) without other, needs equal labels with other', () => {
    const i = f64([1, 2, 3], ['x'], { coords: { x: [1, 2, 3] } });
    const c = new DataArray([true, false], { dims: ['x'], coords: { x: [2, 3] } });
    const r = i.where(c);
    assert.deepEqual(coordNum(r, 'x'), [2, 3]);
    assertNumbers(num(r), [2, NaN]);
    assert.throws(() => i.where(c, 0), (e: Error) => e instanceof ToolBoxValueError && /index 'x' has different labels \(join='exact'\)/.test(e.message));
  });

  it('treats float conditions as truthy where non-zero (NaN counts as true)', () => {
    assert.deepEqual(num(f64([1, 2, 3]).where(f64([0, NaN, 2]), 0)), [0, 2, 3]);
  });
});

describe('fillna', () => {
  it('replaces NaN with a scalar and keeps float32', () => {
    const a = new DataArray(new Float32Array([NaN, 2]), { dims: ['x'], attrs: { u: 1 } });
    const r = a.fillna(0);
    assert.equal(r.dtype, 'float32');
    assert.deepEqual(num(r), [0, 2]);
    assert.deepEqual(r.attrs, { u: 1 });
    const i = new DataArray(new Int32Array([1, 2]), { dims: ['x'] });
    assert.equal(i.fillna(0), i);
    assert.equal(i.fillna(0.5).dtype, 'float64');
  });

  it('fills from a DataArray, broadcast and left-aligned', () => {
    const a = new DataArray(new Float64Array([1, NaN, 3, NaN, NaN, 6]), { dims: ['a', 'b'], shape: [2, 3] });
    assert.deepEqual(num(a.fillna(f64([7, 8, 9], ['b']))), [1, 8, 3, 7, 8, 6]);
    const l = f64([NaN, 2, NaN], ['x'], { coords: { x: [1, 2, 3] } });
    const v = f64([30, 10], ['x'], { coords: { x: [3, 1] } });
    const r = l.fillna(v);
    assert.deepEqual(coordNum(r, 'x'), [1, 2, 3]);
    assert.deepEqual(num(r), [10, 2, 30]);
  });
});

describe('dropna', () => {
  const g = () => new DataArray(new Float64Array([1, NaN, 3, NaN, NaN, 6]), { dims: ['a', 'b'], shape: [2, 3], coords: { b: [10, 20, 30] } });

  it('drops positions where any / all values are NaN', () => {
    const any = g().dropna('b');
    assert.deepEqual(any.shape, [2, 1]);
    assert.deepEqual(num(any), [3, 6]);
    assert.deepEqual(coordNum(any, 'b'), [30]);
    const all = g().dropna('b', { how: 'all' });
    assert.deepEqual(coordNum(all, 'b'), [10, 30]);
    assertNumbers(num(all), [1, 3, NaN, 6]);
  });

  it('keeps positions with at least thresh values', () => {
    assertNumbers(num(g().dropna('a', { thresh: 2 })), [1, NaN, 3]);
    assert.deepEqual(g().dropna('a', { thresh: 1, how: 'any' }).shape, [2, 3]);
    assert.deepEqual(g().dropna('a', { thresh: 3 }).shape, [0, 3]);
  });

  it('returns ints unchanged and validates its arguments', () => {
    const i = new DataArray(new Int32Array([1, 2]), { dims: ['x'] });
    assert.equal(i.dropna('x'), i);
    assert.throws(() => g().dropna('z'), /dimension 'z' not found; this array has dims \(a, b\)/);
    assert.throws(() => g().dropna('a', { how: 'some' as never }), /how must be 'any' or 'all'/);
    assert.throws(() => g().dropna('a', { thresh: -1 }), /thresh must be a non-negative integer/);
  });
});

describe('Dataset missing values', () => {
  const ds = () => new Dataset({
    a: ['x', new Float64Array([1, NaN, 3])],
    b: ['x', new Float64Array([NaN, NaN, 6])],
    i: ['x', new Int32Array([4, 5, 6]) as never],
    c: f64([1], ['y']),
  }, { coords: { x: [1, 2, 3] }, attrs: { run: 1 } });

  it('where applies to every variable, broadcasting the condition', () => {
    const d = ds();
    const r = d.where(d.get('a').notnull());
    assertNumbers(num(r.get('a')), [1, NaN, 3]);
    assert.equal(r.get('i').dtype, 'float64');
    assertNumbers(num(r.get('i')), [4, NaN, 6]);
    assert.deepEqual(r.get('c').dims, ['y', 'x']);
    assert.deepEqual(r.attrs, { run: 1 });
  });

  it('fillna fills every float variable', () => {
    const r = ds().fillna(0);
    assert.deepEqual(num(r.get('b')), [0, 0, 6]);
    assert.equal(r.get('i').dtype, 'int32');
  });

  it('dropna counts over all variables having the dim, or a subset', () => {
    assert.deepEqual(coordNum(ds().dropna('x').get('a'), 'x'), [3]);
    assert.deepEqual(coordNum(ds().dropna('x', { how: 'all' }).get('a'), 'x'), [1, 2, 3]);
    assert.deepEqual(coordNum(ds().dropna('x', { subset: ['a'] }).get('b'), 'x'), [1, 3]);
    assert.deepEqual(coordNum(ds().dropna('x', { thresh: 2 }).get('a'), 'x'), [1, 3]);
    assert.throws(() => ds().dropna('x', { subset: ['zz'] }), /subset names 'zz'/);
    assert.throws(() => ds().dropna('q'), /dimension 'q' not found; this Dataset has dims/);
  });
});
