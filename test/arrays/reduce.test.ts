import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, ToolBoxValueError, type DType } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { PY_LOAD, assertValues, jsonValues, nums, pyNumbers, randomArray, raw, rng, writeJson } from './reduce-helpers.js';

const f64 = (v: number[], dims: string[] = ['x'], opts: object = {}) => new DataArray(new Float64Array(v), { dims, ...opts });

describe('reduce: argument forms', () => {
  const a = new DataArray(new Float64Array([1, 2, 3, 4, 5, 6]), { dims: ['x', 'y'], shape: [2, 3] });

  it('takes one dim, a list, null/undefined, or an options object', () => {
    assert.deepEqual(nums(a.sum('x')), [5, 7, 9]);
    assert.deepEqual(a.sum('x').dims, ['y']);
    assert.deepEqual(nums(a.sum(['y'])), [6, 15]);
    assert.deepEqual(nums(a.sum(['x', 'y'])), [21]);
    assert.deepEqual(a.sum().dims, []);
    assert.deepEqual(a.sum(null).shape, []);
    assert.deepEqual(nums(a.sum({ dim: 'y' })), [6, 15]);
    assert.deepEqual(nums(a.sum('y', { skipna: false })), [6, 15]);
    assert.deepEqual(nums(a.sum(undefined, { dim: 'x' })), [5, 7, 9]);
    assert.deepEqual(nums(a.sum(['y', 'y'])), [6, 15], 'a repeated dim counts once');
  });

  it('reducing over an empty list leaves sum/mean/min/max data untouched (xarray)', () => {
    const i = new DataArray(new Int8Array([1, 2]), { dims: ['x'] });
    assert.equal(i.sum([]).dtype, 'int8');
    assert.equal(i.mean([]).dtype, 'int8');
    assert.deepEqual(nums(i.std([])), [0, 0]);
    assert.equal(i.std([]).dtype, 'float64');
    assert.deepEqual(nums(f64([1, NaN]).count([])), [1, 0]);
  });

  it('rejects unknown dims, naming the dims there are', () => {
    assert.throws(() => a.sum('z'), (e: Error) => e instanceof ToolBoxValueError && /'z' not found.*\(x, y\)/.test(e.message));
    assert.throws(() => a.mean(['x', 'q', 'r']), /dimensions 'q', 'r' not found/);
    assert.throws(() => a.sum({ minCount: -1 }), /minCount must be a non-negative integer/);
    assert.throws(() => a.std({ ddof: NaN }), /ddof must be a finite number/);
    assert.throws(() => a.sum({ skipna: 1 as unknown as boolean }), ToolBoxTypeError);
  });
});

describe('reduce: dtypes like numpy/xarray', () => {
  const cases: Array<[DType, Record<string, DType>]> = [
    ['float32', { sum: 'float32', prod: 'float32', mean: 'float32', std: 'float32', var: 'float32', median: 'float32', min: 'float32', count: 'int64', any: 'bool', argmin: 'int64' }],
    ['float64', { sum: 'float64', mean: 'float64', min: 'float64' }],
    ['int8', { sum: 'int64', prod: 'int64', mean: 'float64', std: 'float64', median: 'float64', min: 'int8', max: 'int8', count: 'int64' }],
    ['int32', { sum: 'int64', mean: 'float64', min: 'int32' }],
    ['uint8', { sum: 'uint64', prod: 'uint64', mean: 'float64', max: 'uint8' }],
    ['uint32', { sum: 'uint64' }],
    ['int64', { sum: 'int64', mean: 'float64', min: 'int64', median: 'float64' }],
    ['uint64', { sum: 'uint64', max: 'uint64', var: 'float64' }],
    ['bool', { sum: 'int64', mean: 'float64', min: 'bool', max: 'bool', any: 'bool', all: 'bool', count: 'int64' }],
  ];
  for (const [dtype, expect] of cases) {
    it(dtype, () => {
      const a = new DataArray(randomArray(dtype, 12, rng(1), 0), { dims: ['x', 'y'], shape: [3, 4], dtype });
      for (const [op, want] of Object.entries(expect)) {
        const r = (a as unknown as Record<string, (d: string) => DataArray>)[op].call(a, 'x');
        assert.equal(r.dtype, want, `${op} of ${dtype}`);
      }
    });
  }
});

