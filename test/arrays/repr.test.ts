import assert from 'node:assert/strict';
import { DataArray, Dataset } from '../../toolbox/index.js';
import { formatArrayFlat, numpyRepr, pyFloat4, pyRepr } from '../../toolbox/arrays/format-values.js';

const ar = (n: number, f: (i: number) => number = (i) => i) => Float64Array.from({ length: n }, (_, i) => f(i));

// Expected texts are xarray 2023.01 / numpy 1.24 output for the same objects,
// with '<xarray.' shortened to '<' and numpy's '<U2' string dtypes shown as 'string'.
describe('text repr (xarray layout)', () => {
  it('DataArray with index coord, dims without coords and attrs', () => {
    const da = new DataArray(ar(6), { dims: ['trainId', 'x'], shape: [3, 2], coords: { trainId: new BigUint64Array([10n, 11n, 12n]) }, name: 'img', attrs: { units: 'ph', n: 3 } });
    assert.equal(da.toString(), [
      "<DataArray 'img' (trainId: 3, x: 2)>",
      "array([[0., 1.],",
      "       [2., 3.],",
      "       [4., 5.]])",
      "Coordinates:",
      "  * trainId  (trainId) uint64 10 11 12",
      "Dimensions without coordinates: x",
      "Attributes:",
      "    units:    ph",
      "    n:        3",
    ].join('\n'));
  });

  it('summarises more than 1000 elements with edge items 3', () => {
    assert.equal(new DataArray(ar(1001), { dims: 'x' }).toString(), [
      "<DataArray (x: 1001)>",
      "array([   0.,    1.,    2., ...,  998.,  999., 1000.])",
      "Dimensions without coordinates: x",
    ].join('\n'));
  });

  it('float32 with NaN and -inf, float index coordinate', () => {
    const da = new DataArray(new Float32Array([0.1, 0.25, 1, NaN, -Infinity]), { dims: 'x', coords: { x: [1.5, 2, 3, 4, 5] } });
    assert.equal(da.toString(), [
      "<DataArray (x: 5)>",
      "array([0.1 , 0.25, 1.  ,  nan, -inf], dtype=float32)",
      "Coordinates:",
      "  * x        (x) float64 1.5 2.0 3.0 4.0 5.0",
    ].join('\n'));
  });

  it('bool data and a long non-index coordinate name', () => {
    const da = new DataArray([true, false], { dims: 'x', coords: { very_long_coord_name: ['x', [1, 2]] } });
    assert.equal(da.toString(), [
      "<DataArray (x: 2)>",
      "array([ True, False])",
      "Coordinates:",
      "    very_long_coord_name  (x) int64 1 2",
      "Dimensions without coordinates: x",
    ].join('\n'));
  });

  it('wraps long rows at numpy line width and shows non-default dtypes; coordinate rows elide the middle', () => {
    const da = new DataArray(Int32Array.from({ length: 40 }, (_, i) => i * 1000), { dims: 'x', coords: { x: ar(40, (i) => i * 0.5) } });
    assert.equal(da.toString(), [
      "<DataArray (x: 40)>",
      "array([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,",
      "        9000, 10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000,",
      "       18000, 19000, 20000, 21000, 22000, 23000, 24000, 25000, 26000,",
      "       27000, 28000, 29000, 30000, 31000, 32000, 33000, 34000, 35000,",
      "       36000, 37000, 38000, 39000], dtype=int32)",
      "Coordinates:",
      "  * x        (x) float64 0.0 0.5 1.0 1.5 2.0 2.5 ... 17.5 18.0 18.5 19.0 19.5",
    ].join('\n'));
  });

  it('Dataset with string variables, quotes and numpy-style attrs', () => {
    const ds = new Dataset(
      { s: ['x', ['ab', 'c']], v: new DataArray([[1e-5, 2], [3, 4e9]], { dims: ['x', 'y'] }) },
      { coords: { x: new BigUint64Array([1n, 2n]), lbl: ['y', ['p', "q'r"]] }, attrs: { title: 'run 12', arr: new BigInt64Array([1n, 2n, 3n]) } },
    );
    assert.equal(ds.toString(), [
      "<Dataset>",
      "Dimensions:  (x: 2, y: 2)",
      "Coordinates:",
      "  * x        (x) uint64 1 2",
      "    lbl      (y) string 'p' \"q'r\"",
      "Dimensions without coordinates: y",
      "Data variables:",
      "    s        (x) string 'ab' 'c'",
      "    v        (x, y) float64 1e-05 2.0 3.0 4e+09",
      "Attributes:",
      "    title:    run 12",
      "    arr:      [1 2 3]",
    ].join('\n'));
  });

  it('named uint64 array', () => {
    assert.equal(new DataArray(new BigUint64Array([1n, 2n]), { dims: 'x', name: 'trainId' }).toString(), [
      "<DataArray 'trainId' (x: 2)>",
      "array([1, 2], dtype=uint64)",
      "Dimensions without coordinates: x",
    ].join('\n'));
  });

  it('Dataset with more than 12 variables shows the first and last 6', () => {
    const vars: Record<string, [string, number[]]> = {};
    for (let i = 0; i < 14; i++) vars[`v${i}`] = ['x', [0, i, 2 * i]];
    assert.equal(new Dataset(vars, { coords: { x: [1, 2, 3] } }).toString(), [
      "<Dataset>",
      "Dimensions:  (x: 3)",
      "Coordinates:",
      "  * x        (x) int64 1 2 3",
      "Data variables: (12/14)",
      "    v0       (x) int64 0 0 0",
      "    v1       (x) int64 0 1 2",
      "    v2       (x) int64 0 2 4",
      "    v3       (x) int64 0 3 6",
      "    v4       (x) int64 0 4 8",
      "    v5       (x) int64 0 5 10",
      "    ...       ...",
      "    v8       (x) int64 0 8 16",
      "    v9       (x) int64 0 9 18",
      "    v10      (x) int64 0 10 20",
      "    v11      (x) int64 0 11 22",
      "    v12      (x) int64 0 12 24",
      "    v13      (x) int64 0 13 26",
    ].join('\n'));
  });

  it('keeps the first and last 20 lines of a long data block (xarray limit_lines)', () => {
    const text = new DataArray(ar(1000, (i) => i / 7), { dims: 'x' }).toString().split('\n');
    assert.equal(text[1], 'array([  0.        ,   0.14285714,   0.28571429,   0.42857143,');
    assert.equal(text[21], '...');
    assert.equal(text[41], '       142.28571429, 142.42857143, 142.57142857, 142.71428571])');
    assert.equal(text.length, 43);
  });

  it('shows an empty Dataset and scalar arrays', () => {
    assert.equal(new Dataset().toString(), '<Dataset>\nDimensions:  ()\nData variables:\n    *empty*');
    assert.equal(new DataArray(5.5).toString(), '<DataArray ()>\narray(5.5)');
  });
});

