import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError } from '../../toolbox/index.js';
import { coordNum, num, raw } from './ops-helpers.js';

function grid(): DataArray {
  return new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), {
    shape: [2, 3], dims: ['x', 'y'], name: 'v', attrs: { u: 1 },
    coords: {
      x: [1, 2], y: [5, 6, 7], s: 3,
      c: new DataArray(new Float64Array([10, 11, 12, 13, 14, 15]), { shape: [2, 3], dims: ['x', 'y'] }),
    },
  });
}

describe('transpose', () => {
  it('reverses dims by default and transposes coords along', () => {
    const t = grid().transpose();
    assert.deepEqual(t.dims, ['y', 'x']);
    assert.deepEqual(t.shape, [3, 2]);
    assert.deepEqual(num(t), [0, 3, 1, 4, 2, 5]);
    assert.deepEqual(t.coords.c.dims, ['y', 'x']);
    assert.deepEqual(num(t.coords.c), [10, 13, 11, 14, 12, 15]);
    assert.equal(t.name, 'v');
    assert.deepEqual(t.attrs, { u: 1 });
  });

  it("supports explicit orders and '...'", () => {
    const a = new DataArray(new Int32Array(24).map((_, i) => i), { shape: [2, 3, 4], dims: ['a', 'b', 'c'] });
    assert.deepEqual(a.transpose('...', 'a').dims, ['b', 'c', 'a']);
    assert.deepEqual(a.transpose('c', '...').dims, ['c', 'a', 'b']);
    const t = a.transpose('c', 'a', 'b');
    const expected: number[] = [];
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push((i * 3 + j) * 4 + k);
    assert.deepEqual(num(t), expected);
    assert.equal(a.transpose('a', 'b', 'c').values, a.values, 'identity order shares the data');
  });

  it('transposes large 2-D arrays correctly (blocked path)', () => {
    const [R, C] = [130, 70];
    const a = new DataArray(new Float32Array(R * C).map((_, i) => i), { shape: [R, C], dims: ['r', 'c'] });
    const t = a.transpose();
    const v = t.values as Float32Array;
    assert.equal(t.dtype, 'float32');
    for (const [r, c] of [[0, 0], [129, 69], [64, 3], [5, 68]]) assert.equal(v[c * R + r], r * C + c);
  });

  it('names unknown or missing dims', () => {
    assert.throws(() => grid().transpose('z', 'x'), (e: Error) => e instanceof ToolBoxValueError && /dimension 'z' not found; this array has dims \(x, y\)/.test(e.message));
    assert.throws(() => grid().transpose('x'), /must list every dimension of \(x, y\), or include '...'/);
    assert.throws(() => grid().transpose('x', 'x'), /repeated dimension/);
  });
});

