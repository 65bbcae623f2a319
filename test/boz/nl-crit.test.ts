/**
 * nlDomain / nlLut against numpy, and nlCrit / nlCritSk on histograms against
 * a direct numpy evaluation of their definitions (docs/boz.md) on the same
 * small run: pixels through the LUT, dark mean, flat field, mask, ROI sums,
 * saturation, weighted snr.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParameterError, ToolBoxValueError } from '../../toolbox/errors.js';
import { nlCrit, nlCritFromHistograms, nlCritSk } from '../../toolbox/routines/boz/nl-crit.js';
import { nlHistograms } from '../../toolbox/routines/boz/nl-histograms.js';
import { linspace, nlDomain, nlLut } from '../../toolbox/routines/boz/nl-lut.js';
import type { ModuleFrames } from '../../toolbox/routines/boz/types.js';
import { requirePython, runPython } from '../helpers/python.js';
import { memoryFrames, nlRun, rng } from './nl-synthetic.js';

const DOMAIN_CASES: [number, number, number][] = [[40, 40, 470], [20, 0, 511], [7, -1, 512], [1, 10, 12], [3, 100, 101], [100, 30, 60], [13, 5, 7], [9, 0, 400], [64, 20, 500]];

async function allFrames(a: ModuleFrames): Promise<Uint16Array> {
  const parts: Uint16Array[] = [];
  for await (const c of a.chunks()) parts.push(c.data.slice());
  const out = new Uint16Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const NUMPY_CRIT = String.raw`
import numpy as np, json, sys
d = sys.argv[1]
meta = json.load(open(d + '/meta.json'))
P = meta['pulses']; rois = meta['rois']
arr = np.fromfile(d + '/arr.bin', dtype='<u2').reshape(-1, P, 128, 512)
dark = np.fromfile(d + '/dark.bin', dtype='<u2').reshape(-1, P, 128, 512)
mask = np.fromfile(d + '/mask.bin', dtype='u1').reshape(128, 512) != 0
ff = np.fromfile(d + '/ff.bin', dtype='<f8').reshape(128, 512)
domain = np.fromfile(d + '/domain.bin', dtype='<i4')
def ws(sig, ref):
    mu = np.sum(sig) / np.sum(ref)
    return np.sum(ref * (sig / ref - mu) ** 2) / np.sum(ref)
out = []
for case in meta['cases']:
    p = np.array(case['p'], dtype=float); a = case['alpha']
    F = np.arange(512) + np.insert(p, 0, 0)[domain]
    darkm = F[dark].mean(axis=0)
    c = (F[arr] - darkm[None]) / ff
    c[:, :, mask] = 0
    I = {}
    for b in ['n', '0', 'p']:
        r = rois[b]
        I[b] = c[:, :, r['yl']:r['yh'], r['xl']:r['xh']].sum(axis=(2, 3)).ravel()
    rs = rois['sat']
    sat = (arr[:, :, rs['yl']:rs['yh'], rs['xl']:rs['xh']] >= case['satLevel']).any(axis=(2, 3)).ravel()
    k = ~sat
    if case['kind'] == 'nl':
        err1 = 1e8 * (ws(I['n'][k], I['0'][k]) + ws(I['p'][k], I['0'][k]))
    else:
        err1 = 1e8 * ws(I['0'][k], I['n'][k] + I['p'][k])
    err2 = np.sum((F - np.arange(512)) ** 2)
    out.append([(1 - a) * err1 + a * err2, int(k.sum())])
print(json.dumps(out))
`;

describe('boz nlDomain and nlLut', function () {
  before(async function () { await requirePython(this); });

  it('nlDomain equals the numpy definition (linspace floor) for several N, low, high', async function () {
    const ref = await runPython<number[][]>(String.raw`
import numpy as np, json, sys
out = []
for N, low, high in json.loads(sys.argv[1]):
    x = np.arange(2**9); vx = x.copy(); eps = 1e-5
    vx[(x > low) * (x < high)] = np.linspace(1, N + 1 - eps, high - low - 1)
    vx[x <= low] = 0; vx[x >= high] = 0
    out.append(vx.tolist())
print(json.dumps(out))`, [JSON.stringify(DOMAIN_CASES)]);
    DOMAIN_CASES.forEach(([N, low, high], i) => {
      assert.deepEqual(Array.from(nlDomain(N, low, high)), ref[i], `N=${N} low=${low} high=${high}`);
    });
  });

  it('linspace equals numpy bit for bit', async function () {
    const cases: [number, number, number][] = [[1, 41 - 1e-5, 429], [1, 1 + 1 - 1e-5, 1], [1, 8 - 1e-5, 0], [1, 101 - 1e-5, 29], [0.1, 0.7, 7]];
    const ref = await runPython<number[][]>(String.raw`
import numpy as np, json, sys
print(json.dumps([np.linspace(a, b, n).tolist() for a, b, n in json.loads(sys.argv[1])]))`, [JSON.stringify(cases)]);
    cases.forEach(([a, b, n], i) => assert.deepEqual(Array.from(linspace(a, b, n)), ref[i]));
  });

  it('nlLut equals x + insert(dy, 0, 0)[domain]', async function () {
    const domain = nlDomain(17, 25, 480), u = rng(5);
    const dy = Array.from({ length: 17 }, () => 10 * (u() - 0.5));
    const ref = await runPython<number[]>(String.raw`
import numpy as np, json, sys
d = json.loads(sys.argv[1]); domain = np.array(d['domain']); dy = np.array(d['dy'])
print(json.dumps((np.arange(2**9) + np.insert(dy, 0, 0)[domain]).tolist()))`, [JSON.stringify({ domain: Array.from(domain), dy })]);
    assert.deepEqual(Array.from(nlLut(domain, dy)), ref);
  });

  it('refuses a bad N, low/high, domain or dy with ParameterError', function () {
    const isParam = (re: RegExp) => (e: unknown) => e instanceof ParameterError && re.test(e.message);
    assert.throws(() => nlDomain(0, 10, 20), isParam(/N/));
    assert.throws(() => nlDomain(5, 20, 20), isParam(/low < high/));
    assert.throws(() => nlDomain(5, -3, 20), isParam(/low/));
    assert.throws(() => nlDomain(5, 0, 600), isParam(/high/));
    assert.throws(() => nlLut(new Int32Array(10), []), isParam(/512/));
    assert.throws(() => nlLut(nlDomain(5, 0, 100), [1, 2]), isParam(/5 segments/));
  });
});

describe('boz nlCrit and nlCritSk against numpy', function () {
  const run = nlRun({ trains: 6, pulses: 4, flatField: true, seed: 3 });
  let dir = '';
  before(async function () {
    await requirePython(this);
    dir = await mkdtemp(join(tmpdir(), 'boz-nl-'));
    await writeFile(join(dir, 'arr.bin'), bytes(await allFrames(run.arr)));
    await writeFile(join(dir, 'dark.bin'), bytes(await allFrames(run.arrDark)));
    await writeFile(join(dir, 'mask.bin'), run.mask);
    await writeFile(join(dir, 'ff.bin'), bytes(run.flatField));
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('equal the direct pixel evaluation to 1e-9 relative (several dy, alpha, satLevel, domains)', async function () {
    const u = rng(11);
    const domain = nlDomain(12, 35, 450);
    await writeFile(join(dir, 'domain.bin'), bytes(domain));
    const cases = [
      { kind: 'nl', p: Array(12).fill(0), alpha: 0, satLevel: 511 },
      { kind: 'nl', p: Array.from({ length: 12 }, () => 8 * (u() - 0.5)), alpha: 0.3, satLevel: 511 },
      { kind: 'nl', p: Array.from({ length: 12 }, () => 8 * (u() - 0.5)), alpha: 1e-3, satLevel: 300 },
      { kind: 'sk', p: Array.from({ length: 12 }, () => 8 * (u() - 0.5)), alpha: 0.5, satLevel: 511 },
      { kind: 'sk', p: Array.from({ length: 12 }, () => 8 * (u() - 0.5)), alpha: 0, satLevel: 350 },
    ];
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ pulses: 4, rois: run.rois, cases }));
    const ref = await runPython<[number, number][]>(NUMPY_CRIT, [dir]);
    for (const [i, c] of cases.entries()) {
      const f = c.kind === 'nl' ? nlCrit : nlCritSk;
      const ours = await f(c.p, domain, c.alpha, run.arrDark, run.arr, run.arr.trainIds, run.rois, run.mask, run.flatField, { satLevel: c.satLevel });
      assert.ok(ref[i][1] >= 1, 'some frames kept');
      const rel = Math.abs(ours - ref[i][0]) / Math.abs(ref[i][0]);
      assert.ok(rel < 1e-9, `case ${i}: ours ${ours}, numpy ${ref[i][0]} (relative ${rel})`);
    }
  });

  it('nlCritFromHistograms gives the value nlCrit gives', async function () {
    const domain = nlDomain(12, 35, 450), p = Array.from({ length: 12 }, (_, k) => k / 3);
    const h = await nlHistograms(run.arrDark, run.arr, run.rois, run.mask, run.flatField, { chunkTrains: 2 });
    const direct = await nlCrit(p, domain, 0.2, run.arrDark, run.arr, run.arr.trainIds, run.rois, run.mask, run.flatField);
    assert.ok(Math.abs(nlCritFromHistograms(p, domain, 0.2, h) - direct) <= 1e-12 * direct);
  });

  it('refuses saturation everywhere, a dark with another frame count and ROIs outside the module', async function () {
    const domain = nlDomain(12, 35, 450), p = Array(12).fill(0);
    const args = [run.arrDark, run.arr, run.arr.trainIds, run.rois, run.mask, run.flatField] as const;
    const isValue = (re: RegExp) => (e: unknown) => e instanceof ToolBoxValueError && re.test(e.message);
    await assert.rejects(nlCrit(p, domain, 0, ...args, { satLevel: 1 }), isValue(/saturated/));
    const otherDark = memoryFrames(2, 1, 5, new Uint16Array(5 * 128 * 512));
    await assert.rejects(nlCrit(p, domain, 0, otherDark, run.arr, run.arr.trainIds, run.rois, run.mask, run.flatField), isValue(/5 frames per train/));
    await assert.rejects(nlCrit(p, domain, 0, run.arrDark, run.arr, run.arr.trainIds, { ...run.rois, p: { xl: 500, xh: 520, yl: 0, yh: 10 } }, run.mask, run.flatField), isValue(/ROI 'p'.*outside/));
  });
});
