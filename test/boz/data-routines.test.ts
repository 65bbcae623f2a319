import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolBoxValueError } from '../../toolbox/errors.js';
import { averageModule } from '../../toolbox/routines/boz/average.js';
import { histogramModule, inspectHistogram } from '../../toolbox/routines/boz/histogram.js';
import { inMemoryModule } from '../../toolbox/routines/boz/load.js';
import { process as bozProcess, processModule } from '../../toolbox/routines/boz/process.js';
import { inspectSaturation } from '../../toolbox/routines/boz/saturation.js';
import { snr } from '../../toolbox/routines/boz/snr.js';
import type { ModuleFrames, Rois } from '../../toolbox/routines/boz/types.js';
import { planeValue } from '../../toolbox/synthetic/run/boz-physics.js';
import { requirePython, runPython } from '../helpers/python.js';
import { type BozFixture, bozFixture, framesOf, loadBoth } from './data-helpers.js';

const PIX = 65536;
let worstSeen = 0;

/** |a − b| ≤ tol·max(|b|, 1) everywhere (NaN only where numpy has NaN). */
function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 1e-9): number {
  assert.equal(a.length, b.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) { assert.ok(Number.isNaN(a[i]), `${what}[${i}]: ${a[i]}, numpy NaN`); continue; }
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1);
    worst = Math.max(worst, e);
    assert.ok(e <= tol, `${what}[${i}]: ${a[i]} vs numpy ${b[i]}`);
  }
  worstSeen = Math.max(worstSeen, worst);
  return worst;
}

const NUMPY = String.raw`
d = sys.argv[1]
T, P, TD = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rois = json.loads(sys.argv[5])
arr = np.fromfile(d + '/run.u16', dtype=np.uint16).reshape(T, P, 128, 512)
dark_arr = np.fromfile(d + '/dark.u16', dtype=np.uint16).reshape(TD, P, 128, 512)
F = np.fromfile(d + '/lut.f64')
mask = np.fromfile(d + '/mask.u8', dtype=np.uint8).reshape(128, 512).astype(bool)
ff = np.fromfile(d + '/ff.f64').reshape(128, 512)
out = {}
def save(name, a):
    np.ascontiguousarray(a, dtype=np.float64).tofile(d + '/' + name + '.f64')
# averageModule: dark = the pulse-resolved mean of F(dark raw); the data's mean/std over unsaturated frames
dark = F[dark_arr].mean(axis=0)
s = rois['sat']
good = ~mask[s['yl']:s['yh'], s['xl']:s['xh']]
sat = ((arr[:, :, s['yl']:s['yh'], s['xl']:s['xh']] >= 300) & good).any(axis=(2, 3))
w = (~sat).astype(float)[:, :, None, None]
Fa = F[arr]
mu = (Fa * w).sum(axis=0) / w.sum(axis=0)
std = np.sqrt((((Fa - mu) ** 2) * w).sum(axis=0) / w.sum(axis=0))
mean = mu - dark
mean[:, mask] = np.nan
std[:, mask] = np.nan
save('dark', dark); save('mean', mean); save('std', std)
out['kept'] = (~sat).sum(axis=0).tolist()
# histogramModule with mask (bincount, numpy's own)
save('hist', np.bincount(arr[:, :, ~mask].ravel(), minlength=512))
# processModule: c = (F(raw) - dark[pulse]) / ff over unmasked ROI pixels; sat: raw >= 511 there
c = (Fa - dark[None]) / ff[None, None]
for name, r in rois.items():
    g = ~mask[r['yl']:r['yh'], r['xl']:r['xh']]
    save('I_' + name, (c[:, :, r['yl']:r['yh'], r['xl']:r['xh']] * g).sum(axis=(2, 3)))
    save('S_' + name, ((arr[:, :, r['yl']:r['yh'], r['xl']:r['xh']] >= 511) & g).any(axis=(2, 3)))
# snr of n/0
sig = (c[:, :, rois['n']['yl']:rois['n']['yh'], rois['n']['xl']:rois['n']['xh']] * ~mask[rois['n']['yl']:rois['n']['yh'], rois['n']['xl']:rois['n']['xh']]).sum(axis=(2, 3)).ravel()
ref = (c[:, :, rois['0']['yl']:rois['0']['yh'], rois['0']['xl']:rois['0']['xh']] * ~mask[rois['0']['yl']:rois['0']['yh'], rois['0']['xl']:rois['0']['xh']]).sum(axis=(2, 3)).ravel()
r = sig / ref
out['direct'] = [r.mean(), r.std()]
mu_w = sig.sum() / ref.sum()
out['weighted'] = [mu_w, np.sqrt((ref * (r - mu_w) ** 2).sum() / ref.sum())]
out['diff'] = [r.mean(), np.std(np.diff(r)) / np.sqrt(2)]
emit(out)
`;

