import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError, slice } from '../../toolbox/index.js';
import { coordNum, num, raw } from './ops-helpers.js';

function grid(): DataArray {
  return new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), {
    shape: [2, 3], dims: ['x', 'y'], name: 'v', attrs: { units: 'eV' },
    coords: { x: [10, 20], y: ['a', 'b', 'c'], c: ['y', [1.5, 2.5, 3.5]], s: ['x', ['p', 'q']] },
  });
}

describe('isel', () => {
  it('drops the dimension for an integer and keeps coords as scalars', () => {
    const r = grid().isel({ y: 1 });
    assert.deepEqual(r.dims, ['x']);
    assert.deepEqual(r.shape, [2]);
    assert.deepEqual(num(r), [1, 4]);
    assert.deepEqual(r.coords.y.dims, []);
    assert.deepEqual(raw(r.coords.y), ['b']);
    assert.deepEqual(num(r.coords.c), [2.5]);
    assert.deepEqual(coordNum(r, 'x'), [10, 20]);
    assert.equal(r.name, 'v');
    assert.deepEqual(r.attrs, { units: 'eV' });
    assert.equal(r.dtype, 'float64');
  });

  it('accepts negative positions and gives 0-d results', () => {
    const r = grid().isel({ x: -1, y: -3 });
    assert.deepEqual(r.dims, []);
    assert.deepEqual(r.shape, []);
    assert.equal(r.item(), 3);
    assert.deepEqual(raw(r.coords.s), ['q']);
  });

  it('drop: true removes the coords indexed by integers', () => {
    const r = grid().isel({ x: 0 }, { drop: true });
    assert.deepEqual(Object.keys(r.coords).sort(), ['c', 'y']);
  });

  it('keeps the dim for a list, in the order given, repeats allowed', () => {
    const r = grid().isel({ y: [2, 0, 2, -2] });
    assert.deepEqual(r.shape, [2, 4]);
    assert.deepEqual(num(r), [2, 0, 2, 1, 5, 3, 5, 4]);
    assert.deepEqual(raw(r.coords.y), ['c', 'a', 'c', 'b']);
    assert.deepEqual(num(r.coords.c), [3.5, 1.5, 3.5, 2.5]);
  });

  it('selects positional slices (stop exclusive, negative step)', () => {
    const da = grid();
    assert.deepEqual(num(da.isel({ y: slice(1, null) })), [1, 2, 4, 5]);
    assert.deepEqual(num(da.isel({ y: slice(null, null, -1) })), [2, 1, 0, 5, 4, 3]);
    assert.deepEqual(raw(da.isel({ y: slice(null, null, -2) }).coords.y), ['c', 'a']);
    assert.deepEqual(num(da.isel({ y: slice(-2) })), [0, 3]);
    const empty = da.isel({ y: slice(2, 1) });
    assert.deepEqual(empty.shape, [2, 0]);
    assert.equal(empty.values.length, 0);
    assert.equal(empty.coords.y.size, 0);
  });

  it('shares the buffer for a contiguous selection and copies otherwise', () => {
    const da = grid();
    const rows = da.isel({ x: slice(1, 2) });
    assert.equal((rows.values as Float64Array).buffer, (da.values as Float64Array).buffer);
    assert.deepEqual(num(rows), [3, 4, 5]);
    const cols = da.isel({ y: [0, 1] });
    assert.notEqual((cols.values as Float64Array).buffer, (da.values as Float64Array).buffer);
  });

  it('matches brute force on a 3-D array with mixed indexers', () => {
    const [A, B, C] = [4, 5, 6];
    const data = new Int32Array(A * B * C).map((_, i) => i * 7 - 50);
    const da = new DataArray(data, { shape: [A, B, C], dims: ['a', 'b', 'c'] });
    const ia = [3, 0, 3], ib = [1, 2, 3, 4], ic = [5, 3, 1];
    const r = da.isel({ a: ia, b: slice(1, null), c: slice(null, null, -2) });
    const expected: number[] = [];
    for (const i of ia) for (const j of ib) for (const k of ic) expected.push(data[(i * B + j) * C + k]);
    assert.deepEqual(r.shape, [3, 4, 3]);
    assert.equal(r.dtype, 'int32');
    assert.deepEqual(num(r), expected);
  });

  it('reports positions out of range, non-integers and unknown dims', () => {
    const da = grid();
    assert.throws(() => da.isel({ y: 3 }), (e: Error) => e instanceof ToolBoxValueError && /index 3 is out of range for dimension 'y' of size 3/.test(e.message));
    assert.throws(() => da.isel({ x: [0, -3] }), (e: Error) => e instanceof ToolBoxValueError && /index -3 .*'x' of size 2/.test(e.message));
    assert.throws(() => da.isel({ x: 0.5 }), ToolBoxTypeError);
    assert.throws(() => da.isel({ pulse: 0 }), (e: Error) => e instanceof ToolBoxValueError && /dimension 'pulse' not found; this array has dims \(x, y\)/.test(e.message));
    assert.throws(() => da.isel({ y: slice('a', 'b') as never }), (e: Error) => e instanceof ToolBoxTypeError && /use sel/.test(e.message));
  });

  it('indexes with a 1-D DataArray along another dim, renaming the dim', () => {
    const ix = new DataArray(new Int32Array([2, 0]), { dims: ['z'], coords: { z: [7, 8] } });
    const r = grid().isel({ y: ix });
    assert.deepEqual(r.dims, ['x', 'z']);
    assert.deepEqual(num(r), [2, 0, 5, 3]);
    assert.deepEqual(r.coords.y.dims, ['z']);
    assert.deepEqual(raw(r.coords.y), ['c', 'a']);
    assert.deepEqual(r.coords.c.dims, ['z']);
    assert.deepEqual(coordNum(r, 'z'), [7, 8]);
  });

  it('rejects an indexer coordinate that conflicts with the indexed one', () => {
    const ix = new DataArray(new Int32Array([0, 2]), { dims: ['y'], coords: { y: ['q', 'r'] } });
    assert.throws(() => grid().isel({ y: ix }), (e: Error) => e instanceof ToolBoxValueError && /coordinate 'y' of the indexer/.test(e.message));
  });

  it('accepts boolean masks and 0-d indexers', () => {
    const mask = new DataArray([true, false, true], { dims: ['y'] });
    assert.deepEqual(num(grid().isel({ y: mask })), [0, 2, 3, 5]);
    assert.throws(() => grid().isel({ x: mask }), /boolean indexer for 'x' has length 3/);
    const zero = new DataArray(1, { dims: [] });
    const r = grid().isel({ x: zero });
    assert.deepEqual(r.dims, ['y']);
    assert.deepEqual(num(r), [3, 4, 5]);
  });

  it('refuses float indexers and vectorized (pointwise) indexing', () => {
    assert.throws(() => grid().isel({ x: new DataArray([0.0, 1.5], { dims: ['x'] }) }), (e: Error) => e instanceof ToolBoxTypeError && /must hold integers/.test(e.message));
    const z = new DataArray(new Int32Array([0, 1]), { dims: ['z'] });
    assert.throws(() => grid().isel({ x: z, y: z }), /pointwise/);
  });
});

