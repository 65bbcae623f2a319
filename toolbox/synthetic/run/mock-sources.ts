/**
 * The sources of a synthetic SCS run as RunFileSpec pieces: the DA01 data
 * aggregator (delay line, mono, XGM, timeserver, bunch decoder) and one
 * DSSC module per file. Source and key names follow
 * docs/run-format.md, SCS sources; each builder covers the trains [a, b) of the run
 * so sequence files are cut from the same run-wide values.
 */
import type { TypedData } from '../../arrays/dtype.js';
import { Random } from '../random.js';
import { type MockPhysics, bamArrivalPs, bunchPatternTable, frameScale, hotPixels, ringMap } from './mock-physics.js';
import { PhotonScatter } from './photons.js';
import { type MockScatteringTruth, scatteringMap } from './mock-scattering.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray } from './spec.js';

export const SOURCES = {
  delayLine: 'SCS_ILH_LAS/MOTOR/LT3',
  mono: 'SA3_XTD10_MONO/MDL/PHOTON_ENERGY',
  xgm: 'SCS_BLU_XGM/XGM/DOOCS',
  xgmOutput: 'SCS_BLU_XGM/XGM/DOOCS:output',
  timeserver: 'SCS_RR_UTC/TSYS/TIMESERVER',
  timeserverOutput: 'SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern',
  bunchDecoder: 'SCS_RR_UTC/MDL/BUNCH_DECODER',
  /** Machine BAM before the undulators; the SCS instance name is unverified (docs/run-format.md, Delay line, mono, BAM). */
  bam: 'XFEL_SDIAG_BAM/DOOCS/1932M_TL:output',
  bamControl: 'XFEL_SDIAG_BAM/DOOCS/1932M_TL',
} as const;

/** Status words of the BAM device (constant over the run). */
export const BAM_STATUS = { bamStatus1: 1, bamStatus2: 1, bamStatus3: 0, bamError: 0 } as const;

export const dsscSource = (module: number) => `SCS_DET_DSSC1M-1/DET/${module}CH0:xtdf`;
/** The corrected (proc) source of a module (docs/run-format.md, DSSC). */
export const dsscCorrSource = (module: number) => `SCS_DET_DSSC1M-1/CORR/${module}CH0:output`;

/** Run-wide values shared by every file. */
export interface RunContext {
  seed: number;
  trainIds: bigint[];
  phys: MockPhysics;
  /** SASE3 pulse energies (μJ), trains × n SASE3 pulses. */
  energies: Float32Array;
  /** SASE1 pulse energies (μJ), trains × n SASE1 pulses. */
  sa1Energies: Float32Array;
  /** Recorded delay-line position and mono energy per train (nominal + jitter). */
  position: Float64Array;
  energy: Float64Array;
  /** Source → train IDs without data. */
  missing: Map<string, Set<bigint>>;
  /** DSSC module image [slow, fast]. */
  pixels: [number, number];
  /** A dark run: no X-rays reach the sample, so detector frames and the MCP behind the sample see no pulses. */
  dark: boolean;
  /** The ring drawn through the DSSC geometry (option scattering) instead of the per-module ring; xy = beam-relative pixel positions (m). */
  scattering?: { truth: MockScatteringTruth; xy: Float64Array };
}

/** Per-train counts of `source` over trains [a, b) (`per` entries when present) and the run indices of the present trains. */
/** Which of trains [a, b) a source has (per train: `per` entries, or 0 when the run says it is missing). */
export function presence(ctx: RunContext, source: string, a: number, b: number, per = 1): { counts: number[]; rows: number[] } {
  const gone = ctx.missing.get(source);
  const counts: number[] = [];
  const rows: number[] = [];
  for (let t = a; t < b; t++) {
    const here = !gone?.has(ctx.trainIds[t]);
    counts.push(here ? per : 0);
    if (here) rows.push(t);
  }
  return { counts, rows };
}

