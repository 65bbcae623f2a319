/**
 * knifeEdgeBase against scipy.optimize.curve_fit (Debian's python3-scipy) on
 * the same data: the test writes positions and intensities, a Python script
 * prepares them as the Python toolbox does (repeat + flatten, range mask, NaNs
 * dropped), picks erfc/erf from numpy.polyfit's slope, starts from the same
 * p0 and fits. Parameters must agree to 1e-4 relative, standard errors to 1e-3.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knifeEdgeBase } from '../../toolbox/index.js';
import { erfc } from '../../toolbox/routines/fit/special.js';
import { requirePython, runPython } from '../helpers/python.js';

interface Case { positions: number[]; intensities: (number | null)[] | (number | null)[][]; axisRange?: [number, number] | null; p0?: number[] | null }
interface Ref { popt: number[]; perr: number[]; pcov: number[][]; function: string; points: number }

const SCRIPT = String.raw`
from scipy.optimize import curve_fit
from scipy import special
cases = json.load(open(sys.argv[1]))

def erfc_model(x, x0, w0, a, b):
    return a * special.erfc(np.sqrt(2) * (x - x0) / w0) + b

def erf_model(x, x0, w0, a, b):
    return a * special.erf(np.sqrt(2) * (x - x0) / w0) + b

out = []
for c in cases:
    x = np.asarray(c['positions'], dtype=float)
    y = np.asarray([[np.nan if v is None else v for v in r] if isinstance(r, list) else (np.nan if r is None else r) for r in c['intensities']], dtype=float)
    if y.ndim == 2:
        x = np.repeat(x, y.shape[1])
        y = y.flatten()
    keep = np.isfinite(x) & np.isfinite(y)
    if c.get('axisRange'):
        keep &= (x >= c['axisRange'][0]) & (x <= c['axisRange'][1])
    x, y = x[keep], y[keep]
    p0 = c.get('p0') or [np.mean(x), 0.1, np.max(y) / 2, 0]
    slope = np.polyfit(x, y, 1)[0]
    f, name = (erf_model, 'erf') if slope > 0 else (erfc_model, 'erfc')
    popt, pcov = curve_fit(f, x, y, p0=p0, maxfev=20000)
    out.append({'popt': popt.tolist(), 'pcov': pcov.tolist(), 'perr': np.sqrt(np.diag(pcov)).tolist(), 'function': name, 'points': int(x.size)})
emit(out)
`;

/** A reproducible uniform stream in [−0.5, 0.5). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 48271) % 2147483647; return s / 2147483647 - 0.5; };
}

function scan(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

const edge = (x: number, x0: number, w0: number, a: number, b: number) => a * erfc((Math.SQRT2 * (x - x0)) / w0) + b;

function cases(): Case[] {
  const r = lcg(7);
  const xs = scan(41, 4.4, 5.6);
  const falling = xs.map((x) => edge(x, 5.02, 0.21, 480, 15) + 12 * r());
  const rising = xs.map((x) => edge(-x, -4.97, 0.18, 300, -4) + 8 * r());
  const rows = xs.map((x) => Array.from({ length: 5 }, () => edge(x, 5.0, 0.25, 500, 20) * (1 + 0.03 * r()) + 6 * r()) as (number | null)[]);
  rows[3][2] = null; rows[10] = rows[10].map(() => null); rows[20][0] = null;
  const um = scan(31, -300, 300);
  return [
    { positions: xs, intensities: falling },
    { positions: xs, intensities: rising },
    { positions: xs, intensities: rows, axisRange: [4.6, 5.5] },
    { positions: xs, intensities: falling, p0: [5.1, 0.3, 200, 0] },
    // positions in µm, a p0 in µm (the default w0 of 0.1 assumes mm)
    { positions: um, intensities: um.map((x) => edge(x, 12, 80, 1, 0.02) + 0.01 * r()), p0: [0, 50, 0.5, 0] },
  ];
}

const close = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: ${got} vs scipy ${want} (relative ${Math.abs(got - want) / Math.abs(want)})`);

describe('knifeEdgeBase against scipy.optimize.curve_fit', function () {
  this.timeout(120_000);
  let dir: string;
  let refs: Ref[];
  const all = cases();

  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-knife-py-'));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(all));
    refs = await runPython<Ref[]>(SCRIPT, [join(dir, 'cases.json')]);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const names = ['falling (erfc)', 'rising (erf)', '2-D intensities with NaNs and an axisRange', 'an explicit p0', 'positions in µm'];
  names.forEach((name, i) => {
    it(`${name}: popt to 1e-4, standard errors to 1e-3`, () => {
      const c = all[i];
      const intensities = (c.intensities as unknown[]).map((v) => (Array.isArray(v) ? v.map((u: number | null) => u ?? NaN) : (v as number | null) ?? NaN));
      const fit = knifeEdgeBase(c.positions, intensities as number[] | number[][], { axisRange: c.axisRange, p0: c.p0 });
      const ref = refs[i];
      assert.equal(fit.function, ref.function);
      assert.equal(fit.points, ref.points);
      fit.popt.forEach((p, k) => close(p, ref.popt[k], 1e-4, `popt[${k}]`));
      fit.perr.forEach((p, k) => close(p, ref.perr[k], 1e-3, `perr[${k}]`));
      close(fit[0], Math.abs(ref.popt[1]), 1e-4, 'w0');
      close(fit[1], ref.perr[1], 1e-3, 'w0Std');
      assert.deepEqual([fit[0], fit[1]], [fit.w0, fit.w0Std]);
    });
  });
});