describe('sel', () => {
  const inc = () => new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), { dims: ['x'], coords: { x: [1, 3, 5, 7, 9, 11] } });
  const dec = () => new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), { dims: ['x'], coords: { x: [11, 9, 7, 5, 3, 1] } });

  it('selects scalar labels (drops the dim) and lists (keeps it)', () => {
    const da = grid();
    const r = da.sel({ x: 20, y: 'c' });
    assert.equal(r.item(), 5);
    assert.deepEqual(r.dims, []);
    assert.deepEqual(num(r.coords.x), [20]);
    const l = da.sel({ y: ['c', 'a'] });
    assert.deepEqual(num(l), [2, 0, 5, 3]);
    assert.deepEqual(raw(l.coords.y), ['c', 'a']);
    assert.deepEqual(da.sel({ y: [] }).shape, [2, 0]);
  });

  it('reports missing labels with the nearest ones', () => {
    assert.throws(() => inc().sel({ x: 4 }),
      (e: Error) => e instanceof ToolBoxValueError && /label 4 not found in index 'x' \(nearest labels: 3, 5\)/.test(e.message));
    assert.throws(() => grid().sel({ y: ['a', 'zz'] }), /label 'zz' not found in index 'y'/);
    assert.throws(() => grid().sel({ y: 5 }), (e: Error) => e instanceof ToolBoxTypeError && /dtype string/.test(e.message));
  });

  it('selects inclusive label slices on increasing indexes', () => {
    const x = (s: ReturnType<typeof slice>) => coordNum(inc().sel({ x: s }), 'x');
    assert.deepEqual(x(slice(2, 8)), [3, 5, 7]);
    assert.deepEqual(x(slice(3, 7)), [3, 5, 7]);
    assert.deepEqual(x(slice(8, 2)), []);
    assert.deepEqual(x(slice(3, 9, 2)), [3, 7]);
    assert.deepEqual(x(slice(9, 3, -1)), [9, 7, 5, 3]);
    assert.deepEqual(x(slice(8, 2, -2)), [7, 3]);
    assert.deepEqual(x(slice(null, 6)), [1, 3, 5]);
    assert.deepEqual(x(slice(6, null)), [7, 9, 11]);
    assert.deepEqual(x(slice(100, 200)), []);
  });

  it('selects label slices on decreasing indexes as pandas does', () => {
    const x = (s: ReturnType<typeof slice>) => coordNum(dec().sel({ x: s }), 'x');
    assert.deepEqual(x(slice(8, 2)), [7, 5, 3]);
    assert.deepEqual(x(slice(2, 8)), []);
    assert.deepEqual(x(slice(2, 8, -1)), [3, 5, 7]);
    assert.deepEqual(x(slice(null, 6)), [11, 9, 7]);
    assert.deepEqual(x(slice(6, null)), [5, 3, 1]);
  });

  it('needs exact slice ends on unsorted indexes', () => {
    const nm = new DataArray([0, 1, 2, 3, 4], { dims: ['x'], coords: { x: [3, 1, 4, 0, 2] } });
    assert.deepEqual(coordNum(nm.sel({ x: slice(1, 0) }), 'x'), [1, 4, 0]);
    assert.deepEqual(coordNum(nm.sel({ x: slice(2, 3) }), 'x'), []);
    assert.throws(() => nm.sel({ x: slice(1.5, 0) }), /slice start label 1.5 not found in index 'x', which is not sorted/);
    const s = new DataArray([0, 1, 2], { dims: ['x'], coords: { x: ['b', 'a', 'c'] } });
    assert.deepEqual(raw(s.sel({ x: slice('b', 'a') }).coords.x), ['b', 'a']);
  });

  it('supports nearest, pad and backfill with tolerance', () => {
    assert.deepEqual(coordNum(inc().sel({ x: [2, 4, 6, 0, 100] }, { method: 'nearest' }), 'x'), [3, 5, 7, 1, 11]);
    assert.deepEqual(coordNum(dec().sel({ x: [2, 4, 6] }, { method: 'nearest' }), 'x'), [3, 5, 7]);
    assert.deepEqual(coordNum(inc().sel({ x: [4, 12, 7] }, { method: 'pad' }), 'x'), [3, 11, 7]);
    assert.deepEqual(coordNum(inc().sel({ x: [4, 0] }, { method: 'bfill' }), 'x'), [5, 1]);
    // On a decreasing index pad/backfill follow index order, as pandas does.
    assert.deepEqual(coordNum(dec().sel({ x: [2, 4] }, { method: 'pad' }), 'x'), [3, 5]);
    assert.deepEqual(coordNum(dec().sel({ x: [2, 4] }, { method: 'backfill' }), 'x'), [1, 3]);
    assert.equal(inc().sel({ x: 4.2 }, { method: 'nearest', tolerance: 1 }).item(), 2);
    assert.throws(() => inc().sel({ x: 4 }, { method: 'nearest', tolerance: 0.5 }), /label 4 not found in index 'x'/);
    assert.throws(() => inc().sel({ x: 0.5 }, { method: 'pad' }), ToolBoxValueError);
    assert.throws(() => inc().sel({ x: 12 }, { method: 'bfill' }), /label 12 not found/);
  });

  it('refuses inexact methods on unsorted indexes and with slices', () => {
    const nm = new DataArray([0, 1, 2], { dims: ['x'], coords: { x: [3, 1, 2] } });
    assert.throws(() => nm.sel({ x: 2.2 }, { method: 'nearest' }), /must be monotonic increasing or decreasing/);
    assert.throws(() => inc().sel({ x: slice(2, 8) }, { method: 'nearest' }), /cannot be used with a slice/);
    const s = new DataArray([0, 1, 2], { dims: ['x'], coords: { x: ['a', 'c', 'e'] } });
    assert.deepEqual(raw(s.sel({ x: 'd' }, { method: 'pad' }).coords.x), ['c']);
    assert.throws(() => s.sel({ x: 'd' }, { method: 'nearest' }), ToolBoxTypeError);
  });

  it('looks up uint64 train IDs exactly with bigint or number labels', () => {
    const base = 2n ** 63n;
    const tid = new BigUint64Array([base + 1n, base + 2n, base + 3n]);
    const da = new DataArray(new Float32Array([1, 2, 3]), { dims: ['trainId'], coords: { trainId: tid } });
    assert.equal(da.sel({ trainId: base + 2n }).item(), 2);
    assert.throws(() => da.sel({ trainId: Number(base + 2n) }), /not found in index 'trainId'/);
    assert.deepEqual(num(da.sel({ trainId: slice(base + 2n, null) })), [2, 3]);
    assert.deepEqual(raw(da.sel({ trainId: [base + 3n, base + 1n] }).coords.trainId), [base + 3n, base + 1n]);
    const small = new DataArray([5, 6], { dims: ['t'], coords: { t: new BigUint64Array([100n, 101n]) } });
    assert.equal(small.sel({ t: 101 }).item(), 6n);
    assert.equal(small.sel({ t: 100.4 }, { method: 'nearest' }).item(), 5n);
  });

  it('matches float32 coordinates with the labels as typed', () => {
    const da = new DataArray([1, 2, 3], { dims: ['e'], coords: { e: new Float32Array([0.1, 0.2, 0.3]) } });
    assert.equal(da.sel({ e: 0.2 }).item(), 2n);
  });

  it('keeps the dim for a scalar label on a non-unique index, refuses lists there', () => {
    const d = new DataArray([1, 2, 3, 4], { dims: ['t'], coords: { t: [1, 2, 2, 3] } });
    const r = d.sel({ t: 2 });
    assert.deepEqual(r.dims, ['t']);
    assert.deepEqual(num(r), [2, 3]);
    assert.deepEqual(d.sel({ t: 1 }).dims, []);
    assert.throws(() => d.sel({ t: [2, 3] }), /duplicate labels/);
  });

  it('falls back to positions on a dim without index coordinate, like xarray', () => {
    const d = new DataArray([5, 6, 7], { dims: ['x'] });
    assert.equal(d.sel({ x: 1 }).item(), 6n);
    assert.throws(() => d.sel({ x: 'a' }), (e: Error) => e instanceof ToolBoxValueError && /has no index coordinate.*use isel/.test(e.message));
    assert.throws(() => d.sel({ x: 1 }, { method: 'nearest' }), /no index coordinate/);
  });

  it('accepts DataArray labels (renaming the dim) and boolean masks', () => {
    const labels = new DataArray([3, 5], { dims: ['z'] });
    const r = inc().sel({ x: labels });
    assert.deepEqual(r.dims, ['z']);
    assert.deepEqual(num(r), [1, 2]);
    assert.deepEqual(r.coords.x.dims, ['z']);
    assert.equal(inc().sel({ x: new DataArray(5, { dims: [] }) }).item(), 2);
    const mask = inc().coords.x.gt(6);
    assert.deepEqual(num(inc().sel({ x: mask })), [3, 4, 5]);
  });

  it('head and tail', () => {
    const da = inc();
    assert.deepEqual(coordNum(da.head({ x: 2 }), 'x'), [1, 3]);
    assert.deepEqual(coordNum(da.tail({ x: 2 }), 'x'), [9, 11]);
    assert.deepEqual(coordNum(da.tail({ x: 0 }), 'x'), []);
    assert.deepEqual(grid().head(1).shape, [1, 1]);
    assert.deepEqual(grid().tail().shape, [2, 3]);
    assert.throws(() => da.head({ x: -1 }), /non-negative integer for dimension 'x'/);
  });
});

