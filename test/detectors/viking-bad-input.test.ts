/**
 * Viking's bad input: a run without the camera (the error lists what the
 * run has), ranges outside the frame, a dark of another shape, calibration
 * runs without a peak (naming the run and the numbers), and bad settings.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OptionsError, ParameterError, SourceNameError, ToolBoxValueError, Viking, openRun, slice } from '../../toolbox/index.js';
import { writeRoutineRun } from '../../toolbox/synthetic/run/routine-runs.js';
import { writeVikingRun } from '../../toolbox/synthetic/run/viking-run.js';
import { PROPOSAL, type VikingFixture, vikingFixture } from './viking-fixture.js';

describe('Viking bad input', function () {
  this.timeout(120_000);
  let fx: VikingFixture;

  before(async () => {
    fx = await vikingFixture('scs-viking-bad-', { calibrationEnergies: [510, 540, 570] });
    // run 30: an XAS run without the Viking; run 16: a calibration run where the mono missed the spectrometer
    await writeRoutineRun('xas', join(fx.raw, 'r0030'), { proposal: PROPOSAL, run: 30, trains: 8, scanPoints: 2 });
    await writeVikingRun('calibration', join(fx.raw, 'r0016'), { proposal: PROPOSAL, run: 16, trains: 10, model: fx.truth.model, monoEnergy: 540, peak: false });
  });
  after(() => fx?.restore());

  it('a run without the camera: SourceNameError naming the run and listing its sources', async () => {
    const v = new Viking(PROPOSAL);
    await assert.rejects(v.fromRun(30), (e: unknown) => {
      assert.ok(e instanceof SourceNameError);
      assert.match(e.message, /^Viking\.fromRun: run 30 of proposal 2953 has no Newton camera \(SCS_EXP_NEWTON\/CAM\/CAMERA:daqOutput\); the run has: .*SCS_BLU_XGM\/XGM\/DOOCS:output/);
      assert.ok(e.available.includes('SA3_XTD10_MONO/MDL/PHOTON_ENERGY'));
      return true;
    });
    const run = await openRun(PROPOSAL, 30);
    assert.throws(() => v.getCameraParams(run), /^SourceNameError: getCameraGain: run 30 of proposal 2953 has no Viking camera \(SCS_EXP_NEWTON\/CAM\/CAMERA\); its sources are: /);
    run.close();
  });

  it('ranges outside the frame, empty or strided: ParameterError with the range and the frame size', async () => {
    const v = new Viking(PROPOSAL);
    v.X_RANGE = slice(0, 600);
    await assert.rejects(v.fromRun(2), (e: unknown) => e instanceof ParameterError && e.parameter === 'X_RANGE' &&
      /^Viking: X_RANGE slice\(0, 600, None\) is outside the frame: newt_x has 512 pixels \(0 to 511\)/.test(e.message));
    v.X_RANGE = slice(null, null);
    v.Y_RANGE = slice(20, 30);
    await assert.rejects(v.fromRun(2), /Y_RANGE slice\(20, 30, None\) is outside the frame: newt_y has 16 pixels \(0 to 15\)/);
    v.Y_RANGE = slice(5, 5);
    await assert.rejects(v.fromRun(2), /Y_RANGE slice\(5, 5, None\) selects no pixel of newt_y \(16 pixels\)/);
    v.Y_RANGE = slice(0, 16, 2);
    await assert.rejects(v.fromRun(2), /the step must be 1/);
    v.setParams({ y_range: [0, 4] as never });
    await assert.rejects(v.fromRun(2), /Y_RANGE must be a slice \(tb\.slice\(start, stop\)\), got \[0,4\]/);
  });

  it('a dark of another shape: integrate names both shapes and the dark run', async () => {
    const v = new Viking(PROPOSAL);
    v.X_RANGE = slice(0, 256);
    await v.loadDark(1);
    assert.equal(v.USE_DARK, true);
    v.X_RANGE = slice(0, 512);
    const data = await v.fromRun(2);
    assert.throws(() => v.integrate(data), /^ToolBoxValueError: integrate: the dark image \(run 1\) is 16 × 256 \(newt_y × newt_x\) but the frames are 16 × 512: load the dark with the same X_RANGE and Y_RANGE/);
    await v.loadDark();
    assert.equal(v.USE_DARK, false);
    assert.deepEqual(v.integrate(data).get('spectrum').shape, [30, 512]);
  });

  it('a calibration run without a peak: the run, its mono energy and the numbers', async () => {
    const v = new Viking(PROPOSAL);
    await v.loadDark(1);
    await assert.rejects(v.calibrate([...fx.truth.runs.calibration.slice(0, 2), 16], { plot: false }), (e: unknown) => {
      assert.ok(e instanceof ToolBoxValueError);
      assert.match(e.message, /^calibrate: run 16 \(mono 540\.00 eV\) shows no peak: its mean spectrum's maximum is [0-9.e+-]+ above the median, less than 5 × the noise \(1\.4826·MAD = [0-9.e+-]+\)$/);
      return true;
    });
    await assert.rejects(v.calibrate([11, 12], { plot: false }), /calibrate: a 2nd-degree polynomial needs 3 or more runs, got \[11,12\]/);
  });

  it('bad settings and options: unknown names, a baseline range that leaves too few points, missing spectra', async () => {
    const v = new Viking(PROPOSAL);
    assert.throws(() => v.setParams({ X_RANG: slice(0, 5) } as never), (e: unknown) => e instanceof OptionsError && /X_RANG/.test(e.message));
    assert.throws(() => v.getParams('x_rang'), /Viking\.getParams: unknown parameter 'x_rang'/);
    assert.deepEqual(Object.keys(v.getParams()), ['proposal', 'x_range', 'y_range', 'use_dark', 'energy_calib', 'fields', 'bl_poly_deg', 'bl_signal_range']);
    await assert.rejects(v.fromRun(2, { add_attrs: false } as never), OptionsError);
    const data = v.integrate(await v.fromRun(2, { addAttrs: false }));
    assert.equal(data.get('spectrum').attrs.units, 'counts');
    v.BL_SIGNAL_RANGE = [-1, 1000];
    assert.throws(() => v.removePolyBaseline(data), /BL_SIGNAL_RANGE \[-1,1000\] leaves 0 of 512 newt_x points \(0 to 511\) for the baseline; a degree-1 polynomial needs 2/);
    v.BL_SIGNAL_RANGE = [5, 1];
    assert.throws(() => v.removePolyBaseline(data), /BL_SIGNAL_RANGE must be \[min, max\] or \[\[min1, max1\], \.\.\.\] with min <= max; entry 0 is \[5,1\]/);
    const raw = await v.fromRun(3, { addAttrs: false });
    assert.throws(() => v.removePolyBaseline(raw), /removePolyBaseline: the data has no 'spectrum' \(run integrate first\)/);
    assert.throws(() => v.xas(raw, data), /xas: data has no 'spectrum'/);
    assert.throws(() => v.xas(data, data, { thickness: 0 }), /xas: thickness must be a positive number, got 0/);
    assert.throws(() => new Viking(-3), /the proposal must be a positive integer, got -3/);
  });
});
