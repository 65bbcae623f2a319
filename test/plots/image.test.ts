import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { DataArray, mimeBundleOf, plot } from '../../toolbox/index.js';
import { parseSvg } from './svg.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VIRIDIS_0 = [68, 1, 84, 255];
const VIRIDIS_1 = [253, 231, 37, 255];

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4;
  return Array.from(png.data.subarray(i, i + 4));
}

/** rows × cols with value = column index. */
function ramp(rows: number, cols: number): DataArray {
  return new DataArray(Float64Array.from({ length: rows * cols }, (_, i) => i % cols), { dims: ['y', 'x'], shape: [rows, cols], name: 'ramp' });
}

describe('colour limits', () => {
  it('percentiles interpolate linearly like numpy; vmin/vmax win; log ignores values <= 0', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => 99 - i);
    assert.deepEqual(plot.colourLimits(v), [0, 99]);
    const [lo, hi] = plot.colourLimits(v, { percentiles: [1, 99] });
    assert.ok(Math.abs(lo - 0.99) < 1e-12 && Math.abs(hi - 98.01) < 1e-12, `${lo} ${hi}`);
    assert.deepEqual(plot.colourLimits(v, { percentiles: [1, 99], vmin: 5, vmax: 50 }), [5, 50]);
    assert.deepEqual(plot.colourLimits([-1, 0, NaN, 10, 1000], { log: true }), [10, 1000]);
    assert.deepEqual(plot.colourLimits([3, 3]), [2.5, 3.5]);
    assert.throws(() => plot.colourLimits([NaN]), /no finite values to set the colour limits from; give vmin and vmax/);
    assert.throws(() => plot.colourLimits([1, 2], { log: true, vmin: 0 }), /a log colour scale needs vmin > 0, got 0/);
    assert.throws(() => plot.colourLimits([1, 2], { percentiles: [50, 10] }), /percentiles must be two increasing numbers in 0\.\.100, got \[50, 10\]/);
  });
});

describe('plot.image (small: one rect per pixel)', () => {
  const da = new DataArray(Float64Array.from([1, 2, 3, 4, 5, 6, 7, -1]), {
    dims: ['y', 'x'], shape: [2, 4], name: 'counts', coords: { x: Float64Array.from([10, 20, 30, 40]) },
  });

  it('pixels sit on coordinate edges with their values; row 0 on top', async () => {
    const spec: Spec = await plot.image(da).toSpec();
    assert.equal(spec.data.values.length, 8);
    assert.deepEqual(spec.data.values[0], { x0: 5, x1: 15, y0: -0.5, y1: 0.5, value: 1 });
    assert.deepEqual(spec.data.values[7], { x0: 35, x1: 45, y0: 0.5, y1: 1.5, value: -1 });
    assert.equal(spec.mark.type, 'rect');
    assert.deepEqual(spec.encoding.x.scale, { domain: [5, 45], nice: false, zero: false });
    assert.equal(spec.encoding.y.scale.reverse, true);
    assert.deepEqual(spec.encoding.color.scale, { type: 'linear', scheme: 'viridis', domain: [-1, 7], clamp: true });
    assert.equal(spec.encoding.color.title, 'counts');
    assert.equal((await plot.image(da, { origin: 'lower' }).toSpec() as Spec).encoding.y.scale.reverse, false);
  });

  it('log scale with percentile limits; pixels that cannot be coloured are left out', async () => {
    const spec: Spec = await plot.heatmap(da, { log: true, scheme: 'magma', percentiles: [0, 50] }).toSpec();
    assert.equal(spec.data.values.length, 7);
    assert.deepEqual(spec.encoding.color.scale, { type: 'log', scheme: 'magma', domain: [1, 4], clamp: true });
  });

  it('the x option puts another dim along the bottom', async () => {
    const spec: Spec = await plot.image(da, { x: 'y', xLabel: 'row' }).toSpec();
    assert.equal(spec.encoding.x.title, 'row');
    assert.equal(spec.encoding.y.title, 'x');
    assert.deepEqual(spec.data.values[1], { x0: 0.5, x1: 1.5, y0: 5, y1: 15, value: 5 });
  });

  it('bundle: spec, the PNG of its SVG (one rect mark group and a colour bar) and text', async function () {
    const p = plot.image(da);
    const { data, metadata } = await mimeBundleOf(p);
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
    assert.equal(data['text/plain'], '<Plot: image of counts (y: 2, x: 4), colour viridis -1..7>');
    const png = PNG.sync.read(Buffer.from(data['image/png'] as string, 'base64'));
    assert.deepEqual(metadata, { 'image/png': { width: png.width / 2, height: png.height / 2 } });
    const svg = parseSvg(this, await p.toSVG());
    assert.equal(svg.counts['mark-rect'] >= 1, true);
    assert.equal(svg.counts['role-legend'], 1);
    assert.ok(svg.paths >= 8);
  });

  it('rejects arrays that are not 2-D and unknown dims', () => {
    assert.throws(() => plot.image(new DataArray([1, 2], { dims: ['x'] })), /image needs a 2-D DataArray, got dims \(x\)/);
    assert.throws(() => plot.image(da, { x: 'z' }), /x dim 'z' is not one of \(y, x\)/);
  });
});

