/**
 * knife-edge bad input: keys missing from the dataset, too few points, an
 * all-NaN signal, an axisRange with no point, a bad p0, a fit that does not
 * converge, unknown options.
 */
import assert from 'node:assert/strict';
import { DataArray, Dataset, FitError, OptionsError, VariableNameError, knifeEdge, knifeEdgeBase } from '../../toolbox/index.js';
import { erfc } from '../../toolbox/routines/fit/special.js';

const xs = Array.from({ length: 21 }, (_, i) => 4.5 + i * 0.05);
const ys = xs.map((x) => 100 * erfc((Math.SQRT2 * (x - 5)) / 0.2) + 3 + 0.5 * Math.sin(37 * x));

function dataset(): Dataset {
  const trainId = BigUint64Array.from(xs, (_, i) => BigInt(1000 + i));
  return new Dataset({
    scannerX: new DataArray(Float64Array.from(xs), { dims: ['trainId'], coords: { trainId } }),
    FastADC4peaks: new DataArray(Float64Array.from(ys.flatMap((y) => [y, y + 1])), { dims: ['trainId', 'sa3_pId'], shape: [xs.length, 2], coords: { trainId, sa3_pId: [200, 204] } }),
  });
}

describe('knife-edge bad input', () => {
  it('a missing axisKey or signalKey names the key and lists what the dataset has', () => {
    const ds = dataset();
    assert.throws(() => knifeEdge(ds, { axisKey: 'scannerY' }), (e: unknown) => {
      assert.ok(e instanceof VariableNameError);
      assert.match(e.message, /^knifeEdge: axisKey 'scannerY' is not in the dataset: .*Did you mean 'scannerX'\?.*Data variables: scannerX, FastADC4peaks/);
      assert.equal(e.variable, 'scannerY');
      assert.ok(e.available.includes('FastADC4peaks'));
      return true;
    });
    assert.doesNotThrow(() => knifeEdge(ds)); // the default keys are there
    assert.throws(() => knifeEdge(ds, { signalKey: 'FastADC5peaks' }), /^VariableNameError: knifeEdge: signalKey 'FastADC5peaks' is not in the dataset/);
  });

  it('fewer points than the 4 parameters', () => {
    assert.throws(() => knifeEdgeBase([1, 2, 3], [3, 2, 1]), /3 point\(s\) left to fit but the knife-edge model has 4 parameters \(x0, w0, a, b\)/);
    assert.throws(() => knifeEdgeBase(xs, ys, { axisRange: [4.5, 4.6] }), /3 point\(s\) left to fit/);
  });

  it('an all-NaN signal', () => {
    assert.throws(() => knifeEdgeBase(xs, xs.map(() => NaN)), /the signal is NaN everywhere \(21 values\), nothing to fit/);
  });

  it('an axisRange with no point names the range and the positions', () => {
    assert.throws(() => knifeEdgeBase(xs, ys, { axisRange: [7, 8] }), /axisRange \[7, 8\] keeps no point; the positions span \[4.5, 5.5\]/);
  });

  it('empty input and a bad p0', () => {
    assert.throws(() => knifeEdgeBase([], []), /no data points/);
    assert.throws(() => knifeEdgeBase(xs, ys, { p0: [5, 0.2, 100] }), /p0 must be 4 finite numbers \(x0, w0, a, b\), got \[5, 0.2, 100\]/);
    assert.throws(() => knifeEdgeBase(xs, ys, { p0: [5, 0, 100, 0] }), /p0's w0 must not be 0/);
  });

  it('a fit that does not converge is a FitError with the last parameters', () => {
    // a starting amplitude that overflows the model: no step can be taken (scipy: "Residuals are not finite")
    assert.throws(() => knifeEdgeBase(xs, ys, { p0: [5, 0.2, 1e308, 1e308] }), (e: unknown) => {
      assert.ok(e instanceof FitError, String(e));
      assert.deepEqual(e.lastParameters, [5, 0.2, 1e308, 1e308]);
      assert.equal(e.model, 'knife-edge erfc');
      assert.match(e.message, /not finite at the starting parameters/);
      return true;
    });
  });

  it('a degenerate fit (w0 collapsing to a step) is returned with infinite errors and a warning, as scipy does', async () => {
    const step = xs.map((x) => (x < 5.01 ? 1 : 0));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const fit = knifeEdgeBase(xs, step, { p0: [5.01, 1e-12, 0.5, 0] });
      assert.equal(fit.w0Std, Infinity);
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => /covariance of the parameters cannot be estimated/.test(w)), warnings.join('; '));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('unknown options are named', () => {
    assert.throws(() => knifeEdgeBase(xs, ys, { range: [1, 2] } as never), OptionsError);
    assert.throws(() => knifeEdge(dataset(), { axis_key: 'scannerX' } as never), OptionsError);
  });

  it('a signal without the positions\' dim', () => {
    const ds = dataset().assign({ other: new DataArray(new Float64Array(3), { dims: ['x'] }) });
    assert.throws(() => knifeEdge(ds, { signalKey: 'other' }), /'other' has dims \(x\), without the positions' dim 'trainId'/);
  });
});
