/**
 * curveFit against scipy.optimize.curve_fit (Debian's scipy through
 * /usr/bin/python3): the test writes seeded noisy data for each model, a
 * Python script fits the same data from the same p0, and popt must agree to
 * 1e-4 relative, the standard errors √diag(pcov) to 1e-3.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FitError, ParameterError, ToolBoxValueError, curveFit } from '../../toolbox/index.js';
import type { CurveFitOptions, CurveFitResult, Model, ModelGradient } from '../../toolbox/index.js';
import { erf, erfc } from '../../toolbox/routines/fit/special.js';
import { Random } from '../../toolbox/synthetic/random.js';
import { requirePython, runPython } from '../helpers/python.js';

const SQRT2 = Math.SQRT2;

const knifeErfc: Model = (x, p) => p[0] * erfc((SQRT2 * (x - p[1])) / p[2]) + p[3];
const knifeErfcGradient: ModelGradient = (x, p, out) => {
  const u = (SQRT2 * (x - p[1])) / p[2];
  const g = (-2 / Math.sqrt(Math.PI)) * Math.exp(-u * u) * p[0]; // ∂/∂u of a·erfc(u)
  out[0] = erfc(u);
  out[1] = (g * -SQRT2) / p[2];
  out[2] = (g * -u) / p[2];
  out[3] = 1;
};
const knifeErf: Model = (x, p) => p[0] * erf((SQRT2 * (x - p[1])) / p[2]) + p[3];
const gaussian: Model = (x, p) => p[0] * Math.exp(-((x - p[1]) ** 2) / (2 * p[2] ** 2)) + p[3];
const expDecay: Model = (x, p) => p[0] * Math.exp(-x / p[1]) + p[2];
const doubleExp: Model = (x, p) => p[0] * Math.exp(-x / p[1]) + p[2] * Math.exp(-x / p[3]) + p[4];
const line: Model = (x, p) => p[0] + p[1] * x;
/** A step at t0 times A·e^{−(t−t0)/τ}, convolved with a Gaussian of standard deviation s. */
const smoothedDecay = (t: number, t0: number, a: number, tau: number, s: number): number =>
  (a / 2) * Math.exp(-(t - t0) / tau + (s * s) / (2 * tau * tau)) * erfc((s * s / tau - (t - t0)) / (SQRT2 * s));
const doubleExpConvolved: Model = (t, p) => smoothedDecay(t, p[0], p[1], p[2], p[5]) + smoothedDecay(t, p[0], p[3], p[4], p[5]) + p[6];

const PY_SMOOTHED = '(lambda t, t0, a, tau, s: a / 2 * np.exp(-(t - t0) / tau + s * s / (2 * tau * tau)) * erfc((s * s / tau - (t - t0)) / (np.sqrt(2) * s)))';
const PY = {
  knifeErfc: 'p[0] * erfc(np.sqrt(2) * (x - p[1]) / p[2]) + p[3]',
  knifeErf: 'p[0] * erf(np.sqrt(2) * (x - p[1]) / p[2]) + p[3]',
  gaussian: 'p[0] * np.exp(-(x - p[1]) ** 2 / (2 * p[2] ** 2)) + p[3]',
  expDecay: 'p[0] * np.exp(-x / p[1]) + p[2]',
  doubleExp: 'p[0] * np.exp(-x / p[1]) + p[2] * np.exp(-x / p[3]) + p[4]',
  line: 'p[0] + p[1] * x',
  doubleExpConvolved: `${PY_SMOOTHED}(x, p[0], p[1], p[2], p[5]) + ${PY_SMOOTHED}(x, p[0], p[3], p[4], p[5]) + p[6]`,
};

interface Case {
  name: string;
  model: Model;
  py: string;
  x: number[];
  y: number[];
  options: CurveFitOptions;
}

