/**
 * Binning one DSSC module (DSSC issue): a synthetic delay-scan run of raw
 * 128×512 uint16 frames, binned by scan value (delay-line position rounded
 * to a step) × frame pattern ['pumped','intradark','unpumped','intradark'],
 * in float64 sums divided by the frame counts. Measured in the same run:
 * - the raw read speed of the module's files: `cat` from the page cache and
 *   `dd iflag=direct` (the disk), and our plain chunked read (dsscModuleChunks);
 * - a numpy + h5py implementation of the same binning on one core
 *   (bench/dssc_binning_ref.py);
 * - ours: the kernel over dsscModuleFrames in one thread (pieces of a few
 *   MiB with prefetch, as processData reads), and DSSCBinner.processData with nJobs 1
 *   (in the calling thread) and 2 (worker threads);
 * each at two run lengths (half and full), every configuration in its own
 * process so that peak memory (maxRSS) is that configuration's, with the
 * files in the page cache; at full length also with the files evicted from
 * the page cache before each run (read from the disk, as real runs are).
 * Our results are checked against numpy's (max abs difference).
 *   node dist/bench/dssc-binning.js [--trains 160] [--frames 100] [--chunk 20] [--points 10] [--step 0.01]
 *        [--repeats 2] [--kernel-only] [--no-cold] [--no-hugepages]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { h5module } from '../toolbox/io/h5file.js';
import { runByPath } from '../toolbox/run/open.js';
import { dsscModuleChunks, dsscModuleFrames, loadDsscInfo } from '../toolbox/detectors/dssc/run-view.js';
import { getArray } from '../toolbox/load/load.js';
import { accumulateFrames } from '../toolbox/routines/dssc/kernel.js';
import { FrameAccumulator } from '../toolbox/routines/dssc/kernel-simd.js';
import { framePlan } from '../toolbox/routines/dssc/accumulate.js';
import { writeMockRun } from 'scs-toolbox/synthetic';
import { arg, argString, bestOf, printRows, PY_TIMER, rerunWithHugePages, runPython, SYSTEM_PYTHON, titleWithHugePages, type BenchRow } from './harness.js';

const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const DELAY_LINE = 'PP800_DelayLine';
const MODULE = 0;

/** What one measured configuration reports (a child process prints it as JSON). */
interface Measure { seconds: number; frames: number; bytes: number; maxRssMB: number }

/**
 * How our children bin: 'read' / 'readReuse' (no binning; fresh or reused chunk buffers),
 * 'kernel' (one thread, reused buffer), 'process1'/'process2' (processData, nJobs).
 */
type Mode = 'read' | 'readReuse' | 'kernel' | 'process1' | 'process2';

// ---------------------------------------------------------------- ours, in a child process

