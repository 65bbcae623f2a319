/**
 * The synthetic run of xas() and xasxmcd(): a mono energy scan across an L3
 * absorption edge at one magnetic field direction. The sample's absorption
 * is an arctan edge step plus a Lorentzian white line whose height depends
 * on the field, so XMCD = A⁺ − A⁻ is a Lorentzian of known height at the
 * edge. The XGM records the incoming pulse energies Io (mnemonic SCS_SA3);
 * the MCP behind the sample (ADQ channel B = MCP3, mnemonics MCP3apd and
 * MCP3raw, which load() turns into MCP3peaks) sees It = Io·exp(−μ(E)) with
 * relative Gaussian noise, negative-going as the real MCP.
 */
import { ToolBoxValueError } from '../../errors.js';
import { Random } from '../random.js';
import { ADQ_SOURCE, adqSource, peakArea } from './mock-adq.js';
import { makePhysics, pulseEnergies } from './mock-physics.js';
import { type RunContext, da01Sources } from './mock-sources.js';
import type { RoutineRunOptions } from './routine-runs.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';

/** The absorption drawn in the run (all energies in eV). */
export interface XasSample {
  /** Absorption below the edge. */
  preEdge: number;
  /** Edge jump of the arctan step, centred on centreEv with half-width stepWidthEv. */
  step: number;
  centreEv: number;
  stepWidthEv: number;
  /** Lorentzian white line at centreEv: height whiteLine + field·dichroism/2, half width at half maximum whiteLineHwhmEv. */
  whiteLine: number;
  whiteLineHwhmEv: number;
  dichroism: number;
}

export const XAS_SAMPLE: XasSample = { preEdge: 0.3, step: 1, centreEv: 708, stepWidthEv: 0.5, whiteLine: 1.2, whiteLineHwhmEv: 1, dichroism: 0.5 };

/** μ(E) at field ±1: edge step plus the field-dependent white line. */
export function xasMu(s: XasSample, energy: number, field: 1 | -1): number {
  const x = (energy - s.centreEv) / s.whiteLineHwhmEv;
  const stepPart = s.step * (0.5 + Math.atan((energy - s.centreEv) / s.stepWidthEv) / Math.PI);
  return s.preEdge + stepPart + (s.whiteLine + (field * s.dichroism) / 2) / (1 + x * x);
}

export interface XasRunPhysics {
  field: 1 | -1;
  sample: XasSample;
  /** The edge position E0: where XAS = (μ⁺ + μ⁻)/2 rises fastest (its first-derivative maximum), to 0.001 eV. */
  edgeEv: number;
  /** Where XAS peaks (the white line on the step), to 0.001 eV. */
  xasPeakEv: number;
  /** XMCD = μ⁺ − μ⁻ peaks at the white line's centre with the height `sample.dichroism`. */
  xmcdPeakEv: number;
  /** Nominal scan energies and μ there for both fields; XMCD = muPlus − muMinus. */
  energies: number[];
  muPlus: number[];
  muMinus: number[];
  /** Standard deviation of the recorded energy around the nominal point (eV). */
  energyJitterEv: number;
  /** Relative Gaussian noise of It per pulse. */
  relativeNoise: number;
  /** MCP3peaks = gain·It with It in µJ, so xas's −ln(μIt/μIo) = μ − ln(gain). */
  gain: number;
  sase3PulsesPerTrain: number;
  mnemonics: { io: string; it: string[]; nrj: string };
  adqChannel: string;
}

const RANGE_EV: [number, number] = [700, 716];

