/**
 * The physics of a synthetic SCS pump-probe run: a scan (PP800 delay line
 * or mono energy) stepping through points, a per-train pulse pattern
 * (pumped / unpumped / intra-dark frames), the bunch pattern table encoding
 * it (bit layout: docs/run-format.md, Bunch pattern), SASE3 pulse energies as the
 * XGM records them, and DSSC frames: a scattering ring whose intensity
 * follows pulse energy, delay and pump state, with Poisson photon noise,
 * a constant baseline and a few hot pixels.
 *
 * Every number a test may check is in MockPhysics, which goes to truth.json.
 */
import { ToolBoxValueError } from '../../errors.js';
import { Random } from '../random.js';

export type FrameKind = 'pumped' | 'unpumped' | 'intradark';
export type ScanKind = 'delay' | 'energy';

/**
 * Speed of light in mm/ps: the delay line is double-pass, so 1 mm of travel is 2/c ps. The
 * delay follows the SCS convention of positionToDelay (inverted): it grows as the stage moves
 * to smaller positions, delay = −2 (position − t0Position) / c.
 */
export const C_MM_PER_PS = 0.299792458;

export const BUNCH_PATTERN = {
  entries: 2700,
  /** Charge code 8 = 0.25 nC (docs/run-format.md, Bunch pattern). */
  chargeCode: 8,
  /** Destination T4D (SASE1/3 dump) in bits 18–21. */
  destT4D: 4 << 18,
  /** Photon line deflection: with T4D it marks a SASE3 pulse. */
  sase3Bit: 1 << 27,
  /** PPL seed SEED6 = LP_SCS. */
  laserScsBit: 1 << 13,
} as const;

export interface MockPhysics {
  scan: {
    kind: ScanKind;
    /** Nominal value per scan point: delay-line position (mm) or photon energy (eV). */
    points: number[];
    /** Scan point index of every train (run order). */
    pointOfTrain: number[];
    /** Delay (ps) per scan point: positionToDelay(position, {origin: t0Position}) = −2 (position − t0Position) / c. Constant for an energy scan. */
    delayPs: number[];
    /** Relative ring intensity of pumped frames per scan point (unpumped = 1). */
    pumpFactor: number[];
    /** Absorption factor of all X-ray frames per scan point (1 for a delay scan). */
    energyFactor: number[];
    /** Standard deviation of the recorded scan value around the nominal point. */
    jitter: number;
  };
  delayLine: { t0Position: number; amplitude: number; tauPs: number; fixedPosition: number };
  mono: { fixedEnergy: number; resonance: number; widthEv: number; contrast: number };
  frames: {
    perTrain: number;
    /** Kind of frame i of every train (the pattern repeats with period 4). */
    kinds: FrameKind[];
    /** Bunch-pattern pulse ID of frame i (also written as image.pulseId). */
    pulseIds: number[];
  };
  bunchPattern: { sase3PulseIds: number[]; sase1PulseIds: number[]; laserPulseIds: number[]; codes: typeof BUNCH_PATTERN };
  xgm: { meanUJ: number; relativeSpread: number; sa1MeanUJ: number; slots: number; padValue: number };
  /** Arrival time (ps) of pulse ID p in train index t: meanPs + trainAmplitudePs·sin(t / 3) + pulseSlopePs·p, at BAM index 2p (9 MHz). */
  bam: { meanPs: number; trainAmplitudePs: number; pulseSlopePs: number };
  /** FastADC photodiode on the SCS laser pulses: positive peaks, amplitude × (1 + 0.1 sin(0.7 t + k)) for laser pulse k of train index t. */
  fastAdc: { channel: number; samples: number; samplesPerPulseId: number; firstPulseSample: number; amplitude: number; riseSamples: number; decaySamples: number; noise: number; baseline: number };
  ring: { centerFraction: [number, number]; radiusFraction: number; widthFraction: number; peakPhotons: number; backgroundPhotons: number };
  detector: { baseline: number; darkPhotons: number; hotPixelValue: number; hotPixelsPerModule: number };
  /**
   * ADQ412 trace (channel_1_D, an MCP behind the sample): per SASE3 pulse a
   * negative peak, amplitude ∝ pulse energy, starting at
   * firstPulseSample + (pulseId - first SASE3 pulse ID) × samplesPerPulseId,
   * shaped (x/rise)·exp(1 - x/rise) for x < rise, then exp(-(x - rise)/decay).
   */
  adq: { channel: string; samples: number; samplesPerPulseId: number; firstPulseSample: number; amplitudePerUJ: number; riseSamples: number; decaySamples: number; noise: number; baseline: number };
}