const f64 = (values: Float64Array | number[]): KeyArray => ({ dtype: 'float64', entryShape: [], values: Float64Array.from(values) });
const f32 = (values: Float32Array | number[]): KeyArray => ({ dtype: 'float32', entryShape: [], values: Float32Array.from(values) });
const str = (s: string): KeyArray => ({ dtype: 'string', entryShape: [], values: [s] });

/** `n` rows each holding `row(i, out)` of `size` elements. */
function rowsOf<T extends TypedData>(make: (n: number) => T, n: number, size: number, row: (i: number, out: T) => void): T {
  const all = make(n * size);
  for (let i = 0; i < n; i++) row(i, all.subarray(i * size, (i + 1) * size) as T);
  return all;
}

/** DA01 sources for trains [a, b) of the run. */
export function da01Sources(ctx: RunContext, a: number, b: number): { control: Record<string, ControlSourceSpec>; instrument: Record<string, InstrumentSourceSpec> } {
  const { phys } = ctx;
  const nSa3 = phys.bunchPattern.sase3PulseIds.length;
  const nSa1 = phys.bunchPattern.sase1PulseIds.length;
  const ctl = (name: string, keys: (rows: number[]) => Record<string, KeyArray>, run: Record<string, KeyArray> = {}): ControlSourceSpec => {
    const { counts, rows } = presence(ctx, name, a, b);
    // RUN holds the run-start value (train 0 of the run), identical in every sequence file.
    return { counts, keys: keys(rows), run: { ...run, ...keys([0]) } };
  };
  const table = bunchPatternTable(phys);
  const flux = (t: number) => {
    let s = 0;
    for (let k = 0; k < nSa3; k++) s += ctx.energies[t * nSa3 + k];
    return nSa3 ? s / nSa3 : 0;
  };
  const decoderKeys = (rows: number[]): Record<string, KeyArray> => {
    const out: Record<string, KeyArray> = {};
    const groups: [string, number[]][] = [
      ['sase1', phys.bunchPattern.sase1PulseIds], ['sase3', phys.bunchPattern.sase3PulseIds], ['laser', phys.bunchPattern.laserPulseIds],
    ];
    for (const [g, ids] of groups) {
      out[`${g}.nPulses`] = { dtype: 'int32', entryShape: [], values: new Int32Array(rows.length).fill(ids.length) };
      out[`${g}.pulseIds`] = { dtype: 'int32', entryShape: [table.length], values: rowsOf((n) => new Int32Array(n), rows.length, table.length, (_, o) => o.set(ids)) };
    }
    return out;
  };
  const control: Record<string, ControlSourceSpec> = {
    [SOURCES.delayLine]: ctl(SOURCES.delayLine, (rows) => ({ AActualPosition: f64(rows.map((t) => ctx.position[t])) })),
    [SOURCES.mono]: ctl(SOURCES.mono, (rows) => ({ actualEnergy: f64(rows.map((t) => ctx.energy[t])) })),
    [SOURCES.xgm]: ctl(SOURCES.xgm, (rows) => ({
      'pulseEnergy.photonFlux': { ...f32(rows.map(flux)), attrs: { unitSymbol: 'J', metricPrefixSymbol: 'u' } },
      'pulseEnergy.wavelengthUsed': f32(rows.map((t) => 1239.84198 / ctx.energy[t])),
    }), { classId: str('DoocsXGM') }),
    [SOURCES.timeserver]: ctl(SOURCES.timeserver, (rows) => ({
      bunchPatternTable: { dtype: 'uint32', entryShape: [table.length], values: rowsOf((n) => new Uint32Array(n), rows.length, table.length, (_, o) => o.set(table)) },
    }), { classId: str('TimeServer') }),
    [SOURCES.bunchDecoder]: ctl(SOURCES.bunchDecoder, decoderKeys, { classId: str('PulsePatternDecoder'), laserSource: str('LP_SCS') }),
    [SOURCES.bamControl]: ctl(SOURCES.bamControl, (rows) => Object.fromEntries(Object.entries(BAM_STATUS).map(([k, v]) =>
      [k, { dtype: 'int32', entryShape: [], values: new Int32Array(rows.length).fill(v) } as KeyArray])), { classId: str('DoocsBAM') }),
  };

  const xgm = presence(ctx, SOURCES.xgmOutput, a, b);
  const slots = phys.xgm.slots;
  // 1000 slots per train: the k-th recorded pulse in slot k, unused slots 1.0 as the real device writes.
  const perPulse = (src: Float32Array, n: number): KeyArray => ({
    dtype: 'float32', entryShape: [slots], attrs: { unitSymbol: 'J', metricPrefixSymbol: 'u' },
    values: rowsOf((m) => new Float32Array(m), xgm.rows.length, slots, (i, o) => {
      o.fill(phys.xgm.padValue);
      const t = xgm.rows[i];
      o.set(src.subarray(t * n, (t + 1) * n));
    }),
  });
  const bp = presence(ctx, SOURCES.timeserverOutput, a, b);
  const bam = presence(ctx, SOURCES.bam, a, b);
  // 9 MHz array: pulse ID p at index 2p; SASE1 and SASE3 pulses are filled, the rest stays 0
  const bamPulses = [...phys.bunchPattern.sase1PulseIds, ...phys.bunchPattern.sase3PulseIds];
  const bamValues = rowsOf((n) => new Float32Array(n), bam.rows.length, 2 * table.length, (i, o) => {
    for (const p of bamPulses) o[2 * p] = bamArrivalPs(phys, bam.rows[i], p);
  });
  const instrument: Record<string, InstrumentSourceSpec> = {
    [SOURCES.xgmOutput]: { indexGroups: { data: { counts: xgm.counts, keys: {
      intensityTD: perPulse(ctx.energies, nSa3),
      intensitySa3TD: perPulse(ctx.energies, nSa3),
      intensitySa1TD: perPulse(ctx.sa1Energies, nSa1),
    } } } },
    [SOURCES.bam]: { indexGroups: { data: { counts: bam.counts, keys: {
      lowChargeArrivalTime: { dtype: 'float32', entryShape: [2 * table.length], values: bamValues, attrs: { unitSymbol: 's', metricPrefixSymbol: 'p' } },
    } } } },
    [SOURCES.timeserverOutput]: { indexGroups: { data: { counts: bp.counts, keys: {
      bunchPatternTable: { dtype: 'uint32', entryShape: [table.length], values: rowsOf((n) => new Uint32Array(n), bp.rows.length, table.length, (_, o) => o.set(table)) },
    } } } },
  };
  return { control, instrument };
}

