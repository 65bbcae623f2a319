/**
 * The synthetic run of the PES functions (getPesTof, getPesParams, the
 * average traces): a SASE3 bunch pattern of several pulses per train, and
 * for each recorded spectrometer channel an int16 ADQ trace per train with,
 * per SASE3 pulse, a small prompt at the pulse's time-of-flight origin and
 * negative-going Gaussian photo-electron peaks at known sample offsets from
 * it (amplitude ∝ the pulse energy the XGM records), on a constant baseline
 * with Gaussian noise. Control data: the gas valves (one open), the MPOD
 * voltages with the retardation voltage of each channel. Every number is in
 * truth.json (physics); layout and mapping: docs/pes.md.
 */
import { PES_GAS_BINDING_ENERGIES } from '../../detectors/pes/params.js';
import { ToolBoxValueError } from '../../errors.js';
import { BUCKET_RATE_KHZ } from '../../misc/bunch-pattern-bits.js';
import { PES_CHANNELS, PES_DIGITIZER, PES_DIGITIZER_CONTROL, PES_GAS_VALVES, PES_MPOD, PES_MPOD_CHANNELS } from '../../mnemonics/pes.js';
import { checkOptions, optionNames } from '../../options.js';
import { Random } from '../random.js';
import { makePhysics, pulseEnergies } from './mock-physics.js';
import { type RunContext, da01Sources } from './mock-sources.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';


export interface PesRunOptions {
  proposal?: number;
  run?: number;
  seed?: number;
  trains?: number;
  /** Spectrometer channels recorded, e.g. ['1A', '2A'] (default 1A, 2A, 3B, 4D). */
  channels?: string[];
  /** SASE3 pulse IDs of every train (default 200, 202, 204, 206: 2.26 MHz). */
  pulseIds?: number[];
  /** The gas whose valve is open (default 'N2'). */
  gas?: string;
}
const PES_RUN_OPTIONS = optionNames<PesRunOptions>({ proposal: true, run: true, seed: true, trains: true, channels: true, pulseIds: true, gas: true });

export interface PesPeak {
  /** Samples after the prompt (origin) of the same pulse. */
  offsetSamples: number;
  /** The same in ns: offsetSamples / samplingRateGHz. */
  tofNs: number;
  /** Depth below the baseline at the XGM mean pulse energy (ADC counts). */
  amplitude: number;
  sigmaSamples: number;
}

export interface PesRunPhysics {
  digitizer: { source: string; control: string; samples: number; samplesPerBucket: number; samplingRateGHz: number; baseline: number; noise: number };
  sase3PulseIds: number[];
  /** The prompt of the first SASE3 pulse: the time-of-flight origin getPesTof's `origin` takes. Pulse p's prompt is (p − first) × samplesPerBucket later. */
  origin: number;
  /** A spectrum window for getPesTof: `start` (the first pulse) and `width`, the baseline window [baseStart, baseStart + baseWidth) ends before the prompt. */
  start: number; width: number; baseStart: number; baseWidth: number;
  prompt: { amplitude: number; sigmaSamples: number };
  /** Peaks per channel ('2A'), with the mnemonic of its trace. */
  channels: Record<string, { mnemonic: string; peaks: PesPeak[] }>;
  gas: string; bindingEnergy: number;
  /** Retardation voltage (V) of every spectrometer channel 1A…4D, and all MPOD voltages U0…U23 (U0…U15 = the retardation voltages). */
  retardation: Record<string, number>;
  mpod: number[];
  xgmMeanUJ: number;
}

const SPB = 440;
const int32 = (v: number, n: number): KeyArray => ({ dtype: 'int32', entryShape: [], values: new Int32Array(n).fill(v) });
const f64 = (v: number, n: number): KeyArray => ({ dtype: 'float64', entryShape: [], values: new Float64Array(n).fill(v) });

