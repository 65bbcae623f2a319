/**
 * MaranaX centroiding (SPECTRO issue): a synthetic run of 2048 × 2048 uint16
 * MaranaX frames (single photons and double hits on curved lines, a dark
 * run), centroided with MaranaX.centroidFromRun (centroidTwo, method 'auto')
 * streamed in chunks of trains on `--workers` worker threads, next to a
 * numpy + h5py implementation of the same algorithm on one core
 * (bench/maranax_centroid_ref.py) on the same files, each in its own process
 * so that peak memory (maxRSS) is its own. The spectra summed over the run
 * must be equal; the photons found are compared with those put in. The run
 * is written once (about 8 GiB for 1000 frames; check `df -h /tmp`) and
 * removed at the end unless --keep.
 *   node dist/bench/maranax-centroid.js [--frames 1000] [--size 2048] [--photons 200] [--chunk 20] [--workers 2] [--dir DIR] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MaranaX } from '../toolbox/detectors/hrixs/index.js';
import { writeHrixsRun } from '../toolbox/synthetic/run/hrixs-run.js';
import { SYSTEM_PYTHON, arg, argString, printRows } from './harness.js';

const PROPOSAL = 900021;
interface Measure { seconds: number; frames: number; photons: number; maxRssMB: number; spectrum: number[] }

const runDir = (root: string, run: number) => join(root, 'SCS', '202601', `p${PROPOSAL}`, 'raw', `r${String(run).padStart(4, '0')}`);
const runFile = (root: string, run: number) => join(runDir(root, run), `RAW-R${String(run).padStart(4, '0')}-DA01-S00000.h5`);

/** Ours, in this (child) process: dark, then the run streamed through the workers. */
async function ours(root: string): Promise<void> {
  process.env.EXFEL_DATA_ROOT = root;
  const m = new MaranaX(PROPOSAL, { workers: arg('--workers', 2) });
  await m.loadDark(2);
  m.NUM_MAX_HITS = Infinity;
  const t0 = process.hrtime.bigint();
  const ds = await m.centroidFromRun(1, { chunksize: arg('--chunk', 20), progress: false });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const spec = ds.get('spectrum').sum('trainId');
  const spectrum = Array.from(spec.values as Float64Array);
  const out: Measure = { seconds, frames: ds.sizes.trainId, photons: spectrum.reduce((a, b) => a + b, 0), maxRssMB: process.resourceUsage().maxRSS / 1024, spectrum };
  console.log(JSON.stringify(out));
}

function child(root: string): Measure {
  const out = execFileSync(process.execPath, [__filename, '--child', '--dir', root, '--workers', String(arg('--workers', 2)), '--chunk', String(arg('--chunk', 20))], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

function numpy(root: string, source: string): Measure {
  const ref = join(__dirname, '..', '..', 'bench', 'maranax_centroid_ref.py');
  const out = execFileSync(SYSTEM_PYTHON, [ref, runFile(root, 1), source, runFile(root, 2), '930', '0.2', '1.5', String(arg('--chunk', 20))], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return ours(argString('--dir')!);
  const frames = arg('--frames', 1000), size = arg('--size', 2048), photons = arg('--photons', 200), workers = arg('--workers', 2);
  const root = argString('--dir') ?? mkdtempSync(join(tmpdir(), 'scs-maranax-bench-'));
  try {
    let t0 = Date.now();
    const common = { proposal: PROPOSAL, frameShape: [size, size] as [number, number], spotsInTruth: false };
    const truth = existsSync(runFile(root, 1)) ? null : (await writeHrixsRun(runDir(root, 1), { ...common, run: 1, trains: frames, photonsPerFrame: photons })).physics;
    if (!existsSync(runFile(root, 2))) await writeHrixsRun(runDir(root, 2), { ...common, run: 2, trains: 10, dark: true });
    const written = (Date.now() - t0) / 1000;
    const gib = statSync(runFile(root, 1)).size / 2 ** 30;
    t0 = Date.now();
    const o = child(root);
    const n = numpy(root, 'SCS_HRIXS_MARANAX/CAM/CAMERA:daqOutput');
    const same = o.spectrum.length === n.spectrum.length && o.spectrum.every((v, i) => v === n.spectrum[i]);
    const put = truth ? truth.photons.reduce((a, b) => a + b, 0) : NaN;
    const fps = (m: Measure) => `${(m.frames / m.seconds).toFixed(1)} frames/s`;
    printRows(`MaranaX centroiding: ${frames} frames of ${size} × ${size} uint16 (${gib.toFixed(2)} GiB, written in ${written.toFixed(0)} s), ${photons} spots/frame, streamed in chunks of ${arg('--chunk', 20)} trains`, [
      { name: `MaranaX.centroidFromRun, ${workers} workers`, ours: o.seconds, reference: n.seconds, referenceName: 'numpy, 1 core',
        note: `ours ${fps(o)}, peak RSS ${o.maxRssMB.toFixed(0)} MB; numpy ${fps(n)}, peak RSS ${n.maxRssMB.toFixed(0)} MB; throughput ratio ours/numpy ${(n.seconds / o.seconds).toFixed(2)}×` },
    ]);
    console.log(`\nphotons found: ours ${o.photons}, numpy ${n.photons}, put in ${Number.isNaN(put) ? '(run reused)' : put}; summed spectra ${same ? 'equal' : 'DIFFER'}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    if (!same) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