const PATTERN: FrameKind[] = ['pumped', 'intradark', 'unpumped', 'intradark'];

export function makePhysics(kind: ScanKind, trains: number, frames: number, scanPoints: number): MockPhysics {
  if (!Number.isInteger(frames) || frames < 1) throw new ToolBoxValueError(`frames per train must be a positive integer, got ${frames}`);
  if (!Number.isInteger(scanPoints) || scanPoints < 1) throw new ToolBoxValueError(`scan points must be a positive integer, got ${scanPoints}`);
  // Frames sit every 4th bucket (≈1.1 MHz) from pulse 200; denser when that would overrun the table.
  const first = 200;
  const step = first + 4 * frames <= BUNCH_PATTERN.entries ? 4 : 1;
  if (first + step * frames > BUNCH_PATTERN.entries) {
    throw new ToolBoxValueError(`at most ${BUNCH_PATTERN.entries - first} frames per train fit the bunch pattern, got ${frames}`);
  }
  const kinds = Array.from({ length: frames }, (_, i) => PATTERN[i % PATTERN.length]);
  const pulseIds = kinds.map((_, i) => first + step * i);
  // an energy scan sits 3.3 ps after time zero, so its pumped frames differ too
  const delayLine = { t0Position: 10, amplitude: 0.3, tauPs: 1.5, fixedPosition: 9.5 };
  const mono = { fixedEnergy: 708, resonance: 708, widthEv: 1.5, contrast: 1 };
  const points = Array.from({ length: scanPoints }, (_, p) => {
    const f = scanPoints === 1 ? 0 : p / (scanPoints - 1);
    // from 1 ps before time zero to 5 ps after it
    return kind === 'delay' ? delayLine.t0Position + 0.15 - f * 0.9 : 700 + f * 16;
  });
  const delayPs = points.map((v) => -2 * ((kind === 'delay' ? v : delayLine.fixedPosition) - delayLine.t0Position) / C_MM_PER_PS);
  const pumpFactor = delayPs.map((t) => (t <= 0 ? 1 : 1 - delayLine.amplitude * (1 - Math.exp(-t / delayLine.tauPs))));
  const energyFactor = points.map((e) => {
    if (kind !== 'energy') return 1;
    const x = (e - mono.resonance) / mono.widthEv;
    return 1 + mono.contrast / (1 + x * x);
  });
  const xrays = pulseIds.filter((_, i) => kinds[i] !== 'intradark');
  return {
    scan: {
      kind, points, delayPs, pumpFactor, energyFactor, jitter: kind === 'delay' ? 1e-4 : 0.01,
      pointOfTrain: Array.from({ length: trains }, (_, i) => Math.min(scanPoints - 1, Math.floor((i * scanPoints) / trains))),
    },
    delayLine,
    mono,
    frames: { perTrain: frames, kinds, pulseIds },
    bunchPattern: {
      sase3PulseIds: xrays,
      sase1PulseIds: Array.from({ length: 10 }, (_, i) => 2200 + 8 * i),
      laserPulseIds: pulseIds.filter((_, i) => kinds[i] === 'pumped'),
      codes: BUNCH_PATTERN,
    },
    xgm: { meanUJ: 800, relativeSpread: 0.3, sa1MeanUJ: 1500, slots: 1000, padValue: 1 },
    bam: { meanPs: 12.5, trainAmplitudePs: 0.05, pulseSlopePs: 1e-4 },
    fastAdc: fastAdcParams(pulseIds.filter((_, i) => kinds[i] === 'pumped')),
    ring: { centerFraction: [0.5, 0.5], radiusFraction: 0.3, widthFraction: 0.06, peakPhotons: 4, backgroundPhotons: 0.05 },
    detector: { baseline: 40, darkPhotons: 0.02, hotPixelValue: 16000, hotPixelsPerModule: 3 },
    adq: adqParams(xrays),
  };
}

/** 440 samples per pulse-ID bucket: the ADQ412 clock ratio at SCS (docs/run-format.md, Digitizers: ≈0.5 ns samples). */
function adqParams(sase3: number[]): MockPhysics['adq'] {
  const samplesPerPulseId = 440, firstPulseSample = 1000;
  const span = sase3.length ? sase3[sase3.length - 1] - sase3[0] : 0;
  // Room for every pulse and its tail, rounded up to a multiple of 1000 samples.
  const samples = Math.ceil((firstPulseSample + span * samplesPerPulseId + 1000) / 1000) * 1000;
  return { channel: 'channel_1_D', samples, samplesPerPulseId, firstPulseSample, amplitudePerUJ: 1, riseSamples: 3, decaySamples: 15, noise: 3, baseline: 0 };
}