function checkRunOptions(o: PesRunOptions): { channels: string[]; pulseIds: number[]; gas: string } {
  const channels = o.channels ?? ['1A', '2A', '3B', '4D'];
  const bad = channels.filter((c) => !PES_CHANNELS.includes(c));
  if (bad.length || !channels.length) throw new ToolBoxValueError(`PES run: channels must be some of ${PES_CHANNELS.join(', ')}, got ${JSON.stringify(channels)}`);
  const pulseIds = o.pulseIds ?? [200, 202, 204, 206];
  if (!pulseIds.length || pulseIds.some((p, i) => !Number.isInteger(p) || p < 0 || p >= 2700 || (i > 0 && p <= pulseIds[i - 1]))) {
    throw new ToolBoxValueError(`PES run: pulseIds must be ascending integers in [0, 2700), got ${JSON.stringify(pulseIds)}`);
  }
  const gas = o.gas ?? 'N2';
  if (!(gas in PES_GAS_VALVES)) throw new ToolBoxValueError(`PES run: gas must be one of ${Object.keys(PES_GAS_VALVES).join(', ')}, got '${gas}'`);
  return { channels, pulseIds, gas };
}

/** Three peaks per channel, later for higher channel numbers (other retardation). */
function channelPeaks(index: number, rate: number): PesPeak[] {
  return [[60, 900, 2.5], [150, 500, 4], [260, 300, 6]].map(([o, amplitude, sigmaSamples]) => {
    const offsetSamples = o + 4 * index;
    return { offsetSamples, tofNs: offsetSamples / rate, amplitude, sigmaSamples };
  });
}

/** One channel's traces (trains × samples, int16). */
function channelTraces(phys: PesRunPhysics, peaks: PesPeak[], energies: Float32Array, trains: number, rng: Random): Int16Array {
  const { samples, baseline, noise } = phys.digitizer;
  const ids = phys.sase3PulseIds;
  const out = new Int16Array(trains * samples);
  const trace = new Float64Array(samples);
  const add = (centre: number, amp: number, sigma: number) => {
    const lo = Math.max(0, Math.floor(centre - 6 * sigma)), hi = Math.min(samples, Math.ceil(centre + 6 * sigma) + 1);
    for (let s = lo; s < hi; s++) trace[s] -= amp * Math.exp(-((s - centre) ** 2) / (2 * sigma * sigma));
  };
  for (let t = 0; t < trains; t++) {
    for (let s = 0; s < samples; s++) trace[s] = baseline + noise * rng.normal();
    ids.forEach((p, k) => {
      const o = phys.origin + (p - ids[0]) * SPB;
      const scale = energies[t * ids.length + k] / phys.xgmMeanUJ;
      add(o, phys.prompt.amplitude * scale, phys.prompt.sigmaSamples);
      for (const pk of peaks) add(o + pk.offsetSamples, pk.amplitude * scale, pk.sigmaSamples);
    });
    for (let s = 0; s < samples; s++) out[t * samples + s] = Math.max(-32768, Math.min(32767, Math.round(trace[s])));
  }
  return out;
}

function controlSources(phys: PesRunPhysics, trains: number): Record<string, ControlSourceSpec> {
  const counts = new Array<number>(trains).fill(1);
  const out: Record<string, ControlSourceSpec> = {};
  for (const [gas, src] of Object.entries(PES_GAS_VALVES)) {
    const open = gas === phys.gas ? 1 : 0;
    out[src] = { counts, keys: { isOpen: int32(open, trains) }, run: { isOpen: int32(open, 1) } };
  }
  const mpodKeys = (n: number) => Object.fromEntries(phys.mpod.map((v, i) => [`channels.U${i}.measurementSenseVoltage`, f64(v, n)]));
  out[PES_MPOD] = { counts, keys: mpodKeys(trains), run: mpodKeys(1) };
  out[PES_DIGITIZER_CONTROL] = { counts, keys: { 'board1.interleavedMode': int32(0, trains) }, run: { 'board1.interleavedMode': int32(0, 1) } };
  return out;
}