describe('reduce: NaN handling', () => {
  const a = f64([1, NaN, 3, NaN, NaN, NaN], ['x', 'y'], { shape: [2, 3] });

  it('skips NaN by default for floats; all-NaN slices give 0 for sum, NaN for mean/min/max/std', () => {
    assert.deepEqual(nums(a.sum('y')), [4, 0]);
    assertValues(nums(a.mean('y')), [2, NaN]);
    assertValues(nums(a.min('y')), [1, NaN]);
    assertValues(nums(a.max('y')), [3, NaN]);
    assertValues(nums(a.std('y')), [1, NaN]);
    assertValues(nums(a.median('y')), [2, NaN]);
    assert.deepEqual(nums(a.count('y')), [2, 0]);
    assertValues(nums(a.prod('y')), [3, 1]);
  });

  it('propagates NaN with skipna=false', () => {
    assertValues(nums(a.sum('y', { skipna: false })), [NaN, NaN]);
    assertValues(nums(a.sum('x', { skipna: false })), [NaN, NaN, NaN]);
    assertValues(nums(a.max('y', { skipna: false })), [NaN, NaN]);
    assertValues(nums(f64([NaN, 1, 2]).min({ skipna: false })), [NaN]);
    assertValues(nums(f64([1, 2, NaN]).min({ skipna: false })), [NaN]);
    assertValues(nums(f64([1, NaN, 3, 4]).median({ skipna: false })), [NaN]);
  });

  it('minCount: too few valid values give NaN, promoting ints only when needed', () => {
    assertValues(nums(a.sum('y', { minCount: 2 })), [4, NaN]);
    assertValues(nums(a.sum('y', { minCount: 3 })), [NaN, NaN]);
    assertValues(nums(a.prod('y', { minCount: 1 })), [3, NaN]);
    const f32 = new DataArray(new Float32Array([1, NaN]), { dims: ['x'] });
    assert.equal(f32.sum({ minCount: 2 }).dtype, 'float32');
    const i = new DataArray(new Int16Array([1, 2, 3, 4]), { dims: ['x', 'y'], shape: [2, 2] });
    // xarray ignores min_count for ints unless skipna is asked for explicitly.
    assert.equal(i.sum('x', { minCount: 3 }).dtype, 'int64');
    const r = i.sum('x', { minCount: 3, skipna: true });
    assert.equal(r.dtype, 'float64');
    assertValues(nums(r), [NaN, NaN]);
    assert.equal(i.sum('x', { minCount: 2, skipna: true }).dtype, 'int64');
  });

  it('std/var with ddof; n <= ddof gives NaN when skipping NaN, like nanvar; plain var divides by max(n-ddof, 0)', () => {
    const b = f64([1, 2, 3, 4]);
    assertValues(nums(b.var()), [1.25]);
    assertValues(nums(b.var({ ddof: 1 })), [5 / 3], 1e-15);
    assertValues(nums(b.std({ ddof: 1 })), [Math.sqrt(5 / 3)], 1e-15);
    assertValues(nums(f64([1, 2]).var({ ddof: 2 })), [NaN]);
    assertValues(nums(f64([1, 2]).var({ ddof: 2, skipna: false })), [Infinity]);
    assertValues(nums(new DataArray([1, 2], { dims: ['x'] }).var({ ddof: 2 })), [Infinity]);
    assertValues(nums(new DataArray([1, 1], { dims: ['x'] }).var({ ddof: 2 })), [NaN]);
    assertValues(nums(f64([5, NaN]).std({ ddof: 1 })), [NaN]);
  });

  it('any/all treat NaN as true', () => {
    assert.deepEqual(nums(f64([NaN, 0]).any()), [1]);
    assert.deepEqual(nums(f64([NaN, 0]).all()), [0]);
    assert.deepEqual(nums(f64([NaN, 1]).all()), [1]);
    assert.deepEqual(nums(new DataArray([false, false], { dims: ['x'] }).any()), [0]);
  });
});

