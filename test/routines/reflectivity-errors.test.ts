/**
 * reflectivity() on bad input: each case a ToolBoxError of the documented
 * class whose message names the culprit (docs/routines.md, Reflectivity).
 */
import assert from 'node:assert/strict';
import { DataArray, Dataset, FitError, OptionsError, ParameterError, ToolBoxValueError, VariableNameError, reflectivity } from '../../toolbox/index.js';

function data(trains: number, pulses: number, opts: { io?: (i: number) => number; delay?: (t: number) => number } = {}): Dataset {
  const n = trains * pulses;
  const io = Float64Array.from({ length: n }, (_, i) => (opts.io ? opts.io(i) : 1000 + (i % 7)));
  const ir = Float64Array.from({ length: n }, (_, i) => 500 + ((3 * i) % 5));
  const delay = Float64Array.from({ length: trains }, (_, t) => (opts.delay ? opts.delay(t) : 10 + 0.01 * t));
  return new Dataset({
    FastADC5peaks: new DataArray(io, { dims: ['trainId', 'ol_pId'], shape: [trains, pulses] }),
    FastADC3peaks: new DataArray(ir, { dims: ['trainId', 'ol_pId'], shape: [trains, pulses] }),
    PP800_DelayLine: new DataArray(delay, { dims: ['trainId'] }),
  }, { coords: { trainId: new DataArray(BigUint64Array.from({ length: trains }, (_, t) => BigInt(2000 + t)), { dims: ['trainId'] }) } });
}

const throwsLike = (f: () => unknown, cls: new (...a: never[]) => Error, ...parts: string[]) => assert.throws(f, (e: Error) => {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.constructor.name}: ${e.message}`);
  for (const p of parts) assert.ok(e.message.includes(p), `message lacks '${p}': ${e.message}`);
  return true;
});

describe('reflectivity on bad input', () => {
  const ok = data(40, 4);
  it('a missing key names it and lists what the dataset has', () => {
    throwsLike(() => reflectivity(ok, { iokey: 'FastADC2peaks', plot: false }), VariableNameError,
      "iokey 'FastADC2peaks' is not in the dataset; it has FastADC5peaks, FastADC3peaks, PP800_DelayLine, trainId");
    throwsLike(() => reflectivity(ok, { delaykey: 'delay', plot: false }), VariableNameError, "delaykey 'delay'");
  });
  it('Io and Ir with different dims', () => {
    const bad = ok.assign({ FastADC3peaks: ok.get('FastADC3peaks').rename({ ol_pId: 'sa3_pId' }) });
    throwsLike(() => reflectivity(bad, { plot: false }), ToolBoxValueError, 'FastADC5peaks has dims (trainId, ol_pId) but FastADC3peaks has (trainId, sa3_pId); they must share dimensions');
  });
  it('a bin width of zero, negative or wider than the delay range', () => {
    throwsLike(() => reflectivity(ok, { binWidth: 0, plot: false }), ParameterError, 'binWidth must be a positive number, got 0');
    throwsLike(() => reflectivity(ok, { binWidth: -0.1, plot: false }), ParameterError, 'got -0.1');
    throwsLike(() => reflectivity(ok, { binWidth: 1, plot: false }), ParameterError, 'binWidth 1 is wider than the range of PP800_DelayLine');
  });
  it('an all-NaN signal', () => {
    throwsLike(() => reflectivity(data(10, 4, { io: () => NaN }), { plot: false }), ToolBoxValueError, 'no finite ΔR', 'for all 20 samples');
  });
  it('alternateTrains with a single train, or without a pumped train followed by an unpumped one', () => {
    throwsLike(() => reflectivity(data(1, 4), { alternateTrains: true, plot: false }), ParameterError, 'alternateTrains needs pumped and unpumped trains, but the data have 1 train');
    const odd = data(2, 4).assignCoords({ trainId: BigUint64Array.of(2001n, 2003n) });
    throwsLike(() => reflectivity(odd, { alternateTrains: true, plot: false }), ParameterError, 'found no even (pumped) train followed by an unpumped one among 2 trains');
  });
  it('alternating pulses without a pulse dimension, and two schemes at once', () => {
    const perTrain = new Dataset({ FastADC5peaks: ok.get('FastADC5peaks').isel({ ol_pId: 0 }), FastADC3peaks: ok.get('FastADC3peaks').isel({ ol_pId: 0 }), PP800_DelayLine: ok.get('PP800_DelayLine') });
    throwsLike(() => reflectivity(perTrain, { plot: false }), ParameterError, 'alternating pulses need at least two pulses per train', 'use alternateTrains or pumpedOnly');
    throwsLike(() => reflectivity(ok, { pumpedOnly: true, alternateTrains: true, plot: false }), ParameterError, 'pumpedOnly and alternateTrains exclude each other');
  });
  it('bad units, fit and p0 values and unknown options', () => {
    throwsLike(() => reflectivity(ok, { units: 'fs' as 'ps', plot: false }), ParameterError, "units must be 'mm' or 'ps', got \"fs\"");
    throwsLike(() => reflectivity(ok, { fit: 'gauss' as 'step', plot: false }), ParameterError, "fit must be true, false, 'doubleExponential' or 'step'");
    throwsLike(() => reflectivity(ok, { fit: 'step', p0: [1, 2], plot: false, binWidth: 0.01 }), ToolBoxValueError, 'p0 for the step fit needs 4 values (t0, sigma, a, c), got 2');
    throwsLike(() => reflectivity(ok, { Iokey: 'x', plot: false } as never), OptionsError, 'Iokey');
  });
  it('more fit parameters than bins', () => {
    throwsLike(() => reflectivity(data(5, 2), { fit: true, plot: false, binWidth: 0.01 }), ToolBoxValueError, 'the doubleExponential fit has 7 parameters but only 5 delay bins');
  });
  it('a fit that cannot proceed is a FitError with the last parameters', () => {
    const p0 = [10.1, 0, 1, 0];
    assert.throws(() => reflectivity(ok, { fit: 'step', p0, plot: false, binWidth: 0.01 }), (e: Error) => {
      assert.ok(e instanceof FitError, e.message);
      assert.equal(e.model, 'reflectivity step');
      assert.deepEqual(e.lastParameters, p0);
      return true;
    });
  });
});