describe('numpy array repr', () => {
  const r = (values: ArrayLike<number>, shape: number[], dtype: 'float64' | 'float32' | 'int64' = 'float64') => {
    const data = dtype === 'float32' ? Float32Array.from(values) : dtype === 'int64' ? BigInt64Array.from(Array.from(values, BigInt)) : Float64Array.from(values);
    return numpyRepr(data, shape, dtype);
  };
  it('switches to exponent format for wide ranges, with a common mantissa width', () => {
    assert.equal(r([1e8, 1.5, -2.25e-3], [3]), 'array([ 1.00e+08,  1.50e+00, -2.25e-03])');
    assert.equal(r([1e-5, 1], [2]), 'array([1.e-05, 1.e+00])');
  });
  it('uses the shortest float32 digits and pads fractions with spaces', () => {
    assert.equal(r([100.1, 2], [2], 'float32'), 'array([100.1,   2. ], dtype=float32)');
    assert.equal(r([1 / 3, 2 / 3, 10], [3], 'float32'), 'array([ 0.33333334,  0.6666667 , 10.        ], dtype=float32)');
    assert.equal(r([-0, 1.5], [2]), 'array([-0. ,  1.5])');
    assert.equal(r([NaN, NaN], [2]), 'array([nan, nan])');
  });
  it('lays out N-d arrays with blank lines between blocks', () => {
    assert.equal(r(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4], 'int64'), [
      'array([[[ 0,  1,  2,  3],',
      '        [ 4,  5,  6,  7],',
      '        [ 8,  9, 10, 11]],',
      '',
      '       [[12, 13, 14, 15],',
      '        [16, 17, 18, 19],',
      '        [20, 21, 22, 23]]])',
    ].join('\n'));
    const grid = r(Array.from({ length: 300 }, (_, i) => i), [30, 10]).split('\n');
    assert.equal(grid.length, 30);
    assert.equal(grid[0], 'array([[  0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,   9.],');
    assert.equal(grid[29], '       [290., 291., 292., 293., 294., 295., 296., 297., 298., 299.]])');
  });
  it('prints empty and 0-d arrays like numpy', () => {
    assert.equal(numpyRepr(new Float32Array(0), [0], 'float32'), 'array([], dtype=float32)');
    assert.equal(numpyRepr(new Float64Array(0), [0, 3], 'float64'), 'array([], shape=(0, 3), dtype=float64)');
    assert.equal(numpyRepr(new Float64Array([5]), [], 'float64'), 'array(5.)');
    assert.equal(numpyRepr(new Uint8Array([1]), [], 'bool'), 'array(True)');
    assert.equal(numpyRepr(['a', "b'"], [2], 'string'), `array(['a', "b'"], dtype=string)`);
  });
});

