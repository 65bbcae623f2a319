/**
 * A knife-edge scan (issue 17): a knife-edge motor (scannerX or scannerY)
 * stepping across a Gaussian FEL beam of known 1/e² radii, a photodiode
 * behind the edge on FastADC channel 4 (`data.peaks`, one integral per SASE3
 * pulse, the layout of mock-fastadc.ts), the XGM pulse energies and the bunch
 * pattern, so load() puts signal and XGM on the sa3_pId axis. Scan X in one
 * run and Y in another for both radii and the fluence.
 *
 * Signal of pulse k in train t: amplitude · (E/Ē) · ½·erfc(√2 (p − c)/w0) +
 * background + noise·N(0, 1): the edge covers the beam as the motor position
 * p grows, so the signal falls (the erfc model).
 */
import type { KeyArray, ControlSourceSpec, InstrumentSourceSpec } from './spec.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { Random } from '../random.js';
import { erfc } from '../../routines/fit/special.js';
import { BUNCH_PATTERN } from './mock-physics.js';
import { SOURCES } from './mock-sources.js';
import { fastAdcSource } from './mock-fastadc.js';
import type { RoutineRunOptions } from './routine-runs.js';
import { type SmallRunTruth, writeSmallRun } from './small-run.js';

/** The knife-edge motors; device names unverified (docs/routines.md, Knife-edge). */
export const SCANNER_SOURCES = { X: 'SCS_CDIFFT_SAM/LMOTOR/SCANNERX', Y: 'SCS_CDIFFT_SAM/LMOTOR/SCANNERY' } as const;

export interface KnifeEdgeRunOptions extends RoutineRunOptions {
  /** The motor scanned: 'X' (default) or 'Y'; the other stays at the beam centre. */
  axis?: 'X' | 'Y';
  /** 1/e² radius along x, mm (default 0.25). */
  w0x?: number;
  /** 1/e² radius along y, mm (default 0.15). */
  w0y?: number;
  /** SASE3 pulses per train (default 4). */
  pulses?: number;
}

export interface KnifeEdgePhysics {
  axis: 'X' | 'Y';
  /** Mnemonic of the scanned motor and of the signal. */
  axisKey: 'scannerX' | 'scannerY';
  signalKey: 'FastADC4peaks';
  /** 1/e² radius along the scanned axis (mm) and both radii. */
  w0: number;
  w0x: number;
  w0y: number;
  /** Beam centre along the scanned axis (mm) and on both motors. */
  x0: number;
  centre: { scannerX: number; scannerY: number };
  /** Signal with no edge in the beam at the mean pulse energy, above the background. */
  amplitude: number;
  background: number;
  /** Standard deviation of the additive signal noise. */
  noise: number;
  /** Nominal motor position of every scan point (mm) and scan point of every train. */
  positions: number[];
  pointOfTrain: number[];
  sase3PulseIds: number[];
  /** SASE3 pulse energies (µJ): nominal mean and relative spread, and the mean of the values written (float32). */
  pulseEnergy: { nominalUJ: number; relativeSpread: number; meanUJ: number };
  /** Peak fluence of the Gaussian beam, F = 2E/(π w0x w0y), with E = pulseEnergy.meanUJ: mJ/cm². */
  fluence: { formula: string; peakMJcm2: number };
}

/** The option names writeKnifeEdgeRun (and writeRoutineRun('knife-edge')) accept. */
export const KNIFE_EDGE_RUN_OPTIONS = optionNames<KnifeEdgeRunOptions>({
  proposal: true, run: true, seed: true, trains: true, scanPoints: true, field: true, axis: true, w0x: true, w0y: true, pulses: true,
});

const f64 = (values: number[]): KeyArray => ({ dtype: 'float64', entryShape: [], values: Float64Array.from(values) });
const str = (s: string): KeyArray => ({ dtype: 'string', entryShape: [], values: [s] });
const SLOTS = 1000;

/** `rows` copies of `row` (each `row.length` long) into one typed array. */
function repeatRows<T extends Uint32Array | Int32Array>(make: (n: number) => T, rows: number, row: ArrayLike<number>): T {
  const out = make(rows * row.length);
  for (let i = 0; i < rows; i++) out.set(row, i * row.length);
  return out;
}

