import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxValueError } from '../../toolbox/index.js';
import { binCodes, pyFloatStr, resolveBins } from '../../toolbox/arrays/groupby-bins.js';
import { requirePython, runPython } from '../helpers/python.js';
import { PY_LOAD, assertValues, jsonValues, nums, pyNumbers, raw, rng, writeJson } from './reduce-helpers.js';

/** (a, t, b) int32 array grouped along t by `lab`, the xarray example checked with python. */
function cube(): DataArray {
  return new DataArray(Int32Array.from({ length: 24 }, (_, i) => i), {
    dims: ['a', 't', 'b'], shape: [2, 4, 3], name: 'v', attrs: { u: 1 },
    coords: { t: [1, 1, 2, 3], lab: ['t', [2, NaN, 1, 2]], z: ['t', [9, 9, 9, 9]], b: [5, 6, 7], q: [['a', 'b'], [[0, 0, 0], [0, 0, 0]]] },
  });
}

describe('groupby: labels and layout', () => {
  it('sorts labels, drops NaN labels, puts the new dim where the grouped one was', () => {
    const r = cube().groupby('lab').sum();
    assert.deepEqual(r.dims, ['a', 'lab', 'b']);
    assert.deepEqual(r.shape, [2, 2, 3]);
    assert.deepEqual(nums(r.coords.lab), [1, 2]);
    assert.deepEqual(nums(r), [6, 7, 8, 9, 11, 13, 18, 19, 20, 33, 35, 37]);
    assert.deepEqual(Object.keys(r.coords).sort(), ['b', 'lab', 'q']);
    assert.equal(r.name, 'v');
    assert.equal(r.dtype, 'int64');
  });

  it('keeps attrs by default (xarray groupby keep_attrs=True), drops them with keepAttrs=false', () => {
    assert.deepEqual(cube().groupby('lab').mean().attrs, { u: 1 });
    assert.deepEqual(cube().groupby('lab').mean({ keepAttrs: false }).attrs, {});
  });

  it('groups by the dim coordinate itself, by strings, by a DataArray, and by a bare dim', () => {
    const byT = cube().groupby('t').max();
    assert.deepEqual(byT.dims, ['a', 't', 'b']);
    assert.deepEqual(nums(byT.coords.t), [1, 2, 3]);
    assert.deepEqual(nums(byT).slice(0, 9), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const s = new DataArray([1, 2, 3, 4], { dims: ['t'], coords: { k: ['t', ['b', 'a', 'b', 'c']] } });
    const gs = s.groupby('k').sum();
    assert.deepEqual(raw(gs.coords.k), ['a', 'b', 'c']);
    assert.deepEqual(raw(gs), [2n, 4n, 4n]);
    const g = new DataArray([0, 1, 0, 1], { dims: ['t'], name: 'parity' });
    assert.deepEqual(raw(s.groupby(g).sum()), [4n, 6n]);
    assert.deepEqual(s.groupby(g).sum().dims, ['parity']);
    const bare = s.groupby('t').sum();
    assert.deepEqual(raw(bare.coords.t), [0n, 1n, 2n, 3n]);
  });

  it('exposes groups as label → positions', () => {
    const s = new DataArray([1, 2, 3, 4], { dims: ['t'], coords: { k: ['t', [2, 1, 2, NaN]] } });
    assert.deepEqual([...s.groupby('k').groups], [[1, [1]], [2, [0, 2]]]);
    const b = new DataArray([1, 2], { dims: ['t'], coords: { f: ['t', [true, false]] } });
    assert.deepEqual([...b.groupby('f').groups], [[false, [1]], [true, [0]]]);
  });

  it('handles trainId-like int64 labels (dense), scattered and huge labels', () => {
    const n = 10_000;
    const ids = BigInt64Array.from({ length: n }, (_, i) => 1_000_000_000n + BigInt(Math.floor(i / 4)));
    const v = new DataArray(Float64Array.from({ length: n }, (_, i) => i), { dims: ['pulse'], coords: { trainId: ['pulse', ids] } });
    const r = v.groupby('trainId').sum();
    assert.equal(r.shape[0], n / 4);
    assert.equal(r.coords.trainId.dtype, 'int64');
    assert.equal(r.coords.trainId.values[1], 1_000_000_001n);
    assert.deepEqual(nums(r).slice(0, 2), [6, 22]);
    const scattered = new DataArray([1, 2, 3], { dims: ['t'], coords: { k: ['t', [1e12, -5, 1e12]] } });
    assert.deepEqual(nums(scattered.groupby('k').sum().coords.k), [-5, 1e12]);
    const huge = new DataArray([1, 2, 3], { dims: ['t'], coords: { k: ['t', new BigInt64Array([2n ** 62n, -(2n ** 62n), 2n ** 62n])] } });
    assert.deepEqual(raw(huge.groupby('k').sum().coords.k), [-(2n ** 62n), 2n ** 62n]);
    assert.deepEqual(raw(huge.groupby('k').sum()), [2n, 4n]);
    const fl = new DataArray([1, 2, 3], { dims: ['t'], coords: { k: ['t', new Float32Array([0.5, -0.25, 0.5])] } });
    assert.equal(fl.groupby('k').sum().coords.k.dtype, 'float32');
  });

  it('rejects bad groups with messages naming what exists', () => {
    const s = new DataArray([1, 2], { dims: ['t'], coords: { k: ['t', [1, 2]] } });
    assert.throws(() => s.groupby('nope'), (e: Error) => e instanceof ToolBoxValueError && /'nope'.*coordinates: k.*dims: t/.test(e.message));
    assert.throws(() => s.groupby(new DataArray([1, 2], { dims: ['t'] })), /must have a name/);
    assert.throws(() => s.groupby(new DataArray([1, 2, 3], { dims: ['t'], name: 'g' })), /length 3 but dimension 't' has 2/);
    assert.throws(() => s.groupby(new DataArray([1, 2], { dims: ['u'], name: 'g' })), /'u', which is not a dimension/);
    const two = new DataArray([[1, 2]], { dims: ['x', 't'], coords: { g: [['x', 't'], [[1, 2]]] } });
    // An N-D group is grouped over its stacked dims, as xarray does (see groupby-nd.test.ts).
    assert.deepEqual([two.groupby('g').sum().dims, Array.from(two.groupby('g').sum().values as ArrayLike<number>, Number)], [['g'], [1, 2]]);
    assert.throws(() => s.groupby(new DataArray([[1, 2]], { dims: ['t', 'u'], name: 'g' })), /group 'g' lies along 'u', which is not a dimension here/);
    assert.throws(() => new DataArray([1, 2], { dims: ['t'], coords: { k: ['t', [NaN, NaN]] } }).groupby('k'), /all of its values are NaN/);
    assert.throws(() => s.groupby('k').sum({ dim: 'x' }), /grouped dimension 't' only/);
  });
});

describe('groupby: reductions', () => {
  const f = new DataArray([1, NaN, NaN, 2, 4, 8], { dims: ['t'], coords: { g: ['t', [1, 1, 2, 2, 3, 3]] } });

  it('sum/mean/std/var/min/max/count with NaN skipped', () => {
    const g = f.groupby('g');
    assertValues(nums(g.sum()), [1, 2, 12]);
    assertValues(nums(g.mean()), [1, 2, 6]);
    assertValues(nums(g.std()), [0, 0, 2]);
    assertValues(nums(g.var({ ddof: 1 })), [NaN, NaN, 8]);
    assertValues(nums(g.min()), [1, 2, 4]);
    assertValues(nums(g.max()), [1, 2, 8]);
    assert.deepEqual(raw(g.count()), [1n, 1n, 2n]);
    assert.equal(g.count().dtype, 'int64');
  });

  it('skipna=false propagates NaN; minCount nulls thin groups', () => {
    const g = f.groupby('g');
    assertValues(nums(g.sum({ skipna: false })), [NaN, NaN, 12]);
    assertValues(nums(g.max({ skipna: false })), [NaN, NaN, 8]);
    assertValues(nums(g.sum({ minCount: 2 })), [NaN, NaN, 12]);
    const allNaN = new DataArray([NaN, NaN, 1], { dims: ['t'], coords: { g: ['t', [1, 1, 2]] } });
    assertValues(nums(allNaN.groupby('g').sum()), [0, 1]);
    assertValues(nums(allNaN.groupby('g').mean()), [NaN, 1]);
  });

  it('dtypes: int sums stay int64, means become float64, float32 stays float32', () => {
    const i = new DataArray(new Int16Array([1, 2, 3]), { dims: ['t'], coords: { g: ['t', [0, 0, 1]] } });
    assert.equal(i.groupby('g').sum().dtype, 'int64');
    assert.equal(i.groupby('g').mean().dtype, 'float64');
    assert.equal(i.groupby('g').max().dtype, 'int16');
    const f32 = new DataArray(new Float32Array([1, 2, 3]), { dims: ['t'], coords: { g: ['t', [0, 0, 1]] } });
    assert.equal(f32.groupby('g').sum().dtype, 'float32');
    assert.equal(f32.groupby('g').std().dtype, 'float32');
    const big = new DataArray(new BigInt64Array([2n ** 62n, 2n ** 62n, 2n ** 62n, 5n]), { dims: ['t'], coords: { g: ['t', [0, 0, 0, 1]] } });
    assert.deepEqual(raw(big.groupby('g').sum()), [-(2n ** 62n), 5n]);
    assert.deepEqual(raw(big.groupby('g').max()), [2n ** 62n, 5n]);
  });

  it('Dataset: new dim first, variables without the dim repeated per group, strings dropped by numeric ops', () => {
    const ds = new Dataset({ v: cube(), w: ['t', ['a', 'b', 'c', 'd']], c: ['b', new Int8Array([1, 2, 3])] }, { attrs: { x: 1 } });
    const r = ds.groupby('lab').sum();
    assert.deepEqual(r.dataVars, ['v', 'c']);
    assert.deepEqual(r.get('v').dims, ['lab', 'a', 'b']);
    assert.deepEqual(nums(r.get('v')), [6, 7, 8, 18, 19, 20, 9, 11, 13, 33, 35, 37]);
    assert.deepEqual(r.get('c').dims, ['lab', 'b']);
    assert.deepEqual(nums(r.get('c')), [1, 2, 3, 1, 2, 3]);
    assert.equal(r.get('c').dtype, 'int8');
    assert.deepEqual(Object.keys(r.coords).sort(), ['b', 'lab', 'q']);
    assert.deepEqual(r.attrs, { x: 1 });
    const cnt = ds.groupby('lab').count();
    assert.deepEqual(cnt.dataVars, ['v', 'w', 'c']);
    assert.deepEqual(nums(cnt.get('w')), [1, 2]);
  });
});

describe('groupby: map', () => {
  it('stacks reducing results along the new dim, in the grouped dim position', () => {
    const m = cube().groupby('lab').map((g) => g.sum('t'));
    assert.deepEqual(m.dims, ['a', 'lab', 'b']);
    assert.deepEqual(nums(m), [6, 7, 8, 9, 11, 13, 18, 19, 20, 33, 35, 37]);
    assert.deepEqual(nums(m.coords.lab), [1, 2]);
  });

  it('concatenates results that keep the dim back in the original order', () => {
    const s = new DataArray([1, 10, 2, 20, 3], { dims: ['t'], coords: { g: ['t', [0, 1, 0, 1, NaN]], t: [5, 6, 7, 8, 9] } });
    const demean = (grp: DataArray) => {
      const mean = nums(grp.mean())[0];
      return grp.with({ values: Float64Array.from(nums(grp), (v) => v - mean) });
    };
    const m = s.groupby('g').map(demean);
    assert.deepEqual(nums(m), [-0.5, -5, 0.5, 5]);
    assert.deepEqual(nums(m.coords.t), [5, 6, 7, 8]);
  });

  it('gets each group and its label; Dataset results combine per variable', () => {
    const seen: unknown[] = [];
    const ds = new Dataset({ v: ['t', [1, 2, 3]] }, { coords: { k: ['t', ['x', 'y', 'x']] } });
    const m = ds.groupby('k').map((g, label) => { seen.push(label); return g.sum('t'); });
    assert.deepEqual(seen, ['x', 'y']);
    assert.deepEqual(m.get('v').dims, ['k']);
    assert.deepEqual(nums(m.get('v')), [4, 2]);
  });
});

describe('groupbyBins', () => {
  const x = new DataArray([0.5, 0.7, 2.5, 3.0, NaN, 10], { dims: ['t'], name: 'x' });
  const d = new DataArray(new Float64Array([0, 1, 2, 3, 4, 5]), { dims: ['t'], coords: { x }, name: 'd' });

  it('labels intervals like pandas and keeps empty bins as NaN (xarray 2023.01)', () => {
    const g = d.groupbyBins('x', [0, 1, 2, 3, 4]);
    const s = g.sum();
    assert.deepEqual(s.dims, ['x_bins']);
    assert.deepEqual(raw(s.coords.x_bins), ['(0, 1]', '(1, 2]', '(2, 3]', '(3, 4]']);
    assertValues(nums(s), [1, NaN, 5, NaN]);
    assert.equal(g.count().dtype, 'float64', 'empty bins make even counts float, as xarray reindexes them with NaN');
    assertValues(nums(g.count()), [2, NaN, 2, NaN]);
    assert.deepEqual([...g.groups], [['(0, 1]', [0, 1]], ['(2, 3]', [2, 3]]]);
  });

  it('integer bin counts span [min, max] widened by 0.1%', () => {
    const s = d.groupbyBins('x', 3).sum();
    assert.deepEqual(raw(s.coords.x_bins), ['(0.49, 3.667]', '(3.667, 6.833]', '(6.833, 10.0]']);
    assertValues(nums(s), [6, NaN, 5]);
  });

  it('right=false, includeLowest, labels, restoreCoordOrder=false', () => {
    assert.deepEqual(raw(d.groupbyBins('x', [0, 1, 2, 3, 4], { right: false }).sum().coords.x_bins), ['[0, 1)', '[1, 2)', '[2, 3)', '[3, 4)']);
    assert.deepEqual(raw(d.groupbyBins('x', [0, 1, 2, 3, 4], { includeLowest: true }).sum().coords.x_bins), ['(-0.001, 1.0]', '(1.0, 2.0]', '(2.0, 3.0]', '(3.0, 4.0]']);
    const low = d.groupbyBins('x', [0.5, 1, 2, 3, 4], { includeLowest: true }).sum();
    assert.deepEqual(raw(low.coords.x_bins), ['(0.499, 1.0]', '(1.0, 2.0]', '(2.0, 3.0]', '(3.0, 4.0]']);
    assertValues(nums(low), [1, NaN, 5, NaN]);
    assertValues(nums(d.groupbyBins('x', [0.5, 1, 2, 3, 4]).sum()), [1, NaN, 5, NaN], 0, 'without includeLowest 0.5 is outside (0.5, 1]');
    const lab = d.groupbyBins('x', [0, 1, 2], { labels: ['p', 'q'] }).sum();
    assert.deepEqual(raw(lab.coords.x_bins), ['p', 'q']);
    const dropped = d.groupbyBins('x', [0, 1, 2, 3, 4], { restoreCoordOrder: false }).sum();
    assert.deepEqual(raw(dropped.coords.x_bins), ['(0, 1]', '(2, 3]']);
    assertValues(nums(dropped), [1, 5]);
  });

  it('Dataset: per variable, coords on the grouped dim dropped', () => {
    const ds = new Dataset({ d, e: ['t', new Int32Array([1, 1, 1, 1, 1, 1])], k: ['u', [1, 2]] }, { coords: { u: [7, 8] } });
    const r = ds.groupbyBins('x', [0, 2, 4]).sum();
    assert.deepEqual(r.dataVars, ['d', 'e', 'k']);
    assert.deepEqual(raw(r.get('e')), [2n, 2n]);
    assert.deepEqual(r.get('k').dims, ['x_bins', 'u']);
    assert.deepEqual(Object.keys(r.coords).sort(), ['u', 'x_bins']);
  });

  it('rejects bad bins', () => {
    assert.throws(() => d.groupbyBins('x', [2, 1, 3]), /increase monotonically/);
    assert.throws(() => d.groupbyBins('x', [1, 1, 3]), /unique/);
    assert.throws(() => d.groupbyBins('x', [20, 30]), /none of the values of 'x' falls within bins/);
    assert.throws(() => d.groupbyBins('x', [0, 1, 2], { labels: ['a'] }), /1 labels given for 2 bins/);
    assert.throws(() => d.groupbyBins('x', 0), /positive integer/);
    assert.throws(() => d.groupbyBins('x', [NaN, NaN]), /All bin edges are NaN/);
  });

  it('bin assignment (uniform fast path and binary search) matches a linear scan, edges included', () => {
    const r = rng(3);
    /** Reference: the bin whose interval holds v, by scanning. */
    const scan = (v: number, edges: ArrayLike<number>, right: boolean, lowest: boolean) => {
      for (let c = 0; c + 1 < edges.length; c++) {
        const inside = right ? (v > edges[c] || (lowest && c === 0 && v === edges[0])) && v <= edges[c + 1] : v >= edges[c] && v < edges[c + 1];
        if (inside) return c;
      }
      return -1;
    };
    for (const [lo, hi, nb] of [[0, 1, 100], [-3.3, 7.1, 37], [1e-9, 3e-9, 10], [100, 101, 1000]]) {
      const uniform = resolveBins(nb, [lo, hi], true, 'x').edges;
      const skewed = Float64Array.from(uniform, (e, i) => (i === 1 ? uniform[0] + (uniform[1] - uniform[0]) * 1e-3 : e));
      for (const edges of [uniform, skewed]) {
        const values = Float64Array.from({ length: 5_000 }, (_, i) => (i % 5 === 0 ? edges[i % edges.length] : lo + (hi - lo) * (r() * 1.2 - 0.1)));
        values[7] = NaN;
        for (const right of [true, false]) {
          for (const lowest of [true, false]) {
            const codes = binCodes(values, edges, right, lowest);
            for (let i = 0; i < values.length; i++) {
              assert.equal(codes[i], scan(values[i], edges, right, lowest), `value ${values[i]} right=${right} includeLowest=${lowest}`);
            }
          }
        }
      }
    }
  });

  it('formats floats like Python repr', () => {
    assert.equal(pyFloatStr(10), '10.0');
    assert.equal(pyFloatStr(0.49), '0.49');
    assert.equal(pyFloatStr(1e-5), '1e-05');
    assert.equal(pyFloatStr(1.5e-7), '1.5e-07');
    assert.equal(pyFloatStr(0.0001), '0.0001');
    assert.equal(pyFloatStr(1e16), '1e+16');
    assert.equal(pyFloatStr(123456789012345.6), '123456789012345.6');
    assert.equal(pyFloatStr(-2.5), '-2.5');
  });
});

describe('groupbyBins: against xarray', function () {
  this.timeout(120_000);
  before(async function () { await requirePython(this); });

  it('matches labels, values and dtypes of xarray groupby_bins', async () => {
    const r = rng(11);
    const n = 400;
    const xs = Float64Array.from({ length: n }, (_, i) => (i % 37 === 0 ? NaN : (r() - 0.3) * 12.34));
    const tiny = Float64Array.from(xs, (v) => v * 1e-7);
    const v = Float32Array.from({ length: n }, () => (r() < 0.1 ? NaN : Math.round(r() * 100) / 4));
    const iv = Int32Array.from({ length: n }, () => Math.floor(r() * 100));
    const huge = Float64Array.from(xs, (v) => v * 3e16);
    type Case = { x: 'xs' | 'tiny' | 'huge'; bins: number | number[]; right?: boolean; include_lowest?: boolean; kind?: 'float64' | 'float32' };
    const typed = (c: Case) => (c.kind === 'float32' ? Float32Array.from(c.bins as number[]) : c.kind === 'float64' ? Float64Array.from(c.bins as number[]) : c.bins);
    const cases: Case[] = [
      { x: 'xs', bins: 7 }, { x: 'xs', bins: 100 }, { x: 'xs', bins: 3, right: false },
      { x: 'xs', bins: [-2, 0, 1.5, 3.25, 9] }, { x: 'xs', bins: [-4, -1, 0, 2, 8] }, { x: 'xs', bins: [-4, -1, 0, 2, 8], include_lowest: true },
      { x: 'xs', bins: [-3.7, 0.123456, 0.1234567, 5] }, { x: 'xs', bins: [-3.7, 0.1, 5], right: false, include_lowest: true },
      { x: 'xs', bins: [-3.7, 0.25, 1000.5], include_lowest: true }, { x: 'tiny', bins: 5 }, { x: 'tiny', bins: [-1e-7, 0, 3e-7, 1e-6] },
      { x: 'xs', bins: Array.from({ length: 41 }, (_, i) => -4 + i * 0.3) },
      { x: 'xs', bins: [-4, -1, 0, 2, 8], kind: 'float64' }, { x: 'xs', bins: [-4, -1, 0, 2, 8], kind: 'float64', include_lowest: true },
      { x: 'xs', bins: [-4.3, 0.1, 0.3, 1, 3, 9], kind: 'float32' }, { x: 'xs', bins: [-4.3, 0.1, 0.3, 1, 3, 9], kind: 'float32', include_lowest: true },
      { x: 'huge', bins: 3 }, { x: 'huge', bins: [-1e17, 0, 2e16, 1e18] }, { x: 'tiny', bins: [-1e-12, 0, 1e-12, 1e-6] },
    ];
    const ours = cases.map((c) => {
      const ds = new Dataset({ v: ['t', v], iv: ['t', iv] }, { coords: { xs: ['t', xs], tiny: ['t', tiny], huge: ['t', huge] } });
      const g = ds.groupbyBins(c.x, typed(c), { right: c.right, includeLowest: c.include_lowest });
      return { sum: g.sum(), mean: g.mean(), max: g.max(), count: g.count(), std: g.std({ ddof: 1 }) };
    });
    const path = writeJson('bins.json', { xs: jsonValues(xs), tiny: jsonValues(tiny), huge: jsonValues(huge), v: jsonValues(v), iv: Array.from(iv), cases });
    const out = await runPython<Array<Record<string, { labels: string[]; v: [string, unknown[]]; iv: [string, unknown[]] }>>>(PY_LOAD + String.raw`
import warnings
warnings.simplefilter('ignore')
s = json.load(open(sys.argv[1]))
ds = xr.Dataset({'v': ('t', load_values(s['v'], 'float32')), 'iv': ('t', np.array(s['iv'], dtype='int32'))},
                coords={k: ('t', load_values(s[k], 'float64')) for k in ['xs', 'tiny', 'huge']})
res = []
for c in s['cases']:
    bins = np.asarray(c['bins'], dtype=c['kind']) if c.get('kind') else c['bins']
    g = ds.groupby_bins(c['x'], bins, right=c.get('right', True) if c.get('right') is not None else True,
                        include_lowest=bool(c.get('include_lowest')))
    one = {}
    for op in ['sum', 'mean', 'max', 'count', 'std']:
        r = g.std(ddof=1) if op == 'std' else getattr(g, op)()
        one[op] = {'labels': [str(l) for l in r[c['x'] + '_bins'].values],
                   'v': [str(r.v.dtype), _vals(r.v.values)], 'iv': [str(r.iv.dtype), _vals(r.iv.values)]}
    res.append(one)
emit(res)
`, [path]);
    cases.forEach((c, k) => {
      for (const op of ['sum', 'mean', 'max', 'count', 'std'] as const) {
        const mine = ours[k][op], ref = out[k][op];
        const msg = `${op} of case ${JSON.stringify(c)}`;
        assert.deepEqual(raw(mine.coords[`${c.x}_bins`]), ref.labels, msg);
        for (const name of ['v', 'iv'] as const) {
          // xarray masks out-of-bin/NaN positions with where(drop=True), turning integer data float64
          // before grouping; we keep numpy's dtype for the reduction (values agree).
          const masked = name === 'iv' && ref[name][0] === 'float64' && ['int64', 'int32'].includes(mine.get(name).dtype);
          // For 1-D data each xarray group is a full (0-d) reduction, which bottleneck returns as float64 for
          // max/min/std of float32; along an axis it stays float32, which we do throughout.
          const bottleneck0d = name === 'v' && ref[name][0] === 'float64' && ['max', 'std'].includes(op);
          if (!masked && !bottleneck0d) assert.equal(mine.get(name).dtype, ref[name][0], `${msg} ${name}`);
          assertValues(nums(mine.get(name)), pyNumbers(ref[name][1]), name === 'v' ? 2e-6 : 1e-12, `${msg} ${name}`);
        }
      }
    });
  });
});
