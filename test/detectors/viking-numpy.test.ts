/**
 * Viking against a direct numpy implementation of the documented algorithms
 * (docs/viking.md, Algorithms) on the same frames: Python reads the camera
 * images with h5py from the run files, cuts Y_RANGE × X_RANGE, subtracts
 * the mean dark, averages the rows and scales by photoelectrons per count
 * (integrate), fits numpy.polyfit baselines outside BL_SIGNAL_RANGE
 * (removePolyBaseline), computes I0, It and −ln(It/I0)/thickness with
 * their std and standard errors (xas), and fits the calibration peaks with
 * scipy.optimize.curve_fit from the same starting point before
 * numpy.polyfit of degree 2 (calibrate).
 */
import assert from 'node:assert/strict';
import { type Dataset, Viking, slice } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { PROPOSAL, type VikingFixture, nums, vikingFixture } from './viking-fixture.js';

const NUMPY = String.raw`
import h5py, glob, os
from scipy.optimize import curve_fit
a = json.loads(sys.argv[1])
CAM = 'INSTRUMENT/SCS_EXP_NEWTON/CAM/CAMERA:daqOutput/data/image/pixels'
MONO = 'CONTROL/SA3_XTD10_MONO/MDL/PHOTON_ENERGY/actualEnergy/value'
def read(run, path):
    f = glob.glob(os.path.join(a['raw'], 'r%04d' % run, '*.h5'))[0]
    with h5py.File(f, 'r') as h:
        return h[path][()]
def frames(run, ys, xs):
    return read(run, CAM)[:, ys[0]:ys[1], xs[0]:xs[1]].astype(float)
ys, xs = a['y'], a['x']
dark = frames(a['dark'], ys, xs).mean(axis=0)
def spectrum(run, epc, d=dark, y=ys, x=xs):
    return (frames(run, y, x) - d).mean(axis=1) * epc
x = np.polyval(a['calib'], np.arange(xs[0], xs[1]))
def nobl(s):
    mask = np.ones(x.shape, bool)
    for lo, hi in a['ranges']:
        mask &= (x < lo) | (x > hi)
    fit = np.polyfit(x[mask], s[:, mask].T, a['deg'])
    return s - np.array([np.polyval(fit[:, t], x) for t in range(s.shape[0])])
ref, smp = spectrum(a['ref'], a['epc']), spectrum(a['sample'], a['epc'])
ref_nobl, smp_nobl = nobl(ref), nobl(smp)
def stats(s):
    m, sd = s.mean(axis=0), s.std(axis=0)
    return m, sd, sd / np.sqrt(s.shape[0])
I0, I0s, I0e = stats(ref_nobl)
It, Its, Ite = stats(smp_nobl)
d = a['thickness']
mu = -np.log(It / I0) / d
mus = np.sqrt((I0s / I0)**2 + (Its / It)**2) / d
mue = np.sqrt((I0e / I0)**2 + (Ite / It)**2) / d
# calibration: the same ROI and dark, absolute pixel indices as x
px = np.arange(xs[0], xs[1]).astype(float)
def gauss(x, amp, x0, s, c):
    return amp * np.exp(-(x - x0)**2 / (2 * s * s)) + c
centres, energies = [], []
for run in a['calibration']:
    y = spectrum(run, 1).mean(axis=0)
    med = np.median(y)
    i = int(np.argmax(y))
    h = y[i] - med
    above = int(np.sum(y - med > h / 2))
    p0 = [h, px[i], max(1.0, above / 2.3548), med]
    popt, pcov = curve_fit(gauss, px, y, p0=p0)
    centres.append(popt[1])
    energies.append(float(np.mean(read(run, MONO))))
coef = np.polyfit(centres, energies, 2)
L = lambda v: [x if math.isfinite(x) else repr(x) for x in np.asarray(v, dtype=float).ravel().tolist()]
emit(dict(x=L(x), ref=L(ref), smp=L(smp), ref_nobl=L(ref_nobl), smp_nobl=L(smp_nobl), I0=L(I0), I0_std=L(I0s), I0_stderr=L(I0e),
          It=L(It), It_std=L(Its), It_stderr=L(Ite), mu=L(mu), mu_std=L(mus), mu_stderr=L(mue), centres=centres, energies=energies, coef=L(coef)))
`;

interface Numpy { [k: string]: (number | string)[] }

/** numpy's values ('nan', 'inf' as strings) as numbers. */
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v.replace('inf', 'Infinity')));

