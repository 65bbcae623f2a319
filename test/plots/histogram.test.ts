import assert from 'node:assert/strict';
import { DataArray, plot } from '../../toolbox/index.js';
import { parseSvg } from './svg.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('plot.histogram', () => {
  it('counts like numpy.histogram: equal bins over the finite range, last edge closed, NaN ignored', () => {
    const { edges, counts } = plot.histogramCounts([0, 1, 1, 2, 3, 4, NaN, 4], 4);
    assert.deepEqual(Array.from(edges), [0, 1, 2, 3, 4]);
    assert.deepEqual(Array.from(counts), [1, 2, 1, 3]);
    const given = plot.histogramCounts([-5, 0.5, 1, 9.99, 10, 11], [0, 1, 10]);
    assert.deepEqual(Array.from(given.counts), [1, 3]);
    assert.deepEqual(Array.from(plot.histogramCounts([1, 2, 3], 2, [0, 2]).counts), [0, 2]);
    assert.throws(() => plot.histogramCounts([1], [0, 2, 1]), /bin edges must increase, got 2 then 1/);
    assert.throws(() => plot.histogramCounts([1], 0), /bins must be a positive integer or edges, got 0/);
  });

  it('spec: one rect per bin with its count; log leaves empty bins out', async () => {
    const values = new DataArray(Float64Array.from([0, 0, 0, 3, 4]), { dims: ['pulse'], name: 'XGM', attrs: { units: 'uJ' } });
    const lin: Spec = await plot.histogram(values, { bins: 4 }).toSpec();
    assert.deepEqual(lin.data.values.map((r: Spec) => [r.left, r.right, r.count, r.base]), [[0, 1, 3, 0], [1, 2, 0, 0], [2, 3, 0, 0], [3, 4, 2, 0]]);
    assert.equal(lin.mark.type, 'rect');
    assert.equal(lin.encoding.x.title, 'XGM [uJ]');
    assert.deepEqual(lin.encoding.y2, { field: 'base' });
    const log: Spec = await plot.histogram(values, { bins: 4, log: true }).toSpec();
    assert.deepEqual(log.data.values.map((r: Spec) => [r.left, r.count, r.base]), [[0, 3, 0.5], [3, 2, 0.5]]);
    assert.deepEqual(log.encoding.y.scale, { type: 'log', domainMin: 0.5 });
    assert.equal(plot.histogram(values, { bins: 4, log: true }).description, 'histogram of XGM [uJ] (4 bins, 5 values, log counts)');
  });

  it('renders one rect per non-empty bin', async function () {
    const svg = parseSvg(this, await plot.histogram([1, 2, 2, 3, 3, 3], { bins: 3 }).toSVG());
    assert.equal(svg.counts['mark-rect'], 1);
    assert.ok(svg.paths >= 3);
  });
});