describe('reduce: argmin / argmax / median', () => {
  it('positions along one dim, NaN skipped; all-NaN is an error; skipna=false finds the first NaN', () => {
    const a = f64([3, NaN, 1, 2, 5, 4], ['x', 'y'], { shape: [2, 3] });
    assert.deepEqual(raw(a.argmin('y')), [2n, 0n]);
    assert.deepEqual(raw(a.argmax('y')), [0n, 1n]);
    assert.deepEqual(raw(a.argmin('x')), [1n, 1n, 0n]);
    assert.deepEqual(raw(f64([3, NaN, 1]).argmin('x', { skipna: false })), [1n]);
    assert.throws(() => f64([NaN, NaN]).argmin('x'), /All-NaN slice encountered/);
    assert.deepEqual(raw(new DataArray([4, 1, 1, 9], { dims: ['x'] }).argmin('x')), [1n], 'first of equal minima');
    assert.deepEqual(raw(new DataArray(new BigInt64Array([5n, -(2n ** 62n), 7n]), { dims: ['x'] }).argmin('x')), [1n]);
    assert.deepEqual(raw(new DataArray(['b', 'a', 'c'], { dims: ['x'] }).argmax('x')), [2n]);
  });

  it('without a dim gives the flattened position; several dims is an error', () => {
    const a = f64([3, 0, 1, 2, 5, 4], ['x', 'y'], { shape: [2, 3] });
    assert.deepEqual(raw(reduceArg(a, 'argmax')), [4n]);
    assert.throws(() => a.argmin(['x', 'y'] as unknown as string), /give a single dimension/);
  });

  it('median: middle value, or the mean of the two middle ones', () => {
    assert.deepEqual(nums(f64([5, 1, 3]).median()), [3]);
    assert.deepEqual(nums(f64([5, 1, 3, 2]).median()), [2.5]);
    assert.deepEqual(nums(new DataArray([7, 1, 4, 4, 2, 9], { dims: ['x', 'y'], shape: [2, 3] }).median('x')), [5.5, 1.5, 6.5]);
    const sorted = f64(Array.from({ length: 1001 }, (_, i) => i));
    assert.deepEqual(nums(sorted.median()), [500]);
    const rev = f64(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    assert.deepEqual(nums(rev.median()), [500.5]);
    const dup = f64(Array.from({ length: 999 }, (_, i) => i % 3));
    assert.deepEqual(nums(dup.median()), [1]);
  });
});

function reduceArg(a: DataArray, op: 'argmin' | 'argmax'): DataArray {
  return (a[op] as (d?: string) => DataArray).call(a);
}

describe('reduce: integers', () => {
  it('int64 and uint64 sums are exact and wrap like numpy', () => {
    const i = new DataArray(new BigInt64Array([2n ** 62n, 2n ** 62n, 2n ** 62n]), { dims: ['x'] });
    assert.deepEqual(raw(i.sum()), [-(2n ** 62n)]);
    assert.deepEqual(raw(i.prod()), [0n]);
    assertValues(nums(i.mean()), [4.611686018427388e18]);
    const u = new DataArray(new BigUint64Array([2n ** 63n, 2n ** 63n, 5n]), { dims: ['x'] });
    assert.deepEqual(raw(u.sum()), [5n]);
    const exact = new DataArray(new BigInt64Array([2n ** 53n + 1n, 1n, -3n]), { dims: ['x'] });
    assert.deepEqual(raw(exact.sum()), [2n ** 53n - 1n]);
    assert.deepEqual(raw(exact.max()), [2n ** 53n + 1n]);
    assert.deepEqual(raw(exact.min()), [-3n]);
    const ext = new DataArray(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n]), { dims: ['x'] });
    assert.deepEqual(raw(ext.min()), [-(2n ** 63n)]);
    assert.deepEqual(raw(ext.max()), [2n ** 63n - 1n]);
    const big = new DataArray(new BigUint64Array([2n ** 64n - 1n, 2n ** 63n]), { dims: ['x'] });
    assert.deepEqual(raw(big.max()), [2n ** 64n - 1n]);
    assert.deepEqual(raw(big.min()), [2n ** 63n]);
  });

  it('int32 sums stay exact past 2^53', () => {
    const n = 5_000_000;
    const a = new DataArray(new Int32Array(n).fill(2 ** 31 - 1), { dims: ['x'] });
    assert.deepEqual(raw(a.sum()), [BigInt(n) * (2n ** 31n - 1n)]);
    const b = new DataArray(new Int32Array(n).fill(-(2 ** 31)), { dims: ['x', 'y'], shape: [n / 2, 2] });
    assert.deepEqual(raw(b.sum('x')), [BigInt(n / 2) * -(2n ** 31n), BigInt(n / 2) * -(2n ** 31n)]);
  });

  it('int64 sums over many elements carry correctly, leading or trailing', () => {
    const n = 3_000_000;
    const v = new BigInt64Array(n);
    for (let i = 0; i < n; i++) v[i] = BigInt(i % 7 === 0 ? -(2 ** 40) : 2 ** 33 + i);
    let total = 0n, even = 0n, odd = 0n;
    for (let i = 0; i < n; i++) { total += v[i]; if (i % 2) odd += v[i]; else even += v[i]; }
    const a = new DataArray(v, { dims: ['x'] });
    assert.deepEqual(raw(a.sum()), [BigInt.asIntN(64, total)]);
    const b = new DataArray(v, { dims: ['x', 'y'], shape: [n / 2, 2] });
    assert.deepEqual(raw(b.sum('x')), [even, odd]);
  });
});

