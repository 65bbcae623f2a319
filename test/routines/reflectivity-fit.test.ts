/**
 * reflectivity()'s fits against scipy.optimize.curve_fit from the same p0:
 * the step and the double exponential (Gaussian-convolved exponentials),
 * on a ps axis and on an inverted stage-position axis. Parameters must agree
 * to 1e-4 relative and their standard errors to 1e-3.
 */
import assert from 'node:assert/strict';
import { DataArray, Dataset, erfcx, gaussExp, reflectivity } from '../../toolbox/index.js';
import { erf } from '../../toolbox/routines/fit/special.js';
import { requirePython, runPython } from '../helpers/python.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** One train per delay, Io = 1, pumped only: the binned ΔR is exactly y. */
function trace(x: number[], y: number[], delaykey = 'delay'): Dataset {
  const trainId = BigUint64Array.from(x, (_, i) => BigInt(100 + i));
  return new Dataset({
    FastADC5peaks: new DataArray(new Float64Array(x.length).fill(1), { dims: ['trainId'] }),
    FastADC3peaks: new DataArray(Float64Array.from(y), { dims: ['trainId'] }),
    [delaykey]: new DataArray(Float64Array.from(x), { dims: ['trainId'] }),
  }, { coords: { trainId: new DataArray(trainId, { dims: ['trainId'] }) } });
}

const SCIPY = String.raw`
from scipy.optimize import curve_fit
from scipy.special import erf, erfc, erfcx
c = json.loads(sys.argv[1])
x, y, s = np.array(c['x']), np.array(c['y']), c['s']
def ge(u, sg, t):
    z = sg / (np.sqrt(2) * t) - u / (np.sqrt(2) * sg)
    out = np.empty_like(u)
    a = z >= 0
    out[a] = 0.5 * np.exp(-u[a] ** 2 / (2 * sg * sg)) * erfcx(z[a])
    out[~a] = 0.5 * np.exp(sg * sg / (2 * t * t) - u[~a] / t) * erfc(z[~a])
    return out
def step(x, t0, sg, a, c0):
    return c0 + a * 0.5 * (1 + erf(s * (x - t0) / (np.sqrt(2) * abs(sg))))
def dexp(x, t0, sg, a1, t1, a2, t2, c0):
    u = s * (x - t0)
    return c0 + a1 * ge(u, abs(sg), abs(t1)) + a2 * ge(u, abs(sg), abs(t2))
f = step if c['model'] == 'step' else dexp
popt, pcov = curve_fit(f, x, y, p0=c['p0'])
popt[1] = abs(popt[1])
perr = np.sqrt(np.diag(pcov))
if c['model'] != 'step':
    popt[3], popt[5] = abs(popt[3]), abs(popt[5])
    if popt[3] > popt[5]:
        perm = [0, 1, 4, 5, 2, 3, 6]
        popt, perr = popt[perm], perr[perm]
emit({'popt': popt.tolist(), 'perr': perr.tolist()})
`;

const SCIPY_SPECIAL = String.raw`
from scipy.special import erfc, erfcx
c = json.loads(sys.argv[1])
def ge(u, sg, t):
    z = sg / (np.sqrt(2) * t) - u / (np.sqrt(2) * sg)
    return 0.5 * np.exp(-u * u / (2 * sg * sg)) * erfcx(z) if z >= 0 else 0.5 * np.exp(sg * sg / (2 * t * t) - u / t) * erfc(z)
emit({'erfcx': [float(erfcx(x)) for x in c['xs']], 'ge': [[float(ge(u, 0.1, 0.5)), float(ge(u, 0.3, 1e6)), float(ge(u, 0.05, 0.01))] for u in c['us']]})
`;

function near(got: number[], want: number[], rel: number, what: string): void {
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= rel * Math.abs(want[i]), `${what}[${i}]: ${g} vs scipy ${want[i]} (rel ${rel})`));
}

describe('reflectivity fits against scipy curve_fit', function () {
  this.timeout(120_000);
  before(async function () { await requirePython(this); });
  const u = lcg(5);
  const noise = () => 0.05 * (u() + u() + u() - 1.5);
  const x = Array.from({ length: 81 }, (_, i) => -1 + 0.05 * i);

  const cases = [
    { name: 'step on a ps axis', model: 'step' as const, s: 1 as const, x, p0: [0.2, 0.1, 1.5, 0],
      y: x.map((v) => 0.1 + 2 * 0.5 * (1 + erf((v - 0.3) / (Math.SQRT2 * 0.2))) + noise()), opts: { units: 'ps' as const } },
    { name: 'double exponential on a ps axis', model: 'doubleExponential' as const, s: 1 as const, x, p0: [0.1, 0.1, -3, 0.3, -1, 5, 0],
      y: x.map((v) => -4 * gaussExp(v - 0.2, 0.12, 0.4) - 2 * gaussExp(v - 0.2, 0.12, 3) + noise()), opts: { units: 'ps' as const } },
    { name: 'step on an inverted stage axis (mm)', model: 'step' as const, s: -1 as const, x: x.map((v) => 12 + v / 10), p0: [12.01, 0.02, 1.5, 0],
      y: x.map((v) => 0.5 * (1 + erf((-(v / 10) + 0.03) / (Math.SQRT2 * 0.02))) * 2 + noise()), opts: { units: 'mm' as const, invert: true } },
  ];
  it('erfcx and the Gaussian-convolved exponential against scipy.special (1e-13 relative)', async () => {
    const xs = [-6, -2, -0.7, 0, 1e-8, 0.3, 1.9999, 2, 2.5, 5, 27, 1e3];
    const us = [-50, -3, -0.5, 0, 0.2, 1, 4, 40];
    const got = { erfcx: xs.map(erfcx), ge: us.map((v) => [gaussExp(v, 0.1, 0.5), gaussExp(v, 0.3, 1e6), gaussExp(v, 0.05, 0.01)]) };
    const want = await runPython<{ erfcx: number[]; ge: number[][] }>(SCIPY_SPECIAL, [JSON.stringify({ xs, us })]);
    const check = (g: number, w: number, what: string) => assert.ok(Math.abs(g - w) <= 1e-13 * Math.abs(w), `${what}: ${g} vs scipy ${w}`);
    xs.forEach((x, i) => check(got.erfcx[i], want.erfcx[i], `erfcx(${x})`));
    us.forEach((u, i) => got.ge[i].forEach((g, j) => check(g, want.ge[i][j], `gaussExp(${u}) #${j}`)));
  });
  for (const c of cases) {
    it(c.name, async () => {
      const r = reflectivity(trace(c.x, c.y), { ...c.opts, delaykey: 'delay', pumpedOnly: true, binWidth: 1e-4, fit: c.model, p0: c.p0, plot: false });
      const xb = Array.from(r.coords.delay.values as Float64Array), yb = Array.from(r.get('deltaR').values as Float64Array);
      const want = await runPython<{ popt: number[]; perr: number[] }>(SCIPY, [JSON.stringify({ x: xb, y: yb, s: c.s, model: c.model, p0: c.p0 })]);
      near(r.attrs.fitValues as number[], want.popt, 1e-4, 'popt');
      near(r.attrs.fitErrors as number[], want.perr, 1e-3, 'perr');
      assert.equal(r.attrs.fitModel, c.model);
      assert.equal(r.attrs.t0, (r.attrs.fitValues as number[])[0]);
      assert.equal(r.get('fit').sizes.delay, xb.length);
    });
  }
});
