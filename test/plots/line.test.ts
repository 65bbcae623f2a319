import assert from 'node:assert/strict';
import { DataArray, mimeBundleOf, plot } from '../../toolbox/index.js';
import { parseSvg } from './svg.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const delay = Float64Array.from([0, 0.5, 1, 1.5]);
const signal = new DataArray(Float64Array.from([1, 4, NaN, 2]), { dims: ['delay'], coords: { delay }, name: 'signal', attrs: { units: 'a.u.' } });

describe('plot.line', () => {
  it('one DataArray: x from its coordinate, labels from name and units, NaN as null', async () => {
    const spec: Spec = await plot.line(signal).toSpec();
    assert.equal(spec.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    assert.deepEqual(spec.data.values, [
      { x: 0, y: 1, series: 'signal' }, { x: 0.5, y: 4, series: 'signal' }, { x: 1, y: null, series: 'signal' }, { x: 1.5, y: 2, series: 'signal' },
    ]);
    assert.equal(spec.layer.length, 1);
    assert.equal(spec.layer[0].mark.type, 'line');
    assert.deepEqual(spec.layer[0].encoding.x, { field: 'x', type: 'quantitative', title: 'delay', scale: { zero: false } });
    assert.equal(spec.layer[0].encoding.y.title, 'signal [a.u.]');
    assert.equal(spec.layer[0].encoding.color, undefined);
  });

  it('several series get a colour; an error band is an area from y-err to y+err', async () => {
    const spec: Spec = await plot.line({
      on: { y: [1, 2, 3], err: [0.5, 0.5, 1] },
      off: [3, 2, 1],
    }, { x: [10, 20, 30], title: 'pump-probe', yLog: true }).toSpec();
    assert.equal(spec.title, 'pump-probe');
    assert.deepEqual(spec.data.values.filter((r: Spec) => r.series === 'on'), [
      { x: 10, y: 1, series: 'on', lo: 0.5, hi: 1.5 }, { x: 20, y: 2, series: 'on', lo: 1.5, hi: 2.5 }, { x: 30, y: 3, series: 'on', lo: 2, hi: 4 },
    ]);
    assert.deepEqual(spec.data.values.filter((r: Spec) => r.series === 'off').map((r: Spec) => [r.x, r.y]), [[10, 3], [20, 2], [30, 1]]);
    const [band, curve] = spec.layer;
    assert.equal(band.mark.type, 'area');
    assert.equal(band.encoding.y.field, 'lo');
    assert.deepEqual(band.encoding.y2, { field: 'hi' });
    assert.deepEqual(curve.encoding.color, { field: 'series', type: 'nominal', title: null });
    assert.deepEqual(curve.encoding.y.scale, { type: 'log' });
  });

  it('a 2-D DataArray gives one curve per entry of the hue dim', async () => {
    const da = new DataArray(Float64Array.from([1, 2, 3, 4, 5, 6]), { dims: ['module', 'pulse'], shape: [2, 3], coords: { module: Int32Array.from([3, 7]) } });
    const spec: Spec = await plot.line(da).toSpec();
    assert.deepEqual(spec.data.values.map((r: Spec) => [r.series, r.x, r.y]), [
      ['module=3', 0, 1], ['module=3', 1, 2], ['module=3', 2, 3], ['module=7', 0, 4], ['module=7', 1, 5], ['module=7', 2, 6],
    ]);
    assert.equal(spec.layer[0].encoding.x.title, 'pulse');
  });

  it('warns (ToolBoxWarning) when the output gets large, and keeps every point', async () => {
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const p = plot.line(new Float64Array(20_001));
    const w = await warned;
    assert.equal(w.name, 'ToolBoxWarning');
    assert.match(w.message, /^line plot has 20001 points: the notebook output will be several MB/);
    assert.equal(((await p.toSpec()) as Spec).data.values.length, 20_001);
  });

  it('rejects mismatched lengths, naming the series', () => {
    assert.throws(() => plot.line({ y: [1, 2, 3], x: [1, 2], name: 'I0' }), /series I0 has 3 y values but 2 x values/);
    assert.throws(() => plot.line([1, 2], { err: [1] }), /has 2 y values but 1 err values/);
    const cube = new DataArray(new Float64Array(8), { dims: ['a', 'b', 'c'], shape: [2, 2, 2] });
    assert.throws(() => plot.line([cube]), /series series 0 must be 1-D, got dims \(a, b, c\)/);
  });

  it('keeps curves with equal names apart', async () => {
    const spec: Spec = await plot.line([signal, signal]).toSpec();
    assert.deepEqual([...new Set(spec.data.values.map((r: Spec) => r.series))], ['signal', 'signal (1)']);
  });

  it('bundle: vega-lite spec, a PNG of the SVG with the line and band, and a text description', async function () {
    const p = plot.line(signal, { err: [0.1, 0.1, 0.1, 0.1] });
    const { data } = await mimeBundleOf(p);
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
    assert.deepEqual(Buffer.from(data['image/png'] as string, 'base64'), await p.toPNG());
    assert.deepEqual(data['application/vnd.vegalite.v5+json'], await p.toSpec());
    assert.equal(data['text/plain'], '<Plot: line plot of signal with error band (4 points)>');
    const svg = parseSvg(this, await p.toSVG());
    assert.equal(svg.tag, 'svg');
    assert.equal(svg.counts['mark-line'], 1);
    assert.equal(svg.counts['mark-area'], 1);
    assert.equal(svg.counts['role-axis-title'], 2);
  });
});

describe('plot.scatter', () => {
  it('points with a quantitative colour', async () => {
    const p = plot.scatter(signal.coords.delay, [5, 6, 7, 8], { color: [1, 2, 3, 4], colorLabel: 'shot', xLog: true });
    const spec: Spec = await p.toSpec();
    assert.deepEqual(spec.data.values, [{ x: 0, y: 5, c: 1 }, { x: 0.5, y: 6, c: 2 }, { x: 1, y: 7, c: 3 }, { x: 1.5, y: 8, c: 4 }]);
    assert.equal(spec.mark.type, 'point');
    assert.deepEqual(spec.encoding.color, { field: 'c', type: 'quantitative', title: 'shot', scale: { scheme: 'viridis' } });
    assert.deepEqual(spec.encoding.x.scale, { type: 'log' });
    assert.equal(spec.encoding.x.title, 'delay');
    assert.throws(() => plot.scatter([1, 2], [1]), /x has 2 values but y has 1/);
  });

  it('renders 4 symbols in the SVG', async function () {
    const svg = parseSvg(this, await plot.scatter([1, 2, 3, 4], [4, 3, 2, 1]).toSVG());
    assert.equal(svg.counts['mark-symbol'], 1);
    assert.ok(svg.paths >= 4);
  });
});
