import assert from 'node:assert/strict';
import { DataArray, OptionsError, ToolBoxTypeError } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const x = Float64Array.from({ length: 10 }, (_, i) => i / 9);
const signal = new DataArray(Float64Array.from({ length: 10 }, (_, i) => i), { dims: ['t'], coords: { x: ['t', x] }, name: 'v' });
const binned = signal.groupbyBins('x', [0, 0.25, 0.5, 1]).mean();

describe('DataArray.plot() as in xarray', () => {
  it('1-D: a line against the coordinate', async () => {
    const da = new DataArray([1, 4, 2], { dims: ['delay'], coords: { delay: [0, 0.5, 1] }, name: 'signal', attrs: { units: 'a.u.' } });
    const spec: Spec = await da.plot().toSpec();
    assert.equal(spec.layer[0].mark.type, 'line');
    assert.deepEqual(spec.data.values.map((r: Spec) => [r.x, r.y]), [[0, 1], [0.5, 4], [1, 2]]);
    assert.equal(spec.layer[0].encoding.y.title, 'signal [a.u.]');
    assert.equal((await da.plot.line({ title: 't' }).toSpec()).title, 't');
  });

  it('interval bins (groupbyBins) plot at their midpoints, labelled <name>_center', async () => {
    assert.deepEqual(binned.coords.x_bins.values, ['(0.0, 0.25]', '(0.25, 0.5]', '(0.5, 1.0]']);
    const spec: Spec = await binned.plot().toSpec();
    assert.deepEqual(spec.data.values.map((r: Spec) => r.x), [0.125, 0.375, 0.75]);
    assert.equal(spec.layer[0].encoding.x.title, 'x_bins_center');
  });

  it('2-D: an image with y upwards (pcolormesh); imshow puts row 0 on top', async () => {
    const img = new DataArray([[1, 2, 3], [4, 5, 6]], { dims: ['y', 'x'], coords: { y: [10, 20], x: [0, 1, 2] }, name: 'img' });
    const mesh: Spec = await img.plot().toSpec();
    assert.equal(mesh.mark.type, 'rect');
    assert.equal(mesh.encoding.y.scale.reverse, false);
    assert.equal(mesh.encoding.x.title, 'x');
    assert.equal(mesh.data.values.length, 6);
    assert.equal(((await img.plot.imshow().toSpec()) as Spec).encoding.y.scale.reverse, true);
    assert.equal(((await img.plot.pcolormesh({ origin: 'upper' }).toSpec()) as Spec).encoding.y.scale.reverse, true);
  });

  it('3-D and more: a histogram of all values', async () => {
    const cube = new DataArray(Float64Array.from({ length: 24 }, (_, i) => i % 5), { shape: [2, 3, 4], dims: ['a', 'b', 'c'] });
    const p = cube.plot({ bins: 5 });
    assert.match(p.description, /histogram/);
    const spec: Spec = await p.toSpec();
    assert.equal(spec.data.values.reduce((s: number, r: Spec) => s + r.count, 0), 24);
    assert.match(signal.plot.hist().description, /histogram/);
  });

  it('fails loudly: no data, strings, unknown options (named for DataArray.plot)', () => {
    assert.throws(() => new DataArray(new Float64Array(0), { dims: ['t'] }).plot(),
      (e: Error) => e instanceof ToolBoxTypeError && e.message === 'DataArray.plot: no numeric data to plot (the array is empty)');
    assert.throws(() => new DataArray(['a'], { dims: ['t'] }).plot(), /DataArray.plot: no numeric data to plot \(it holds strings\)/);
    assert.throws(() => signal.plot({ hue: 't', colour: 'red' } as never),
      (e: Error) => e instanceof OptionsError && /^DataArray\.plot: unknown option 'colour'\./.test(e.message));
    assert.throws(() => signal.plot.line('red' as never), /DataArray\.plot\.line: options must be an object/);
  });

  describe('against xarray', () => {
    before(async function () { await requirePython(this); });

    it("midpoints and axis label equal xarray's interval handling for line plots", async () => {
      const ref = await runPython<{ x: number[]; label: string }>(String.raw`
from xarray.plot.utils import _resolve_intervals_1dplot, label_from_attrs
da = xr.DataArray(np.arange(10.), dims='t', coords={'x': ('t', np.arange(10) / 9)}, name='v')
m = da.groupby_bins('x', [0, 0.25, 0.5, 1]).mean()
xv, yv, xs, ys, kw = _resolve_intervals_1dplot(m['x_bins'].values, m.values, {})
emit({'x': xv.tolist(), 'label': label_from_attrs(m['x_bins'], extra=xs)})
`);
      const spec: Spec = await binned.plot().toSpec();
      assert.deepEqual(spec.data.values.map((r: Spec) => r.x), ref.x);
      assert.equal(spec.layer[0].encoding.x.title, ref.label);
    });
  });
});
