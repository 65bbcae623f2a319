/**
 * The synthetic run of a transient reflectivity delay scan
 * (docs/routines.md, Reflectivity: synthetic run): the delay line steps
 * across a known time zero; the SCS laser fires at twice the SASE3 rate, so
 * within each train laser pulses 0, 2, 4… see an FEL pulse (pumped) and 1,
 * 3, 5… do not; FastADC channel 5 records Io and channel 3 Ir of every laser
 * pulse (`data.peaks`); the BAM records an arrival-time jitter per train that
 * really shifts the pump-probe delay.
 */
import { Random } from '../random.js';
import { gaussExp } from '../../routines/reflectivity/models.js';
import { BUNCH_PATTERN } from './mock-physics.js';
import { BAM_STATUS, SOURCES } from './mock-sources.js';
import { fastAdcSource } from './mock-fastadc.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';
import type { RoutineRunOptions } from './routine-runs.js';

const C_MM_PER_PS = 0.299792458;
const PEAK_SLOTS = 1000;

/** What truth.json's `physics` holds for a reflectivity run. */
export interface ReflectivityPhysics {
  /** Stage position (mm) of time zero at the mean BAM arrival time; delay (ps) = 2·(position − t0Position)/c + (BAM − bamMeanPs) (invert false; the FEL pumps, the laser probes). */
  t0Position: number;
  /** Delay of time zero (ps): 0 by construction of the delay above. */
  t0Ps: number;
  /** ΔR(t) in % = a1·G(t; σ, τ1) + a2·G(t; σ, τ2), G the unit step times exp(−t/τ) convolved with a Gaussian of σ (the doubleExponential model, c = 0). */
  a1: number; tau1Ps: number; a2: number; tau2Ps: number; sigmaPs: number;
  /** Nominal stage positions (mm), `trainsPerPoint` trains each, and the recorded position's jitter (mm). */
  positions: number[]; trainsPerPoint: number; positionJitterMm: number;
  /** BAM arrival time: mean (ps) and the standard deviation of its zero-mean train-to-train jitter (ps). */
  bamMeanPs: number; bamJitterPs: number;
  /** Laser intensity fluctuation common to Io and Ir (relative), and each diode's own noise (relative). */
  laserNoise: number; detectorNoise: number;
  /** Mean Io and unpumped Ir per pulse (FastADC peak integrals). */
  ioMean: number; irMean: number;
  sase3PulseIds: number[]; laserPulseIds: number[];
  /** Which laser pulses are pumped: 'even' positions in the train (0, 2, …). */
  pumped: 'even';
}

const i32 = (n: number, v: number): KeyArray => ({ dtype: 'int32', entryShape: [], values: new Int32Array(n).fill(v) });
const f64 = (v: ArrayLike<number>): KeyArray => ({ dtype: 'float64', entryShape: [], values: Float64Array.from(v) });
const str = (s: string): KeyArray => ({ dtype: 'string', entryShape: [], values: [s] });
/** `rows` copies of `row`. */
function repeat<T extends Int32Array | Uint32Array>(make: (n: number) => T, row: ArrayLike<number>, rows: number): T {
  const out = make(rows * row.length);
  for (let r = 0; r < rows; r++) out.set(row, r * row.length);
  return out;
}

function physicsOf(options: RoutineRunOptions): ReflectivityPhysics {
  const points = options.scanPoints ?? 61, trains = options.trains ?? points * 10;
  const t0Position = 12.34;
  // −1 ps … +3 ps in steps of 0.01 mm (67 fs) for 61 points
  const positions = Array.from({ length: points }, (_, p) => Math.round((t0Position - 0.15 + (points === 1 ? 0 : (0.6 * p) / (points - 1))) * 1e6) / 1e6);
  const sase3 = Array.from({ length: 10 }, (_, i) => 200 + 8 * i);
  return {
    t0Position, t0Ps: 0, a1: -4, tau1Ps: 0.4, a2: -2, tau2Ps: 8, sigmaPs: 0.08,
    positions, trainsPerPoint: Math.max(1, Math.floor(trains / points)), positionJitterMm: 1e-4,
    bamMeanPs: 12.5, bamJitterPs: 0.15, laserNoise: 0.1, detectorNoise: 0.004, ioMean: 5000, irMean: 3000,
    sase3PulseIds: sase3, laserPulseIds: Array.from({ length: 20 }, (_, i) => 200 + 4 * i), pumped: 'even',
  };
}

/** ΔR (%) at true delay t (ps). */
export function reflectivityTruth(p: ReflectivityPhysics, t: number): number {
  return p.a1 * gaussExp(t - p.t0Ps, p.sigmaPs, p.tau1Ps) + p.a2 * gaussExp(t - p.t0Ps, p.sigmaPs, p.tau2Ps);
}

interface Drawn { position: Float64Array; bam: Float64Array; io: Float32Array; ir: Float32Array }