/** A seed for one (module, sequence) stream, so every file is reproducible on its own. */
function streamSeed(seed: number, module: number, sequence: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(module + 1, 0xc2b2ae35) ^ Math.imul(sequence + 1, 0x27d4eb2f)) >>> 0;
}

/** Hot pixels of a module: from the run seed and module only, so they stay put across sequences. */
export function moduleHotPixels(ctx: RunContext, module: number): number[] {
  return hotPixels(ctx.phys, ctx.pixels[0] * ctx.pixels[1], new Random(streamSeed(ctx.seed, module, -1)));
}

/** Makes the image.data producer of a module's raw frames for the run's train indices `rows` (one per present train). */
export type RawFrameProducerFactory = (rows: number[]) => NonNullable<KeyArray['produce']>;

/**
 * One DSSC module's raw XTDF source for trains [a, b). `frames` replaces
 * the pump-probe ring frames with another picture (the BOZ generator's
 * three beams); every other key stays as the DAQ writes it.
 */
export function dsscModuleSource(ctx: RunContext, module: number, sequence: number, a: number, b: number, frames?: RawFrameProducerFactory): InstrumentSourceSpec {
  const { phys } = ctx;
  const F = phys.frames.perTrain;
  const [slow, fast] = ctx.pixels;
  const P = slow * fast;
  const src = dsscSource(module);
  const img = presence(ctx, src, a, b, F);
  const once = presence(ctx, src, a, b, 1);
  const nFrames = img.rows.length * F;
  const perFrame = <T extends TypedData>(make: (n: number) => T, value: (t: number, frame: number) => number | bigint): T => {
    const out = make(nFrames);
    for (let r = 0; r < img.rows.length; r++) for (let i = 0; i < F; i++) (out as unknown as (number | bigint)[])[r * F + i] = value(img.rows[r], i);
    return out;
  };
  const perTrain = <T extends TypedData>(make: (n: number) => T, size: number, fill: (o: T) => void): KeyArray => {
    const out = make(once.rows.length * size);
    for (let r = 0; r < once.rows.length; r++) fill(out.subarray(r * size, (r + 1) * size) as T);
    return { dtype: dtypeName(out), entryShape: size === 1 ? [] : [size], values: out };
  };

  const produce = frames ? frames(img.rows) : rawFrameProducer(ctx, module, sequence, img.rows);
  const col = (dtype: KeyArray['dtype'], values: TypedData): KeyArray => ({ dtype, entryShape: [1], values });
  const magic = (text: string, n: number) => (o: Int8Array) => { for (let i = 0; i < Math.min(n, text.length); i++) o[i] = text.charCodeAt(i); };
  return {
    indexGroups: {
      image: {
        counts: img.counts,
        keys: {
          data: { dtype: 'uint16', entryShape: [1, slow, fast], values: new Uint16Array(0), produce },
          pulseId: col('uint64', perFrame((n) => new BigUint64Array(n), (_, i) => BigInt(phys.frames.pulseIds[i]))),
          cellId: col('uint16', perFrame((n) => new Uint16Array(n), (_, i) => i)),
          trainId: col('uint64', perFrame((n) => new BigUint64Array(n), (t) => ctx.trainIds[t])),
          length: col('uint32', perFrame((n) => new Uint32Array(n), () => P * 2)),
          status: col('uint16', new Uint16Array(nFrames)),
        },
      },
      header: {
        counts: once.counts,
        keys: {
          pulseCount: perTrain((n) => new BigUint64Array(n), 1, (o) => { o[0] = BigInt(F); }),
          dataId: perTrain((n) => new BigUint64Array(n), 1, () => undefined),
          linkId: perTrain((n) => new BigUint64Array(n), 1, (o) => { o[0] = BigInt(module); }),
          majorTrainFormatVersion: perTrain((n) => new Uint32Array(n), 1, (o) => { o[0] = 2; }),
          minorTrainFormatVersion: perTrain((n) => new Uint32Array(n), 1, (o) => { o[0] = 1; }),
          magicNumberBegin: perTrain((n) => new Int8Array(n), 8, magic('XTDF', 8)),
          reserved: perTrain((n) => new Uint8Array(n), 16, () => undefined),
        },
      },
      detector: { counts: once.counts, keys: { data: perTrain((n) => new Uint8Array(n), 416, () => undefined) } },
      trailer: {
        counts: once.counts,
        keys: {
          checksum: perTrain((n) => new Int8Array(n), 16, () => undefined),
          magicNumberEnd: perTrain((n) => new Int8Array(n), 8, magic('XTDF', 8)),
          status: perTrain((n) => new BigUint64Array(n), 1, () => undefined),
        },
      },
    },
  };
}