describe('plot.image (large: one PNG)', () => {
  const rows = 60, cols = 100;
  const big = ramp(rows, cols);
  (big.values as Float64Array)[rows * cols - 1] = NaN; // bottom right

  it('the static fallback is a PNG of the colour-mapped pixels, scaled up', async () => {
    const p = plot.image(big);
    assert.equal(p.staticMime, 'image/png');
    const { data } = await mimeBundleOf(p);
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
    const png = PNG.sync.read(Buffer.from(data['image/png'] as string, 'base64'));
    assert.deepEqual([png.width, png.height], [400, 240]); // 4 × 4 screen pixels per pixel
    assert.deepEqual(pixel(png, 0, 0), VIRIDIS_0);
    assert.deepEqual(pixel(png, 3, 3), VIRIDIS_0);
    assert.deepEqual(pixel(png, 399, 0), VIRIDIS_1);
    assert.deepEqual(pixel(png, 399, 239), [0, 0, 0, 0]); // NaN: transparent
    assert.deepEqual(pixel(png, 0, 239), VIRIDIS_0);
  });

  it('origin lower puts row 0 at the bottom; vmin/vmax clamp', async () => {
    const png = PNG.sync.read(await plot.image(big, { origin: 'lower', vmin: 50, vmax: 60 }).toPNG());
    assert.deepEqual(pixel(png, 399, 0), [0, 0, 0, 0]);
    assert.deepEqual(pixel(png, 0, 0), VIRIDIS_0); // 0 clamps to vmin
    assert.deepEqual(pixel(png, 300, 100), VIRIDIS_1); // 75 clamps to vmax
  });

  it('the spec embeds the unscaled PNG as an image mark, with a colour bar layer', async function () {
    const spec: Spec = await plot.image(big, { scheme: 'greys' }).toSpec();
    const [img, bar] = spec.layer;
    assert.equal(img.mark.type, 'image');
    assert.equal(img.mark.smooth, false);
    const datum = img.data.values[0];
    assert.deepEqual([datum.x0, datum.x1, datum.y0, datum.y1], [-0.5, 99.5, -0.5, 59.5]);
    const inner = PNG.sync.read(Buffer.from(datum.url.replace(/^data:image\/png;base64,/, ''), 'base64'));
    assert.deepEqual([inner.width, inner.height], [100, 60]);
    assert.deepEqual(pixel(inner, 0, 0), [226, 226, 226, 255]); // greys at 0
    assert.deepEqual(bar.data.values, [{ value: 0 }, { value: 99 }]);
    assert.deepEqual(bar.encoding.color.scale, { type: 'linear', scheme: 'greys', domain: [0, 99], clamp: true });
    const svg = parseSvg(this, await plot.image(big).toSVG());
    assert.equal(svg.counts['mark-image'], 1);
    assert.equal(svg.images, 1);
    assert.equal(svg.counts['role-legend'], 1);
  });

  it('other plots draw their SVG to PNG at twice its size', async () => {
    const p = plot.line([1, 2]);
    const png = PNG.sync.read(await p.toPNG());
    const [, w, h] = /^<svg[^>]* width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(await p.toSVG())!;
    assert.deepEqual([png.width, png.height], [Math.round(2 * Number(w)), Math.round(2 * Number(h))]);
  });
});