function fastAdcParams(laser: number[]): MockPhysics['fastAdc'] {
  const samplesPerPulseId = 24, firstPulseSample = 200;
  const span = laser.length ? laser[laser.length - 1] - laser[0] : 0;
  const samples = Math.ceil((firstPulseSample + span * samplesPerPulseId + 200) / 100) * 100;
  return { channel: 5, samples, samplesPerPulseId, firstPulseSample, amplitude: 500, riseSamples: 2, decaySamples: 4, noise: 1, baseline: 2000 };
}

/** Peak amplitude of laser pulse k in train index t on the FastADC photodiode. */
export function fastAdcAmplitude(phys: MockPhysics, t: number, k: number): number {
  return phys.fastAdc.amplitude * (1 + 0.1 * Math.sin(0.7 * t + k));
}

/** One train's bunch pattern table (uint32 per bucket). */
export function bunchPatternTable(phys: MockPhysics, entries = BUNCH_PATTERN.entries): Uint32Array {
  const t = new Uint32Array(entries);
  const c = BUNCH_PATTERN;
  for (const p of phys.bunchPattern.sase3PulseIds) t[p] |= c.chargeCode | c.destT4D | c.sase3Bit;
  for (const p of phys.bunchPattern.sase1PulseIds) t[p] |= c.chargeCode | c.destT4D;
  for (const p of phys.bunchPattern.laserPulseIds) t[p] |= c.laserScsBit;
  return t;
}

/**
 * SASE3 pulse energies (μJ) per train, one row of `n` per train: a
 * truncated normal around the mean; the same numbers feed the XGM and the
 * detector, as the same pulses reach both.
 */
export function pulseEnergies(phys: MockPhysics, trains: number, rng: Random): Float32Array {
  const n = phys.bunchPattern.sase3PulseIds.length;
  const out = new Float32Array(trains * n);
  const { meanUJ, relativeSpread } = phys.xgm;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0.05 * meanUJ, meanUJ * (1 + relativeSpread * rng.normal()));
  return out;
}

/** Expected photons per pixel of one module at mean pulse energy, unpumped (the ring plus a flat background). */
export function ringMap(phys: MockPhysics, slow: number, fast: number): Float32Array {
  const { centerFraction, radiusFraction, widthFraction, peakPhotons, backgroundPhotons } = phys.ring;
  const cy = centerFraction[0] * slow;
  const cx = centerFraction[1] * fast;
  const scale = Math.min(slow, fast);
  const r0 = radiusFraction * scale;
  const w = Math.max(0.5, widthFraction * scale);
  const map = new Float32Array(slow * fast);
  for (let y = 0; y < slow; y++) {
    for (let x = 0; x < fast; x++) {
      const d = Math.hypot(y - cy, x - cx) - r0;
      map[y * fast + x] = backgroundPhotons + peakPhotons * Math.exp(-(d * d) / (2 * w * w));
    }
  }
  return map;
}

/** Distinct hot pixel positions (flat index in a module image), drawn from the module's generator. */
export function hotPixels(phys: MockPhysics, pixels: number, rng: Random): number[] {
  const out = new Set<number>();
  const want = Math.min(phys.detector.hotPixelsPerModule, pixels);
  while (out.size < want) out.add(Math.floor(rng.uniform() * pixels));
  return [...out].sort((a, b) => a - b);
}

/** Mean photons multiplier of frame `frame` in a train at scan point `point` with SASE3 pulse energy `energy` (0 for darks). */
export function frameScale(phys: MockPhysics, frame: number, point: number, energy: number): number {
  const kind = phys.frames.kinds[frame];
  if (kind === 'intradark') return 0;
  const pump = kind === 'pumped' ? phys.scan.pumpFactor[point] : 1;
  return (energy / phys.xgm.meanUJ) * pump * phys.scan.energyFactor[point];
}

/** The BAM arrival time (ps) the generator writes for pulse ID p of train index t. */
export function bamArrivalPs(phys: MockPhysics, t: number, pulseId: number): number {
  const b = phys.bam;
  return b.meanPs + b.trainAmplitudePs * Math.sin(t / 3) + b.pulseSlopePs * pulseId;
}