/**
 * Streams one module's raw frames of the trains `rows` (run-wide train
 * indices, one per present train): baseline, the ring pattern scaled by the
 * frame's SASE3 pulse and the flat dark rate (each Poisson per pixel), then
 * the hot pixels.
 */
function rawFrameProducer(ctx: RunContext, module: number, sequence: number, rows: number[]): NonNullable<KeyArray['produce']> {
  const { phys } = ctx;
  const F = phys.frames.perTrain;
  const [slow, fast] = ctx.pixels;
  const P = slow * fast;
  const ring = new PhotonScatter(ctx.scattering ? scatteringMap(ctx.scattering, module) : ringMap(phys, slow, fast));
  const flat = new PhotonScatter(new Float32Array(P).fill(1));
  const hot = moduleHotPixels(ctx, module);
  const rng = new Random(streamSeed(ctx.seed, module, sequence));
  const nSa3 = phys.bunchPattern.sase3PulseIds.length;
  // SASE3 slot of each frame (-1 for intra-darks): the k-th X-ray frame sees the k-th SASE3 pulse.
  const slot: number[] = [];
  let k = 0;
  for (const kind of phys.frames.kinds) slot.push(kind === 'intradark' ? -1 : k++);
  const { baseline, darkPhotons, hotPixelValue } = phys.detector;
  return (first: number, count: number, out: TypedData): void => {
    const o = out as Uint16Array;
    for (let e = 0; e < count; e++) {
      const entry = first + e;
      const t = rows[Math.floor(entry / F)];
      const frame = entry % F;
      const energy = slot[frame] < 0 ? 0 : ctx.energies[t * nSa3 + slot[frame]];
      const scale = ctx.dark ? 0 : frameScale(phys, frame, phys.scan.pointOfTrain[t], energy);
      const base = e * P;
      o.fill(baseline, base, base + P);
      ring.add(rng, scale, o, base);
      flat.add(rng, darkPhotons, o, base);
      for (const h of hot) o[base + h] = hotPixelValue;
    }
  };
}

