/**
 * get_pes_tof: time-of-flight spectra of one PES channel, one per SASE3
 * pulse, cut from the raw digitizer traces at the pulse's bunch-pattern
 * position (algorithm and decisions: docs/pes.md, getPesTof).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { merge } from '../../arrays/merge.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { pulseIdsPerTrain } from '../../misc/bunch-pattern.js';
import { checkOptions, optionNames } from '../../options.js';
import type { DataCollection } from '../../run/data-collection.js';
import { openRun } from '../../run/open.js';
import { PULSE_DIMS } from '../pulse-axis.js';
import { type PesChannel, pesChannel } from './channels.js';

export interface PesTofOptions {
  /** First sample of the first pulse's spectrum in the raw trace (default 0). */
  start?: number;
  /** Sample of the raw trace at the first pulse's time-of-flight origin (prompt); gives the `time_ns` coordinate. */
  origin?: number;
  /** Samples per spectrum (default: one 4.5 MHz bunch slot, 440 at 2 GS/s, 880 interleaved). */
  width?: number;
  /** Subtract from each spectrum the mean of its baseline window (default false). */
  subtractBaseline?: boolean;
  /** First sample of the first pulse's baseline window (default `start`). */
  baseStart?: number;
  /** Samples in the baseline window (default 40). */
  baseWidth?: number;
  /** A Dataset to merge the spectra into (inner join on trainId). */
  mergeWith?: Dataset;
}
const PES_TOF_OPTIONS = optionNames<PesTofOptions>({
  start: true, origin: true, width: true, subtractBaseline: true, baseStart: true, baseWidth: true, mergeWith: true,
});

/** Where each spectrum and baseline window sits, already checked against the trace. */
export interface PesWindows {
  start: number; width: number; baseStart: number; baseWidth: number; subtract: boolean;
  /** Sorted SASE3 pulse IDs of the output axis and their sample offset from the first one. */
  pulseIds: number[]; offsets: number[];
  /** Pulse ID → its index on the axis. */
  index: Map<number, number>;
}

function intOption(name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ParameterError(`getPesTof: ${name} must be an integer ≥ ${min}, got ${String(v)}`, { parameter: name, value: v });
  }
  return v;
}

/** Check [first, first + n) shifted by up to `last` samples fits a trace of `nsamples`. */
function checkWindow(label: string, first: number, n: number, last: number, lastPulse: number, nsamples: number, ch: PesChannel): void {
  if (first + last + n > nsamples) {
    const shifted = last ? ` shifted by ${last} samples for the last SASE3 pulse (ID ${lastPulse})` : '';
    throw new ToolBoxValueError(`getPesTof: ${ch.mnemonic}: the ${label} window [${first}, ${first + n})${shifted} ends at sample ${first + last + n} but the trace has ${nsamples} samples`);
  }
}

/** The windows of `options` for a trace of `nsamples` and the pulse IDs of the run. */
export function pesWindows(options: PesTofOptions, ch: PesChannel, nsamples: number, pulseIds: number[]): PesWindows {
  const start = intOption('start', options.start ?? 0, 0);
  const width = intOption('width', options.width ?? ch.samplesPerBucket, 1);
  const baseStart = intOption('baseStart', options.baseStart ?? start, 0);
  const baseWidth = intOption('baseWidth', options.baseWidth ?? 40, 1);
  if (options.origin !== undefined && options.origin !== null && (typeof options.origin !== 'number' || !Number.isFinite(options.origin))) {
    throw new ParameterError(`getPesTof: origin must be a sample number, got ${String(options.origin)}`, { parameter: 'origin', value: options.origin });
  }
  const offsets = pulseIds.map((p) => (p - pulseIds[0]) * ch.samplesPerBucket);
  const last = offsets[offsets.length - 1];
  const lastPulse = pulseIds[pulseIds.length - 1];
  checkWindow('spectrum', start, width, last, lastPulse, nsamples, ch);
  const subtract = options.subtractBaseline ?? false;
  if (subtract) checkWindow('baseline', baseStart, baseWidth, last, lastPulse, nsamples, ch);
  return { start, width, baseStart, baseWidth, subtract, pulseIds, offsets, index: new Map(pulseIds.map((p, k) => [p, k])) };
}

/** Cut the spectra of `rows` traces into `out` at row `row0` (trains × pulses × width); absent pulses stay NaN. */
export function cutSpectra(values: ArrayLike<number>, rows: number, nsamples: number, trainPulses: (number[] | undefined)[], w: PesWindows, out: Float32Array, row0: number): void {
  const np = w.pulseIds.length;
  for (let r = 0; r < rows; r++) {
    const t0 = r * nsamples;
    for (const p of trainPulses[r] ?? []) {
      const k = w.index.get(p)!;
      const off = w.offsets[k];
      let base = 0;
      if (w.subtract) {
        let s = 0;
        for (let i = 0; i < w.baseWidth; i++) s += values[t0 + w.baseStart + off + i];
        base = s / w.baseWidth;
      }
      const o = ((row0 + r) * np + k) * w.width;
      const from = t0 + w.start + off;
      for (let i = 0; i < w.width; i++) out[o + i] = values[from + i] - base;
    }
  }
}

/** SASE3 pulse IDs per train; without a bunch pattern every train has one pulse, ID 0. */
async function sase3Pulses(run: DataCollection): Promise<Map<number, number[]>> {
  const p = await pulseIdsPerTrain(run, 'sase3');
  if (!p) {
    process.emitWarning('getPesTof: the run has no bunch pattern; one spectrum per train (sa3_pId 0)', 'ToolBoxWarning');
    return new Map(run.trainIds.map((t) => [t, [0]]));
  }
  return new Map(p.trainIds.map((t, i) => [t, p.pulseIds[i]]));
}