/** The sorted scan values, as getArray(…, stepsize) rounds them, and each train's bin (trains without a value have none). */
async function scanBins(run: Awaited<ReturnType<typeof runByPath>>, step: number): Promise<{ values: number[]; binOf: Map<bigint, number> }> {
  const scan = await getArray(run, DELAY_LINE, step);
  const v = scan.values as Float64Array;
  const ids = scan.coords.trainId.values as BigUint64Array;
  const values = [...new Set(Array.from(v).filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b);
  const binOf = new Map<bigint, number>();
  ids.forEach((t, i) => { if (!Number.isNaN(v[i])) binOf.set(t, values.indexOf(v[i])); });
  return { values, binOf };
}

/** The binning loop itself, as the library runs it per worker, without the library around it. */
async function kernelBinning(dir: string, chunk: number, step: number, out: string): Promise<{ frames: number; bytes: number }> {
  const run = await runByPath(dir);
  try {
    const { values, binOf } = await scanBins(run, step);
    const labels = [...new Set(PATTERN)];
    const info = await loadDsscInfo(run);
    const fpt = info.framesPerTrain;
    const pixels = info.dims[0] * info.dims[1];
    const labelOf = Int32Array.from({ length: fpt }, (_, f) => labels.indexOf(PATTERN[f % PATTERN.length]));
    const nGroups = values.length * labels.length;
    // as processData bins: the sums and both read buffers in the SIMD kernel's memory
    const plan = framePlan(run, MODULE, chunk);
    const acc = FrameAccumulator.create(nGroups * pixels, plan.bytes, 2);
    const counts = new Float64Array(nGroups);
    const ones = new Float64Array(plan.frames).fill(1);
    const offsets: number[][] = Array.from({ length: nGroups }, () => []);
    let frames = 0, bytes = 0;
    // as processData reads: pieces of a few MiB of frames, the next read while this one is binned
    const buffers = acc.buffers.length === 2 ? acc.buffers : undefined;
    for await (const c of dsscModuleFrames(run, MODULE, { frames: plan.frames, prefetch: true, buffers })) {
      const ids = c.coords.trainId.values as BigUint64Array;
      const pulse = c.coords.pulse.values as Int32Array;
      for (const o of offsets) o.length = 0;
      for (let i = 0; i < c.shape[0]; i++) {
        const b = binOf.get(ids[i]);
        if (b !== undefined) offsets[b * labels.length + labelOf[pulse[i]]].push(i * pixels);
      }
      const src = c.values as Uint16Array;
      offsets.forEach((o, g) => {
        if (o.length === 0) return;
        acc.accumulate(g * pixels, src, o, ones, o.length, pixels);
        counts[g] += o.length;
        frames += o.length;
      });
      bytes += c.nbytes;
    }
    const sums = acc.result();
    for (let g = 0; g < nGroups; g++) for (let p = 0; p < pixels; p++) sums[g * pixels + p] /= counts[g];
    writeFileSync(`${out}.f64`, new Uint8Array(sums.buffer, sums.byteOffset, sums.byteLength));
    writeFileSync(`${out}.json`, JSON.stringify({ values, labels, shape: [values.length, labels.length, ...info.dims] }));
    return { frames, bytes };
  } finally {
    run.close();
  }
}

async function plainRead(dir: string, chunk: number, reuseBuffer: boolean): Promise<{ frames: number; bytes: number }> {
  const run = await runByPath(dir);
  let frames = 0, bytes = 0;
  for await (const c of dsscModuleChunks(run, MODULE, { chunksize: chunk, reuseBuffer })) { frames += c.shape[0] * c.shape[1]; bytes += c.nbytes; }
  run.close();
  return { frames, bytes };
}

/** The library's way: DSSCBinner.processData writes the module file (compared with numpy afterwards). */
/** The library's routines, loaded only by the processData children, so that the raw-read and kernel measurements do not depend on them. */
const routines = () => import('../toolbox/routines/index.js');

async function processBinning(dir: string, chunk: number, step: number, out: string, nJobs: number): Promise<{ frames: number; bytes: number }> {
  const { DSSCBinner, createDsscBins } = await routines();
  const run = await runByPath(dir);
  try {
    const scan = await getArray(run, DELAY_LINE, step);
    const info = await loadDsscInfo(run);
    const trainIds = scan.coords.trainId.values as BigUint64Array;
    const binners = {
      trainId: createDsscBins('trainId', trainIds, Array.from(scan.values as Float64Array)),
      pulse: createDsscBins('pulse', Int32Array.from({ length: info.framesPerTrain }, (_, i) => i), PATTERN),
    };
    const binner = await DSSCBinner.create(run, { binners });
    const summary = await binner.processData({ modules: [MODULE], filepath: out, chunksize: chunk, nJobs, progress: false });
    writeFileSync(`${out}.file`, summary.files[0]);
    const frames = summary.framesBinned;
    return { frames, bytes: frames * info.dims[0] * info.dims[1] * 2 };
  } finally {
    run.close();
  }
}

async function child(mode: Mode, dir: string, chunk: number, step: number, out: string): Promise<void> {
  await h5module(); // loading HDF5 is not timed, as Python's `import h5py` is not
  if (mode.startsWith('process')) await routines(); // nor loading the library (a kernel has it preloaded)
  const t0 = process.hrtime.bigint();
  const r = mode === 'read' || mode === 'readReuse' ? await plainRead(dir, chunk, mode === 'readReuse')
    : mode === 'kernel' ? await kernelBinning(dir, chunk, step, out)
      : await processBinning(dir, chunk, step, out, mode === 'process1' ? 1 : 2);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m: Measure = { seconds, ...r, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(m));
}

// ---------------------------------------------------------------- the driver

/** The numpy + h5py reference, a source file next to this one's source: found from dist/bench or any other outDir. */
const PY_REF = join(packageRoot(__dirname), 'bench', 'dssc_binning_ref.py');

function packageRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) throw new Error(`no package.json above ${from}`);
  }
}