/** Equal within tol × the largest finite |value|, non-finite values in the same places. */
function close(got: ArrayLike<number>, wantIn: (number | string)[], tol: number, what: string): void {
  const want = wantIn.map(num);
  assert.equal(got.length, want.length, `${what}: length`);
  const scale = Math.max(...want.filter(Number.isFinite).map(Math.abs));
  for (let i = 0; i < want.length; i++) {
    if (!Number.isFinite(want[i])) assert.ok(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} vs numpy ${want[i]}`);
    else assert.ok(Math.abs(got[i] - want[i]) <= tol * scale, `${what}[${i}]: ${got[i]} vs numpy ${want[i]}`);
  }
}

describe('Viking equals numpy on the same frames', function () {
  this.timeout(180_000);
  let fx: VikingFixture;
  let py: Numpy;
  let v: Viking;
  let ref: Dataset, smp: Dataset, xas: Dataset;
  const RANGES = [[515, 539], [539.5, 562]];

  before(async function () {
    await requirePython(this);
    fx = await vikingFixture('scs-viking-numpy-');
    v = new Viking(PROPOSAL);
    v.setParams({ X_RANGE: slice(20, 500), Y_RANGE: slice(2, 14), ENERGY_CALIB: fx.truth.model.energyCalib, BL_POLY_DEG: 2, BL_SIGNAL_RANGE: RANGES });
    await v.loadDark(fx.truth.runs.dark);
    ref = v.removePolyBaseline(v.integrate(await v.fromRun(fx.truth.runs.reference)));
    smp = v.removePolyBaseline(v.integrate(await v.fromRun(fx.truth.runs.sample)));
    xas = v.xas(smp, ref, { thickness: 0.5 });
    py = await runPython<Numpy>(NUMPY, [JSON.stringify({
      raw: fx.raw, y: [2, 14], x: [20, 500], dark: 1, ref: 2, sample: 3, calibration: fx.truth.runs.calibration, calib: fx.truth.model.energyCalib,
      epc: 2.05, deg: 2, ranges: RANGES, thickness: 0.5,
    })]);
  });
  after(() => fx?.restore());

  const vals = (ds: Dataset, name: string) => Float64Array.from(ds.get(name).values as ArrayLike<number>);

  it('newt_x is numpy.polyval(ENERGY_CALIB) of the absolute pixel index', () => {
    close(vals(ref, 'newt_x'), py.x, 1e-15, 'newt_x');
    assert.deepEqual(ref.get('newton').shape, [30, 12, 480]);
  });

  it('integrate: (frames − mean dark).mean(newt_y) × photoelectrons per count', () => {
    close(vals(ref, 'spectrum'), py.ref, 1e-13, 'reference spectrum');
    close(vals(smp, 'spectrum'), py.smp, 1e-13, 'sample spectrum');
  });

  it('removePolyBaseline: numpy.polyfit outside both signal ranges, per train', () => {
    close(vals(ref, 'spectrum_nobl'), py.ref_nobl, 1e-9, 'reference spectrum_nobl');
    close(vals(smp, 'spectrum_nobl'), py.smp_nobl, 1e-9, 'sample spectrum_nobl');
  });

  it('xas: I0, It, absorptionCoef with std and standard errors', () => {
    for (const k of ['I0', 'I0_std', 'I0_stderr', 'It', 'It_std', 'It_stderr']) close(vals(xas, k), py[k], 1e-9, k);
    close(vals(xas, 'absorptionCoef'), py.mu, 1e-7, 'absorptionCoef');
    close(vals(xas, 'absorptionCoef_std'), py.mu_std, 1e-7, 'absorptionCoef_std');
    close(vals(xas, 'absorptionCoef_stderr'), py.mu_stderr, 1e-7, 'absorptionCoef_stderr');
  });

  it('calibrate: the Gaussian centres of scipy curve_fit and numpy.polyfit of degree 2', async () => {
    const peaks = (await v.calibrationPeaks(fx.truth.runs.calibration)).peaks;
    close(peaks.map((p) => p.centre), py.centres, 1e-9, 'peak centres');
    assert.deepEqual(peaks.map((p) => p.energy), py.energies.map(num));
    const coef = await v.calibrate(fx.truth.runs.calibration, { plot: false });
    const want = py.coef.map(num);
    coef.forEach((c, i) => assert.ok(Math.abs(c - want[i]) <= 1e-8 * Math.abs(want[i]), `coefficient ${i}: ${c} vs numpy ${want[i]}`));
    assert.deepEqual(nums(v.ENERGY_CALIB), fx.truth.model.energyCalib, 'calibrate leaves ENERGY_CALIB as it was');
  });
});

