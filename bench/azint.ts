/**
 * Azimuthal integration (AZINT issue): integrate1d of a 1 Mpx DSSC-shaped
 * float32 image (2048 × 512 pixels of 236 × 204 µm), 1000 bins, q_nm^-1,
 * solid angle and polarisation (0.99), bbox splitting, CSR; against pyFAI
 * 0.21's cython CSR engine with 2 OpenMP threads, measured in the same run
 * (bench/azint_ref.py):
 * - matrix build: the first call on a fresh integrator (positions, corners,
 *   CSR matrix, normalisation), best of 3, next to pyFAI's first call;
 * - one frame with the matrix cached, best of --repeats;
 * - a stack of --frames distinct frames end to end: ours integrate1dStack
 *   with 2 workers (frames copied once into shared memory, included; and
 *   again with the frames already in a SharedArrayBuffer), pyFAI a Python
 *   loop over integrate1d_ng.
 * Our intensities are checked against pyFAI's (max relative difference).
 *   node dist/bench/azint.js [--frames 200] [--repeats 31] [--workers 2]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { PoniGeometry } from '../toolbox/routines/azint/poni-geometry.js';
import { RadialIntegrator } from '../toolbox/routines/azint/radial-integrator.js';
import type { IntegrateOptions } from '../toolbox/routines/azint/integrate-options.js';
import { arg, bestOf, printRows, SYSTEM_PYTHON, type BenchRow } from './harness.js';

const NY = 2048, NX = 512;
const GEOMETRY = {
  dist: 0.4, poni1: 1024.3 * 236e-6, poni2: 255.6 * 204e-6, rot1: 0.01, rot2: -0.005, rot3: 0,
  pixel1: 236e-6, pixel2: 204e-6, wavelength: 1.59e-9, shape: [NY, NX] as [number, number],
};
const OPTIONS: IntegrateOptions = { unit: 'q_nm^-1', split: 'bbox', correctSolidAngle: true, polarizationFactor: 0.99 };
const NPT = 1000;

/** A ring pattern with deterministic pseudo-noise, float32. */
function ringImage(): Float32Array {
  const img = new Float32Array(NY * NX);
  let seed = 12345;
  for (let i = 0; i < NY; i++) for (let j = 0; j < NX; j++) {
    const r = Math.hypot((i - 1024.3) * 0.236, (j - 255.6) * 0.204);
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    img[i * NX + j] = 200 + 150 * Math.exp(-(((r - 60) / 6) ** 2)) + 80 * Math.exp(-(((r - 120) / 10) ** 2)) + (seed % 1000) / 100;
  }
  return img;
}

/** Frame f of the stack, as azint_ref.py builds it. */
function fillFrames(base: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * base.length);
  for (let f = 0; f < n; f++) {
    const s = Math.fround(1 + 0.01 * Math.sin(f));
    const o = f * base.length;
    for (let k = 0; k < base.length; k++) out[o + k] = Math.fround(base[k] * s) + ((k * (f + 1)) % 7);
  }
  return out;
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0, worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-9 * scale));
  return worst;
}

async function main(): Promise<void> {
  const nFrames = arg('--frames', 200), repeats = arg('--repeats', 31), workers = arg('--workers', 2);
  const dir = mkdtempSync(join(tmpdir(), 'bench-azint-'));
  try {
    const img = ringImage();
    writeFileSync(join(dir, 'geometry.json'), JSON.stringify(GEOMETRY));
    writeFileSync(join(dir, 'image.f32'), new Uint8Array(img.buffer));
    const load = loadavg()[0];
    const refOut = execFileSync(SYSTEM_PYTHON, [join(__dirname, '..', '..', 'bench', 'azint_ref.py'), join(dir, 'geometry.json'), join(dir, 'image.f32'), String(nFrames), String(repeats), join(dir, 'ref.json')], {
      encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' }, maxBuffer: 64 << 20,
    });
    const py = JSON.parse(refOut.trim().split('\n').pop()!) as { build: number; frame: number; stack: number; threads: string };
    const pyRes = JSON.parse(readFileSync(join(dir, 'ref.json'), 'utf8')) as { radial: number[]; intensity: number[]; last: number[] };

    let ai = new RadialIntegrator(new PoniGeometry(GEOMETRY));
    const build = await bestOf(3, () => { ai = new RadialIntegrator(new PoniGeometry(GEOMETRY)); ai.integrate1d(img, NPT, OPTIONS); }, false);
    const r = ai.integrate1d(img, NPT, OPTIONS);
    const frame = await bestOf(repeats, () => ai.integrate1d(img, NPT, OPTIONS));
    const frames = fillFrames(img, nFrames);
    let last: Float64Array = new Float64Array(0);
    const stack = await bestOf(1, async () => {
      const s = await ai.integrate1dStack(frames, NPT, { ...OPTIONS, workers, progress: false });
      last = s.intensity.subarray((nFrames - 1) * NPT);
    }, false);
    const shared = new Float32Array(new SharedArrayBuffer(frames.byteLength));
    shared.set(frames);
    const stackShared = await bestOf(1, () => ai.integrate1dStack(shared, NPT, { ...OPTIONS, workers, progress: false }), false);
    const diff = `max rel. diff vs pyFAI: radial ${maxRel(r.radial, pyRes.radial).toExponential(1)}, intensity ${maxRel(r.intensity, pyRes.intensity).toExponential(1)}`;
    const rows: BenchRow[] = [
      { name: 'CSR matrix build (first call, fresh integrator)', ours: build, reference: py.build, referenceName: 'pyFAI first call' },
      { name: `integrate1d, one frame (matrix cached)`, ours: frame * 1e3, reference: py.frame * 1e3, referenceName: `pyFAI CSR, ${py.threads} threads`, unit: 'ms', note: diff },
      {
        name: `${nFrames}-frame stack end to end (${workers} workers)`, ours: stack, reference: py.stack, referenceName: 'pyFAI loop',
        note: `frames in a plain Float32Array, copied once into shared memory; throughput ×${(py.stack / stack).toFixed(2)} of pyFAI's; last frame max rel. diff ${maxRel(last, pyRes.last).toExponential(1)}`,
      },
      {
        name: `${nFrames}-frame stack, frames already in a SharedArrayBuffer`, ours: stackShared, reference: py.stack, referenceName: 'pyFAI loop',
        note: `throughput ×${(py.stack / stackShared).toFixed(2)} of pyFAI's`,
      },
    ];
    printRows(`Azimuthal integration, DSSC-shaped ${NY}×${NX} float32, ${NPT} bins, q_nm^-1, bbox CSR (load average ${load.toFixed(1)} at start)`, rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