function timeIt(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Best time over `repeats` fresh processes (`before` runs ahead of each, untimed); memory is the largest peak seen. */
function best(repeats: number, once: () => Measure, before?: () => void): Measure {
  let b: Measure | null = null;
  let rss = 0;
  for (let i = 0; i < repeats; i++) {
    before?.();
    const m = once();
    rss = Math.max(rss, m.maxRssMB);
    if (!b || m.seconds < b.seconds) b = m;
  }
  return { ...b!, maxRssMB: rss };
}

function runOurs(mode: Mode, dir: string, chunk: number, step: number, out: string): Measure {
  const r = spawnSync(process.execPath, [__filename, '--child', mode, '--dir', dir, '--chunk', String(chunk), '--step', String(step), '--out', out],
    { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`our ${mode} binning failed (exit ${r.status}):\n${r.stderr}`);
  return lastJson<Measure>(r.stdout);
}

function runNumpy(dir: string, chunk: number, step: number, out: string): Measure {
  return lastJson<Measure>(execFileSync(SYSTEM_PYTHON, [PY_REF, 'bin', dir, String(chunk), String(step), out, PATTERN.join(',')], { encoding: 'utf8', maxBuffer: 16 << 20 }));
}

/** Ours against numpy's means: `ours` is the kernel's dump or processData's module file. */
function compare(ref: string, ours: string, kind: 'kernel' | 'file'): string {
  const r = lastJson<{ maxAbsDiff: number; maxAbs: number }>(execFileSync(SYSTEM_PYTHON, [PY_REF, 'compare', ref, ours, kind], { encoding: 'utf8' }));
  return `max abs diff vs numpy ${r.maxAbsDiff.toExponential(1)} (means up to ${r.maxAbs.toFixed(0)})`;
}

/** `dd iflag=direct` reads around the page cache: the disk's speed, or null where O_DIRECT is refused (tmpfs). */
function directRead(files: string[]): number | null {
  try {
    return timeIt(() => { for (const f of files) execFileSync('dd', [`if=${f}`, 'of=/dev/null', 'bs=16M', 'iflag=direct'], { stdio: 'ignore' }); });
  } catch {
    return null;
  }
}

/** Drop these files (only) from the page cache, so the next reader gets them from the disk. */
function evict(files: string[]): void {
  for (const f of files) execFileSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0', 'status=none']);
}

type Who = Mode | 'numpy';
interface LengthResult {
  trains: number; fileBytes: number; cat: number; direct: number | null;
  warm: Partial<Record<Who, Measure>>; cold: Partial<Record<Who, Measure>>; checks: Partial<Record<Mode, string>>;
}

interface Settings { frames: number; chunk: number; step: number; points: number; repeats: number; withProcess: boolean }

async function measureLength(root: string, trains: number, cold: boolean, o: Settings): Promise<LengthResult> {
  const dir = join(root, `r${trains}`);
  await writeMockRun(dir, { trains, frames: o.frames, modules: [MODULE], pixels: [128, 512], seed: 1, scan: 'delay', scanPoints: o.points, progress: () => {} });
  const all = readdirSync(dir).filter((f) => f.endsWith('.h5')).sort().map((f) => join(dir, f));
  const files = all.filter((f) => f.includes(`DSSC${String(MODULE).padStart(2, '0')}`));
  const fileBytes = files.reduce((s, f) => s + statSync(f).size, 0);
  const direct = directRead(files);
  const cat = () => execFileSync('bash', ['-c', `cat ${all.map((f) => `'${f}'`).join(' ')} > /dev/null`]);
  cat();
  let catBest = Infinity;
  for (let i = 0; i < 3; i++) catBest = Math.min(catBest, timeIt(() => execFileSync('bash', ['-c', `cat ${files.map((f) => `'${f}'`).join(' ')} > /dev/null`])));

  const ref = join(root, `numpy-${trains}`);
  const modes: Mode[] = o.withProcess ? ['read', 'readReuse', 'kernel', 'process1', 'process2'] : ['read', 'readReuse', 'kernel'];
  const r: LengthResult = { trains, fileBytes, cat: catBest, direct, warm: {}, cold: {}, checks: {} };
  r.warm.numpy = best(o.repeats, () => runNumpy(dir, o.chunk, o.step, ref), cat);
  for (const mode of modes) {
    const out = join(root, `${mode}-${trains}`);
    r.warm[mode] = best(o.repeats, () => runOurs(mode, dir, o.chunk, o.step, out), cat);
    if (mode === 'kernel') r.checks[mode] = compare(ref, out, 'kernel');
    if (mode.startsWith('process')) r.checks[mode] = compare(ref, readFileSync(`${out}.file`, 'utf8'), 'file');
  }
  // without O_DIRECT (tmpfs) there is no disk to compare with, nor a page cache to evict from
  if (cold && direct !== null) {
    r.cold.numpy = best(o.repeats, () => runNumpy(dir, o.chunk, o.step, ref), () => evict(all));
    for (const mode of modes.filter((m) => !m.startsWith('read'))) {
      r.cold[mode] = best(o.repeats, () => runOurs(mode, dir, o.chunk, o.step, join(root, `${mode}-${trains}`)), () => evict(all));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return r;
}

const gbps = (bytes: number, s: number) => `${(bytes / s / 1e9).toFixed(2)} GB/s`;
const fps = (m: Measure) => `${Math.round(m.frames / m.seconds)} frames/s`;
const pct = (a: number, b: number) => `${(a / b * 100).toFixed(0)}%`;
const NAMES: Record<Who, string> = {
  numpy: 'numpy + h5py, 1 core', read: 'plain chunked read (dsscModuleChunks, no binning)',
  readReuse: 'plain chunked read into one reused buffer (reuseBuffer)', kernel: 'kernel over dsscModuleFrames (prefetch, reads as processData), 1 thread',
  process1: 'DSSCBinner.processData, nJobs 1 (calling thread)', process2: 'DSSCBinner.processData, nJobs 2',
};

function report(r: LengthResult, o: Settings): void {
  const label = `${r.trains} trains × ${o.frames} frames (${(r.warm.numpy!.bytes / 1e9).toFixed(2)} GB)`;
  const disk = r.direct === null ? 'dd iflag=direct refused' : `disk (dd iflag=direct) ${gbps(r.fileBytes, r.direct)}`;
  const read = r.warm.read!;
  const reuse = r.warm.readReuse!;
  const numpy = r.warm.numpy!;
  const rows: BenchRow[] = [
    { name: `ours: ${NAMES.read}`, ours: read.seconds, reference: r.cat, referenceName: 'cat',
      note: `ours ${gbps(read.bytes, read.seconds)}; cat ${gbps(r.fileBytes, r.cat)}; ${disk}; peak RSS ${read.maxRssMB.toFixed(0)} MB` },
    { name: `ours: ${NAMES.readReuse}`, ours: reuse.seconds, reference: r.cat, referenceName: 'cat',
      note: `ours ${gbps(reuse.bytes, reuse.seconds)}; peak RSS ${reuse.maxRssMB.toFixed(0)} MB` },
    { name: NAMES.numpy, ours: numpy.seconds, reference: read.seconds, referenceName: 'our plain read',
      note: `${fps(numpy)}, ${gbps(numpy.bytes, numpy.seconds)}; peak RSS ${numpy.maxRssMB.toFixed(0)} MB` },
  ];
  for (const mode of ['kernel', 'process1', 'process2'] as const) {
    const m = r.warm[mode];
    if (!m) continue;
    const speed = m.bytes / m.seconds;
    rows.push({ name: `ours: ${NAMES[mode]}`, ours: m.seconds, reference: numpy.seconds, referenceName: 'numpy + h5py, 1 core',
      note: `${fps(m)}, ${gbps(m.bytes, m.seconds)}: ${pct(speed, read.bytes / read.seconds)} of our plain read (${pct(speed, reuse.bytes / reuse.seconds)} with reuse), ${pct(speed, r.fileBytes / r.cat)} of cat; peak RSS ${m.maxRssMB.toFixed(0)} MB; ${r.checks[mode] ?? ''}` });
  }
  printRows(titleWithHugePages(`DSSC binning of one module, files in the page cache: ${label}, chunks of ${o.chunk} trains`), rows);
  if (r.direct === null || !r.cold.numpy) return;
  const coldRows: BenchRow[] = [];
  for (const who of ['numpy', 'kernel', 'process1', 'process2'] as const) {
    const m = r.cold[who];
    if (!m) continue;
    coldRows.push({ name: `${who === 'numpy' ? '' : 'ours: '}${NAMES[who]}`, ours: m.seconds, reference: r.direct, referenceName: 'dd iflag=direct',
      note: `${fps(m)}, ${gbps(m.bytes, m.seconds)}: ${pct(m.bytes / m.seconds, r.fileBytes / r.direct)} of the disk's ${gbps(r.fileBytes, r.direct)}${who === 'numpy' ? '' : `; ${(r.cold.numpy.seconds / m.seconds).toFixed(2)}× numpy's speed`}` });
  }
  printRows(titleWithHugePages(`DSSC binning of one module, files evicted from the page cache before each run: ${label}`), coldRows);
}

function memoryTable(results: LengthResult[]): void {
  console.log(`\n## ${titleWithHugePages('DSSC binning: peak memory (maxRSS, files in the page cache) by run length')}\n`);
  console.log(`| configuration | ${results.map((r) => `${r.trains} trains (${(r.warm.numpy!.bytes / 1e9).toFixed(2)} GB)`).join(' | ')} |`);
  console.log(`| --- | ${results.map(() => '---').join(' | ')} |`);
  for (const who of ['numpy', 'read', 'readReuse', 'kernel', 'process1', 'process2'] as const) {
    console.log(`| ${NAMES[who]} | ${results.map((r) => { const m = r.warm[who]; return m ? `${m.maxRssMB.toFixed(0)} MB` : 'n/a'; }).join(' | ')} |`);
  }
}

/**
 * The arithmetic alone, on one chunk already in memory: our kernel against
 * numpy's sum of the same (train, repeat, slot, x, y) view. Frames follow one
 * integer formula on both sides, so the totals must agree exactly.
 */
async function inMemory(o: Settings): Promise<void> {
  const pixels = 128 * 512, n = o.chunk * o.frames;
  const labels = [...new Set(PATTERN)];
  // the frames in the SIMD kernel's memory, as processData reads them; the JS kernel reads them there too
  const acc = FrameAccumulator.create(labels.length * pixels, n * pixels * 2, 1);
  const src = acc.buffers.length ? new Uint16Array(acc.buffers[0].buffer, acc.buffers[0].byteOffset, n * pixels) : new Uint16Array(n * pixels);
  for (let i = 0; i < src.length; i++) src[i] = (Math.imul(i, 2654435761) >>> 20) & 511; // bits 20-28 of i·2654435761, as numpy's uint64 product
  const offsets: number[][] = labels.map(() => []);
  for (let f = 0; f < n; f++) offsets[labels.indexOf(PATTERN[f % PATTERN.length])].push(f * pixels);
  const ones = new Float64Array(n).fill(1);
  const sums = acc.sums;
  const simd = await bestOf(5, () => {
    sums.fill(0);
    offsets.forEach((off, j) => acc.accumulate(j * pixels, src, off, ones, off.length, pixels));
  });
  const simdTotal = sums.reduce((a, b) => a + b, 0);
  const ours = await bestOf(5, () => {
    sums.fill(0);
    offsets.forEach((off, j) => accumulateFrames(sums, j * pixels, src, off, ones, off.length, pixels));
  });
  const total = sums.reduce((a, b) => a + b, 0);
  const py = runPython(`${PY_TIMER}
import numpy as np, sys
trains, frames, npat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
src = ((np.arange(trains * frames * 128 * 512, dtype=np.uint64) * 2654435761) >> 20 & 511).astype(np.uint16)
block = src.reshape(trains, frames // npat, npat, 128, 512)
out = {}
def run():
    out['s'] = block.sum(axis=(0, 1), dtype=np.float64)
t = best(run, 5)
print(json.dumps({"seconds": t, "total": float(out['s'].sum())}))
`, [String(o.chunk), String(o.frames), String(PATTERN.length)]);
  const bytes = src.byteLength;
  printRows(titleWithHugePages(`DSSC binning arithmetic, one chunk in memory (${o.chunk} trains × ${o.frames} frames, ${(bytes / 1e9).toFixed(2)} GB uint16)`), [
    { name: `FrameAccumulator (${acc.simd ? 'WebAssembly SIMD' : 'no SIMD here: JS'}) per pattern label vs numpy sum over (train, repeat)`, ours: simd, reference: Number(py.seconds), referenceName: 'numpy, 1 core',
      note: `ours ${Math.round(n / simd)} frames/s (${gbps(bytes, simd)}), numpy ${Math.round(n / Number(py.seconds))} frames/s; totals ${simdTotal} vs ${py.total}` },
    { name: 'accumulateFrames (JS) per pattern label vs numpy sum over (train, repeat)', ours, reference: Number(py.seconds), referenceName: 'numpy, 1 core',
      note: `ours ${Math.round(n / ours)} frames/s (${gbps(bytes, ours)}), numpy ${Math.round(n / Number(py.seconds))} frames/s; totals ${total} vs ${py.total}` },
  ]);
}

async function main(): Promise<void> {
  const childMode = argString('--child') as Mode | undefined;
  const chunk = arg('--chunk', 20), step = arg('--step', 0.01);
  if (childMode) {
    await child(childMode, argString('--dir')!, chunk, step, argString('--out')!);
    return;
  }
  const o: Settings = {
    frames: arg('--frames', 100), chunk, step, points: arg('--points', 10), repeats: arg('--repeats', 2),
    withProcess: !process.argv.includes('--kernel-only'),
  };
  const trains = arg('--trains', 160);
  if (o.frames % PATTERN.length !== 0) throw new Error(`--frames must be a multiple of the pattern length ${PATTERN.length}, got ${o.frames}`);
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-dssc-binning-'));
  console.log(`\n(load average before: ${loadavg().map((l) => l.toFixed(2)).join(', ')})`);
  await inMemory(o);
  try {
    const results: LengthResult[] = [];
    for (const n of [Math.floor(trains / 2), trains]) {
      const r = await measureLength(root, n, n === trains && !process.argv.includes('--no-cold'), o);
      report(r, o);
      results.push(r);
    }
    memoryTable(results);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(`\n(load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')})`);
  if (!process.argv.includes('--no-hugepages')) rerunWithHugePages(__filename);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