describe('one-line value summaries', () => {
  it("format floats like Python's format(x, '.4')", () => {
    const cases: [number, string][] = [[1, '1.0'], [0.5, '0.5'], [1234, '1.234e+03'], [123456, '1.235e+05'], [1e-4, '0.0001'],
      [1.234e-5, '1.234e-05'], [1e16, '1e+16'], [-0, '-0.0'], [1.23456, '1.235'], [99999, '1e+05'], [0.1 + 0.2, '0.3'], [123, '123.0'], [NaN, 'nan']];
    for (const [v, s] of cases) assert.equal(pyFloat4(v), s, String(v));
  });
  it('elide the middle to fit the width, as xarray does', () => {
    const x = Float64Array.from({ length: 40 }, (_, i) => i * 0.5);
    assert.equal(formatArrayFlat(x, 'float64', 55), '0.0 0.5 1.0 1.5 2.0 2.5 ... 17.5 18.0 18.5 19.0 19.5');
    assert.equal(formatArrayFlat(new Float64Array([1]), 'float64', 10), '1.0');
    assert.equal(formatArrayFlat(new Float64Array(0), 'float64', 10), '');
  });
  it("quote strings like Python's repr", () => {
    assert.equal(pyRepr("q'r"), `"q'r"`);
    assert.equal(pyRepr('a\nb'), "'a\\nb'");
  });
});

describe('HTML repr', () => {
  const nasty = () => new DataArray([[1, 2, 3], [4, 5, 6]], {
    dims: ['trainId', 'x'], name: '<img & "data">', coords: { trainId: [10, 11] },
    attrs: { '<script>': 'alert("x") & <b>' },
  });

  it('is one self-contained div with inline styles, no scripts or style blocks', () => {
    const html = nasty().toHTML();
    assert.ok(html.startsWith('<div style="'));
    assert.ok(html.endsWith('</div>'));
    assert.ok(!/<script/i.test(html), 'no script tags');
    assert.ok(!/<style/i.test(html), 'no style blocks');
    assert.ok(!/\son\w+=/i.test(html), 'no event handlers');
  });

  it('escapes names and attrs', () => {
    const html = nasty().toHTML();
    assert.ok(html.includes('&lt;img &amp; &quot;data&quot;&gt;'));
    assert.ok(html.includes('&lt;script&gt;'));
    assert.ok(html.includes('alert(&quot;x&quot;) &amp; &lt;b&gt;'));
    assert.ok(!html.includes('<img'));
  });

  it('previews 2-D data as a table labelled by the index coordinates', () => {
    const html = nasty().toHTML();
    assert.ok(html.includes('(trainId: 2, x: 3)'));
    assert.ok(html.includes('trainId \\ x'));
    assert.match(html, /<th[^>]*>10<\/th><td[^>]*>1<\/td><td[^>]*>2<\/td><td[^>]*>3<\/td>/);
    assert.match(html, /Dimensions without coordinates:<\/b> x/);
  });

  it('shows only edge rows and columns of large arrays', () => {
    const big = new DataArray(Float64Array.from({ length: 100 * 50 }, (_, i) => i), { dims: ['a', 'b'], shape: [100, 50] });
    const html = big.toHTML();
    assert.equal((html.match(/<tr[ >]/g) ?? []).length, 1 + 11);
    assert.ok(html.includes('&hellip;'));
    assert.ok(html.includes('>4.999e+03<'));
    assert.ok(html.length < 20000);
  });

  it('lists a Dataset\'s coordinates, data variables and attributes', () => {
    const ds = new Dataset({ v: ['t', [1.5, 2.5]], w: ['t', ['a', 'b']] }, { coords: { t: new BigUint64Array([7n, 8n]) }, attrs: { run: 12 } });
    const html = ds.toHTML();
    assert.ok(html.includes('Dataset'));
    assert.ok(html.includes('(t: 2)'));
    assert.match(html, /<b>\*<\/b> <b>t<\/b>.*uint64.*7 8/);
    assert.match(html, /<b>v<\/b>.*float64.*1\.5 2\.5/);
    assert.ok(html.includes('&#39;a&#39; &#39;b&#39;'));
    assert.match(html, /run:.*12/);
    assert.ok(html.includes('<details open'));
  });

  it('falls back to the numpy text for 3-D data', () => {
    const html = new DataArray(Float64Array.from({ length: 8 }, (_, i) => i), { dims: ['a', 'b', 'c'], shape: [2, 2, 2] }).toHTML();
    assert.ok(html.includes('<pre'));
    assert.ok(html.includes('array([[[0., 1.],'));
  });
});
