import assert from 'node:assert/strict';
import { DataArray, Dataset } from '../../toolbox/index.js';
import { binnerCounts, plotBinner, plotBinnerHist, plotHistProcessed, plotXgmThreshold } from '../../toolbox/plots/dssc.js';
import { createDsscBins } from '../../toolbox/routines/dssc/bins.js';
import { parseSvg } from './svg.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TRAINS = BigUint64Array.from([1000n, 1001n, 1002n, 1003n, 1004n]);
const delayBinner = () => new DataArray([0.5, 0.5, 1, NaN, 1.5], { dims: ['trainId'], coords: { trainId: TRAINS }, name: 'delay', attrs: { units: 'ps' } });
const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const pulseBinner = () => createDsscBins('pulse', [0, 1, 2, 3, 4, 5, 6, 7], PATTERN);

describe('DSSC plots', () => {
  it('plotBinner: the label of each train against its train ID', async () => {
    const spec: Spec = await plotBinner(delayBinner()).toSpec();
    assert.deepEqual(spec.data.values, [
      { trainId: 1000, label: 0.5 }, { trainId: 1001, label: 0.5 }, { trainId: 1002, label: 1 }, { trainId: 1003, label: null }, { trainId: 1004, label: 1.5 },
    ]);
    assert.equal(spec.title, 'binner along trainId');
    assert.equal(spec.mark.type, 'line');
    assert.equal(spec.encoding.x.field, 'trainId');
    assert.deepEqual([spec.encoding.y.type, spec.encoding.y.title], ['quantitative', 'delay [ps]']);
    assert.equal(plotBinner(delayBinner()).description, 'binner along trainId: 3 bins over 5 trainId values');
  });

  it('plotBinner: string labels of a pulse binner in order of first appearance', async () => {
    const spec: Spec = await plotBinner(pulseBinner(), { title: 'pattern' }).toSpec();
    assert.deepEqual(spec.data.values.map((r: Spec) => [r.pulse, r.label]), [0, 1, 2, 3, 4, 5, 6, 7].map((p) => [p, PATTERN[p % 4]]));
    assert.equal(spec.title, 'pattern');
    assert.equal(spec.mark.type, 'point');
    assert.deepEqual(spec.encoding.y, { field: 'label', type: 'nominal', title: 'bin', sort: ['pumped', 'intradark', 'unpumped'] });
    assert.throws(() => plotBinner(new DataArray([[1, 2]], { dims: ['trainId', 'pulse'] })), /plotBinner needs a 1-D binner DataArray \(over trainId or pulse\), got dims \(trainId, pulse\)/);
  });

  it('plotBinnerHist: trains or frames per bin; trains without a bin are counted apart', async () => {
    assert.deepEqual(binnerCounts(delayBinner()), { labels: [0.5, 1, 1.5], counts: [2, 1, 1], unassigned: 1 });
    const trains: Spec = await plotBinnerHist(delayBinner()).toSpec();
    assert.deepEqual(trains.data.values, [{ label: 0.5, count: 2 }, { label: 1, count: 1 }, { label: 1.5, count: 1 }]);
    assert.equal(trains.title, 'trains per bin along trainId (1 trains without a bin)');
    assert.equal(trains.mark.type, 'bar');
    assert.deepEqual([trains.encoding.x.type, trains.encoding.x.title, trains.encoding.y.title], ['quantitative', 'delay [ps]', 'trains']);
    const frames: Spec = await plotBinnerHist(pulseBinner()).toSpec();
    assert.deepEqual(frames.data.values, [{ label: 'pumped', count: 2 }, { label: 'intradark', count: 4 }, { label: 'unpumped', count: 2 }]);
    assert.deepEqual(frames.encoding.x.sort, ['pumped', 'intradark', 'unpumped']);
    assert.equal(frames.title, 'frames per bin along pulse');
    assert.equal(plotBinnerHist(pulseBinner()).description, '3 bins along pulse, 8 frames binned');
  });

  it('plotHistProcessed: one histogram per pulse label on shared bins', async () => {
    // (trainId 2, pulse 2, module 1, x 1, y 3): pumped values 0..5 shifted, unpumped all 3.
    const data = new DataArray(Float64Array.from([0, 1, 2, 3, 3, 3, 1, 2, 4, 3, 3, NaN]), {
      dims: ['trainId', 'pulse', 'module', 'x', 'y'], shape: [2, 2, 1, 1, 3], coords: { pulse: ['pumped', 'unpumped'] }, attrs: { units: 'ADU' },
    });
    const ds = new Dataset({ data });
    const spec: Spec = await plotHistProcessed(ds, { bins: 4 }).toSpec();
    const byLabel = (l: string) => spec.data.values.filter((r: Spec) => r.pulse === l).map((r: Spec) => [r.value, r.count]);
    // Range 0..4 over all finite values; bins [0,1) [1,2) [2,3) [3,4]; the closing point repeats the last count.
    assert.deepEqual(byLabel('pumped'), [[0, 1], [1, 2], [2, 2], [3, 1], [4, 1]]);
    assert.deepEqual(byLabel('unpumped'), [[0, 0], [1, 0], [2, 0], [3, 5], [4, 5]]);
    assert.deepEqual(spec.mark, { type: 'line', interpolate: 'step-after' });
    assert.deepEqual(spec.encoding.color.sort, ['pumped', 'unpumped']);
    assert.equal(spec.encoding.x.title, 'data [ADU]');
    assert.equal(plotHistProcessed(ds, { bins: 4 }).description, 'histogram of data [ADU] per pulse label (pumped: 6, unpumped: 5 values)');
    const log: Spec = await plotHistProcessed(data, { bins: 4, log: true, range: [0, 4] }).toSpec();
    assert.deepEqual(log.data.values.filter((r: Spec) => r.pulse === 'unpumped').map((r: Spec) => r.count), [null, null, null, 5, 5]);
    assert.deepEqual(log.encoding.y.scale, { type: 'log' });
    const noPulse: Spec = await plotHistProcessed(new DataArray([1, 2, Infinity], { dims: ['x'] }), { bins: 2 }).toSpec();
    assert.deepEqual(noPulse.data.values, [{ value: 1, count: 1, pulse: 'all' }, { value: 1.5, count: 1, pulse: 'all' }, { value: 2, count: 1, pulse: 'all' }]);
  });

  it('plotXgmThreshold: pulses kept and rejected, threshold lines, rejected fraction in the title', async () => {
    const xgm = new DataArray([[100, 900, 2000, NaN], [50, 500, 600, 700], [1500, 800, 1200, 20]], {
      dims: ['trainId', 'pulse'], coords: { trainId: TRAINS.slice(0, 3) }, name: 'SCS_SA3', attrs: { units: 'uJ' },
    });
    const plot = plotXgmThreshold(xgm, { threshold: [100, 1000] });
    const spec: Spec = await plot.toSpec();
    // Kept: lo < x < hi. Rejected: 100 (not above lo), 2000, NaN, 50, 1500, 1200, 20.
    assert.equal(spec.title, 'XGM threshold: 58.3% of 12 pulses rejected');
    const points = spec.layer[0].data.values;
    assert.deepEqual(points.filter((r: Spec) => r.kept === 'kept').map((r: Spec) => r.xgm), [900, 500, 600, 700, 800]);
    assert.deepEqual(points[3], { trainId: 1000, pulse: 3, xgm: null, kept: 'rejected' });
    assert.equal(spec.layer[0].encoding.y.title, 'SCS_SA3 [uJ]');
    assert.deepEqual(spec.layer[1].data.values, [{ y: 100 }, { y: 1000 }]);
    assert.equal(spec.layer[1].mark.type, 'rule');
    assert.equal(plot.description, 'XGM of 3 trains × 4 pulses, 7 rejected by (100, 1000)');
    // One bound only: one line; thinning keeps the fraction over all pulses.
    const thin: Spec = await plotXgmThreshold(xgm, { threshold: [100, null], maxPoints: 5 }).toSpec();
    assert.deepEqual(thin.layer[1].data.values, [{ y: 100 }]);
    assert.deepEqual(thin.layer[0].data.values.map((r: Spec) => r.trainId), [1000, 1000, 1000, 1000]);
    assert.equal(thin.title, 'XGM threshold: 33.3% of 12 pulses rejected');
    assert.throws(() => plotXgmThreshold(xgm, { threshold: [10, 5] }), /threshold \[10, 5\] keeps nothing/);
    assert.throws(() => plotXgmThreshold(new DataArray([1, 2], { dims: ['pulse'] })), /needs the XGM as a \(trainId, pulse\) DataArray, got dims \(pulse\)/);
  });

  it('the static SVG fallbacks render the marks', async function () {
    const xgm = new DataArray([[100, 900], [50, 500]], { dims: ['trainId', 'pulse'], coords: { trainId: TRAINS.slice(0, 2) } });
    const svgs = {
      binner: parseSvg(this, await plotBinner(delayBinner()).toSVG()),
      pattern: parseSvg(this, await plotBinner(pulseBinner()).toSVG()),
      hist: parseSvg(this, await plotBinnerHist(pulseBinner()).toSVG()),
      processed: parseSvg(this, await plotHistProcessed(new DataArray([1, 2, 3, 4], { dims: ['pulse', 'x'], shape: [2, 2], coords: { pulse: ['a', 'b'] } }), { bins: 2 }).toSVG()),
      xgm: parseSvg(this, await plotXgmThreshold(xgm, { threshold: [60, 1000] }).toSVG()),
    };
    for (const s of Object.values(svgs)) assert.equal(s.tag, 'svg');
    // role-mark: one group per drawn mark layer (axes, legends and titles have other roles).
    assert.deepEqual([svgs.binner.counts['role-mark'], svgs.binner.counts['mark-line']], [2, 1]);
    assert.deepEqual([svgs.pattern.counts['role-mark'], svgs.pattern.counts['mark-symbol']], [1, 1]);
    assert.deepEqual([svgs.hist.counts['role-mark'], svgs.hist.counts['mark-rect']], [1, 1]);
    // One line per pulse label, with a legend.
    assert.deepEqual([svgs.processed.counts['mark-line'], svgs.processed.counts['role-legend']], [2, 1]);
    // The points and the threshold rules, with the kept/rejected legend.
    assert.deepEqual([svgs.xgm.counts['role-mark'], svgs.xgm.counts['role-legend']], [2, 1]);
    assert.ok(svgs.hist.paths >= 3);
  });
});