describe('squeeze and expandDims', () => {
  it('squeezes length-1 dims into scalar coords', () => {
    const one = grid().isel({ x: [1] });
    const r = one.squeeze();
    assert.deepEqual(r.dims, ['y']);
    assert.deepEqual(num(r), [3, 4, 5]);
    assert.deepEqual(r.coords.x.dims, []);
    assert.deepEqual(num(r.coords.x), [2]);
    assert.deepEqual(r.coords.c.dims, ['y']);
    assert.ok(!('x' in one.squeeze('x', { drop: true }).coords));
    assert.throws(() => grid().squeeze('y'), (e: Error) => e instanceof ToolBoxValueError && /cannot squeeze dimension 'y' of size 3/.test(e.message));
    assert.throws(() => grid().squeeze('q'), /dimension 'q' not found/);
    assert.deepEqual(grid().squeeze().dims, ['x', 'y']);
  });

  it('adds new dims at the front or at given axes, broadcasting for sizes > 1', () => {
    const a = grid();
    assert.deepEqual(a.expandDims('z').dims, ['z', 'x', 'y']);
    assert.equal(a.expandDims('z').values, a.values);
    const r = a.expandDims({ z: 2 }, { axis: 1 });
    assert.deepEqual(r.dims, ['x', 'z', 'y']);
    assert.deepEqual(num(r), [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    assert.deepEqual(a.expandDims(['z', 'w'], { axis: [0, -1] }).dims, ['z', 'x', 'y', 'w']);
    assert.deepEqual(r.attrs, { u: 1 });
    assert.deepEqual(coordNum(r, 'x'), [1, 2]);
  });

  it('turns a scalar coord of the same name into the new index', () => {
    const r = grid().expandDims('s');
    assert.deepEqual(r.dims, ['s', 'x', 'y']);
    assert.deepEqual(r.coords.s.dims, ['s']);
    assert.deepEqual(coordNum(r, 's'), [3]);
    assert.throws(() => grid().expandDims({ s: 2 }), /must have size 1 because scalar coordinate 's'/);
    assert.throws(() => grid().expandDims('x'), /dimension 'x' already exists/);
    assert.throws(() => grid().expandDims('z', { axis: 5 }), /axis 5 is out of range/);
  });
});

describe('coordinates and names', () => {
  it('assignCoords validates dims and sizes', () => {
    const a = grid();
    const r = a.assignCoords({ x: [7, 8], lab: ['y', ['p', 'q', 'r']], t: 5n, w: new DataArray([1, 2, 3], { dims: ['y'] }) });
    assert.deepEqual(coordNum(r, 'x'), [7, 8]);
    assert.deepEqual(raw(r.coords.lab), ['p', 'q', 'r']);
    assert.deepEqual(r.coords.t.dims, []);
    assert.deepEqual(r.coords.w.dims, ['y']);
    assert.deepEqual(num(r), num(a));
    assert.throws(() => a.assignCoords({ x: [1, 2, 3] }), (e: Error) => e instanceof ToolBoxValueError && /coordinate 'x' has length 3 along 'x' but this array has 2/.test(e.message));
    assert.throws(() => a.assignCoords({ q: ['z', [1, 2]] }), /along dimension 'z', which this array does not have/);
  });

  it('rename: a string renames the array, a mapping renames dims and coords', () => {
    const a = grid();
    assert.equal(a.rename('w').name, 'w');
    assert.equal(a.rename(null).name, null);
    const r = a.rename({ x: 'xx', c: 'cc' });
    assert.deepEqual(r.dims, ['xx', 'y']);
    assert.deepEqual(Object.keys(r.coords).sort(), ['cc', 's', 'xx', 'y']);
    assert.deepEqual(r.coords.xx.dims, ['xx']);
    assert.deepEqual(r.coords.cc.dims, ['xx', 'y']);
    assert.equal(r.name, 'v');
    assert.throws(() => a.rename({ q: 'z' }), (e: Error) => e instanceof ToolBoxValueError && /cannot rename 'q'/.test(e.message));
    assert.throws(() => a.rename({ x: 'y' }), /two entries named 'y'/);
    assert.throws(() => a.rename({ x: 5 as never }), ToolBoxTypeError);
  });

  it('swapDims makes a 1-D coordinate the new index', () => {
    const a = grid().assignCoords({ xl: ['x', ['p', 'q']] });
    const r = a.swapDims({ x: 'xl' });
    assert.deepEqual(r.dims, ['xl', 'y']);
    assert.deepEqual(r.coords.xl.dims, ['xl']);
    assert.deepEqual(r.coords.x.dims, ['xl']);
    assert.deepEqual(r.coords.c.dims, ['xl', 'y']);
    assert.equal(r.sel({ xl: 'q', y: 6 }).item(), 4);
    assert.deepEqual(grid().swapDims({ x: 'new' }).dims, ['new', 'y']);
    assert.throws(() => grid().swapDims({ x: 'c' }), /replacement dimension 'c' is not a 1-D variable along the old dimension 'x'/);
    assert.throws(() => grid().swapDims({ q: 'x' }), /dimension 'q' not found/);
  });

  it('resetCoords drops non-index coords; dropVars drops any coord', () => {
    assert.deepEqual(Object.keys(grid().resetCoords().coords).sort(), ['x', 'y']);
    assert.deepEqual(Object.keys(grid().resetCoords('s').coords).sort(), ['c', 'x', 'y']);
    assert.throws(() => grid().resetCoords('x'), /cannot reset index coordinate 'x'/);
    assert.throws(() => grid().resetCoords('zz'), /'zz' is not a coordinate of this array/);
    const d = grid().dropVars(['x', 'c']);
    assert.deepEqual(Object.keys(d.coords).sort(), ['s', 'y']);
    assert.deepEqual(d.dims, ['x', 'y']);
    assert.throws(() => grid().dropVars('zz'), /cannot drop 'zz': not a coordinate of this array; coordinates: x, y, s, c/);
  });
});

describe('Dataset reshape', () => {
  const ds = () => new Dataset({
    a: new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), { shape: [2, 3], dims: ['x', 'y'] }),
    b: ['x', new Float64Array([7, 8])],
  }, { coords: { x: [1, 2], y: ['p', 'q', 'r'], t: 9, bx: ['x', [5, 6]] }, attrs: { run: 2 } });

  it('transposes every variable', () => {
    const r = ds().transpose();
    assert.deepEqual(r.get('a').dims, ['y', 'x']);
    assert.deepEqual(num(r.get('a')), [0, 3, 1, 4, 2, 5]);
    assert.deepEqual(ds().transpose('y', 'x').get('a').dims, ['y', 'x']);
    assert.deepEqual(ds().transpose('y', '...').get('b').dims, ['x']);
    assert.throws(() => ds().transpose('y'), /must list every dimension/);
    assert.deepEqual(r.attrs, { run: 2 });
  });

  it('renames variables, coords and dims', () => {
    const r = ds().rename({ a: 'A', x: 'X', bx: 'BX' });
    assert.deepEqual(r.dataVars, ['A', 'b']);
    assert.deepEqual(r.get('A').dims, ['X', 'y']);
    assert.deepEqual(r.coords.BX.dims, ['X']);
    assert.deepEqual(coordNum(r.get('b'), 'X'), [1, 2]);
    assert.throws(() => ds().rename({ nope: 'n' }), /cannot rename 'nope'.*or variable of this Dataset/);
    assert.throws(() => ds().rename({ a: 'b' }), /two variables named 'b'/);
  });

  it('swaps dims, assigns, sets, resets and drops coords', () => {
    const s = ds().swapDims({ x: 'bx' });
    assert.deepEqual(s.get('a').dims, ['bx', 'y']);
    assert.deepEqual(coordNum(s.sel({ bx: 6 }).get('b'), 'x'), [2]);
    const withB = ds().swapDims({ x: 'b' });
    assert.ok(!withB.dataVars.includes('b') && 'b' in withB.coords);
    const ac = ds().assignCoords({ z: ['z', [1, 2, 3, 4]], y: ['u', 'v', 'w'] });
    assert.equal(ac.sizes.z, 4);
    assert.deepEqual(raw(ac.coords.y), ['u', 'v', 'w']);
    assert.throws(() => ds().assignCoords({ y: [1, 2] }), /coordinate 'y' has length 2 along 'y' but this Dataset has 3/);
    const sc = ds().setCoords('b');
    assert.deepEqual(sc.dataVars, ['a']);
    assert.ok('b' in sc.coords);
    assert.throws(() => ds().setCoords('zz'), /cannot make 'zz' a coordinate/);
    const rc = ds().resetCoords();
    assert.deepEqual(rc.dataVars.sort(), ['a', 'b', 'bx', 't']);
    assert.deepEqual(Object.keys(ds().resetCoords('t', { drop: true }).coords).sort(), ['bx', 'x', 'y']);
    assert.throws(() => ds().resetCoords('x'), /cannot reset index coordinate 'x'/);
    const dv = ds().dropVars(['b', 'bx']);
    assert.deepEqual(dv.dataVars, ['a']);
    assert.ok(!('bx' in dv.coords));
    assert.throws(() => ds().dropVars('zz'), /cannot drop 'zz'.*data variables: a, b/);
  });

  it('squeezes and expands dims of the data variables', () => {
    const one = ds().isel({ x: [0] });
    const sq = one.squeeze();
    assert.deepEqual(sq.get('a').dims, ['y']);
    assert.deepEqual(num(sq.coords.x), [1]);
    assert.deepEqual(sq.coords.bx.dims, []);
    const ex = ds().expandDims({ z: 2 }, { axis: -1 });
    assert.deepEqual(ex.get('a').dims, ['x', 'y', 'z']);
    assert.deepEqual(ex.get('b').dims, ['x', 'z']);
    assert.deepEqual(num(ex.get('b')), [7, 7, 8, 8]);
    assert.deepEqual(ex.coords.bx.dims, ['x']);
    const et = ds().expandDims('t');
    assert.deepEqual(et.get('b').dims, ['t', 'x']);
    assert.deepEqual(et.coords.t.dims, ['t']);
    assert.throws(() => ds().expandDims('x'), /dimension 'x' already exists/);
  });
});
