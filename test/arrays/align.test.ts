import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError, align, broadcast, reindex } from '../../toolbox/index.js';

/** Values as numbers, NaN kept (bigints converted). */
const num = (da: DataArray): number[] => Array.from(da.values as ArrayLike<number | bigint>, Number);
const labels = (da: DataArray, dim: string): unknown[] => Array.from(da.coords[dim].values as ArrayLike<unknown>);
function same(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} != ${expected.length}`);
  expected.forEach((e, i) => assert.ok(Number.isNaN(e) ? Number.isNaN(actual[i]) : actual[i] === e, `[${i}]: expected ${e}, got ${actual[i]} in [${actual}]`));
}

// xr.DataArray([1,2,3], dims='x', coords={'x':[3,1,2]}) and ([1.,2,3], coords x=[2,5,3])
const a = () => new DataArray([1, 2, 3], { dims: 'x', coords: { x: [3, 1, 2] }, attrs: { u: 1 } });
const b = () => new DataArray([1.5, 2, 3], { dims: 'x', coords: { x: new Float64Array([2, 5, 3]) } });

describe('align', () => {
  it("join='inner' keeps the labels common to all, in the first object's order", () => {
    const [ra, rb] = align([a(), b()], { join: 'inner' });
    same(num(ra.coords.x), [3, 2]);
    same(num(ra), [1, 3]);
    assert.equal(ra.dtype, 'int64');
    same(num(rb), [3, 1.5]);
    assert.deepEqual(ra.attrs, { u: 1 });
  });

  it("join='outer' takes the sorted union and fills with NaN, promoting int to float64", () => {
    const [ra, rb] = align([a(), b()], { join: 'outer' });
    same(num(ra.coords.x), [1, 2, 3, 5]);
    assert.equal(ra.coords.x.dtype, 'float64');
    same(num(ra), [2, 3, 1, NaN]);
    assert.equal(ra.dtype, 'float64');
    same(num(rb), [NaN, 1.5, 3, 2]);
  });

  it("join='outer' with an empty index keeps the other one's order, like pandas", () => {
    const empty = new DataArray(new Float64Array(0), { dims: 'x', coords: { x: new BigInt64Array(0) } });
    const [, ra] = align([empty, a()], { join: 'outer' });
    same(num(ra.coords.x), [3, 1, 2]);
    same(num(ra), [1, 2, 3]);
  });

  it("join='left' and 'right' take the first / last index", () => {
    const [la, lb] = align([a(), b()], { join: 'left' });
    same(num(la.coords.x), [3, 1, 2]);
    same(num(la), [1, 2, 3]);
    assert.equal(la.dtype, 'int64');
    same(num(lb), [3, NaN, 1.5]);
    const [ra, rb] = align([a(), b()], { join: 'right' });
    same(num(ra.coords.x), [2, 5, 3]);
    same(num(ra), [3, NaN, 1]);
    same(num(rb), [1.5, 2, 3]);
  });

  it('returns the very same objects when the indexes are already equal', () => {
    const x = a();
    const y = new DataArray([7, 8, 9], { dims: 'x', coords: { x: new Float64Array([3, 1, 2]) } });
    for (const join of ['inner', 'outer', 'left', 'right', 'exact', 'override'] as const) {
      const [rx, ry] = align([x, y], { join });
      assert.equal(rx, x, join);
      assert.equal(ry, y, join);
    }
  });

  it("join='exact' raises naming the dimension and showing both indexes", () => {
    assert.throws(() => align([a(), b()], { join: 'exact' }), (e: Error) => e instanceof ToolBoxValueError
      && /join='exact'/.test(e.message) && /dimension 'x'/.test(e.message) && e.message.includes('[3, 1, 2]') && e.message.includes('[2, 5, 3]'));
  });

  it("join='override' relabels with the first index and checks sizes", () => {
    const [, rb] = align([a(), b()], { join: 'override' });
    same(num(rb.coords.x), [3, 1, 2]);
    same(num(rb), [1.5, 2, 3]);
    const short = new DataArray([1, 2], { dims: 'x', coords: { x: [0, 1] } });
    assert.throws(() => align([a(), short], { join: 'override' }), /join='override'.*dimension 'x'.*3 vs 2/);
  });

  it('gives objects without an index the joined one, if their size matches', () => {
    const plain = new DataArray([10, 20, 30], { dims: 'x' });
    const [, rp] = align([a(), plain]);
    same(num(rp.coords.x), [3, 1, 2]);
    same(num(rp), [10, 20, 30]);
    const wrong = new DataArray([10, 20], { dims: 'x' });
    assert.throws(() => align([a(), wrong]), (e: Error) => e instanceof ToolBoxValueError && /dimension 'x'/.test(e.message) && /size 2/.test(e.message) && /size 3/.test(e.message));
    assert.throws(() => align([wrong, plain]), /dimension 'x'.*sizes differ \(2, 3\)/);
  });

  it('refuses to reindex an index with duplicate labels, like pandas', () => {
    const dup = new DataArray([1, 2, 3], { dims: 'x', coords: { x: [1, 1, 2] } });
    assert.throws(() => align([a(), dup]), (e: Error) => e instanceof ToolBoxValueError && /duplicate labels/.test(e.message) && /'x'/.test(e.message));
    // Equal indexes need no reindexing, so duplicates are fine there (xarray too).
    const [r] = align([dup, dup], { join: 'outer' });
    same(num(r.coords.x), [1, 1, 2]);
  });

  it('compares uint64 train IDs beyond 2^53 exactly', () => {
    const base = 2n ** 63n;
    const u = new DataArray([1, 2], { dims: 'x', coords: { x: new BigUint64Array([base + 1n, base + 5n]) } });
    const v = new DataArray([1, 2], { dims: 'x', coords: { x: new BigUint64Array([base + 5n, base + 7n]) } });
    const [ru, rv] = align([u, v], { join: 'outer' });
    assert.equal(ru.coords.x.dtype, 'uint64');
    assert.deepEqual(labels(ru, 'x'), [base + 1n, base + 5n, base + 7n]);
    same(num(ru), [1, 2, NaN]);
    same(num(rv), [NaN, 1, 2]);
    const [iu] = align([u, v], { join: 'inner' });
    assert.deepEqual(labels(iu, 'x'), [base + 5n]);
    same(num(iu), [2]);
  });

  it('matches int64 labels with equal float64 labels, and string labels', () => {
    const i = new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] } });
    const f = new DataArray([5, 6], { dims: 'x', coords: { x: new Float64Array([2, 1]) } });
    const [, rf] = align([i, f], { join: 'left' });
    same(num(rf), [6, 5]);
    const s1 = new DataArray([1, 2, 3], { dims: 'ch', coords: { ch: ['b', 'a', 'c'] } });
    const s2 = new DataArray([4, 5], { dims: 'ch', coords: { ch: ['c', 'a'] } });
    const [o1, o2] = align([s1, s2], { join: 'outer' });
    assert.deepEqual(labels(o1, 'ch'), ['a', 'b', 'c']);
    same(num(o1), [2, 1, 3]);
    same(num(o2), [5, NaN, 4]);
    assert.throws(() => align([s1, new DataArray([1], { dims: 'ch', coords: { ch: [1] } })], { join: 'outer' }), ToolBoxTypeError);
  });

  it('promotes ints to float64 for missing values (as xarray 2023.01), keeps them for integer fill values', () => {
    const i8 = new DataArray(new Int8Array([1, 2]), { dims: 'x', coords: { x: [1, 2] } });
    const other = new DataArray([0, 0], { dims: 'x', coords: { x: [1, 3] } });
    assert.equal(align([i8, other], { join: 'outer' })[0].dtype, 'float64');
    const filled = align([i8, other], { join: 'outer', fillValue: 0 })[0];
    assert.equal(filled.dtype, 'int8');
    same(num(filled), [1, 2, 0]);
    assert.equal(align([i8, other], { join: 'outer', fillValue: 1.5 })[0].dtype, 'float64');
    const bools = new DataArray([true, false], { dims: 'x', coords: { x: [1, 2] } });
    const rb = align([bools, other], { join: 'outer' })[0];
    assert.equal(rb.dtype, 'float64');
    same(num(rb), [1, 0, NaN]);
    const strs = new DataArray(['p', 'q'], { dims: 'x', coords: { x: [1, 2] } });
    assert.deepEqual(Array.from(align([strs, other], { join: 'outer' })[0].values as string[]), ['p', 'q', '']);
  });

  it('aligns Datasets: data variables and non-index coordinates along the dim are reindexed', () => {
    const ds = new Dataset({ v: ['t', [1.5, 2.5, 3.5]], w: ['y', [7, 8]] }, { coords: { t: [10, 11, 12], pid: ['t', [100, 101, 102]] }, attrs: { run: 5 } });
    const other = new Dataset({ z: ['t', [0, 0]] }, { coords: { t: [12, 10] } });
    const [rd, ro] = align([ds, other], { join: 'inner' });
    same(num(rd.get('t')), [10, 12]);
    same(num(rd.get('v')), [1.5, 3.5]);
    same(num(rd.get('pid')), [100, 102]);
    assert.equal(rd.get('pid').dtype, 'int64');
    assert.equal(rd.variable('w'), ds.variable('w'));
    assert.deepEqual(rd.attrs, { run: 5 });
    same(num(ro.get('t')), [10, 12]);
  });

  it('leaves excluded dims alone', () => {
    const x = new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] } });
    const y = new DataArray([1, 2, 3], { dims: 'x', coords: { x: [1, 2, 3] } });
    const [rx, ry] = align([x, y], { join: 'inner', exclude: ['x'] });
    assert.equal(rx, x);
    assert.equal(ry, y);
  });

  it('reindexes several dims of an N-d array at once, with runs and fills in the right places', () => {
    // Checked against a naive element-by-element reindex.
    const shape = [5, 3, 4, 6];
    const data = Float64Array.from({ length: 360 }, (_, i) => i);
    const big = new DataArray(data, { dims: ['t', 'p', 'x', 'y'], shape, coords: { t: [0, 1, 2, 3, 4], x: [0, 1, 2, 3] } });
    const tNew = [4, 0, 1, 2, 9], xNew = [1, 2, 7, 3];
    const r = reindex(big, { t: tNew, x: xNew });
    assert.deepEqual(r.shape, [5, 3, 4, 6]);
    const expected: number[] = [];
    for (const t of tNew) for (let p = 0; p < 3; p++) for (const x of xNew) for (let y = 0; y < 6; y++) {
      expected.push(t > 4 || x > 3 ? NaN : ((t * 3 + p) * 4 + x) * 6 + y);
    }
    same(num(r), expected);
  });
});

describe('reindex', () => {
  // xarray: a.reindex(x=[2,0], y=['b','c']) on [[1,2],[3,4]] with lx=(x,[5.,6.])
  it('conforms to new labels, filling and reindexing non-index coords too', () => {
    const m = new DataArray([[1, 2], [3, 4]], { dims: ['x', 'y'], coords: { x: [1, 2], y: ['a', 'b'], lx: ['x', new Float64Array([5, 6])] } });
    const r = reindex(m, { x: [2, 0], y: ['b', 'c'] });
    same(num(r), [4, NaN, NaN, NaN]);
    same(num(r.coords.x), [2, 0]);
    assert.deepEqual(labels(r, 'y'), ['b', 'c']);
    same(num(r.coords.lx), [6, NaN]);
    assert.equal(r.dtype, 'float64');
  });

  it('takes labels from a DataArray or typed array; fillValue keeps ints', () => {
    const m = new DataArray(new Int32Array([1, 2, 3]), { dims: 't', coords: { t: new BigUint64Array([5n, 6n, 7n]) } });
    const r = reindex(m, { t: new BigUint64Array([7n, 8n]) }, { fillValue: -1 });
    assert.equal(r.dtype, 'int32');
    same(num(r), [3, -1]);
    const r2 = reindex(m, { t: new DataArray(new BigUint64Array([6n]), { dims: 'whatever' }) });
    same(num(r2), [2]);
    assert.deepEqual(r2.coords.t.dims, ['t']);
  });

  it('assigns labels to a dim without index when the size matches, else raises', () => {
    const plain = new DataArray([1, 2], { dims: 'x' });
    same(num(reindex(plain, { x: [0, 1] }).coords.x), [0, 1]);
    assert.throws(() => reindex(plain, { x: [0, 1, 2] }), /'x'.*no index coordinate/);
    assert.throws(() => reindex(plain, { q: [0] }), /'q'.*not a dimension.*dims: x/);
  });

  it('works on Datasets', () => {
    const ds = new Dataset({ v: ['t', [1, 2]] }, { coords: { t: [1, 2] } });
    const r = reindex(ds, { t: [2, 3] });
    same(num(r.get('v')), [2, NaN]);
  });
});

describe('broadcast', () => {
  // xarray: broadcast(a (x: [1,2]), b (y: 1, z: [5,6,7])) → both (x, y, z)
  it('gives every array all dims in order of appearance, with the index coords of all', () => {
    const x = new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] }, name: 'a' });
    const y = new DataArray([[1.5, 2, 3]], { dims: ['y', 'z'], coords: { z: [5, 6, 7] }, name: 'b' });
    const [rx, ry] = broadcast([x, y]);
    assert.deepEqual(rx.dims, ['x', 'y', 'z']);
    assert.deepEqual(rx.shape, [2, 1, 3]);
    same(num(rx), [1, 1, 1, 2, 2, 2]);
    assert.deepEqual(ry.dims, ['x', 'y', 'z']);
    same(num(ry), [1.5, 2, 3, 1.5, 2, 3]);
    same(num(ry.coords.x), [1, 2]);
    same(num(rx.coords.z), [5, 6, 7]);
    assert.equal(rx.name, 'a');
  });

  it('outer-aligns first', () => {
    const x = new DataArray([1, 2], { dims: 'x', coords: { x: [1, 2] } });
    const y = new DataArray([1, 2], { dims: 'x', coords: { x: [2, 3] } });
    const [rx, ry] = broadcast([x, y]);
    same(num(rx), [1, 2, NaN]);
    same(num(ry), [NaN, 1, 2]);
  });

  it('broadcasts Dataset variables, transposing to the common order', () => {
    const ds = new Dataset({ p: ['x', [1, 2]], q: ['z', [1, 2, 3]] }, { coords: { x: [1, 2] } });
    const y = new DataArray([[1, 2, 3]], { dims: ['y', 'z'], coords: { z: [5, 6, 7] } });
    const r = broadcast<Dataset | DataArray>([ds, y])[0] as Dataset;
    assert.deepEqual(r.variable('p').dims, ['x', 'z', 'y']);
    same(num(r.get('p')), [1, 1, 1, 2, 2, 2]);
    same(num(r.get('q')), [1, 2, 3, 1, 2, 3]);
  });
});
