/**
 * A synthetic SCS proposal for the demo and the workflow tests: a dark run
 * and a delay-scan run of all 16 DSSC modules, in the EuXFEL folder layout
 * (<root>/SCS/<cycle>/p<6 digits>/raw/r<4 digits>, see run/paths.ts), so the
 * binning notebook finds them through EXFEL_DATA_ROOT like real data. The
 * truth the generator put in comes back with it.
 */
import { join, resolve } from 'node:path';
import { ToolBoxValueError } from '../errors.js';
import { positionToDelay } from '../misc/laser.js';
import { checkOptions, optionNames } from '../options.js';
import { type MockRunOptions, type MockRunTruth, writeMockRun } from './run/mock-run.js';

export interface DemoProposalOptions {
  /** Becomes EXFEL_DATA_ROOT for whoever reads the runs. */
  root: string;
  proposal?: number;
  darkRun?: number;
  run?: number;
  /** DSSC modules 0…n-1 (default 16). */
  modules?: number;
  /** Module image [slow, fast] (default [32, 64]; real modules are [128, 512]). */
  pixels?: [number, number];
  trains?: number;
  frames?: number;
  scanPoints?: number;
  seed?: number;
  cycle?: string;
  progress?: (message: string) => void;
}
const DEMO_PROPOSAL_OPTIONS = optionNames<DemoProposalOptions>({
  root: true, proposal: true, darkRun: true, run: true, modules: true, pixels: true, trains: true, frames: true, scanPoints: true, seed: true, cycle: true, progress: true,
});

export interface DemoProposal {
  root: string;
  proposal: number;
  darkRun: number;
  run: number;
  /** <root>/SCS/<cycle>/p<6 digits> */
  proposalDir: string;
  darkDir: string;
  runDir: string;
  truth: MockRunTruth;
  darkTruth: MockRunTruth;
}

/** What the generator put in, per scan point: the pumped frames' relative change on the ring after dark subtraction. */
export interface TruthPoint {
  /** Nominal delay-line position (mm). */
  position: number;
  /** Delay after time zero, as the generator defines it: positionToDelay(position, {origin: t0}) = −2 (position − t0) / c. */
  delayPs: number;
  /**
   * The same point on the binning notebook's delay axis, positionToDelay(position, {origin:
   * delay_origin}) (SCS convention, inverted), before the BAM correction: delayPs when
   * delay_origin is the generator's t0.
   */
  delayAxisPs: number;
  /** pumped / unpumped − 1 */
  signal: number;
  /** Trains recorded at this scan point. */
  trains: number;
}

const runFolder = (proposalDir: string, run: number) => join(proposalDir, 'raw', `r${String(run).padStart(4, '0')}`);

export async function writeDemoProposal(options: DemoProposalOptions): Promise<DemoProposal> {
  checkOptions('writeDemoProposal', options, DEMO_PROPOSAL_OPTIONS);
  const proposal = options.proposal ?? 2719;
  const darkRun = options.darkRun ?? 1;
  const run = options.run ?? 2;
  if (darkRun === run) throw new ToolBoxValueError(`the dark run and the scan run must differ, both are ${run}`);
  const root = resolve(options.root);
  const proposalDir = join(root, 'SCS', options.cycle ?? '202601', `p${String(proposal).padStart(6, '0')}`);
  const common: MockRunOptions = {
    proposal,
    modules: options.modules ?? 16,
    pixels: options.pixels ?? [32, 64],
    trains: options.trains ?? 40,
    frames: options.frames ?? 8,
    scan: 'delay',
    scanPoints: options.scanPoints ?? 5,
    progress: options.progress,
  };
  // one seed for both runs: the generator draws a module's hot pixels from it, and a dark run
  // only corrects the hot pixels it shares with the data run, as on the real detector
  const seed = options.seed ?? 1;
  // the dark run: same detector and beamline sources, no X-rays on the detector
  const darkTruth = await writeMockRun(runFolder(proposalDir, darkRun), { ...common, run: darkRun, seed, dark: true });
  const truth = await writeMockRun(runFolder(proposalDir, run), { ...common, run, seed });
  return { root, proposal, darkRun, run, proposalDir, darkDir: runFolder(proposalDir, darkRun), runDir: runFolder(proposalDir, run), truth, darkTruth };
}

/** The generator's pump-probe signal per scan point (truth.json physics.scan), placed on a delay axis with origin `delayOrigin` (mm). */
export function truthSignal(truth: MockRunTruth, delayOrigin = 0): TruthPoint[] {
  const { points, delayPs, pumpFactor, pointOfTrain } = truth.physics.scan;
  return points.map((position, i) => ({
    position,
    delayPs: delayPs[i],
    delayAxisPs: positionToDelay(position, { origin: delayOrigin }),
    signal: pumpFactor[i] - 1,
    trains: pointOfTrain.filter((p) => p === i).length,
  }));
}

export interface RecoveredPoint {
  /** The scan bin (delay axis, ps). */
  scan: number;
  signal: number;
  /** The scan point binned there; undefined when none is within a bin width. */
  truth: TruthPoint | undefined;
}

/** Pairs each scan bin with the scan point nearest on the delay axis (the bin width keeps points apart). */
export function matchTruth(scan: ArrayLike<number>, signal: ArrayLike<number>, truth: TruthPoint[], binWidth: number): RecoveredPoint[] {
  return Array.from(scan, (s, i) => {
    const distance = (t: TruthPoint) => Math.abs(t.delayAxisPs - s);
    const nearest = truth.reduce<TruthPoint | undefined>((best, t) => (!best || distance(t) < distance(best) ? t : best), undefined);
    return { scan: s, signal: signal[i], truth: nearest && distance(nearest) <= binWidth ? nearest : undefined };
  });
}
