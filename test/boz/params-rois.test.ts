import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataArray, OptionsError, ParameterError, ToolBoxError, ToolBoxValueError, findRois, findRoisFromParams, getRoiPixelPos, inspectRois, parameters, roiProjections,
} from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { MODULE_COLS, MODULE_PIXELS, beamsImage, memoryFrames, rng } from './params-helpers.js';

const ROWS = { yl: 30, yh: 90 };
const THREE = [{ xl: 40, xh: 100, ...ROWS }, { xl: 200, xh: 260, ...ROWS }, { xl: 360, xh: 420, ...ROWS }];
const valueError = (re: RegExp) => (e: Error) => e instanceof ToolBoxValueError && re.test(e.message);

describe('BOZ ROIs: findRois', () => {
  it('finds the three beams where they are, n 0 p left to right, and sat spanning them', () => {
    const rois = findRois(beamsImage(THREE), 1);
    assert.deepEqual(rois, { n: THREE[0], 0: THREE[1], p: THREE[2], sat: { xl: 40, xh: 420, ...ROWS } });
    assert.deepEqual(Object.keys(rois), ['0', 'n', 'p', 'sat']);
  });

  it('takes a 128 × 512 DataArray as well', () => {
    const da = new DataArray(beamsImage(THREE), { dims: ['x', 'y'], shape: [128, 512] });
    assert.deepEqual(findRois(da, 1).p, THREE[2]);
  });

  it('makes the beams the width of the widest, centred on each', () => {
    const rois = findRois(beamsImage([THREE[0], { xl: 200, xh: 250, ...ROWS }, { xl: 361, xh: 420, ...ROWS }]), 1);
    assert.deepEqual(rois['0'], { xl: 195, xh: 255, ...ROWS });
    assert.deepEqual(rois.p, { xl: 360, xh: 420, ...ROWS });
    assert.deepEqual(rois.n, THREE[0]);
  });

  it('threshold edges: a projection equal to the threshold is not above it', () => {
    // Beams of 128 over rows [0, 64): column projection exactly 64, row projection 128·180/512 = 45.
    const img = beamsImage(THREE.map((b) => ({ ...b, yl: 0, yh: 64 })), 128);
    const { pX, pY } = roiProjections(img);
    assert.equal(pX[40], 64);
    assert.equal(pY[0], 45);
    assert.throws(() => findRois(img, 45), valueError(/no row projection above threshold 45 \(the largest is 45 at 0\)/));
    assert.deepEqual(findRois(img, 44.999).n, { xl: 40, xh: 100, yl: 0, yh: 64 });
    assert.throws(() => findRois(img, 64), valueError(/no column projection above threshold 64 \(the largest is 64 at 40\): no beam found/));
    assert.throws(() => findRois(img, -1), valueError(/1 column ranges above threshold -1 \(\[0, 512\)\)/));
  });

  it('no beam, two beams, two row ranges: errors with the ranges found', () => {
    assert.throws(() => findRois(new Float64Array(MODULE_PIXELS), 1), valueError(/no column projection above threshold 1 \(the largest is 0 at 0\)/));
    assert.throws(() => findRois(beamsImage(THREE.slice(0, 2)), 1), valueError(/2 column ranges above threshold 1 \(\[40, 100\), \[200, 260\)\); expected 3 beams/));
    const twoRows = beamsImage([...THREE, { xl: 40, xh: 100, yl: 100, yh: 110 }]);
    assert.throws(() => findRois(twoRows, 1), valueError(/2 row ranges above threshold 1 \(\[30, 90\), \[100, 110\)\)/));
  });

  it('outside the module or overlapping once widened: errors with the numbers', () => {
    const outside = beamsImage([{ xl: 0, xh: 10, ...ROWS }, THREE[1], THREE[2]]);
    assert.throws(() => findRois(outside, 0.5), valueError(/beam 'n' widened to 60 columns is \[-25, 35\), outside the module's columns \[0, 512\)/));
    const overlap = beamsImage([{ xl: 100, xh: 160, ...ROWS }, { xl: 165, xh: 170, ...ROWS }, THREE[2]]);
    assert.throws(() => findRois(overlap, 0.5), valueError(/beams 'n' \[100, 160\) and '0' \[137, 197\) overlap once widened to 60 columns/));
  });

  it('skips NaN pixels (masked) in the projections', () => {
    const img = beamsImage(THREE);
    for (let c = 0; c < MODULE_COLS; c++) img[50 * MODULE_COLS + c] = NaN;
    img[7] = NaN;
    for (let r = 0; r < 128; r++) img[r * MODULE_COLS + 70] = NaN;
    assert.deepEqual(findRois(img, 1), { n: THREE[0], 0: THREE[1], p: THREE[2], sat: { xl: 40, xh: 420, ...ROWS } });
    // A masked line outside the beams stays outside; at the edge of a beam it does not widen it.
    for (let r = 0; r < 128; r++) { img[r * MODULE_COLS + 150] = NaN; img[r * MODULE_COLS + 100] = NaN; }
    assert.deepEqual(findRois(img, 1).n, THREE[0]);
  });

  it('extended: each beam cut at the 64 × 64 ASIC boundaries', () => {
    const rois = findRois(beamsImage(THREE), 1, { extended: true });
    assert.deepEqual(rois.n_asic0, { xl: 40, xh: 64, yl: 30, yh: 64 });
    assert.deepEqual(rois.n_asic1, { xl: 64, xh: 100, yl: 30, yh: 64 });
    assert.deepEqual(rois.n_asic8, { xl: 40, xh: 64, yl: 64, yh: 90 });
    assert.deepEqual(rois.n_asic9, { xl: 64, xh: 100, yl: 64, yh: 90 });
    assert.deepEqual(rois['0_asic3'], { xl: 200, xh: 256, yl: 30, yh: 64 });
    assert.deepEqual(rois.p_asic14, { xl: 384, xh: 420, yl: 64, yh: 90 });
    assert.equal(Object.keys(rois).length, 4 + 12);
  });

  it('bad input', () => {
    const img = beamsImage(THREE);
    assert.throws(() => findRois(img, NaN), (e: Error) => e instanceof ParameterError && e.parameter === 'threshold');
    assert.throws(() => findRois(img, '1' as never), (e: Error) => e instanceof ParameterError && e.parameter === 'threshold');
    assert.throws(() => findRois(new Float64Array(100), 1), (e: Error) => e instanceof ParameterError && e.parameter === 'dataMean' && /got 100 values/.test(e.message));
    assert.throws(() => findRois(new DataArray(new Float64Array(512 * 64), { dims: ['x', 'y'], shape: [64, 512] }), 1), (e: Error) => e instanceof ParameterError && /\(64, 512\)/.test(e.message));
    assert.throws(() => findRois(img, 1, { Extended: true } as never), OptionsError);
  });
});

describe('BOZ ROIs: getRoiPixelPos', () => {
  const roi = { xl: 10, xh: 14, yl: 5, yh: 8 };
  it('fake positions: column and row minus the ROI centre, row-major over img[yl:yh, xl:xh]', () => {
    const { X, Y } = getRoiPixelPos(roi, null);
    assert.deepEqual(Array.from(X), [-1.5, -0.5, 0.5, 1.5, -1.5, -0.5, 0.5, 1.5, -1.5, -0.5, 0.5, 1.5]);
    assert.deepEqual(Array.from(Y), [-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1]);
    assert.deepEqual(getRoiPixelPos(roi, new parameters(1, 2, 3, 4, 5)), { X, Y });
  });
  it('real positions: hexagonal lattice, odd rows shifted by half a pixel, rows 204/236 apart', () => {
    const { X, Y } = getRoiPixelPos(roi, { useHex: true });
    // Rows 5 and 7 are odd: shifted; mean shift 2/3 · 0.5.
    const shift = 1 / 3;
    assert.ok(Math.abs(X[0] - (-1.5 + 0.5 - shift)) < 1e-12);
    assert.ok(Math.abs(X[4] - (-1.5 - shift)) < 1e-12);
    assert.ok(Math.abs(Y[8] - 204 / 236) < 1e-12);
    assert.ok(Math.abs(X.reduce((a, b) => a + b, 0)) < 1e-12 && Math.abs(Y.reduce((a, b) => a + b, 0)) < 1e-12);
  });
  it('bad ROIs', () => {
    assert.throws(() => getRoiPixelPos({ xl: 10, xh: 10, yl: 0, yh: 1 }), (e: Error) => e instanceof ParameterError && /empty or outside/.test(e.message));
    assert.throws(() => getRoiPixelPos({ xl: 500, xh: 513, yl: 0, yh: 1 }), ParameterError);
    assert.throws(() => getRoiPixelPos({ xl: 0, xh: 1.5, yl: 0, yh: 1 }), ParameterError);
  });
});

describe('BOZ ROIs: against numpy', () => {
  let dir: string;
  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-boz-rois-'));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('projections (1e-9) and ROIs (exact) of a noisy random image equal a numpy implementation', async () => {
    const r = rng(11);
    const cases: [number, { xl: number; xh: number; yl: number; yh: number }[]][] = [
      [0, THREE], [1, [{ xl: 10, xh: 70, yl: 3, yh: 120 }, { xl: 150, xh: 203, yl: 3, yh: 120 }, { xl: 300, xh: 366, yl: 3, yh: 120 }]]];
    for (const [k, beams] of cases) {
      const img = beamsImage(beams, 50);
      for (let i = 0; i < img.length; i++) img[i] += (r() - 0.5) * 4 + (r() < 0.001 ? NaN : 0);
      const file = join(dir, `img${k}.f64`);
      writeFileSync(file, img);
      const ref = await runPython<{ pX: (number | null)[]; pY: (number | null)[]; rois: Record<string, number[]> }>(String.raw`
import warnings
img = np.fromfile(sys.argv[1], dtype='<f8').reshape(128, 512)
th = float(sys.argv[2])
pX = np.nanmean(img, axis=0); pY = np.nanmean(img, axis=1)
def runs(p):
    a = np.concatenate([[0], (p > th).astype(int), [0]])
    d = np.diff(a)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))
cx = runs(pX); ry = runs(pY)
assert len(cx) == 3 and len(ry) == 1, (cx, ry)
w = max(b - a for a, b in cx)
rois = {}
for name, (a, b) in zip(['n', '0', 'p'], cx):
    xl = (a + b - w) // 2
    rois[name] = [int(xl), int(xl + w), int(ry[0][0]), int(ry[0][1])]
rois['sat'] = [rois['n'][0], rois['p'][1], int(ry[0][0]), int(ry[0][1])]
emit({'pX': pX.tolist(), 'pY': pY.tolist(), 'rois': rois})
`, [file, '5']);
      const { pX, pY } = roiProjections(img);
      pX.forEach((v, i) => assert.ok(Math.abs(v - ref.pX[i]!) <= 1e-9 * Math.abs(ref.pX[i]!), `pX[${i}]`));
      pY.forEach((v, i) => assert.ok(Math.abs(v - ref.pY[i]!) <= 1e-9 * Math.abs(ref.pY[i]!), `pY[${i}]`));
      const rois = findRois(img, 5);
      for (const [name, [xl, xh, yl, yh]] of Object.entries(ref.rois)) assert.deepEqual(rois[name], { xl, xh, yl, yh }, name);
    }
  });

  it('getRoiPixelPos equals numpy meshgrid minus its mean, fake and hexagonal', async () => {
    const roi = { xl: 33, xh: 71, yl: 17, yh: 60 };
    const ref = await runPython<{ X: number[]; Y: number[]; hX: number[]; hY: number[] }>(String.raw`
X, Y = np.meshgrid(np.arange(33, 71, dtype=float), np.arange(17, 60, dtype=float))
hX = X + 0.5 * (Y % 2 == 1); hY = Y * 204 / 236
emit({'X': (X - X.mean()).ravel().tolist(), 'Y': (Y - Y.mean()).ravel().tolist(), 'hX': (hX - hX.mean()).ravel().tolist(), 'hY': (hY - hY.mean()).ravel().tolist()})
`);
    const fake = getRoiPixelPos(roi);
    const hex = getRoiPixelPos(roi, { useHex: true });
    const close = (a: Float64Array, b: number[], what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i])), `${what}[${i}] ${v} ${b[i]}`));
    close(fake.X, ref.X, 'X'); close(fake.Y, ref.Y, 'Y'); close(hex.X, ref.hX, 'hX'); close(hex.Y, ref.hY, 'hY');
  });
});