/**
 * One DSSC module's corrected (CORR) source for trains [a, b) (docs/run-format.md, DSSC):
 * image.data float32 (N, slow, fast) = raw frame − baseline, computed from the
 * very raw frames dsscModuleSource streams (same seed stream, same order);
 * image.mask uint32 (`hotMask` at hot pixels) and image.gain uint8 (0), both
 * gzip level 1; image.pulseId/cellId/trainId (N,). Only the `image` group:
 * corrected files have no header/detector/trailer.
 */
export function dsscCorrModuleSource(ctx: RunContext, module: number, sequence: number, a: number, b: number, hotMask: number): InstrumentSourceSpec {
  const raw = dsscModuleSource(ctx, module, sequence, a, b).indexGroups.image;
  const [slow, fast] = ctx.pixels;
  const P = slow * fast;
  const { baseline } = ctx.phys.detector;
  const rawProduce = raw.keys.data.produce!;
  let buf = new Uint16Array(0);
  const produce = (first: number, count: number, out: TypedData): void => {
    if (buf.length < count * P) buf = new Uint16Array(count * P);
    const r = buf.subarray(0, count * P);
    r.fill(0);
    rawProduce(first, count, r);
    const o = out as Float32Array;
    for (let i = 0; i < r.length; i++) o[i] = r[i] - baseline;
  };
  const hot = moduleHotPixels(ctx, module);
  const maskFrame = new Uint32Array(P);
  for (const h of hot) maskFrame[h] = hotMask;
  // Streamed like image.data: a real-size module would not fit in memory as one array.
  const produceMask = (_first: number, count: number, out: TypedData): void => {
    for (let f = 0; f < count; f++) (out as Uint32Array).set(maskFrame, f * P);
  };
  const flat = (k: KeyArray): KeyArray => ({ dtype: k.dtype, entryShape: [], values: k.values });
  return {
    indexGroups: {
      image: {
        counts: raw.counts,
        keys: {
          data: { dtype: 'float32', entryShape: [slow, fast], values: new Float32Array(0), produce },
          mask: { dtype: 'uint32', entryShape: [slow, fast], values: new Uint32Array(0), produce: produceMask, gzip: 1 },
          // the writer hands producers zeroed blocks: gain 0 everywhere
          gain: { dtype: 'uint8', entryShape: [slow, fast], values: new Uint8Array(0), produce: () => undefined, gzip: 1 },
          pulseId: flat(raw.keys.pulseId),
          cellId: flat(raw.keys.cellId),
          trainId: flat(raw.keys.trainId),
        },
      },
    },
  };
}

function dtypeName(a: TypedData): KeyArray['dtype'] {
  if (a instanceof BigUint64Array) return 'uint64';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Int8Array) return 'int8';
  return 'uint8';
}
