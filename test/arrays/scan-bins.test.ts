import assert from 'node:assert/strict';
import { DataArray, ToolBoxTypeError, ToolBoxValueError, binEdges, roundToBinWidth } from '../../toolbox/index.js';
import { decimalsOf } from '../../toolbox/arrays/scan-bins.js';
import { requirePython, runPython } from '../helpers/python.js';
import { rng } from './reduce-helpers.js';

describe('scan-bin labels without float noise', () => {
  it('labels bins of 0.1 as 0.3, not 0.30000000000000004', () => {
    const scan = new DataArray([0.29, 0.31, 0.61, -0.05, 0.16, NaN], { dims: ['trainId'], coords: { trainId: [1, 2, 3, 4, 5, 6] }, name: 'delay', attrs: { units: 'ps' } });
    const r = roundToBinWidth(scan, 0.1);
    assert.deepEqual(Array.from(r.values as Float64Array), [0.3, 0.3, 0.6, -0, 0.2, NaN]);
    assert.equal(0.1 * Math.round(0.29 / 0.1), 0.30000000000000004, 'the noise the plain formula gives');
    assert.equal(r.dtype, 'float64');
    assert.deepEqual([r.name, r.attrs.units, r.dims], ['delay', 'ps', ['trainId']]);
    assert.deepEqual(Array.from(r.coords.trainId.values as ArrayLike<number>, Number), [1, 2, 3, 4, 5, 6]);
  });

  it('counts decimals of the shortest form', () => {
    assert.deepEqual([0.1, 0.25, 2, 1e-7, 2.5e-8, 1e21, 1 / 3].map(decimalsOf), [1, 2, 0, 7, 9, 0, 16]);
  });

  it('binEdges: arange rounded to the decimals of the inputs, stop included on the grid', () => {
    assert.deepEqual(Array.from(binEdges(0, 1, 0.1)), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    assert.deepEqual(Array.from(binEdges(-0.5, 0.55, 0.25)), [-0.5, -0.25, 0, 0.25, 0.5]);
    assert.deepEqual(Array.from(binEdges(0, 1, 1 / 3)), [0, 1 / 3, 2 / 3, 1]);
  });

  it('rejects widths that are not positive numbers, naming the function', () => {
    const a = new DataArray([1, 2], { dims: ['t'] });
    assert.throws(() => roundToBinWidth(a, 0), (e: Error) => e instanceof ToolBoxValueError && e.message === 'roundToBinWidth: the bin width must be a positive finite number, got 0');
    assert.throws(() => roundToBinWidth(a, '0.1' as unknown as number), (e: Error) => e instanceof ToolBoxTypeError && e.message === 'roundToBinWidth: the bin width must be a number, got string');
    assert.throws(() => binEdges(1, 0, 0.1), /binEdges: stop \(0\) must not be below start \(1\)/);
    assert.throws(() => roundToBinWidth(new DataArray(['a'], { dims: ['t'] }), 1), /cannot bin the array: it holds strings/);
  });

  describe('against numpy', () => {
    before(async function () { await requirePython(this); });

    it('equals np.round(w * np.round(v / w), decimals(w)) and np.round(np.arange(...), decimals)', async () => {
      const r = rng(7);
      const values = Array.from({ length: 400 }, () => Math.round((r() * 40 - 20) * 1e6) / 1e6);
      const widths = [0.1, 0.25, 0.05, 2, 0.001, 1e-7, 0.3, 0.7, 1.5];
      const edges: Array<[number, number, number]> = [[0, 1, 0.1], [-3.2, 4.1, 0.3], [0.05, 2.05, 0.05], [-1, 1, 0.001], [100, 200, 7.5]];
      const out = await runPython<{ rounded: number[][]; noisy: number[]; edges: number[][] }>(String.raw`
s = json.loads(sys.argv[1])
v = np.array(s['values'])
dec = lambda x: max(0, len(np.format_float_positional(x, trim='-').partition('.')[2]))
rounded = [np.round(w * np.round(v / w), dec(w)).tolist() for w in s['widths']]
noisy = [int(np.sum(w * np.round(v / w) != np.round(w * np.round(v / w), dec(w)))) for w in s['widths']]
edges = [np.round(np.arange(a, b + w / 2, w), max(dec(a), dec(w))).tolist() for a, b, w in s['edges']]
emit({'rounded': rounded, 'noisy': noisy, 'edges': edges})
`, [JSON.stringify({ values, widths, edges })]);
      const da = new DataArray(values, { dims: ['t'] });
      widths.forEach((w, k) => assert.deepEqual(Array.from(roundToBinWidth(da, w).values as Float64Array), out.rounded[k], `width ${w}`));
      assert.ok(out.noisy.some((n) => n > 0), 'numpy\'s plain product is noisy for some widths');
      edges.forEach(([a, b, w], k) => assert.deepEqual(Array.from(binEdges(a, b, w)), out.edges[k], `edges ${a}..${b} by ${w}`));
    });
  });
});
