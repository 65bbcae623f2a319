import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError } from '../../toolbox/index.js';
import { assertClose, assertNumbers, coordNum, num, raw } from './ops-helpers.js';

const f64 = (v: number[], dims: string[] = ['x'], opts: object = {}) => new DataArray(new Float64Array(v), { dims, ...opts });

describe('binary arithmetic', () => {
  it('adds arrays with the same dims element-wise', () => {
    const a = f64([1, 2, 3], ['x'], { name: 'a', attrs: { u: 1 } });
    const r = a.add(f64([10, 20, 30], ['x'], { name: 'a' }));
    assert.deepEqual(num(r), [11, 22, 33]);
    assert.equal(r.dtype, 'float64');
    assert.equal(r.name, 'a');
    assert.deepEqual(r.attrs, {});
    assert.equal(a.sub(f64([1, 1, 1], ['x'], { name: 'b' })).name, null);
    assert.equal(a.mul(2).name, 'a');
  });

  it('broadcasts by dimension name: dims of a, then new dims of b', () => {
    const a = f64([1, 2], ['x']);
    const b = new DataArray(new Float64Array([1, 2, 3, 4, 5, 6]), { dims: ['y', 'x'], shape: [3, 2] });
    const r = a.mul(b);
    assert.deepEqual(r.dims, ['x', 'y']);
    assert.deepEqual(r.shape, [2, 3]);
    assert.deepEqual(num(r), [1, 3, 5, 4, 8, 12]);
    const r2 = b.sub(a);
    assert.deepEqual(r2.dims, ['y', 'x']);
    assert.deepEqual(num(r2), [0, 0, 2, 2, 4, 4]);
    const outer = f64([1, 2], ['x']).add(f64([10, 20, 30], ['y']));
    assert.deepEqual(num(outer), [11, 21, 31, 12, 22, 32]);
  });

  it('matches brute force for transposed 3-D operands', () => {
    const [X, Y, Z] = [3, 4, 5];
    const av = new Float64Array(X * Y * Z).map((_, i) => i);
    const bv = new Float64Array(Z * X).map((_, i) => 100 * i);
    const a = new DataArray(av, { dims: ['x', 'y', 'z'], shape: [X, Y, Z] });
    const b = new DataArray(bv, { dims: ['z', 'x'], shape: [Z, X] });
    const r = a.add(b);
    const expected: number[] = [];
    for (let i = 0; i < X; i++) for (let j = 0; j < Y; j++) for (let k = 0; k < Z; k++) expected.push(av[(i * Y + j) * Z + k] + bv[k * X + i]);
    assert.deepEqual(num(r), expected);
  });

  it('names the dim and both sizes on a size mismatch', () => {
    assert.throws(() => f64([1, 2, 3]).add(f64([1, 2])),
      (e: Error) => e instanceof ToolBoxValueError && /dimension 'x' has size 3 in the first operand but 2 in the second/.test(e.message));
  });

  it('aligns misaligned index coordinates with an inner join (xarray arithmetic_join)', () => {
    const a = f64([1, 2, 3], ['x'], { coords: { x: [1, 2, 3] } });
    const b = f64([10, 20, 30], ['x'], { coords: { x: [2, 3, 4] } });
    const r = a.add(b);
    assert.deepEqual(coordNum(r, 'x'), [2, 3]);
    assert.deepEqual(num(r), [12, 23]);
  });

  it('keeps equal coords and drops conflicting non-index coords', () => {
    const a = f64([1, 2, 3], ['x'], { coords: { x: [1, 2, 3], c: ['x', [1, 2, 3]], s: 5, only: ['x', [0, 0, 0]] } });
    const b = f64([1, 1, 1], ['x'], { coords: { x: [1, 2, 3], c: ['x', [1, 2, 4]], s: 5, d: ['x', [9, 9, 9]] } });
    const r = a.add(b);
    assert.deepEqual(Object.keys(r.coords).sort(), ['d', 'only', 's', 'x']);
    const p = a.isel({ x: 0 }).add(a.isel({ x: 1 }));
    assert.ok(!('x' in p.coords), 'scalar coords with different values are dropped');
    assert.deepEqual(num(p.coords.s), [5]);
  });

  it('follows NEP 50 for scalars: they adopt the array dtype', () => {
    const f32 = new DataArray(new Float32Array([1, 2]), { dims: ['x'] });
    const r = f32.mul(2.5);
    assert.equal(r.dtype, 'float32');
    assert.deepEqual(num(r), [2.5, 5]);
    const i16 = new DataArray(new Int16Array([1, 2]), { dims: ['x'] });
    assert.equal(i16.add(1).dtype, 'int16');
    assert.equal(i16.add(2.5).dtype, 'float64');
    assert.equal(i16.add(NaN).dtype, 'float64');
    assert.equal(i16.div(2).dtype, 'float64');
    assert.equal(f32.div(2).dtype, 'float32');
    assert.throws(() => i16.add(40000), (e: Error) => e instanceof ToolBoxValueError && /40000 is out of range for the array's dtype int16/.test(e.message));
    const u8 = new DataArray(new Uint8Array([250, 3]), { dims: ['x'] });
    assert.throws(() => u8.sub(-1), /out of range for the array's dtype uint8/);
    assert.deepEqual(num(u8.add(10)), [4, 13], 'uint8 wraps like numpy');
    const b = new DataArray([true, false], { dims: ['x'] });
    assert.equal(b.add(1).dtype, 'int64');
    assert.equal(b.add(true).dtype, 'bool');
    assert.deepEqual(num(b.mul(true)), [1, 0]);
    assert.throws(() => b.sub(true), ToolBoxTypeError);
  });

  it('promotes array dtypes like numpy', () => {
    const f32 = new DataArray(new Float32Array([3]), { dims: ['x'] });
    const i16 = new DataArray(new Int16Array([2]), { dims: ['x'] });
    const i32 = new DataArray(new Int32Array([2]), { dims: ['x'] });
    const u8 = new DataArray(new Uint8Array([2]), { dims: ['x'] });
    const i8 = new DataArray(new Int8Array([2]), { dims: ['x'] });
    assert.equal(f32.add(i16).dtype, 'float32');
    assert.equal(f32.add(i32).dtype, 'float64');
    assert.equal(f32.div(f32).dtype, 'float32');
    assert.equal(i32.div(i32).dtype, 'float64');
    assert.equal(u8.add(i8).dtype, 'int16');
    assert.equal(i32.floordiv(i16).dtype, 'int32');
    assert.deepEqual(num(f32.div(i16)), [1.5]);
  });

  it('keeps int64 and uint64 exact, wrapping on overflow like numpy', () => {
    const big = new DataArray(new BigInt64Array([2n ** 62n + 1n, -(2n ** 62n) - 3n, 2n ** 63n - 1n]), { dims: ['x'] });
    assert.deepEqual(raw(big.add(1)), [2n ** 62n + 2n, -(2n ** 62n) - 2n, -(2n ** 63n)]);
    assert.deepEqual(raw(big.mul(2)), [2n ** 63n + 2n - 2n ** 64n, -(2n ** 63n) - 6n + 2n ** 64n, -2n]);
    assert.deepEqual(raw(big.floordiv(-4)), [-(2n ** 60n) - 1n, 2n ** 60n, -(2n ** 61n)]);
    assert.deepEqual(raw(big.mod(-4)), [-3n, -3n, -1n]);
    const tid = new DataArray(new BigUint64Array([2n ** 64n - 2n, 5n]), { dims: ['trainId'] });
    assert.deepEqual(raw(tid.add(1n)), [2n ** 64n - 1n, 6n]);
    assert.deepEqual(raw(tid.sub(tid.isel({ trainId: [1, 1] }))), [2n ** 64n - 7n, 0n]);
    assert.deepEqual(raw(tid.isel({ trainId: [1] }).sub(6)), [2n ** 64n - 1n]);
    assert.equal(tid.add(0.5).dtype, 'float64');
    const i32 = new DataArray(new Int32Array([3, -7]), { dims: ['x'] });
    const mixed = big.isel({ x: [0, 1] }).add(i32);
    assert.equal(mixed.dtype, 'int64');
    assert.deepEqual(raw(mixed), [2n ** 62n + 4n, -(2n ** 62n) - 10n]);
    assert.equal(big.add(f64([1, 2, 3])).dtype, 'float64');
    // int64/uint64 → float64 rounds to nearest (ties to even), exactly like Number(bigint).
    const edge = new DataArray(new BigInt64Array([2n ** 53n + 1n, -(2n ** 63n), 2n ** 53n + 3n, -(2n ** 53n) - 1n]), { dims: ['x'] });
    assert.deepEqual(num(edge.add(0.5)), [2 ** 53, -(2 ** 63), 2 ** 53 + 4, -(2 ** 53)]);
    const uedge = new DataArray(new BigUint64Array([2n ** 64n - 1n, 2n ** 63n + 2n ** 11n]), { dims: ['x'] });
    assert.deepEqual(num(uedge.mul(1.5)), [Number(2n ** 64n - 1n) * 1.5, Number(2n ** 63n + 2n ** 11n) * 1.5]);
    assert.deepEqual(num(uedge.sqrt()), [Math.sqrt(2 ** 64), Math.sqrt(Number(2n ** 63n + 2n ** 11n))]);
    assert.deepEqual(raw(big.isel({ x: [2] }).pow(3)), [BigInt.asIntN(64, (2n ** 63n - 1n) ** 3n)]);
  });

  it('wraps 32-bit integer products exactly', () => {
    const i32 = new DataArray(new Int32Array([65536, 46341, -2147483648]), { dims: ['x'] });
    assert.deepEqual(num(i32.mul(i32)), [0, -2147479015, 0]);
    assert.deepEqual(num(i32.isel({ x: [1] }).pow(3)), [Math.imul(Math.imul(46341, 46341), 46341)]);
  });

  it('divides like numpy: integer zero division gives 0, float floor division is Python-exact', () => {
    const i = new DataArray(new Int32Array([7, -7, 5]), { dims: ['x'] });
    const d = new DataArray(new Int32Array([2, 2, 0]), { dims: ['x'] });
    assert.deepEqual(num(i.floordiv(d)), [3, -4, 0]);
    assert.deepEqual(num(i.mod(d)), [1, 1, 0]);
    assert.deepEqual(num(i.div(d)), [3.5, -3.5, Infinity]);
    const f = f64([1, -1, 5, 1, -5]);
    const g = f64([0.1, 0.1, -3, 0, 3]);
    assertNumbers(num(f.floordiv(g)), [9, -10, -2, Infinity, -2]);
    assertClose(num(f.mod(g)).slice(0, 3), [0.09999999999999995, 0.00000000000000005551115123125783, -1]);
    assertNumbers(num(f.mod(g)).slice(3), [NaN, 1]);
    assert.throws(() => i.pow(-1), /negative integer powers/);
    assert.deepEqual(num(i.pow(2)), [49, 49, 25]);
    assertClose(num(i.pow(0.5)).slice(0, 1), [Math.sqrt(7)]);
  });

  it('handles 0-d and empty arrays', () => {
    const z = new DataArray(2.5, { dims: [] });
    const r = z.mul(f64([1, 2]));
    assert.deepEqual(r.dims, ['x']);
    assert.deepEqual(num(r), [2.5, 5]);
    assert.equal(z.add(z).item(), 5);
    const e = f64([]);
    assert.deepEqual(e.add(1).shape, [0]);
    assert.deepEqual(e.add(f64([1, 2], ['y'])).shape, [0, 2]);
  });

  it('rejects strings and non-scalar operands', () => {
    const s = new DataArray(['a', 'b'], { dims: ['x'] });
    assert.throws(() => s.add(1), ToolBoxTypeError);
    assert.throws(() => f64([1]).add('1' as never), ToolBoxTypeError);
  });
});

describe('comparisons and logic', () => {
  it('returns bool; NaN compares false (ne true)', () => {
    const a = f64([1, NaN, 3], ['x'], { name: 'a', attrs: { u: 1 } });
    const gt = a.gt(1);
    assert.equal(gt.dtype, 'bool');
    assert.deepEqual(num(gt), [0, 0, 1]);
    assert.equal(gt.name, 'a');
    assert.deepEqual(gt.attrs, {});
    assert.deepEqual(num(a.eq(a)), [1, 0, 1]);
    assert.deepEqual(num(a.ne(a)), [0, 1, 0]);
    assert.deepEqual(num(a.le(f64([1, 1, 1]))), [1, 0, 0]);
    assert.deepEqual(num(a.ge(3)), [0, 0, 1]);
    assert.deepEqual(num(a.lt(2)), [1, 0, 0]);
  });

  it('compares strings, and strings with numbers as unequal', () => {
    const s = new DataArray(['a', 'b', 'a'], { dims: ['x'] });
    assert.deepEqual(num(s.eq('a')), [1, 0, 1]);
    assert.deepEqual(num(s.ne('a')), [0, 1, 0]);
    assert.deepEqual(num(s.eq(1)), [0, 0, 0]);
    assert.deepEqual(num(s.ne(1)), [1, 1, 1]);
    assert.throws(() => s.lt(1), ToolBoxTypeError);
  });

  it('compares 64-bit integers with numbers exactly', () => {
    const t = new DataArray(new BigUint64Array([2n ** 63n, 2n ** 63n + 1n]), { dims: ['x'] });
    assert.deepEqual(num(t.gt(2 ** 63)), [0, 1]);
    assert.deepEqual(num(t.eq(2 ** 63)), [1, 0]);
    assert.deepEqual(num(t.eq(f64([2 ** 63, 2 ** 63]))), [1, 0]);
    assert.deepEqual(num(t.le(2n ** 63n)), [1, 0]);
  });

  it('and/or/xor/not on bool, bitwise on ints, refused on floats', () => {
    const a = new DataArray([true, true, false, false], { dims: ['x'] });
    const b = new DataArray([true, false, true, false], { dims: ['x'] });
    assert.deepEqual(num(a.and(b)), [1, 0, 0, 0]);
    assert.deepEqual(num(a.or(b)), [1, 1, 1, 0]);
    assert.deepEqual(num(a.xor(b)), [0, 1, 1, 0]);
    assert.deepEqual(num(a.not()), [0, 0, 1, 1]);
    assert.equal(a.and(true).dtype, 'bool');
    const i = new DataArray(new Uint8Array([12, 10]), { dims: ['x'] });
    assert.deepEqual(num(i.and(6)), [4, 2]);
    assert.deepEqual(num(i.not()), [243, 245]);
    const big = new DataArray(new BigInt64Array([-1n]), { dims: ['x'] });
    assert.deepEqual(raw(big.and(2n ** 62n)), [2n ** 62n]);
    assert.throws(() => f64([1]).and(true), (e: Error) => e instanceof ToolBoxTypeError && /needs bool or integer/.test(e.message));
  });
});

describe('unary operations and rounding', () => {
  it('keeps coords, name and attrs', () => {
    const a = f64([1, -4], ['x'], { name: 'a', attrs: { u: 1 }, coords: { x: [5, 6] } });
    const r = a.neg();
    assert.deepEqual(num(r), [-1, 4]);
    assert.equal(r.name, 'a');
    assert.deepEqual(r.attrs, { u: 1 });
    assert.deepEqual(coordNum(r, 'x'), [5, 6]);
    assert.deepEqual(num(a.abs()), [1, 4]);
    assertNumbers(num(a.sqrt()), [1, NaN]);
    assertNumbers(num(a.log()), [0, NaN]);
    assertClose(num(a.exp()), [Math.E, Math.exp(-4)]);
    assertClose(num(f64([100, 0.001]).log10()), [2, -3]);
  });

  it('wraps integer negation and abs like numpy; float functions pick the float size', () => {
    assert.deepEqual(num(new DataArray(new Uint8Array([5, 0]), { dims: ['x'] }).neg()), [251, 0]);
    assert.deepEqual(num(new DataArray(new Int8Array([-128, -3]), { dims: ['x'] }).abs()), [-128, 3]);
    assert.deepEqual(raw(new DataArray(new BigInt64Array([-(2n ** 62n)]), { dims: ['x'] }).abs()), [2n ** 62n]);
    assert.equal(new DataArray(new Int16Array([4]), { dims: ['x'] }).sqrt().dtype, 'float32');
    assert.equal(new DataArray(new Int32Array([4]), { dims: ['x'] }).sqrt().dtype, 'float64');
    assert.equal(new DataArray(new Float32Array([4]), { dims: ['x'] }).exp().dtype, 'float32');
    assert.throws(() => new DataArray([true], { dims: ['x'] }).neg(), ToolBoxTypeError);
    assert.throws(() => f64([1]).not(), ToolBoxTypeError);
  });

  it('rounds half to even like numpy, at any number of decimals', () => {
    assert.deepEqual(num(f64([0.5, 1.5, 2.5, -0.5, -1.5, 0.125, 2.675]).round()), [0, 2, 2, -0, -2, 0, 3]);
    assert.deepEqual(num(f64([0.125, 2.675, 1.005]).round(2)), [0.12, 2.68, 1]);
    assert.deepEqual(num(f64([15, 25, -15, 1234]).round(-1)), [20, 20, -20, 1230]);
    const f32 = new DataArray(new Float32Array([1.25, 2.35]), { dims: ['x'] }).round(1);
    assert.equal(f32.dtype, 'float32');
    assert.deepEqual(num(f32), [Math.fround(1.2), Math.fround(2.4)]);
    assert.deepEqual(num(new DataArray(new Int32Array([15, 25, -15, -25]), { dims: ['x'] }).round(-1)), [20, 20, -20, -20]);
    assert.deepEqual(raw(new DataArray(new BigInt64Array([15n, 25n, -35n, 2n ** 62n + 5n]), { dims: ['x'] }).round(-1)), [20n, 20n, -40n, 2n ** 62n + 6n]);
    assert.deepEqual(raw(new DataArray([1, 2], { dims: ['x'] }).round(2)), [1n, 2n]);
  });

  it('map applies a function on float64 values', () => {
    const r = new DataArray(new Int16Array([1, 2]), { dims: ['x'], coords: { x: [3, 4] } }).map((v) => v * 1.5);
    assert.equal(r.dtype, 'float64');
    assert.deepEqual(num(r), [1.5, 3]);
    assert.deepEqual(coordNum(r, 'x'), [3, 4]);
  });
});

describe('Dataset arithmetic', () => {
  const ds = () => new Dataset({ a: ['x', new Float64Array([1, 2, 3])], b: ['x', new Int16Array([4, 5, 6]) as never], c: f64([1], ['y']) },
    { coords: { x: [1, 2, 3] }, attrs: { run: 7 } });

  it('applies scalars to every data variable', () => {
    const r = ds().add(1);
    assert.deepEqual(num(r.get('a')), [2, 3, 4]);
    assert.equal(r.get('b').dtype, 'int16');
    assert.deepEqual(num(r.get('b')), [5, 6, 7]);
    assert.deepEqual(coordNum(r.get('a'), 'x'), [1, 2, 3]);
    assert.deepEqual(r.attrs, { run: 7 });
  });

  it('matches variables by name for Dataset ⊕ Dataset (inner join on names and labels)', () => {
    const other = new Dataset({ a: ['x', new Float64Array([10, 20])], d: ['x', new Float64Array([0, 0])] }, { coords: { x: [2, 3] } });
    const r = ds().mul(other);
    assert.deepEqual(r.dataVars, ['a']);
    assert.deepEqual(num(r.get('a')), [20, 60]);
    assert.deepEqual(coordNum(r.get('a'), 'x'), [2, 3]);
  });

  it('broadcasts a DataArray against every variable', () => {
    const r = ds().sub(f64([1, 1, 1], ['x'], { coords: { x: [1, 2, 3] } }));
    assert.deepEqual(num(r.get('a')), [0, 1, 2]);
    assert.equal(r.get('b').dtype, 'float64');
    assert.deepEqual(r.get('c').dims, ['y', 'x']);
    assert.deepEqual(r.attrs, {});
  });
});