const grid = (from: number, to: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

function noisy(rng: Random, model: Model, truth: number[], x: number[], noise: (i: number) => number): number[] {
  return x.map((v, i) => model(v, truth) + noise(i) * rng.normal());
}

function buildCases(): Case[] {
  const rng = new Random(17);
  const cases: Case[] = [];
  const add = (name: string, model: Model, py: string, x: number[], y: number[], options: CurveFitOptions): void => {
    cases.push({ name, model, py, x, y, options });
  };
  // Knife-edge in mm: edge at 12.3 mm, w0 = 80 µm, counts around 1e4.
  const kx = grid(12.0, 12.6, 61);
  const ky = noisy(rng, knifeErfc, [5000, 12.3, 0.08, 150], kx, () => 60);
  add('knife erfc', knifeErfc, PY.knifeErfc, kx, ky, { p0: [4000, 12.25, 0.1, 100] });
  add('knife erfc, analytic gradient', knifeErfc, PY.knifeErfc, kx, ky, { p0: [4000, 12.25, 0.1, 100], gradient: knifeErfcGradient });
  const ksig = kx.map((_, i) => 40 + 40 * (i % 3));
  const kys = noisy(rng, knifeErfc, [5000, 12.3, 0.08, 150], kx, (i) => ksig[i]);
  add('knife erfc, sigma', knifeErfc, PY.knifeErfc, kx, kys, { p0: [4000, 12.25, 0.1, 100], sigma: ksig });
  add('knife erfc, absoluteSigma', knifeErfc, PY.knifeErfc, kx, kys, { p0: [4000, 12.25, 0.1, 100], sigma: ksig, absoluteSigma: true });
  add('knife erf', knifeErf, PY.knifeErf, kx, noisy(rng, knifeErf, [-2500, 12.31, 0.09, 2650], kx, () => 50), { p0: [-2000, 12.28, 0.12, 2500] });
  const gx = grid(-5, 15, 101);
  const gy = noisy(rng, gaussian, [5, 4.2, 1.7, 0.8], gx, () => 0.15);
  add('gaussian', gaussian, PY.gaussian, gx, gy, { p0: [4, 3.5, 2.5, 0.5] });
  add('gaussian, bounds not active', gaussian, PY.gaussian, gx, gy, { p0: [4, 3.5, 2.5, 0.5], bounds: [[0, -10, 0.1, -1], [20, 20, 10, 2]] });
  const ex = grid(0, 10, 60);
  add('exponential decay', expDecay, PY.expDecay, ex, noisy(rng, expDecay, [3.2, 1.8, 0.45], ex, () => 0.05), { p0: [2, 1, 0.2] });
  const dx = grid(0, 12, 150);
  add('double exponential', doubleExp, PY.doubleExp, dx, noisy(rng, doubleExp, [3, 0.5, 1.5, 4, 0.2], dx, () => 0.02), { p0: [2, 0.3, 1, 3, 0.1] });
  // Reflectivity-like: t0 = 0.35 ps, a fast drop and a slow recovery, 0.12 ps resolution.
  const tx = grid(-2, 8, 121);
  const tTruth = [0.35, -2.4, 0.45, 1.1, 3.5, 0.12, 0.05];
  add('double exponential convolved', doubleExpConvolved, PY.doubleExpConvolved, tx, noisy(rng, doubleExpConvolved, tTruth, tx, () => 0.04), { p0: [0.3, -2, 0.6, 1, 3, 0.15, 0] });
  const lx = grid(0, 9, 10);
  add('line exact', line, PY.line, lx, lx.map((v) => 1.5 - 0.25 * v), { p0: [1, 1] });
  return cases;
}

/** An exponential decay whose time constant (true 1.8) is held by an upper bound of 1.7, starting on it. */
function decayOnBound(): Case {
  const rng = new Random(11);
  const x = grid(0, 10, 80);
  const y = noisy(rng, expDecay, [3, 1.8, 0.45], x, () => 0.05);
  return { name: 'exponential decay, p0 on an active bound', model: expDecay, py: PY.expDecay, x, y, options: { p0: [3.5, 1.7, 0.4], bounds: [[0, 0.1, -1], [10, 1.7, 2]] } };
}

/** A case whose optimum puts the offset of a Gaussian on its lower bound (scipy's 'trf'). */
function boundCase(): Case {
  const rng = new Random(5);
  const x = grid(-5, 15, 101);
  const y = noisy(rng, gaussian, [5, 4.2, 1.7, 0.3], x, () => 0.15);
  return { name: 'gaussian, active bound', model: gaussian, py: PY.gaussian, x, y, options: { p0: [4, 3.5, 2.5, 0.6], bounds: [[0, -10, 0.1, 0.5], [20, 20, 10, 2]] } };
}

const SCRIPT = String.raw`
from scipy.optimize import curve_fit
from scipy.special import erf, erfc
cases = json.load(open(sys.argv[1]))
def arr(a):
    return np.array([np.inf if v == 'inf' else -np.inf if v == '-inf' else v for v in a], float)
out = {}
for c in cases:
    f = eval('lambda x, *p: ' + c['py'], {'np': np, 'erf': erf, 'erfc': erfc})
    kw = {}
    if 'sigma' in c: kw['sigma'] = np.array(c['sigma'])
    if c.get('absoluteSigma'): kw['absolute_sigma'] = True
    if 'bounds' in c: kw['bounds'] = (arr(c['bounds'][0]), arr(c['bounds'][1]))
    popt, pcov = curve_fit(f, np.array(c['x']), np.array(c['y']), p0=c['p0'], **kw)
    out[c['name']] = {'popt': popt.tolist(), 'perr': np.sqrt(np.diag(pcov)).tolist()}
emit(out)
`;

type Reference = Record<string, { popt: number[]; perr: number[] }>;

async function scipyFits(cases: Case[]): Promise<Reference> {
  const dir = mkdtempSync(join(tmpdir(), 'fit-'));
  try {
    const file = join(dir, 'cases.json');
    const inf = (b: ArrayLike<number>): (number | string)[] => Array.from(b, (v) => (Number.isFinite(v) ? v : v > 0 ? 'inf' : '-inf'));
    writeFileSync(file, JSON.stringify(cases.map((c) => ({
      name: c.name, py: c.py, x: c.x, y: c.y, p0: Array.from(c.options.p0),
      ...(c.options.sigma ? { sigma: Array.from(c.options.sigma) } : {}),
      ...(c.options.absoluteSigma ? { absoluteSigma: true } : {}),
      ...(c.options.bounds ? { bounds: [inf(c.options.bounds[0]), inf(c.options.bounds[1])] } : {}),
    }))));
    return await runPython<Reference>(SCRIPT, [file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

function assertClose(actual: readonly number[], expected: readonly number[], rel: number, what: string): number {
  let worst = 0;
  actual.forEach((a, i) => {
    const e = relErr(a, expected[i]);
    worst = Math.max(worst, e);
    if (process.env.FIT_REPORT) console.log(`      ${what}[${i}] relative difference ${e.toExponential(2)}`);
    assert.ok(e <= rel, `${what}[${i}]: ${a} vs scipy ${expected[i]} (relative difference ${e.toExponential(2)} > ${rel})`);
  });
  return worst;
}

describe('curveFit against scipy.optimize.curve_fit', function () {
  const cases = buildCases();
  const bound = boundCase();
  const decay = decayOnBound();
  let ref: Reference;
  const fits = new Map<string, CurveFitResult>();

  before(async function () {
    await requirePython(this);
    ref = await scipyFits([...cases, bound, decay]);
  });

  for (const c of cases) {
    it(`${c.name}: popt to 1e-4, perr to 1e-3 relative`, function () {
      const fit = curveFit(c.model, c.x, c.y, { ...c.options, model: c.name });
      fits.set(c.name, fit);
      const r = ref[c.name];
      if (c.name === 'line exact') {
        fit.popt.forEach((v, i) => assert.ok(Math.abs(v - r.popt[i]) <= 1e-12, `line popt[${i}] ${v} vs ${r.popt[i]}`));
        fit.perr.forEach((v) => assert.ok(v < 1e-12, `an exact line has (near) zero errors, got ${v}`));
        return;
      }
      assertClose(fit.popt, r.popt, 1e-4, `${c.name} popt`);
      assertClose(fit.perr, r.perr, 1e-3, `${c.name} perr`);
      assert.equal(fit.dof, c.x.length - c.options.p0.length);
      assert.deepEqual(fit.warnings, []);
      assert.match(fit.message, /^converged/);
      fit.pcov.forEach((row, i) => row.forEach((v, j) => assert.equal(v, fit.pcov[j][i])));
    });
  }

  it('with an active bound: equals scipy trf to 1e-6 on the bound, 1e-4 elsewhere (documented)', function () {
    const fit = curveFit(bound.model, bound.x, bound.y, bound.options);
    const r = ref[bound.name];
    assert.equal(fit.popt[3], 0.5, 'the offset sits on its lower bound');
    assert.ok(relErr(fit.popt[3], r.popt[3]) <= 1e-6, `offset ${fit.popt[3]} vs trf ${r.popt[3]}`);
    assertClose(fit.popt.slice(0, 3), r.popt.slice(0, 3), 1e-4, 'active bound popt');
    assertClose(fit.perr, r.perr, 1e-3, 'active bound perr');
  });

  it('starting on an active bound: stays on it, equals scipy trf', function () {
    const fit = curveFit(decay.model, decay.x, decay.y, decay.options);
    const r = ref[decay.name];
    assert.equal(fit.popt[1], 1.7);
    assertClose(fit.popt, r.popt, 1e-4, 'decay on bound popt');
    assertClose(fit.perr, r.perr, 1e-3, 'decay on bound perr');
    assert.ok(fit.iterations < 50, `${fit.iterations} iterations`);
  });

  it('absoluteSigma: pcov is not rescaled by the reduced χ²', function () {
    const rel = fits.get('knife erfc, sigma'), abs = fits.get('knife erfc, absoluteSigma');
    assert.ok(rel && abs);
    const s2 = rel.chiSquare / rel.dof;
    rel.pcov.forEach((row, i) => row.forEach((v, j) => assert.ok(relErr(v, abs.pcov[i][j] * s2) < 1e-9)));
  });

  it('the analytic gradient and finite differences give the same fit', function () {
    const a = fits.get('knife erfc'), b = fits.get('knife erfc, analytic gradient');
    assert.ok(a && b);
    assertClose(a.popt, b.popt, 1e-8, 'popt');
    assertClose(a.perr, b.perr, 1e-6, 'perr');
  });
});

describe('curveFit: bad input and failures', function () {
  const x = grid(0, 10, 20);
  const y = x.map((v) => expDecay(v, [3, 2, 0.5]));

  it('x, y and sigma of different lengths', function () {
    assert.throws(() => curveFit(expDecay, x, y.slice(1), { p0: [1, 1, 0] }), (e: Error) => e instanceof ToolBoxValueError && /x has 20 values and y 19/.test(e.message));
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], sigma: [1, 2] }), (e: Error) => e instanceof ToolBoxValueError && /sigma has 2 values, but x and y have 20/.test(e.message));
  });

  it('non-finite x or y: how many and where', function () {
    const yb = y.slice();
    yb[3] = NaN;
    yb[7] = Infinity;
    assert.throws(() => curveFit(expDecay, x, yb, { p0: [1, 1, 0] }), (e: Error) => e instanceof ToolBoxValueError
      && e.message.includes('2 of the 20 values of y are not finite (NaN or ±Infinity), at index 3 (NaN), 7 (Infinity)'));
    const xb = x.slice();
    xb[0] = -Infinity;
    assert.throws(() => curveFit(expDecay, xb, y, { p0: [1, 1, 0] }), /1 of the 20 values of x are not finite .* at index 0 \(-Infinity\)/);
  });

  it('fewer points than parameters names both numbers and the model', function () {
    assert.throws(() => curveFit(expDecay, [0, 1], [1, 2], { p0: [1, 1, 0], model: 'exponential decay' }),
      (e: Error) => e instanceof ToolBoxValueError && e.message.includes("2 points (m=2) are fewer than the n=3 parameters of model 'exponential decay'"));
  });

  it('as many points as parameters: a fit, with pcov Infinity and a warning', function () {
    const fit = curveFit(line, [0, 1], [1, 3], { p0: [0, 0] });
    assert.deepEqual(fit.popt.map((v) => Math.round(v * 1e9) / 1e9), [1, 2]);
    assert.ok(fit.pcov.flat().every((v) => v === Infinity) && fit.perr.every((v) => v === Infinity));
    assert.match(fit.warnings[0], /cannot be estimated: with m=2 points and n=2 parameters no degree of freedom/);
  });

  it('a singular Jacobian (redundant parameters): pcov Infinity and a warning', function () {
    const fit = curveFit((v, p) => p[0] * p[1] * v, x, x.map((v) => 6 * v + 0.01 * Math.sin(v)), { p0: [1, 2], model: 'a·b·x' });
    assert.ok(Math.abs(fit.popt[0] * fit.popt[1] - 6) < 1e-3);
    assert.ok(fit.perr.every((v) => v === Infinity));
    assert.match(fit.warnings[0], /singular.*model 'a·b·x'/);
  });

  it('bad p0, bounds and options', function () {
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, NaN, 0] }), (e: Error) => e instanceof ParameterError && /p0 must be finite, got \[1, NaN, 0\]/.test(e.message));
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], bounds: [[0, 0], [5, 5]] }), /p0 has 3, the lower bounds 2, the upper 2/);
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], bounds: [[0, 0, 0], [5, 0, 5]] }), /for parameter 1 lower = 0 and upper = 0/);
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], bounds: [[0, 2, -1], [5, 5, 5]] }), /parameter 1 is 1, not in \[2, 5\]/);
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], sigma: x.map((_, i) => (i === 4 ? 0 : 1)) }), /1 of the 20 values of sigma are not positive, at index 4 \(0\)/);
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], maxIter: 5 } as unknown as CurveFitOptions), /unknown option 'maxIter'.*maxIterations/);
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], maxIterations: 0 }), /maxIterations must be a positive integer/);
  });

  it('a fit that does not converge: FitError with the model, last parameters and iterations', function () {
    const rng = new Random(3);
    const gx = grid(-5, 15, 101);
    const gy = noisy(rng, gaussian, [5, 4.2, 1.7, 0.8], gx, () => 0.15);
    let err: unknown;
    try {
      curveFit(gaussian, gx, gy, { p0: [1, 10, 0.5, 0], maxIterations: 3, model: 'gaussian' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof FitError, `expected a FitError, got ${String(err)}`);
    assert.equal(err.model, 'gaussian');
    assert.equal(err.iterations, 3);
    assert.equal(err.lastParameters.length, 4);
    assert.ok(err.lastParameters.every(Number.isFinite));
    assert.match(err.message, /the fit of model 'gaussian' did not converge within 3 iterations \(maxIterations\); last parameters \[/);
  });

  it('a gradient that is not finite: FitError naming the parameter and the point', function () {
    assert.throws(() => curveFit(expDecay, x, y, { p0: [1, 1, 0], model: 'decay', gradient: (v, p, out) => { out[0] = 1; out[1] = v > 5 ? NaN : 1; out[2] = 1; } }),
      (e: Error) => e instanceof FitError && e.iterations === 0 && /the gradient of model 'decay' is not finite \(parameter 1, point 10, x = 5\.26/.test(e.message));
  });

  it('a model that is NaN at p0: FitError', function () {
    assert.throws(() => curveFit((v, p) => Math.sqrt(p[0]) * v, x, y, { p0: [-1], model: 'sqrt' }),
      (e: Error) => e instanceof FitError && e.lastParameters[0] === -1 && /model 'sqrt' is not finite at the starting parameters/.test(e.message));
  });
});