/** getPesTof on an open run; `what` names the run in messages. */
export async function pesTofOfRun(run: DataCollection, mnemonic: string, options: PesTofOptions, what: string): Promise<DataArray> {
  const ch = pesChannel(run, mnemonic, what);
  const info = run.keyInfo(ch.source, ch.key);
  const nsamples = info.shape[1] ?? 0;
  const pulses = await sase3Pulses(run);
  const dataTrains = Array.from((run.dataCounts(ch.source, ch.key).values as ArrayLike<number | bigint>), Number);
  const trainsWithData = run.trainIds.filter((t, i) => dataTrains[i] > 0 && (pulses.get(t)?.length ?? 0) > 0);
  const ids = [...new Set(trainsWithData.flatMap((t) => pulses.get(t)!))].sort((a, b) => a - b);
  if (!ids.length) throw new ToolBoxValueError(`getPesTof: ${what}: no train has both a ${ch.mnemonic} trace and a SASE3 pulse`);
  const w = pesWindows(options, ch, nsamples, ids);
  const keep = new Set(trainsWithData);
  const out = new Float32Array(trainsWithData.length * ids.length * w.width).fill(NaN);
  let row = 0;
  for await (const chunk of run.trainsChunks(ch.source, ch.key)) {
    const tids = Array.from(chunk.coords.trainId.values as BigUint64Array, Number);
    const sel = tids.map((t, i) => [t, i] as const).filter(([t]) => keep.has(t));
    const vals = chunk.values as ArrayLike<number>;
    for (const [t, i] of sel) {
      cutSpectra(subRow(vals, i, nsamples), 1, nsamples, [pulses.get(t)], w, out, row);
      row++;
    }
  }
  return spectraArray(out, trainsWithData, w, ch, options.origin);
}

function subRow(vals: ArrayLike<number>, i: number, n: number): ArrayLike<number> {
  const v = vals as unknown as { subarray?: (a: number, b: number) => ArrayLike<number> };
  return v.subarray ? v.subarray(i * n, (i + 1) * n) : Array.prototype.slice.call(vals, i * n, (i + 1) * n) as number[];
}

function spectraArray(out: Float32Array, trains: number[], w: PesWindows, ch: PesChannel, origin: number | undefined): DataArray {
  const sampleId = Float64Array.from({ length: w.width }, (_, i) => w.start + i);
  const coords: Record<string, DataArray | [string, Float64Array, Record<string, string>]> = {
    trainId: new DataArray(BigUint64Array.from(trains, BigInt), { dims: ['trainId'] }),
    [PULSE_DIMS.sase3]: new DataArray(BigInt64Array.from(w.pulseIds, BigInt), { dims: [PULSE_DIMS.sase3] }),
    sampleId: new DataArray(BigInt64Array.from(sampleId, (s) => BigInt(s)), { dims: ['sampleId'] }),
  };
  if (origin !== undefined && origin !== null) {
    coords.time_ns = ['sampleId', Float64Array.from(sampleId, (s) => (s - origin) / ch.samplingRateGHz), { units: 'ns' }];
  }
  return new DataArray(out, {
    dims: ['trainId', PULSE_DIMS.sase3, 'sampleId'], shape: [trains.length, w.pulseIds.length, w.width], name: ch.mnemonic, coords,
    attrs: {
      channel: ch.channel, source: ch.source, key: ch.key, start: w.start, width: w.width, samplingRateGHz: ch.samplingRateGHz,
      baselineSubtracted: w.subtract ? 1 : 0, ...(w.subtract ? { baseStart: w.baseStart, baseWidth: w.baseWidth } : {}),
      ...(origin !== undefined && origin !== null ? { origin } : {}),
    },
  });
}

/**
 * Time-of-flight spectra of a PES channel (Python: get_pes_tof): for every
 * train and SASE3 pulse ID p, the samples [start + Δ, start + Δ + width) of
 * the raw trace with Δ = (p − first SASE3 pulse ID of the run) × samples per
 * bunch slot, minus (subtractBaseline) the mean of [baseStart + Δ,
 * baseStart + Δ + baseWidth). Dims (trainId, sa3_pId, sampleId), float32,
 * NaN where a train lacks a pulse; with `origin`, a coordinate
 * time_ns = (sampleId − origin) / sampling rate (ns). `mnemonic` is
 * 'PES_2Araw' or '2A'. With `mergeWith`, that Dataset with the spectra added.
 */
export async function getPesTof(proposal: number | string, runNB: number | string, mnemonic: string, options?: PesTofOptions & { mergeWith?: undefined }): Promise<DataArray>;
export async function getPesTof(proposal: number | string, runNB: number | string, mnemonic: string, options: PesTofOptions & { mergeWith: Dataset }): Promise<Dataset>;
export async function getPesTof(proposal: number | string, runNB: number | string, mnemonic: string, options: PesTofOptions = {}): Promise<DataArray | Dataset> {
  options = checkOptions('getPesTof', options, PES_TOF_OPTIONS);
  if (options.mergeWith !== undefined && !(options.mergeWith instanceof Dataset)) {
    throw new ParameterError('getPesTof: mergeWith must be a Dataset', { parameter: 'mergeWith', value: options.mergeWith });
  }
  const run = await openRun(proposal, runNB);
  const da = await pesTofOfRun(run, mnemonic, options, `run ${runNB} of proposal ${proposal}`);
  return options.mergeWith ? merge([options.mergeWith, da], { join: 'inner' }) : da;
}