/** Per train: recorded position, BAM (zero-mean jitter), and Io/Ir per laser pulse. */
function draw(p: ReflectivityPhysics, n: number, rng: Random): Drawn {
  const L = p.laserPulseIds.length;
  const position = Float64Array.from({ length: n }, (_, t) => p.positions[Math.min(p.positions.length - 1, Math.floor(t / p.trainsPerPoint))] + p.positionJitterMm * rng.normal());
  const jitter = Float64Array.from({ length: n }, () => p.bamJitterPs * rng.normal());
  const mean = jitter.reduce((a, b) => a + b, 0) / n;
  const bam = jitter.map((j) => p.bamMeanPs + j - mean);
  const io = new Float32Array(n * PEAK_SLOTS), ir = new Float32Array(n * PEAK_SLOTS);
  for (let t = 0; t < n; t++) {
    // the project's BAM sign (docs/dssc-binning.md): a reading above the mean is an earlier FEL pulse, which here
    // is the pump, so the laser probe comes later after it: the delay grows
    const delay = (2 * (position[t] - p.t0Position)) / C_MM_PER_PS + (bam[t] - p.bamMeanPs);
    const pumped = 1 + reflectivityTruth(p, delay) / 100;
    for (let k = 0; k < L; k++) {
      const laser = 1 + p.laserNoise * rng.normal();
      io[t * PEAK_SLOTS + k] = p.ioMean * laser * (1 + p.detectorNoise * rng.normal());
      ir[t * PEAK_SLOTS + k] = p.irMean * laser * (k % 2 === 0 ? pumped : 1) * (1 + p.detectorNoise * rng.normal());
    }
  }
  return { position, bam, io, ir };
}

function control(p: ReflectivityPhysics, d: Drawn, n: number): Record<string, ControlSourceSpec> {
  const table = new Uint32Array(BUNCH_PATTERN.entries);
  for (const id of p.sase3PulseIds) table[id] |= BUNCH_PATTERN.chargeCode | BUNCH_PATTERN.destT4D | BUNCH_PATTERN.sase3Bit;
  for (const id of p.laserPulseIds) table[id] |= BUNCH_PATTERN.laserScsBit;
  const ids = (list: number[]) => { const row = new Int32Array(table.length); row.set(list); return row; };
  const decoder: Record<string, KeyArray> = {};
  for (const [g, list] of [['sase1', []], ['sase3', p.sase3PulseIds], ['laser', p.laserPulseIds]] as [string, number[]][]) {
    decoder[`${g}.nPulses`] = i32(n, list.length);
    decoder[`${g}.pulseIds`] = { dtype: 'int32', entryShape: [table.length], values: repeat((m) => new Int32Array(m), ids(list), n), gzip: 1 };
  }
  const first = (k: KeyArray): KeyArray => ({ ...k, gzip: undefined, values: (k.values as Int32Array | Uint32Array | Float64Array).slice(0, k.entryShape.reduce((a, b) => a * b, 1)) });
  // the 2700-entry arrays are mostly zeros: compressed, the run is a few MB instead of 50
  const tableKey: KeyArray = { dtype: 'uint32', entryShape: [table.length], values: repeat((m) => new Uint32Array(m), table, n), gzip: 1 };
  return {
    [SOURCES.delayLine]: { keys: { AActualPosition: f64(d.position) }, run: { AActualPosition: f64([d.position[0]]) } },
    [SOURCES.timeserver]: { keys: { bunchPatternTable: tableKey }, run: { bunchPatternTable: first(tableKey), classId: str('TimeServer') } },
    [SOURCES.bunchDecoder]: { keys: decoder, run: { ...Object.fromEntries(Object.entries(decoder).map(([k, v]) => [k, first(v)])), classId: str('PulsePatternDecoder'), laserSource: str('LP_SCS') } },
    [SOURCES.bamControl]: { keys: Object.fromEntries(Object.entries(BAM_STATUS).map(([k, v]) => [k, i32(n, v)])), run: { ...Object.fromEntries(Object.entries(BAM_STATUS).map(([k, v]) => [k, i32(1, v)])), classId: str('DoocsBAM') } },
  };
}

function instrument(p: ReflectivityPhysics, d: Drawn, n: number): Record<string, InstrumentSourceSpec> {
  const counts = new Array<number>(n).fill(1);
  const adc = (peaks: Float32Array): InstrumentSourceSpec => ({ indexGroups: { data: { counts, keys: {
    peaks: { dtype: 'float32', entryShape: [PEAK_SLOTS], values: peaks },
    baseline: { dtype: 'float64', entryShape: [], values: new Float64Array(n) },
  } } } });
  // 9 MHz array: pulse ID q at index 2q; the SASE3 pulses carry the train's arrival time
  const slots = 2 * BUNCH_PATTERN.entries;
  const bam = new Float32Array(n * slots);
  for (let t = 0; t < n; t++) for (const q of p.sase3PulseIds) bam[t * slots + 2 * q] = d.bam[t];
  return {
    [fastAdcSource(5)]: adc(d.io),
    [fastAdcSource(3)]: adc(d.ir),
    [SOURCES.bam]: { indexGroups: { data: { counts, keys: {
      lowChargeArrivalTime: { dtype: 'float32', entryShape: [slots], values: bam, attrs: { unitSymbol: 's', metricPrefixSymbol: 'p' }, gzip: 1 },
    } } } },
  };
}

/** Write the reflectivity run (defaults: proposal 2212, run 17, seed 17, 61 scan points × 10 trains). */
export async function writeReflectivityRun(outDir: string, options: RoutineRunOptions = {}): Promise<SmallRunTruth & { physics: ReflectivityPhysics }> {
  const p = physicsOf(options);
  const n = p.positions.length * p.trainsPerPoint;
  const seed = options.seed ?? 17;
  const d = draw(p, n, new Random(seed));
  const trainIds = Array.from({ length: n }, (_, t) => 1_000_000_000n + BigInt(t));
  return writeSmallRun(outDir, {
    generator: 'scs-toolbox writeReflectivityRun', proposal: options.proposal ?? 2212, run: options.run ?? 17, seed, trainIds,
    control: control(p, d, n), instrument: instrument(p, d, n),
  }, p);
}
