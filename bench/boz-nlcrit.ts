/**
 * BOZ issue, benchmark (a): one nlCrit evaluation, ours on the per-frame
 * histograms next to the direct numpy formula (bench/boz_nlcrit_ref.py: the
 * LUT on every pixel, dark mean, flat field, mask, ROI sums, weighted snr) on
 * the same synthetic run, in the same process tree. numpy gets only the band
 * of rows and columns the ROIs cover (the least work a pixel evaluation can
 * do); ours is timed with the histograms built (once per fit, shown
 * separately) and then per evaluation, as nlFit calls it.
 *   node dist/bench/boz-nlcrit.js [--trains 100] [--pulses 20] [--repeats 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nlCritFromHistograms } from '../toolbox/routines/boz/nl-crit.js';
import { nlHistograms } from '../toolbox/routines/boz/nl-histograms.js';
import { nlDomain } from '../toolbox/routines/boz/nl-lut.js';
import { MODULE_COLS, MODULE_PIXELS, type ModuleFrames, type Roi } from '../toolbox/routines/boz/types.js';
import { nlRun } from '../test/boz/nl-synthetic.js';
import { arg, bestOf, printRows, SYSTEM_PYTHON, type BenchRow } from './harness.js';

/** The frames cropped to the band `band` (rows yl..yh, columns xl..xh), as numpy gets them. */
async function cropped(a: ModuleFrames, band: Roi): Promise<Uint16Array> {
  const R = band.yh - band.yl, C = band.xh - band.xl;
  const out = new Uint16Array(a.trainIds.length * a.pulses * R * C);
  let o = 0;
  for await (const c of a.chunks()) {
    for (let f = 0; f < c.trains * c.pulses; f++) {
      for (let y = band.yl; y < band.yh; y++) {
        const s = f * MODULE_PIXELS + y * MODULE_COLS;
        out.set(c.data.subarray(s + band.xl, s + band.xh), o);
        o += C;
      }
    }
  }
  return out;
}

function croppedImage<T extends Uint8Array | Float64Array>(img: T, band: Roi, make: (n: number) => T): T {
  const C = band.xh - band.xl, out = make((band.yh - band.yl) * C);
  for (let y = band.yl; y < band.yh; y++) out.set(img.subarray(y * MODULE_COLS + band.xl, y * MODULE_COLS + band.xh), (y - band.yl) * C);
  return out;
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function main(): Promise<void> {
  const trains = arg('--trains', 100), pulses = arg('--pulses', 20), repeats = arg('--repeats', 5);
  const run = nlRun({ trains, pulses, flatField: true, seed: 1, high: 440 });
  const band = run.rois.sat;
  const rel = (r: Roi): Roi => ({ xl: r.xl - band.xl, xh: r.xh - band.xl, yl: r.yl - band.yl, yh: r.yh - band.yl });
  const domain = nlDomain(40, 40, 440), p = Float64Array.from({ length: 40 }, (_, k) => 3 * Math.sin(k / 4));
  const alpha = 0.01, satLevel = 511;
  const dir = mkdtempSync(join(tmpdir(), 'bench-boz-'));
  try {
    writeFileSync(join(dir, 'arr.bin'), bytes(await cropped(run.arr, band)));
    writeFileSync(join(dir, 'dark.bin'), bytes(await cropped(run.arrDark, band)));
    writeFileSync(join(dir, 'mask.bin'), croppedImage(run.mask, band, (n) => new Uint8Array(n)));
    writeFileSync(join(dir, 'ff.bin'), bytes(croppedImage(run.flatField, band, (n) => new Float64Array(n))));
    writeFileSync(join(dir, 'domain.bin'), bytes(domain));
    writeFileSync(join(dir, 'p.bin'), bytes(p));
    const rois = Object.fromEntries(Object.entries(run.rois).map(([k, r]) => [k, rel(r)]));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ pulses, rows: band.yh - band.yl, cols: band.xh - band.xl, rois, alpha, satLevel }));
    const load = loadavg()[0];
    const out = execFileSync(SYSTEM_PYTHON, [join(__dirname, '..', '..', 'bench', 'boz_nlcrit_ref.py'), dir, String(repeats)], { encoding: 'utf8' });
    const py = JSON.parse(out.trim().split('\n').pop()!) as { crit: number; seconds: number };

    let h = await nlHistograms(run.arrDark, run.arr, run.rois, run.mask, run.flatField);
    const build = await bestOf(1, async () => { h = await nlHistograms(run.arrDark, run.arr, run.rois, run.mask, run.flatField); }, false);
    const first = await bestOf(1, () => nlCritFromHistograms(p, domain, alpha, h), false);
    let value = 0;
    const evaluation = await bestOf(repeats * 20, () => { value = nlCritFromHistograms(p.map((v) => v + 1e-9 * Math.random()), domain, alpha, h); });
    const exact = nlCritFromHistograms(p, domain, alpha, h);
    const frames = trains * pulses, px = (band.yh - band.yl) * (band.xh - band.xl);
    void value;
    const rows: BenchRow[] = [
      {
        name: 'one nlCrit evaluation (histograms built)', ours: evaluation * 1e3, reference: py.seconds * 1e3, referenceName: 'numpy, direct formula', unit: 'ms',
        note: `×${(py.seconds / evaluation).toFixed(0)} faster; values ${exact.toPrecision(12)} vs ${py.crit.toPrecision(12)} (rel. diff ${(Math.abs(exact - py.crit) / Math.abs(py.crit)).toExponential(1)})`,
      },
      { name: 'first evaluation on a new domain (segment sums)', ours: first * 1e3, reference: py.seconds * 1e3, referenceName: 'numpy, one evaluation', unit: 'ms', note: 'once per domain' },
      { name: 'building the histograms (both runs streamed once)', ours: build, reference: py.seconds, referenceName: 'numpy, one evaluation', note: 'once per fit (nlHistograms)' },
    ];
    printRows(`BOZ nlCrit, ${trains} trains × ${pulses} frames (${frames} frames; dark ${run.arrDark.trainIds.length} trains), beams 3 × 16 × 16 px, numpy on the ${px}-px ROI band; 40 segments (load average ${load.toFixed(1)} at start)`, rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