describe('Dataset isel/sel', () => {
  function ds(): Dataset {
    return new Dataset({
      a: ['x', new Float64Array([1, 2, 3])],
      b: new DataArray(new Int16Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2], dims: ['x', 'y'] }),
      c: ['y', [7, 8]],
    }, { coords: { x: [10, 20, 30], y: ['p', 'q'], lab: ['x', ['u', 'v', 'w']] }, attrs: { run: 1 } });
  }

  it('applies to every variable and coordinate having the dim', () => {
    const d = ds();
    const r = d.isel({ x: [2, 0] });
    assert.deepEqual(num(r.get('a')), [3, 1]);
    assert.deepEqual(num(r.get('b')), [5, 6, 1, 2]);
    assert.equal(r.get('b').dtype, 'int16');
    assert.deepEqual(num(r.get('c')), [7, 8]);
    assert.deepEqual(raw(r.coords.lab), ['w', 'u']);
    assert.deepEqual(r.attrs, { run: 1 });
    const s = d.sel({ x: 20, y: 'q' });
    assert.deepEqual(s.get('a').dims, []);
    assert.equal(s.get('b').item(), 4);
    assert.equal(s.get('c').item(), 8n);
    assert.deepEqual(raw(s.coords.lab), ['v']);
    assert.deepEqual(num(s.coords.x), [20]);
    const dropped = d.sel({ x: 20 }, { drop: true });
    assert.ok(!('x' in dropped.coords) && !('lab' in dropped.coords));
  });

  it('names the Dataset dims when a dim is unknown', () => {
    assert.throws(() => ds().isel({ z: 0 }), (e: Error) => e instanceof ToolBoxValueError && /dimension 'z' not found; this Dataset has dims/.test(e.message));
    assert.throws(() => ds().sel({ x: 15 }), /label 15 not found in index 'x' \(nearest labels: 10, 20\)/);
  });
});
