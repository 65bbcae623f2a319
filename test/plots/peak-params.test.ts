import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, MIME_BUNDLE, type PeakParamsCheck, checkPeakParams, isDisplayable, mimeBundleOf, plot, runByPath } from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { parseSvg } from './svg.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const check: PeakParamsCheck = {
  params: { pulseStart: 10, pulseStop: 14, baseStart: 2, baseStop: 8, period: 100, npulses: 3 },
  autoFind: true,
  first: { pulse: 0, start: 0, segment: Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5, -9, -4, -1, 0, 0]), pulseWindow: [10, 14], baseWindow: [2, 8] },
  last: { pulse: 2, start: 200, segment: Float64Array.from([1, 1, 1, 1]), pulseWindow: [210, 214], baseWindow: [202, 208] },
  warnings: [],
};

describe('peakParamsPlot', () => {
  it('two panels: the trace with shaded baseline and pulse windows', async () => {
    const spec: Spec = await plot.peakParamsPlot(check).toSpec();
    assert.equal(spec.title, 'found parameters: pulse 10-14, baseline 2-8, period 100, 3 pulses');
    assert.equal(spec.hconcat.length, 2);
    const [first, last] = spec.hconcat;
    assert.equal(first.title, 'first pulse (0)');
    assert.equal(last.title, 'last pulse (2)');
    assert.deepEqual(first.layer[0].data.values, [{ window: 'baseline', from: 2, to: 8 }, { window: 'pulse', from: 10, to: 14 }]);
    assert.deepEqual(last.layer[1].data.values, [{ sample: 200, value: 1 }, { sample: 201, value: 1 }, { sample: 202, value: 1 }, { sample: 203, value: 1 }]);
    assert.equal(first.layer[1].data.values[11].value, -9);
    assert.deepEqual(first.layer[1].encoding.x.scale.domain, [0, 15]);
  });

  it('renders two rect layers and two lines', async function () {
    const svg = parseSvg(this, await plot.peakParamsPlot(check).toSVG());
    assert.equal(svg.counts['mark-line'], 2);
    assert.equal(svg.counts['mark-rect'] >= 2, true);
  });
});

describe('checkPeakParams with its plot', () => {
  let dir: string;
  let run: DataCollection;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-plot-peaks-'));
    await writeMockRun(dir, { trains: 6, frames: 4, modules: [0], pixels: [4, 4], seed: 3 });
    run = await runByPath(dir);
  });
  after(() => {
    run?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the plot and displays as it, with the parameters as text', async () => {
    const res = await checkPeakParams(run, 'MCP1raw', { ntrains: 4 });
    assert.ok(res.plot instanceof plot.Plot);
    assert.ok(isDisplayable(res));
    assert.ok(!Object.keys(res).includes(String(MIME_BUNDLE)));
    const { data } = await mimeBundleOf(res);
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
    assert.match(data['text/plain'] as string, /^found integration parameters: \{"pulseStart":\d+/);
    const spec = data['application/vnd.vegalite.v5+json'] as Spec;
    assert.equal(spec.hconcat[0].layer[0].data.values[1].from, res.first.pulseWindow[0]);
  });

  it('plot: false gives the bare result', async () => {
    const res = await checkPeakParams(run, 'MCP1raw', { ntrains: 4, plot: false });
    assert.equal(res.plot, undefined);
    assert.ok(!isDisplayable(res));
    assert.equal(res.autoFind, true);
  });
});