describe('BOZ ROIs: from the parameters and inspection', () => {
  /** Two trains × 2 pulses of a dark at 20 ± 2 and a run of dark + beams of 60 ADU, with a hot pixel. */
  function runs(): { dark: Uint16Array; run: Uint16Array; hot: number } {
    const r = rng(3);
    const n = 2 * 2 * MODULE_PIXELS;
    const dark = Uint16Array.from({ length: n }, () => 20 + Math.floor(r() * 4));
    const beams = beamsImage(THREE, 60);
    const hot = 10 * MODULE_COLS + 300;
    const run = Uint16Array.from(dark, (v, i) => v + beams[i % MODULE_PIXELS] + (i % MODULE_PIXELS === hot ? 400 : 0));
    return { dark, run, hot };
  }

  it('findRoisFromParams: the dark-corrected mean of the runs, masked pixels left out, threshold params.roisTh', async () => {
    const { dark, run, hot } = runs();
    const p = new parameters(1, 2, 3, 15, 1);
    p.arrDark = memoryFrames(dark, 2, 2, { run: 2 });
    p.arr = memoryFrames(run, 2, 2, { run: 3, chunkTrains: 1 });
    await assert.rejects(findRoisFromParams(p), (e: Error) => e instanceof ParameterError && /roisTh is not set/.test(e.message));
    p.roisTh = 1;
    // The hot pixel's column is a fourth range above threshold until it is masked.
    await assert.rejects(findRoisFromParams(p), valueError(/4 column ranges above threshold 1 \(\[40, 100\), \[200, 260\), \[300, 301\), \[360, 420\)\)/));
    p.setMask([[Math.floor(hot / MODULE_COLS), hot % MODULE_COLS]]);
    assert.deepEqual(await findRoisFromParams(p), { n: THREE[0], 0: THREE[1], p: THREE[2], sat: { xl: 40, xh: 420, ...ROWS } });
    // With a correction table the image follows F (here F = 0.01·v: the beams fall under the threshold).
    p.setFnl(Float64Array.from({ length: 512 }, (_, v) => 0.01 * v));
    await assert.rejects(findRoisFromParams(p), valueError(/no column projection above threshold 1/));
  });

  it('findRoisFromParams before openData: a ToolBoxError', async () => {
    const p = new parameters(1, 2, 3, 15, 1);
    p.roisTh = 1;
    await assert.rejects(findRoisFromParams(p), (e: Error) => e instanceof ToolBoxError && /openData/.test(e.message));
  });

  it('inspectRois: the image with the ROI rectangles, the projections with the threshold', async () => {
    const img = beamsImage(THREE);
    const rois = findRois(img, 1, { extended: true });
    const res = inspectRois(img, rois, { threshold: 1 });
    assert.deepEqual(Object.keys(res.rois).sort(), ['0', 'n', 'p']);
    assert.equal(res.pX.length, 512);
    assert.equal(res.pY.length, 128);
    assert.equal(res.threshold, 1);
    const spec = await res.plot.toSpec() as { vconcat: { layer?: { data: { values: { name?: string; x0: number }[] } }[] }[] };
    assert.equal(spec.vconcat.length, 3);
    const rects = spec.vconcat[0].layer!.at(-1)!.data.values;
    assert.deepEqual(rects.map((r) => [r.name, r.x0]), [['0', 199.5], ['n', 39.5], ['p', 359.5]]);
    assert.equal(Object.keys(inspectRois(img, rois, { allrois: true }).rois).length, 16);
    assert.throws(() => inspectRois(img, { n: { xl: 0, xh: 600, yl: 0, yh: 1 } }), (e: Error) => e instanceof ParameterError && e.parameter === 'rois.n');
    assert.throws(() => inspectRois(img, rois, { threshold: NaN }), ParameterError);
    assert.throws(() => inspectRois(img, rois, { all_rois: true } as never), OptionsError);
  });
});
