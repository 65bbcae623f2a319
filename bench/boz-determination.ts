/**
 * The whole BOZ part I.a determination of one DSSC module (issue 18, bench
 * (b)): dark, bad pixels, ROIs, flat field (plane fit and per-pulse
 * refinement) and non-linearity fit, on a synthetic run pair written by
 * writeBozRuns (the same steps and defaults as the notebook "BOZ analysis
 * part I.a Correction determination"). The determination runs in a child
 * process so that its peak memory (maxRSS) is its own; the machine's cores
 * are what it gets (2 here). Prints the time of every step, the total, the
 * peak memory and how close the result is to the generator's truth.
 *   node dist/bench/boz-determination.js [--trains 1000] [--frames 100] [--dark-trains 200]
 *        [--data DIR (kept and reused)] [--nl-n 80] [--nl-max-iter 25]
 * --frames counts every DSSC frame: half are intra-darks, dropped (1000 × 100 = 1,000 trains × 50 X-ray frames).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tb from '../toolbox/index.js';
import { writeBozRuns } from '../toolbox/synthetic/run/boz-run.js';
import { arg, argString } from './harness.js';

const PROPOSAL = 2212, DARK = 1, RUN = 2, MODULE = 15;

interface ChildReport { steps: [string, number][]; seconds: number; maxRssMB: number; frames: number; darkFrames: number; file: string }

/** The determination, as the notebook does it; returns the time of each step. */
async function determine(out: string): Promise<ChildReport> {
  const steps: [string, number][] = [];
  let t = process.hrtime.bigint();
  const t0 = t;
  const step = (name: string) => {
    const now = process.hrtime.bigint();
    steps.push([name, Number(now - t) / 1e9]);
    t = now;
  };
  const params = new tb.parameters(PROPOSAL, DARK, RUN, MODULE, 2, { dropIntraDarks: true });
  params.roisTh = 1;
  params.satLevel = 500;
  await params.openData();
  const dark = await tb.averageModule(params.arrDark!);
  step('dark (mean of the dark run per pulse)');
  params.setMask(await tb.badPixelMap(params));
  step('bad pixel map');
  params.rois = await tb.findRoisFromParams(params);
  step('ROIs (mean image, findRoisFromParams)');
  const avg = await tb.averageModule(params.arr!, { dark: dark, mask: params.getMask(), satRoi: params.rois.sat, satLevel: 500 });
  const plane = await tb.planeFitting(params, { avg: avg.mean(avg.dims[0]) });
  params.setFlatField(plane.x);
  step('flat field: average without saturated frames, plane fit');
  const refined = await tb.ffRefineFit(params);
  params.setFlatField(refined.res.x);
  step(`flat field refinement (${refined.res.nit} iterations)`);
  const domain = tb.nlDomain(arg('--nl-n', 80), 40, 511);
  params.nlAlpha = 0.5;
  params.nlMaxIter = arg('--nl-max-iter', 25);
  const nlInput: tb.NlFitParameters = {
    arrDark: params.arrDark!, arr: params.arr!, rois: params.rois, satLevel: 500, nlAlpha: params.nlAlpha, nlMaxIter: params.nlMaxIter, getMask: () => params.getMask(),
  };
  const nl = await tb.nlFit(nlInput, domain, { ff: tb.computeFlatFieldCorrection(params.rois, params) });
  params.setFnl(tb.nlLut(domain, nl.res.x));
  step(`non-linearity fit (${nl.res.nit} iterations)`);
  const file = await params.save(out);
  step('save');
  return {
    steps, seconds: Number(process.hrtime.bigint() - t0) / 1e9, maxRssMB: process.resourceUsage().maxRSS / 1024,
    frames: params.arr!.trainIds.length * params.arr!.pulses, darkFrames: params.arrDark!.trainIds.length * params.arrDark!.pulses, file,
  };
}

/** RMS of (G − a)/b − F over raw 60…459, a and b the least-squares affine map (the ratios do not fix the table's scale). */
function affineRms(G: ArrayLike<number>, F: ArrayLike<number>): number {
  const lo = 60, hi = 460, n = hi - lo;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let v = lo; v < hi; v++) { sx += F[v]; sy += G[v]; sxx += F[v] ** 2; sxy += F[v] * G[v]; }
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx), a = (sy - b * sx) / n;
  let s = 0;
  for (let v = lo; v < hi; v++) s += ((G[v] - a) / b - F[v]) ** 2;
  return Math.sqrt(s / n);
}

async function child(): Promise<void> {
  const report = await determine(argString('--out')!);
  console.log(JSON.stringify(report));
}

async function main(): Promise<void> {
  const trains = arg('--trains', 1000), frames = arg('--frames', 100), darkTrains = arg('--dark-trains', 200);
  const keep = argString('--data');
  const root = keep ?? mkdtempSync(join(tmpdir(), 'scs-bench-boz-'));
  try {
    const runDir = join(root, 'SCS', '202601', `p${String(PROPOSAL).padStart(6, '0')}`, 'raw', `r${String(RUN).padStart(4, '0')}`);
    const tGen = process.hrtime.bigint();
    if (!existsSync(join(runDir, 'truth.json'))) {
      await writeBozRuns(root, { proposal: PROPOSAL, darkRun: DARK, run: RUN, module: MODULE, trains, darkTrains, frames, trainsPerSequence: 250, seed: 1 });
      console.log(`generated ${trains} + ${darkTrains} trains × ${frames} frames in ${(Number(process.hrtime.bigint() - tGen) / 1e9).toFixed(0)} s under ${root}`);
    }
    const truth = JSON.parse(readFileSync(join(runDir, 'truth.json'), 'utf8'));
    const r = spawnSync(process.execPath, [__filename, '--child', '--out', root, ...process.argv.slice(2)], {
      env: { ...process.env, EXFEL_DATA_ROOT: root }, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`the determination failed (exit ${r.status})`);
    const rep: ChildReport = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    const p = await tb.parameters.load(rep.file);
    const F: number[] = truth.boz.nonLinearity.F, Fnl = p.getFnl()!;
    const identity = Float64Array.from({ length: 512 }, (_, v) => v);
    console.log(`\n## BOZ I.a determination: ${trains} trains × ${frames} frames (${rep.frames} X-ray frames), dark ${darkTrains} trains (${rep.darkFrames} frames); ${cpus().length} cores\n`);
    console.log('| step | seconds |\n| --- | --- |');
    for (const [name, sec] of rep.steps) console.log(`| ${name} | ${sec.toFixed(1)} |`);
    console.log(`| **total** | **${rep.seconds.toFixed(1)}** |`);
    console.log(`\npeak memory (maxRSS of the determination's process): ${rep.maxRssMB.toFixed(0)} MB`);
    console.log(`ROIs ${JSON.stringify({ n: p.rois!.n, '0': p.rois!['0'], p: p.rois!.p })}, truth ${JSON.stringify({ n: truth.boz.rois.n, '0': truth.boz.rois['0'], p: truth.boz.rois.p })}`);
    console.log(`RMS(Fnl − F) over raw 60…459, up to an affine map: ${affineRms(Fnl, F).toFixed(2)} ADU (identity: ${affineRms(identity, F).toFixed(2)} ADU)`);
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) void child().catch((e) => { console.error(e); process.exit(1); });
else void main().catch((e) => { console.error(e); process.exit(1); });
