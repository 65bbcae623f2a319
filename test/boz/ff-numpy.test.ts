/**
 * The flat-field definitions against a direct numpy evaluation on the same
 * data (1e-9 relative): ratio images and domain, the flat-field image, and
 * the refinement criterion from the raw frames.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFlatFieldCorrection, ffRefineCrit, parameters, planeFittingDomain } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { ROIS, mulberry32, syntheticRun } from './ff-synthetic.js';

const REL = 1e-9;

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b), 1e-300), `${what}: ${a} vs numpy ${b}`);
}

function closeArrays(a: ArrayLike<number>, b: readonly (number | string)[], what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const bi = typeof b[i] === 'string' ? Number(String(b[i]).replace('inf', 'Infinity')) : b[i] as number;
    if (Number.isNaN(bi)) assert.ok(Number.isNaN(a[i]), `${what}[${i}]: ${a[i]} vs nan`);
    else if (!Number.isFinite(bi)) assert.equal(a[i], bi, `${what}[${i}]`);
    else close(a[i], bi, `${what}[${i}]`);
  }
}

const ROIS_PY = `rois = json.loads(sys.argv[1])
def cut(img, r): return img[r['yl']:r['yh'], r['xl']:r['xh']]
`;

const PLANE_PY = `
def height(pl, r):
    a, b, c, d = pl
    h, w = r['yh'] - r['yl'], r['xh'] - r['xl']
    Y, X = np.mgrid[0:h, 0:w].astype(float)
    X -= (w - 1) / 2; Y -= (h - 1) / 2
    return np.maximum(0.01 * (-d / c), -(a * X + b * Y + d) / c)
`;

describe('BOZ flat field: definitions against numpy', function () {
  this.timeout(300_000);
  let dir: string;
  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'boz-ff-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('planeFittingDomain: n/0, p/0 and the domains', async () => {
    const rand = mulberry32(7);
    const avg = Float64Array.from({ length: 128 * 512 }, () => 20 * rand() - 2);
    avg[45 * 512 + 205] = 0; // a zero in '0': infinite ratio, outside the domain
    writeFileSync(join(dir, 'avg.bin'), avg);
    const d = planeFittingDomain(avg, ROIS, [5, 200], [0.2, 1.5]);
    const py = await runPython<Record<string, (number | string | boolean)[]>>(`${ROIS_PY}
avg = np.fromfile(sys.argv[2], dtype=np.float64).reshape(128, 512)
ref = cut(avg, rois['0'])
out = {}
with np.errstate(divide='ignore', invalid='ignore'):
    for b in ('n', 'p'):
        img = cut(avg, rois[b])
        r = img / ref
        prod = img * ref
        m = np.isfinite(r) & (prod > 5) & (prod < 200) & (r > 0.2) & (r < 1.5)
        out[b] = _vals(r)
        out[b + '_m'] = m.ravel().tolist()
emit(out)`, [JSON.stringify(ROIS), join(dir, 'avg.bin')]);
    closeArrays(d.n.values as Float64Array, py.n as number[], 'n/0');
    closeArrays(d.p.values as Float64Array, py.p as number[], 'p/0');
    assert.deepEqual(Array.from(d.nM.values as Uint8Array, Boolean), py.n_m);
    assert.deepEqual(Array.from(d.pM.values as Uint8Array, Boolean), py.p_m);
    assert.deepEqual(d.n.dims, ['x', 'y']);
    assert.ok((d.nM.values as Uint8Array).some(Boolean) && !(d.nM.values as Uint8Array).every(Boolean));
  });

  it('computeFlatFieldCorrection: planes in the ROIs (floored at 1% of the centre value), 1 elsewhere', async () => {
    for (const [ff, mirror] of [[[0.004, -0.003, -1, 0.8], true], [[0.1, 0.002, -2, 1.2, -0.001, 0.01, -1, 0.5], false]] as const) {
      const params = new parameters(1, 2, 3, 15, 3);
      params.forceMirror = mirror;
      params.setFlatField([...ff]);
      const img = computeFlatFieldCorrection(ROIS, params);
      const py = await runPython<(number | string)[]>(`${ROIS_PY}${PLANE_PY}
ff = json.loads(sys.argv[2])
pn = ff[:4]; pp = ff[4:] if len(ff) == 8 else [-ff[0], ff[1], ff[2], ff[3]]
img = np.ones((128, 512))
for b, pl in (('n', pn), ('p', pp)):
    r = rois[b]
    img[r['yl']:r['yh'], r['xl']:r['xh']] = height(pl, r)
emit(_vals(img))`, [JSON.stringify(ROIS), JSON.stringify(ff)]);
      closeArrays(img.values, py, `flat field ${ff.length}`);
      if (!mirror) assert.ok(Math.abs(Math.min(...img.values) - 0.006) < 1e-15, 'the steep plane is floored');
    }
  });

  it('ffRefineCrit: the binned relative spread and the domain misfit from the raw frames', async () => {
    const syn = syntheticRun({ trains: 12, pulses: 5, peak: 480, seed: 3 });
    writeFileSync(join(dir, 'dark.bin'), syn.darkRaw);
    writeFileSync(join(dir, 'raw.bin'), syn.raw);
    const mask = new Uint8Array(128 * 512);
    mask[50 * 512 + 110] = 1; mask[55 * 512 + 210] = 1; mask[60 * 512 + 330] = 1;
    const params = new parameters(1, 2, 3, 15, 3);
    params.ffProdTh = [50, Infinity];
    params.ffRatioTh = [0.2, 1.6];
    const p = [0.003, -0.002, -1, 0.75];
    const ours = await Promise.all([0, 0.3, 1].map((alpha) => ffRefineCrit(p, alpha, params, syn.dark, syn.run, null, ROIS, mask, { satLevel: 400, maxFrames: Infinity })));
    const py = await runPython<number[]>(`${ROIS_PY}${PLANE_PY}
T, P = 12, 5
dark_raw = np.fromfile(sys.argv[2], dtype=np.uint16).reshape(T, P, 128, 512).astype(float)
raw = np.fromfile(sys.argv[3], dtype=np.uint16).reshape(T * P, 128, 512)
mask = np.zeros((128, 512), bool); mask[50, 110] = mask[55, 210] = mask[60, 330] = True
good = ~mask
dark = dark_raw.mean(axis=0)
c = raw.astype(float) - np.tile(dark, (T, 1, 1))
sat = np.array([(cut(f, rois['sat']) >= 400).any() for f in raw])
cu = c[~sat]
avg = cu.mean(axis=0); avg[mask] = np.nan
i0 = np.array([cut(f, rois['0'])[cut(good, rois['0'])].sum() for f in cu])
keep = i0 > 0
cu, i0 = cu[keep], i0[keep]
p = json.loads(sys.argv[4])
zn = height(p, rois['n']); zp = height([-p[0], p[1], p[2], p[3]], rois['p'])
In = np.array([(cut(f, rois['n']) * cut(good, rois['n']) / zn).sum() for f in cu])
Ip = np.array([(cut(f, rois['p']) * cut(good, rois['p']) / zp).sum() for f in cu])
edges = np.linspace(i0.min(), i0.max(), 21)
b = np.clip(np.floor((i0 - i0.min()) / ((i0.max() - i0.min()) / 20)).astype(int), 0, 19)
err1 = 0.0
for k in range(20):
    sel = b == k
    if sel.any():
        for I in (In, Ip):
            r = I[sel] / i0[sel]
            err1 += np.std(r) / abs(np.mean(r))
ref = cut(avg, rois['0'])
err2 = 0.0
with np.errstate(divide='ignore', invalid='ignore'):
    for bname, z in (('n', zn), ('p', zp)):
        img = cut(avg, rois[bname]); r = img / ref; prod = img * ref
        m = np.isfinite(r) & (prod > 50) & (r > 0.2) & (r < 1.6)
        err2 += np.sum((z[m] / r[m] - 1) ** 2)
emit([(1 - a) * err1 + a * err2 for a in (0, 0.3, 1)] + [int(sat.sum()), int(len(i0))])`, [JSON.stringify(ROIS), join(dir, 'dark.bin'), join(dir, 'raw.bin'), JSON.stringify(p)]);
    assert.ok(py[3] > 0 && py[3] < 60, `some but not all frames saturated: ${py[3]}`);
    ours.forEach((v, k) => close(v, py[k], `criterion α = ${[0, 0.3, 1][k]}`));
  });
});