function physicsOf(o: KnifeEdgeRunOptions, trains: number, scanPoints: number, pulses: number): Omit<KnifeEdgePhysics, 'pulseEnergy' | 'fluence'> & { nominalUJ: number; spread: number } {
  const axis = o.axis ?? 'X';
  if (axis !== 'X' && axis !== 'Y') throw new ToolBoxValueError(`knife-edge run: axis must be 'X' or 'Y', got ${String(axis)}`);
  const w0x = o.w0x ?? 0.25, w0y = o.w0y ?? 0.15;
  for (const [n, v] of [['w0x', w0x], ['w0y', w0y]] as const) if (!(v > 0)) throw new ToolBoxValueError(`knife-edge run: ${n} must be positive, got ${v}`);
  const centre = { scannerX: 5.0, scannerY: -2.0 };
  const w0 = axis === 'X' ? w0x : w0y;
  const x0 = axis === 'X' ? centre.scannerX : centre.scannerY;
  // from 3 radii before the centre to 3 after: the signal goes from its full value to the background
  const positions = Array.from({ length: scanPoints }, (_, i) => Number((x0 - 3 * w0 + (6 * w0 * i) / Math.max(1, scanPoints - 1)).toFixed(6)));
  return {
    axis, axisKey: axis === 'X' ? 'scannerX' : 'scannerY', signalKey: 'FastADC4peaks', w0, w0x, w0y, x0, centre,
    amplitude: 1000, background: 20, noise: 5, positions,
    pointOfTrain: Array.from({ length: trains }, (_, t) => Math.min(scanPoints - 1, Math.floor((t * scanPoints) / trains))),
    sase3PulseIds: Array.from({ length: pulses }, (_, k) => 200 + 4 * k),
    nominalUJ: 500, spread: 0.02,
  };
}

function bunchTable(sase3: number[]): Uint32Array {
  const t = new Uint32Array(BUNCH_PATTERN.entries);
  for (const p of sase3) t[p] |= BUNCH_PATTERN.chargeCode | BUNCH_PATTERN.destT4D | BUNCH_PATTERN.sase3Bit;
  return t;
}

/** Bunch pattern (timeserver pipeline and slow key, decoder) for `trains` trains. */
function bunchPatternSources(trains: number, sase3: number[]): { control: Record<string, ControlSourceSpec>; instrument: Record<string, InstrumentSourceSpec> } {
  const table = bunchTable(sase3);
  const tableKey = (n: number): KeyArray => ({ dtype: 'uint32', entryShape: [table.length], values: repeatRows((m) => new Uint32Array(m), n, table) });
  const ids = new Int32Array(table.length);
  ids.set(sase3);
  const decoder = (n: number): Record<string, KeyArray> => Object.fromEntries(['sase1', 'sase3', 'laser'].flatMap((g) => [
    [`${g}.nPulses`, { dtype: 'int32', entryShape: [], values: new Int32Array(n).fill(g === 'sase3' ? sase3.length : 0) }],
    [`${g}.pulseIds`, { dtype: 'int32', entryShape: [table.length], values: repeatRows((m) => new Int32Array(m), n, g === 'sase3' ? ids : new Int32Array(table.length)) }],
  ]));
  return {
    control: {
      [SOURCES.timeserver]: { keys: { bunchPatternTable: tableKey(trains) }, run: { bunchPatternTable: tableKey(1), classId: str('TimeServer') } },
      [SOURCES.bunchDecoder]: { keys: decoder(trains), run: { ...decoder(1), classId: str('PulsePatternDecoder'), laserSource: str('LP_SCS') } },
    },
    instrument: { [SOURCES.timeserverOutput]: { indexGroups: { data: { counts: new Array<number>(trains).fill(1), keys: { bunchPatternTable: tableKey(trains) } } } } },
  };
}

/** Per-pulse rows in 1000 slots (the k-th pulse in slot k), the rest `pad`. */
function slots(values: Float32Array, trains: number, pulses: number, pad: number, attrs?: Record<string, string>): KeyArray {
  const out = new Float32Array(trains * SLOTS).fill(pad);
  for (let t = 0; t < trains; t++) out.set(values.subarray(t * pulses, (t + 1) * pulses), t * SLOTS);
  return { dtype: 'float32', entryShape: [SLOTS], values: out, ...(attrs ? { attrs } : {}) };
}

/**
 * Write the knife-edge run into `outDir` (defaults: proposal 2212, run 1, seed 1, 200 trains, 31 scan
 * points, 4 pulses per train, axis X, w0x 0.25 mm, w0y 0.15 mm); truth.json's physics is KnifeEdgePhysics.
 */
