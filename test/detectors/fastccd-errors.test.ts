/**
 * FastCCD bad input: a run without the camera (the sources it has are
 * listed), no corrected data for raw: false, gain maps and masks of another
 * shape, scan variables the run lacks, bad bins, wavelengths, filters and
 * options: ToolBoxErrors whose messages name what was wrong.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FastCCD, OptionsError, ParameterError, SourceNameError, ToolBoxPathError, ToolBoxValueError } from '../../toolbox/index.js';
import { writeNpy } from '../../toolbox/detectors/fccd/npy.js';
import { PROPOSAL, useFccdProposal } from './fastccd-fixture.js';

describe('FastCCD bad input', function () {
  this.timeout(60_000);
  const fx = useFccdProposal({ 1: { camera: false, trains: 8, shape: [16, 12] }, 2: { trains: 8, shape: [16, 12] } });
  const f = () => new FastCCD(PROPOSAL, { raw: true, dataRoot: fx.root });
  let wrong: string;
  before(async () => {
    wrong = join(fx.root, 'wrong.npy');
    await writeNpy(wrong, new Float64Array(100).fill(1), [10, 10]);
  });

  it('a run without the camera: SourceNameError listing its instrument sources', async () => {
    await assert.rejects(f().openRun(1), (e: Error) => e instanceof SourceNameError && e.message ===
      'run 1 has no FastCCD in its raw data: source SCS_CDIDET_FCCD2M/DAQ/FCCD:daqOutput is absent; its instrument sources are: ' +
      'SCS_BLU_XGM/XGM/DOOCS:output, SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern');
  });

  it('raw: false on a run without corrected frames names the proc folder and the way out', async () => {
    await assert.rejects(new FastCCD(PROPOSAL, { dataRoot: fx.root }).openRun(2), (e: Error) => e instanceof ToolBoxPathError &&
      /^FastCCD\(raw: false\) bins corrected frames, but run 2 of proposal 2830 has none: run 2 of proposal 2830 has no proc data: .*proc\/r0002 does not exist; use FastCCD\(2830, \{raw: true\}\) for the raw frames$/.test(e.message));
  });

  it('a gain map or mask of another shape, before or after openRun', async () => {
    const a = f();
    await a.openRun(2);
    await assert.rejects(a.loadGain(wrong), (e: Error) => e instanceof ToolBoxValueError && e.message === `gain map ${wrong} has shape [10, 10] but the FastCCD frames of run 2 are [16, 12]`);
    await assert.rejects(a.loadMask(wrong), (e: Error) => e instanceof ToolBoxValueError && e.message === `mask ${wrong} has shape [10, 10] but the FastCCD frames of run 2 are [16, 12]`);
    const b = f();
    await b.loadMask(wrong, { plot: false });
    await assert.rejects(b.openRun(2), new RegExp(`^ToolBoxValueError: mask ${wrong} has shape \\[10, 10\\] but the FastCCD frames of run 2 are \\[16, 12\\]$`));
    await assert.rejects(a.loadGain(join(fx.root, 'missing.npy')), /cannot read .*missing\.npy: ENOENT/);
    await writeNpy(join(fx.root, 'one.npy'), [1, 2, 3], [3]);
    await assert.rejects(a.loadGain(join(fx.root, 'one.npy')), /gain map .*one\.npy has shape \[3\]; a FastCCD gain map is 2-D \[rows, columns\]/);
  });

  it('a scan variable the run lacks, as a mnemonic or {source, key}', async () => {
    const a = f();
    await a.openRun(2);
    await assert.rejects(a.defineScan('nrj', 0.1), (e: Error) => e instanceof ToolBoxValueError && /^defineScan: run 2 has no scan variable 'nrj': /.test(e.message));
    await assert.rejects(a.defineScan({ source: 'SCS_NOPE/MOTOR/X', key: 'actualPosition.value' }, 0.1),
      /^ToolBoxValueError: defineScan: run 2 has no scan variable \{source: 'SCS_NOPE\/MOTOR\/X', key: 'actualPosition.value'\}: /);
    await assert.rejects(a.defineScan('PP800_DelayLine', 0), (e: Error) => e instanceof ParameterError && /bins must be a step size > 0, got 0/.test(e.message));
    await a.defineScan({ source: 'SCS_ILH_LAS/MOTOR/LT3', key: 'AActualPosition.value' }, 0.05);
    assert.equal(a.scanVname, 'SCS_ILH_LAS/MOTOR/LT3/AActualPosition.value');
  });

  it('methods before their prerequisites, wavelengths in nm, inverted XGM windows, unknown options', async () => {
    const a = f();
    await assert.rejects(a.defineScan('PP800_DelayLine', 1), /no run is open; call openRun\(runNr\) first/);
    assert.throws(() => a.azimuthalInt(1.59e-9), /no binned data; call loadBinned\(\) first/);
    await a.openRun(2);
    assert.throws(() => a.xgmFilter({ xgmLow: 900, xgmHigh: 100 }), /xgmFilter: xgmLow 900 is above xgmHigh 100/);
    await assert.rejects(a.save(), /nothing binned yet; call binning\(\) first/);
    await a.binning({ nJobs: 1, progress: false });
    await a.save({ saveFolder: fx.out });
    await a.loadBinned(2, { saveFolder: fx.out });
    assert.throws(() => a.azimuthalInt(1.59), (e: Error) => e instanceof ParameterError && /wl is the photon wavelength in metres \(e\.g\. 1\.59e-9 at 780 eV\), got 1\.59/.test(e.message));
    assert.throws(() => a.azimuthalInt(1.59e-9, { center: [40, 3], useMask: false }), /center \[40,3\] is outside the image of shape \[16, 12\]/);
    assert.throws(() => a.xgmFilter({ xgm_low: 1 } as never), OptionsError);
    assert.throws(() => new FastCCD(PROPOSAL, { distance: -1 }), /distance is the sample–detector distance in metres \(> 0\), got -1/);
    await assert.rejects(a.binning({ nJobs: 0 }), /nJobs must be a positive integer, got 0/);
  });
});