describe('reduce: layouts', () => {
  /** Straightforward reference: visit every element, find its output slot. */
  function naive(values: Float64Array, shape: number[], axes: number[], op: 'sum' | 'max'): number[] {
    const keptShape = shape.filter((_, a) => !axes.includes(a));
    const nOut = keptShape.reduce((p, s) => p * s, 1);
    const out = new Array<number>(nOut).fill(op === 'sum' ? 0 : -Infinity);
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < values.length; i++) {
      let o = 0;
      for (let a = 0; a < shape.length; a++) if (!axes.includes(a)) o = o * shape[a] + idx[a];
      out[o] = op === 'sum' ? out[o] + values[i] : Math.max(out[o], values[i]);
      for (let a = shape.length - 1; a >= 0; a--) { if (++idx[a] < shape[a]) break; idx[a] = 0; }
    }
    return out;
  }

  it('any set of axes, including size-1 and non-adjacent ones, matches a naive reference', () => {
    const r = rng(7);
    const shapes = [[4, 3, 5, 2], [1, 6, 1, 3], [2, 1, 3, 1], [5, 4, 3, 2]];
    const dims = ['a', 'b', 'c', 'd'];
    for (const shape of shapes) {
      const n = shape.reduce((p, s) => p * s, 1);
      const values = Float64Array.from({ length: n }, () => Math.round(r() * 1000) / 4);
      const da = new DataArray(values, { dims, shape });
      for (let mask = 0; mask < 16; mask++) {
        const axes = [0, 1, 2, 3].filter((a) => mask & (1 << a));
        const names = axes.map((a) => dims[a]);
        const msg = `shape [${shape}] over (${names})`;
        assertValues(nums(da.sum(names)), naive(values, shape, axes, 'sum'), 0, msg);
        assertValues(nums(da.max(names)), naive(values, shape, axes, 'max'), 0, msg);
      }
    }
  });

  it('zero-size dims: sum 0, mean NaN, count 0; min/max raise', () => {
    const e = new DataArray(new Float64Array(0), { dims: ['x', 'y'], shape: [0, 3] });
    assert.deepEqual(nums(e.sum('x')), [0, 0, 0]);
    assertValues(nums(e.mean('x')), [NaN, NaN, NaN]);
    assert.deepEqual(nums(e.count('x')), [0, 0, 0]);
    assert.deepEqual(e.sum('y').shape, [0]);
    assert.throws(() => e.min('x'), /zero-size/);
  });

  it('0-d arrays reduce to 0-d', () => {
    const s = new DataArray(new Int8Array([5]), { dims: [], shape: [] });
    assert.equal(s.sum().dtype, 'int64');
    assert.deepEqual(raw(s.sum()), [5n]);
    assert.deepEqual(nums(s.std()), [0]);
  });
});