export async function writeKnifeEdgeRun(outDir: string, options: KnifeEdgeRunOptions = {}): Promise<SmallRunTruth & { physics: KnifeEdgePhysics }> {
  checkOptions('writeKnifeEdgeRun', options, KNIFE_EDGE_RUN_OPTIONS);
  const trains = options.trains ?? 200, scanPoints = options.scanPoints ?? 31, pulses = options.pulses ?? 4, seed = options.seed ?? 1;
  if (!Number.isInteger(pulses) || pulses < 1 || pulses > 500) throw new ToolBoxValueError(`knife-edge run: pulses must be a whole number in 1…500, got ${pulses}`);
  if (!Number.isInteger(scanPoints) || scanPoints < 2) throw new ToolBoxValueError(`knife-edge run: scanPoints must be a whole number ≥ 2, got ${scanPoints}`);
  const p = physicsOf(options, trains, scanPoints, pulses);
  const rng = new Random(seed >>> 0);
  const energies = Float32Array.from({ length: trains * pulses }, () => Math.max(0.05 * p.nominalUJ, p.nominalUJ * (1 + p.spread * rng.normal())));
  const meanUJ = energies.reduce((s, v) => s + v, 0) / energies.length;
  const signal = new Float32Array(trains * pulses);
  const u = (t: number) => (Math.SQRT2 * (p.positions[p.pointOfTrain[t]] - p.x0)) / p.w0;
  for (let t = 0; t < trains; t++) {
    for (let k = 0; k < pulses; k++) {
      const e = energies[t * pulses + k] / meanUJ;
      signal[t * pulses + k] = p.amplitude * e * 0.5 * erfc(u(t)) + p.background + p.noise * rng.normal();
    }
  }
  const motor = (axis: 'X' | 'Y') => (axis === p.axis ? p.pointOfTrain.map((i) => p.positions[i]) : new Array<number>(trains).fill(axis === 'X' ? p.centre.scannerX : p.centre.scannerY));
  const bp = bunchPatternSources(trains, p.sase3PulseIds);
  const uJ = { unitSymbol: 'J', metricPrefixSymbol: 'u' };
  const control: Record<string, ControlSourceSpec> = {
    ...bp.control,
    [SCANNER_SOURCES.X]: { keys: { actualPosition: f64(motor('X')) }, run: { actualPosition: f64(motor('X').slice(0, 1)) } },
    [SCANNER_SOURCES.Y]: { keys: { actualPosition: f64(motor('Y')) }, run: { actualPosition: f64(motor('Y').slice(0, 1)) } },
    [SOURCES.xgm]: {
      keys: { 'pulseEnergy.photonFlux': { dtype: 'float32', entryShape: [], values: Float32Array.from({ length: trains }, (_, t) => energies.subarray(t * pulses, (t + 1) * pulses).reduce((s, v) => s + v, 0) / pulses), attrs: uJ } },
      run: { classId: str('DoocsXGM') },
    },
  };
  const instrument: Record<string, InstrumentSourceSpec> = {
    ...bp.instrument,
    [SOURCES.xgmOutput]: { indexGroups: { data: { counts: new Array<number>(trains).fill(1), keys: {
      intensityTD: slots(energies, trains, pulses, 1, uJ), intensitySa3TD: slots(energies, trains, pulses, 1, uJ), intensitySa1TD: slots(new Float32Array(0), trains, 0, 1, uJ),
    } } } },
    [fastAdcSource(4)]: { indexGroups: { data: { counts: new Array<number>(trains).fill(1), keys: { peaks: slots(signal, trains, pulses, 0) } } } },
  };
  const { nominalUJ, spread, ...rest } = p;
  // µJ → mJ (1e-3); mm² → cm² (1e-2)
  const peakMJcm2 = (2 * meanUJ * 1e-3) / (Math.PI * p.w0x * p.w0y * 1e-2);
  const physics: KnifeEdgePhysics = {
    ...rest, pulseEnergy: { nominalUJ, relativeSpread: spread, meanUJ },
    fluence: { formula: 'F = 2E/(π w0x w0y), E = pulseEnergy.meanUJ, w0 in cm: mJ/cm²', peakMJcm2 },
  };
  return writeSmallRun(outDir, {
    generator: 'scs-toolbox writeKnifeEdgeRun', proposal: options.proposal ?? 2212, run: options.run ?? 1, seed,
    trainIds: Array.from({ length: trains }, (_, i) => 1_000_000_000n + BigInt(i)), control, instrument,
  }, physics);
}
