/**
 * The demo behind `scs demo` (`npm start`): the DSSC workflow end to end on
 * synthetic data. Writes a proposal with a dark run and a delay-scan run,
 * installs a kernel under the demo folder (through the caller, since the
 * kernel package is not the workflow's business), runs the binning notebook
 * for the 4 module groups and the summary notebook (on the SLURM cluster when
 * one answers, else as local background jobs, both through runner/batch),
 * then reports where everything is and the recovered pump-probe signal next
 * to the truth the generator put in.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ToolBoxPathError, checkOptions, loadXarray, optionNames } from '../toolbox/index.js';
import { type RecoveredPoint, matchTruth, truthSignal, writeDemoProposal } from '../toolbox/synthetic/index.js';
import { describeTask, planDsscWorkflow, submitDsscWorkflow, waitDsscWorkflow } from './dssc-binning.js';

export interface DemoOptions {
  out: string;
  seed: number;
  trains: number;
  frames: number;
  pixels: [number, number];
  local?: boolean;
  /** Installs the demo's kernel, named `name`, under the prefix folder `prefix`; returns the kernelspec's folder. */
  installKernel(name: string, prefix: string): string;
}
const DEMO_OPTIONS = optionNames<DemoOptions>({ out: true, seed: true, trains: true, frames: true, pixels: true, local: true, installKernel: true });

/**
 * Bin width (ps) of the demo's delay axis, whose origin is the generator's time zero. The scan
 * points sit at −1, 0.5, 2, 3.5 and 5 ps and the BAM moves trains by up to ±0.05 ps; 0.5 ps bins
 * are centred on the points, so each scan point fills exactly one bin.
 */
export const DEMO_BIN_WIDTH = 0.5;
export const DEMO_KERNEL_NAME = 'scs-demo';

/** True when the SLURM controller answers (sinfo) with a node that can take jobs. */
export function clusterAnswers(): Promise<boolean> {
  return new Promise((done) => {
    execFile('sinfo', ['-h', '-o', '%t'], { timeout: 10_000, encoding: 'utf8' }, (err, stdout) => {
      done(!err && stdout.split('\n').some((s) => /^(idle|mix|alloc|comp)/.test(s.trim())));
    });
  });
}

/** Marks a folder as the demo's, so a rerun may replace what it wrote there and nothing else. */
const MARKER = '.scs-demo';

/** Creates `out` (or checks it is a demo folder) and empties its data/, kernel/ and results/. */
function prepareOutput(out: string): void {
  try {
    if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, MARKER))) {
      throw new ToolBoxPathError(`refusing to use ${out} for the demo: it is not empty and was not made by scs demo (no ${MARKER} file); choose another --out`, out);
    }
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, MARKER), 'written by scs demo: data/, kernel/ and results/ are replaced on every run\n');
    for (const sub of ['data', 'kernel', 'results']) rmSync(join(out, sub), { recursive: true, force: true });
  } catch (err) {
    if (err instanceof ToolBoxPathError) throw err;
    throw new ToolBoxPathError(`cannot create output folder ${out}: ${(err as Error).message}`, out, { cause: err });
  }
}

export async function runDemo(o: DemoOptions, log: (line: string) => void = console.log): Promise<{ ok: boolean; recovered: RecoveredPoint[] }> {
  checkOptions('runDemo', o, DEMO_OPTIONS);
  const out = resolve(o.out);
  prepareOutput(out);

  log(`writing a synthetic proposal (dark run + delay scan, 16 DSSC modules of ${o.pixels.join('x')} pixels, ${o.trains} trains x ${o.frames} frames) to ${join(out, 'data')} ...`);
  const proposal = await writeDemoProposal({ root: join(out, 'data'), trains: o.trains, frames: o.frames, pixels: o.pixels, seed: o.seed });

  const kernelDir = o.installKernel(DEMO_KERNEL_NAME, join(out, 'kernel'));
  const jupyterPath = join(out, 'kernel', 'share', 'jupyter');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXFEL_DATA_ROOT: proposal.root,
    JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter),
  };
  log(`kernel '${DEMO_KERNEL_NAME}' installed in ${kernelDir}`);

  const local = o.local || !(await clusterAnswers());
  const t0 = proposal.truth.physics.delayLine.t0Position;
  const plan = planDsscWorkflow({
    proposal: proposal.proposal, darkRun: proposal.darkRun, run: proposal.run, xaxis: 'delay', binWidth: DEMO_BIN_WIDTH,
    outputDir: join(out, 'results'), kernel: DEMO_KERNEL_NAME, local, env,
    // pulse energies vary by 30 %: dividing each X-ray frame by its XGM energy leaves only photon noise
    // the scientist's time zero: the delay axis then starts at the pump-probe overlap
    binningParameters: [['xgm_normalization', 'true'], ['normevery', '2'], ['delay_origin', String(t0)]],
  });
  const jobs = await submitDsscWorkflow(plan);
  log(local
    ? `${o.local ? '--local' : 'no SLURM cluster answers (sinfo)'}: running as local background jobs ${jobs.binning.id} (4 module groups) and ${jobs.summary.id} (summary)`
    : `submitted to SLURM: job array ${jobs.binning.id} (4 module groups), then job ${jobs.summary.id} (summary, afterok)`);
  const { ok, states } = await waitDsscWorkflow(jobs, (t) => log(`  ${describeTask(t)}`));
  log('');
  log(`output notebooks: ${[...jobs.binning.outputs, ...jobs.summary.outputs].join('\n                  ')}`);
  log(`job logs:         ${join(plan.outputDir, 'logs')}`);
  log(`module files:     ${join(plan.moduleFolder, `run_${proposal.run}_module<0-15>.h5`)}`);
  log(`combined file:    ${plan.combinedFile}`);
  log(`in Python: xr.open_mfdataset('${join(plan.moduleFolder, '*.h5')}', group='data', join='inner')`);
  if (!ok) {
    log('\nthe demo failed:');
    for (const t of states.filter((st) => st.state !== 'COMPLETED' || st.exitCode !== 0)) log(`  ${t.label} ${t.state}: log ${t.log}, notebook ${t.output}`);
    return { ok, recovered: [] };
  }

  const combined = await loadXarray(plan.combinedFile, { group: 'data' });
  const signal = combined.get('relative_signal');
  const recovered = matchTruth(signal.coords.trainId.values as Float64Array, signal.values as Float64Array, truthSignal(proposal.truth, t0), DEMO_BIN_WIDTH);
  log('\npump-probe signal on the ring, sum(pumped - unpumped) / sum(unpumped), after dark subtraction and XGM normalisation,');
  log(`next to the truth the generator put in (truth.json physics.scan: pumpFactor - 1 at delay -2 (position - t0) / c, t0 = ${t0} mm):`);
  log(' delay bin (ps)  scan point delay (ps)  recovered     truth');
  for (const r of recovered) {
    const t = r.truth;
    log(`${r.scan.toFixed(2).padStart(15)}  ${(t ? t.delayPs.toFixed(2) : '-').padStart(21)}  ${r.signal.toFixed(4).padStart(9)}  ${(t ? t.signal.toFixed(4) : '-').padStart(8)}`);
  }
  return { ok, recovered };
}