function digitizerSource(phys: PesRunPhysics, energies: Float32Array, trains: number, trainIds: bigint[], seed: number): InstrumentSourceSpec {
  const keys: Record<string, KeyArray> = {};
  Object.entries(phys.channels).forEach(([ch, c]) => {
    const rng = new Random((seed * 7919 + PES_CHANNELS.indexOf(ch) * 104729 + 17) >>> 0);
    const base = `channel_${ch[0]}_${ch[1]}.raw`;
    keys[`${base}.samples`] = { dtype: 'int16', entryShape: [phys.digitizer.samples], values: channelTraces(phys, c.peaks, energies, trains, rng) };
    keys[`${base}.length`] = { dtype: 'uint32', entryShape: [], values: new Uint32Array(trains).fill(phys.digitizer.samples) };
    keys[`${base}.triggerId`] = { dtype: 'uint64', entryShape: [], values: BigUint64Array.from(trainIds) };
  });
  return { indexGroups: { digitizers: { counts: new Array<number>(trains).fill(1), keys } } };
}

/** The physics of a PES run (no file written). */
function pesRunPhysics(channels: string[], pulseIds: number[], gas: string): PesRunPhysics {
  const rate = (SPB * BUCKET_RATE_KHZ) / 1e6;
  const origin = 1000;
  const samples = Math.ceil((origin + (pulseIds[pulseIds.length - 1] - pulseIds[0]) * SPB + 2 * SPB) / 1000) * 1000;
  const retardation: Record<string, number> = {};
  const mpod = Array.from({ length: PES_MPOD_CHANNELS }, (_, n) => (n < 16 ? -(100 + 5 * n) : 1500 + 50 * (n - 16)));
  PES_CHANNELS.forEach((ch, i) => { retardation[ch] = mpod[i]; });
  return {
    digitizer: { source: PES_DIGITIZER, control: PES_DIGITIZER_CONTROL, samples, samplesPerBucket: SPB, samplingRateGHz: rate, baseline: 12, noise: 2 },
    sase3PulseIds: pulseIds, origin, start: origin - 40, width: SPB, baseStart: origin - 40, baseWidth: 30,
    prompt: { amplitude: 150, sigmaSamples: 1.5 },
    channels: Object.fromEntries(channels.map((ch) => [ch, { mnemonic: `PES_${ch}raw`, peaks: channelPeaks(PES_CHANNELS.indexOf(ch), rate) }])),
    gas, bindingEnergy: PES_GAS_BINDING_ENERGIES[gas], retardation, mpod, xgmMeanUJ: 800,
  };
}

/**
 * Write the PES run: defaults proposal 2212, run 30, seed 1, 40 trains,
 * channels 1A, 2A, 3B, 4D, SASE3 pulses 200, 202, 204, 206, gas N2.
 */
export async function writePesRun(outDir: string, options: PesRunOptions = {}): Promise<SmallRunTruth & { physics: PesRunPhysics }> {
  checkOptions('writePesRun', options, PES_RUN_OPTIONS);
  const { channels, pulseIds, gas } = checkRunOptions(options);
  const trains = options.trains ?? 40, seed = options.seed ?? 1;
  if (!Number.isInteger(trains) || trains < 1) throw new ToolBoxValueError(`PES run: trains must be a positive integer, got ${trains}`);
  const physics = pesRunPhysics(channels, pulseIds, gas);
  const phys = makePhysics('delay', trains, 4, 1);
  phys.bunchPattern.sase3PulseIds = pulseIds;
  phys.bunchPattern.laserPulseIds = [];
  phys.xgm.meanUJ = physics.xgmMeanUJ;
  const trainIds = Array.from({ length: trains }, (_, i) => 200000n + BigInt(i));
  const rng = new Random(seed >>> 0);
  const energies = pulseEnergies(phys, trains, rng);
  const ctx: RunContext = {
    seed, trainIds, phys, energies, sa1Energies: new Float32Array(trains * phys.bunchPattern.sase1PulseIds.length).fill(phys.xgm.sa1MeanUJ),
    position: new Float64Array(trains).fill(phys.delayLine.fixedPosition), energy: new Float64Array(trains).fill(phys.mono.fixedEnergy),
    missing: new Map(), pixels: [1, 1], dark: false,
  };
  const da = da01Sources(ctx, 0, trains);
  return writeSmallRun(outDir, {
    generator: 'scs-toolbox writePesRun', proposal: options.proposal ?? 2212, run: options.run ?? 30, seed, trainIds,
    control: { ...da.control, ...controlSources(physics, trains) },
    instrument: { ...da.instrument, [PES_DIGITIZER]: digitizerSource(physics, energies, trains, trainIds, seed) },
  }, physics);
}