describe('BOZ data routines against numpy (averageModule, histogramModule, processModule, process, snr)', function () {
  this.timeout(300_000);
  let f: BozFixture;
  let run: ModuleFrames, dark: ModuleFrames, tid: BigUint64Array;
  let rois: Rois;
  let F: Float64Array, mask: Uint8Array, ff: Float64Array;
  let py: { kept: number[]; direct: number[]; weighted: number[]; diff: number[] };
  const dir = () => f.runs.root;
  const npy = async (name: string) => { const b = await readFile(join(dir(), `${name}.f64`)); return new Float64Array(b.buffer, b.byteOffset, b.length / 8); };

  before(async function () {
    await requirePython(this);
    f = await bozFixture({ trains: 16, darkTrains: 10 });
    ({ run, dark, tid } = await loadBoth(f));
    const b = f.runs.truth.boz;
    rois = { n: b.rois.n, '0': b.rois['0'], p: b.rois.p, sat: b.rois.sat };
    F = Float64Array.from(b.nonLinearity.F);
    mask = new Uint8Array(PIX);
    for (const p of [...b.badPixels.dead, ...b.badPixels.hot, 70 * 512 + 250, 50 * 512 + 100]) mask[p] = 1;
    ff = new Float64Array(PIX).fill(1);
    for (const o of ['n', 'p'] as const) {
      const r = b.rois[o];
      for (let y = r.yl; y < r.yh; y++) for (let x = r.xl; x < r.xh; x++) ff[y * 512 + x] = planeValue(b.flatField[o], x - (r.xl + r.xh - 1) / 2, y - (r.yl + r.yh - 1) / 2);
    }
    await writeFile(join(dir(), 'run.u16'), await framesOf(run));
    await writeFile(join(dir(), 'dark.u16'), await framesOf(dark));
    await writeFile(join(dir(), 'lut.f64'), F);
    await writeFile(join(dir(), 'mask.u8'), mask);
    await writeFile(join(dir(), 'ff.f64'), ff);
    py = await runPython(NUMPY, [dir(), '16', '4', '10', JSON.stringify(rois)]);
  });
  after(async () => {
    console.log(`      largest relative difference from numpy: ${worstSeen.toExponential(1)}`);
    await f?.restore();
  });

  it('averageModule: the pulse-resolved dark through F_INL', async () => {
    const d = await averageModule(dark, { F_INL: F });
    assert.deepEqual(d.dims, ['pulse', 'x', 'y']);
    assert.deepEqual(d.shape, [4, 128, 512]);
    close(d.values as Float64Array, await npy('dark'), 'dark');
  });

  it('averageModule: mean and std over the frames unsaturated in satRoi, dark subtracted, masked pixels NaN', async () => {
    const d = await averageModule(dark, { F_INL: F });
    const opts = { dark: d, mask, satRoi: rois.sat, F_INL: F };
    const mean = await averageModule(run, opts);
    close(mean.values as Float64Array, await npy('mean'), 'mean');
    const std = await averageModule(run, { ...opts, ret: 'std' });
    close(std.values as Float64Array, await npy('std'), 'std');
    assert.ok(py.kept.some((k) => k < 16) && py.kept.every((k) => k > 0), `frames kept per pulse ${py.kept}: some saturated, none all`);
    assert.equal(mean.attrs.frames, py.kept.join(','));
  });

  it('histogramModule: bincount of the unmasked raw values; inspectHistogram shows it with the dark', async () => {
    const h = await histogramModule(run, { mask });
    close(h, await npy('hist'), 'histogram', 0);
    const shown = await inspectHistogram(run, { arrDark: dark, mask, extraLines: true });
    assert.deepEqual(shown.h, h);
    assert.equal(shown.hd!.reduce((a, b) => a + b, 0), 10 * 4 * (PIX - mask.reduce((a, b) => a + b, 0)));
    assert.ok(JSON.stringify(await shown.plot.toSpec()).includes('rule'));
  });

  it('processModule: ROI sums of (F(raw) − dark) / flatField and <roi>_sat over (trainId, pulse)', async () => {
    const d = await averageModule(dark, { F_INL: F });
    const ds = await processModule(run, tid, d, rois, { mask, flatField: ff, F_INL: F });
    assert.deepEqual([...ds.dataVars].sort(), ['0', '0_sat', 'n', 'n_sat', 'p', 'p_sat', 'sat', 'sat_sat']);
    assert.deepEqual(ds.get('n').dims, ['trainId', 'pulse']);
    assert.deepEqual(Array.from(ds.get('n').coords.trainId.values as BigUint64Array), Array.from(tid));
    for (const name of Object.keys(rois)) {
      close(ds.get(name).values as Float64Array, await npy(`I_${name}`), name);
      close(Float64Array.from(ds.get(`${name}_sat`).values as Uint8Array), await npy(`S_${name}`), `${name}_sat`, 0);
    }
    const sat = Array.from(ds.get('sat_sat').values as Uint8Array);
    assert.ok(sat.includes(1) && sat.includes(0), 'some frames saturate at 511, some do not');
  });

  it('process: the dark from arrDark through Fmodel, then processModule', async () => {
    const ds = await bozProcess(F, dark, run, tid, rois, mask, ff);
    for (const name of ['n', '0', 'p']) close(ds.get(name).values as Float64Array, await npy(`I_${name}`), name);
  });

  it('snr: direct, weighted and diff as numpy', async () => {
    const sig = await npy('I_n'), ref = await npy('I_0');
    const s = snr(sig, ref);
    close([s.direct!.mu, s.direct!.s], py.direct, 'direct');
    close([s.weighted!.mu, s.weighted!.s], py.weighted, 'weighted');
    close([s.diff!.mu, s.diff!.s], py.diff, 'diff');
    assert.deepEqual(Object.keys(snr(sig, ref, { methods: ['weighted'] })), ['weighted']);
    assert.throws(() => snr(sig, ref.subarray(1)), /sig has 64 samples but ref has 63/);
    assert.throws(() => snr(sig, ref, { methods: ['median' as 'direct'] }), /unknown method/);
  });

  it('inspectSaturation: histograms in photons of all and saturated frames', async () => {
    const ds = await processModule(run, tid, await averageModule(dark), rois, { mask });
    const gain = f.runs.truth.boz.gain.photonsPerBin;
    const { h, plot } = inspectSaturation(ds, gain, { Nbins: 50 });
    assert.deepEqual([...h.dataVars].sort(), ['0', '0_sat', 'n', 'n_sat', 'p', 'p_sat']);
    assert.equal((h.get('n').values as Float64Array).reduce((a, b) => a + b, 0), 64);
    const satFrames = Array.from(ds.get('sat_sat').values as Uint8Array).filter(Boolean).length;
    assert.equal((h.get('0_sat').values as Float64Array).reduce((a, b) => a + b, 0), satFrames);
    assert.ok(plot);
  });

  it('bad input: a dark of another frame count, a ROI outside the module, a short LUT, train IDs of another length', async () => {
    const dark6 = inMemoryModule({ proposal: 1, run: 9, module: 15, trainIds: BigUint64Array.of(1n, 2n), pulses: 6 }, new Uint16Array(2 * 6 * PIX));
    await assert.rejects(bozProcess(F, dark6, run, tid, rois, mask, ff), (e: Error) => e instanceof ToolBoxValueError && /dark run 9 has 6 pulses per train but run 2 has 4/.test(e.message));
    await assert.rejects(processModule(run, tid, await averageModule(dark6), rois), /the dark has 6 frames per train but the data have 4 pulses/);
    await assert.rejects(processModule(run, tid, undefined, { ...rois, n: { xl: 500, xh: 520, yl: 0, yh: 10 } }), /ROI 'n' .* is not a non-empty rectangle inside the 128×512 module/);
    await assert.rejects(averageModule(run, { F_INL: [1, 2, 3] }), /F_INL must have 512 entries/);
    await assert.rejects(processModule(run, tid.subarray(1), undefined, rois), /15 train IDs for 16 trains/);
    await assert.rejects(averageModule(run, { ret: 'median' as 'mean' }), /ret must be 'mean' or 'std'/);
    await assert.rejects(averageModule(run, { satRoi: rois.sat, satLevel: 0 }), /every frame of pulses 0, 1, 2, 3 has a raw value ≥ 0 in satRoi .*saturation everywhere/);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(averageModule(run, { signal: ac.signal }), /abort/i);
    await assert.rejects(processModule(run, tid, undefined, rois, { signal: ac.signal }), /abort/i);
  });
});