/** The edge (steepest rise) and the peak of XAS = (μ⁺ + μ⁻)/2 on a 0.001 eV grid over the scan range. */
export function xasLandmarks(s: XasSample): { edgeEv: number; xasPeakEv: number } {
  const h = 0.001;
  const xasAt = (e: number) => (xasMu(s, e, 1) + xasMu(s, e, -1)) / 2;
  let edgeEv = RANGE_EV[0], slope = -Infinity, xasPeakEv = RANGE_EV[0], peak = -Infinity;
  for (let e = RANGE_EV[0]; e <= RANGE_EV[1]; e += h) {
    const d = xasAt(e + h / 2) - xasAt(e - h / 2), v = xasAt(e);
    if (d > slope) { slope = d; edgeEv = e; }
    if (v > peak) { peak = v; xasPeakEv = e; }
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { edgeEv: round(edgeEv), xasPeakEv: round(xasPeakEv) };
}

/**
 * Write the XAS run of one field direction: defaults proposal 2212, run 1
 * (field +1) or 2 (field −1), seed 1, 164 trains over 41 energies
 * (700–716 eV, 0.4 eV apart), 10 SASE3 pulses per train.
 */
export async function writeXasRun(outDir: string, options: RoutineRunOptions = {}): Promise<SmallRunTruth & { physics: XasRunPhysics }> {
  const field = options.field ?? 1;
  if (field !== 1 && field !== -1) throw new ToolBoxValueError(`XAS run: field must be +1 or -1, got ${String(field)}`);
  const scanPoints = options.scanPoints ?? 41, trains = options.trains ?? scanPoints * 4, seed = options.seed ?? 1;
  if (trains < scanPoints) throw new ToolBoxValueError(`XAS run: ${trains} trains cannot cover ${scanPoints} scan points`);
  const phys = makePhysics('energy', trains, 20, scanPoints);
  phys.scan.points = phys.scan.points.map((_, p) => RANGE_EV[0] + ((RANGE_EV[1] - RANGE_EV[0]) * p) / Math.max(1, scanPoints - 1));
  phys.adq.channel = 'channel_1_B';
  const trainIds = Array.from({ length: trains }, (_, i) => 100000n + BigInt(i));
  // the second field direction draws other pulses and noise, as a second run would
  const rng = new Random((seed * 2 + (field === 1 ? 0 : 1)) >>> 0);
  const energies = pulseEnergies(phys, trains, rng);
  const sa1 = Float32Array.from({ length: trains * phys.bunchPattern.sase1PulseIds.length }, () => phys.xgm.sa1MeanUJ);
  const jitter = phys.scan.jitter;
  const energy = Float64Array.from(phys.scan.pointOfTrain, (p) => phys.scan.points[p] + jitter * rng.normal());
  const ctx: RunContext = {
    seed, trainIds, phys, energies, sa1Energies: sa1, position: new Float64Array(trains).fill(phys.delayLine.fixedPosition), energy,
    missing: new Map(), pixels: [1, 1], dark: false,
  };
  const relativeNoise = 0.02;
  const n = phys.bunchPattern.sase3PulseIds.length;
  const transmitted = Float32Array.from(energies, (io, i) => io * Math.exp(-xasMu(XAS_SAMPLE, energy[Math.floor(i / n)], field)) * (1 + relativeNoise * rng.normal()));
  const da = da01Sources(ctx, 0, trains);
  const physics: XasRunPhysics = {
    field, sample: XAS_SAMPLE, ...xasLandmarks(XAS_SAMPLE), xmcdPeakEv: XAS_SAMPLE.centreEv, energies: phys.scan.points,
    muPlus: phys.scan.points.map((e) => xasMu(XAS_SAMPLE, e, 1)), muMinus: phys.scan.points.map((e) => xasMu(XAS_SAMPLE, e, -1)),
    energyJitterEv: jitter, relativeNoise, gain: phys.adq.amplitudePerUJ * peakArea(phys.adq.riseSamples, phys.adq.decaySamples),
    sase3PulsesPerTrain: n, mnemonics: { io: 'SCS_SA3', it: ['MCP3apd', 'MCP3raw'], nrj: 'nrj' }, adqChannel: phys.adq.channel,
  };
  return writeSmallRun(outDir, {
    generator: 'scs-toolbox writeXasRun', proposal: options.proposal ?? 2212, run: options.run ?? (field === 1 ? 1 : 2), seed, trainIds,
    control: da.control, instrument: { ...da.instrument, [ADQ_SOURCE]: adqSource({ ...ctx, energies: transmitted }, 0, 0, trains) },
  }, physics);
}