describe('reduce: coords, name and attrs', () => {
  const a = new DataArray(new Float64Array([1, 2, 3, 4, 5, 6]), {
    dims: ['x', 'y'], shape: [2, 3], name: 'v', attrs: { units: 'eV' },
    coords: { x: [10, 20], y: ['a', 'b', 'c'], yy: ['y', [1, 2, 3]], xy: [['x', 'y'], [[1, 2, 3], [4, 5, 6]]], s: 5 },
  });

  it('drops coords on reduced dims, keeps the others and scalar coords; keeps the name', () => {
    const r = a.sum('x');
    assert.deepEqual(Object.keys(r.coords).sort(), ['s', 'y', 'yy']);
    assert.equal(r.name, 'v');
    assert.deepEqual(Object.keys(a.mean().coords), ['s']);
  });

  it('drops attrs unless keepAttrs', () => {
    assert.deepEqual(a.sum('x').attrs, {});
    assert.deepEqual(a.sum('x', { keepAttrs: true }).attrs, { units: 'eV' });
    assert.deepEqual(a.max({ keepAttrs: true }).attrs, { units: 'eV' });
  });

  it('strings: count/min/max work, numeric ops raise', () => {
    const s = new DataArray(['b', 'a', 'c', 'a'], { dims: ['x', 'y'], shape: [2, 2] });
    assert.deepEqual(raw(s.min('y')), ['a', 'a']);
    assert.deepEqual(raw(s.max('x')), ['c', 'a']);
    assert.deepEqual(nums(s.count()), [4]);
    assert.throws(() => s.sum(), (e: Error) => e instanceof ToolBoxTypeError && /sum of the array.*strings/.test(e.message));
    assert.throws(() => s.mean(), ToolBoxTypeError);
  });
});

describe('reduce: Dataset', () => {
  const ds = new Dataset({
    a: new DataArray(new Float32Array([1, 2, NaN, 4, 5, 6]), { dims: ['x', 'y'], shape: [2, 3] }),
    c: ['y', new Int8Array([1, 2, 3])],
    s: ['x', ['p', 'q']],
    t: ['y', ['u', 'v', 'w']],
  }, { coords: { x: [0, 1], y: [7, 8, 9], xl: ['x', ['m', 'n']] }, attrs: { title: 'T' } });

  it('reduces each variable over the dims it has; others pass through like xarray', () => {
    const fix = ds;
    const r = fix.sum('x');
    assert.deepEqual(r.dataVars, ['a', 'c', 't']);
    assert.deepEqual(nums(r.get('a')), [5, 7, 6]);
    assert.equal(r.get('a').dtype, 'float32');
    assert.equal(r.get('c').dtype, 'int8', 'a variable without the dim is left as is by sum');
    assert.deepEqual(raw(r.get('t')), ['u', 'v', 'w']);
    assert.deepEqual(Object.keys(r.coords).sort(), ['y']);
    assert.deepEqual(r.attrs, {});
    const sd = fix.std('x');
    assert.deepEqual(sd.dataVars, ['a', 'c'], 'std drops strings');
    assert.deepEqual(nums(sd.get('c')), [0, 0, 0]);
    assert.equal(sd.get('c').dtype, 'float64');
    const cnt = fix.count('x');
    assert.deepEqual(cnt.dataVars, ['a', 'c', 's', 't']);
    assert.deepEqual(nums(cnt.get('s')), [2]);
    assert.deepEqual(nums(cnt.get('c')), [1, 1, 1]);
    const mx = fix.max('x', { keepAttrs: true });
    assert.deepEqual(raw(mx.get('s')), ['q']);
    assert.deepEqual(mx.attrs, { title: 'T' });
    const all = fix.mean();
    assert.deepEqual(all.get('a').dims, []);
    assertValues(nums(all.get('a')), [18 / 5], 1e-7);
    assertValues(nums(all.get('c')), [2]);
  });

  it('rejects dims the Dataset does not have', () => {
    assert.throws(() => ds.sum('q'), (e: Error) => e instanceof ToolBoxValueError && /does not contain the dimension 'q'.*\(/.test(e.message));
  });
});

describe('reduce: against xarray', function () {
  this.timeout(120_000);
  before(async function () { await requirePython(this); });

  it('matches xarray values and dtypes over dtypes, dims, skipna, ddof and minCount', async () => {
    const r = rng(42);
    const dtypes: DType[] = ['float64', 'float32', 'int8', 'int32', 'uint16', 'int64', 'uint64', 'bool'];
    const shape = [3, 4, 5];
    const dimSets: Array<string[] | null> = [null, ['x'], ['y'], ['z'], ['x', 'z'], ['y', 'z'], ['x', 'y']];
    const ops = ['sum', 'mean', 'std', 'var', 'min', 'max', 'count', 'prod', 'median', 'any', 'all'];
    const arrays: Record<string, { dtype: DType; values: unknown[] }> = {};
    const cases: Array<{ id: number; arr: string; op: string; dim: string[] | null; skipna?: boolean; ddof?: number; min_count?: number }> = [];
    const ours = new Map<number, DataArray>();
    for (const dtype of dtypes) {
      const values = randomArray(dtype, 60, r, 0.25);
      if (dtype.startsWith('float')) for (let i = 0; i < 5; i++) (values as Float64Array)[i] = NaN; // an all-NaN row along z
      if (dtype === 'int8' || dtype === 'uint16') for (let i = 0; i < 60; i++) (values as Int8Array)[i] = (values as Int8Array)[i] % 4;
      arrays[dtype] = { dtype, values: jsonValues(values) };
      const da = new DataArray(values, { dims: ['x', 'y', 'z'], shape, dtype });
      for (const op of ops) {
        for (const dim of dimSets) {
          const variants: Array<{ skipna?: boolean; ddof?: number; minCount?: number }> = [{}];
          if (dtype.startsWith('float') && !['count', 'any', 'all'].includes(op)) variants.push({ skipna: false });
          if (op === 'std' || op === 'var') variants.push({ ddof: 1 });
          if ((op === 'sum' || op === 'prod') && dtype.startsWith('float')) variants.push({ minCount: 3 });
          for (const v of variants) {
            const id = cases.length;
            cases.push({ id, arr: dtype, op, dim, skipna: v.skipna, ddof: v.ddof, min_count: v.minCount });
            ours.set(id, (da as unknown as Record<string, (d: string[] | null, o: object) => DataArray>)[op].call(da, dim, v));
          }
        }
      }
    }
    const path = writeJson('cases.json', { arrays, cases });
    const out = await runPython<Record<string, { dims: string[]; dtype: string; values: unknown[] }>>(PY_LOAD + String.raw`
import warnings
warnings.simplefilter('ignore')
spec = json.load(open(sys.argv[1]))
arrs = {k: xr.DataArray(load_values(a['values'], a['dtype']).reshape(3, 4, 5), dims=('x', 'y', 'z')) for k, a in spec['arrays'].items()}
res = {}
for c in spec['cases']:
    kw = {}
    if c.get('skipna') is not None: kw['skipna'] = c['skipna']
    if c.get('ddof') is not None: kw['ddof'] = c['ddof']
    if c.get('min_count') is not None: kw['min_count'] = c['min_count']
    r = getattr(arrs[c['arr']], c['op'])(dim=c['dim'], **kw)
    res[c['id']] = {'dims': list(r.dims), 'dtype': str(r.dtype), 'values': _vals(r.values)}
emit(res)
`, [path]);
    let checked = 0;
    for (const c of cases) {
      const mine = ours.get(c.id)!;
      const ref = out[c.id];
      const msg = `${c.op}(${JSON.stringify(c.dim)}, skipna=${c.skipna}, ddof=${c.ddof}, min_count=${c.min_count}) of ${c.arr}`;
      assert.deepEqual(mine.dims, ref.dims, msg);
      // bottleneck makes xarray's full (0-d) float32 std/var/median/min/max float64; we keep numpy's float32.
      const bottleneck0d = mine.dims.length === 0 && c.arr === 'float32' && ['std', 'var', 'median', 'min', 'max'].includes(c.op) && ref.dtype === 'float64';
      // xarray turns a 0-d result nulled by min_count into a Python float (float64); we keep float32.
      const nulled0d = mine.dims.length === 0 && c.min_count !== undefined && mine.dtype === 'float32' && ref.dtype === 'float64';
      if (!bottleneck0d && !nulled0d) assert.equal(mine.dtype, ref.dtype, msg);
      const rtol = c.arr === 'float32' || mine.dtype === 'float32' ? 2e-6 : 1e-12;
      assertValues(nums(mine), pyNumbers(ref.values), rtol, msg);
      checked++;
    }
    assert.ok(checked > 500, `only ${checked} cases`);
  });
});
