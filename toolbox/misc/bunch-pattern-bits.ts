/**
 * Decoding the bunch pattern table: one uint32 per 4.5 MHz bucket (the
 * entry index is the pulse ID), bits as docs/run-format.md, Bunch pattern,
 * gives them. The table length is taken from the
 * data (2700 historically, up to 4096 since 2025).
 */
import { DataArray } from '../arrays/dataarray.js';
import { ToolBoxValueError } from '../errors.js';

const DESTINATION_MASK = 0xf << 18;
const DESTINATION_T4D = 4 << 18; // SASE1/SASE3 dump
const DESTINATION_T5D = 2 << 18; // SASE2 dump
const PHOTON_LINE_DEFLECTION = 1 << 27; // the soft kick that sends a bunch to SASE3
const LASER_SEED6 = 1 << 13; // the SCS pump-probe laser

export type PulseLocation = 'sase1' | 'sase2' | 'sase3' | 'scs_ppl';
export const PULSE_LOCATIONS: readonly PulseLocation[] = ['sase1', 'sase2', 'sase3', 'scs_ppl'];

/** Whether one table word sends a pulse to `loc`. */
export function wordHasPulse(word: number, loc: PulseLocation): boolean {
  switch (loc) {
    case 'sase1': return (word & DESTINATION_MASK) === DESTINATION_T4D && (word & PHOTON_LINE_DEFLECTION) === 0;
    case 'sase3': return (word & DESTINATION_MASK) === DESTINATION_T4D && (word & PHOTON_LINE_DEFLECTION) !== 0;
    case 'sase2': return (word & DESTINATION_MASK) === DESTINATION_T5D;
    case 'scs_ppl': return (word & LASER_SEED6) !== 0;
  }
}

export function checkLocation(loc: string): PulseLocation {
  if (!(PULSE_LOCATIONS as readonly string[]).includes(loc)) {
    throw new ToolBoxValueError(`unknown pulse location '${loc}'; use one of ${PULSE_LOCATIONS.join(', ')}`);
  }
  return loc as PulseLocation;
}

/** The table's words as numbers, whatever integer dtype it was stored in. */
function words(bpt: DataArray): ArrayLike<number> {
  if (bpt.dtype === 'uint32' || bpt.dtype === 'int32') return bpt.values as Uint32Array;
  if (bpt.dtype === 'int64' || bpt.dtype === 'uint64') return Uint32Array.from(bpt.values as BigUint64Array, (v) => Number(v & 0xffffffffn));
  if (bpt.dtype.startsWith('int') || bpt.dtype.startsWith('uint')) return bpt.values as Uint32Array;
  throw new ToolBoxValueError(`a bunch pattern table holds integers, got dtype ${bpt.dtype}`);
}

/** is_pulse_at: a bool array of the table's shape, true where `loc` gets a pulse. */
export function isPulseAt(bpt: DataArray, loc: PulseLocation | string): DataArray {
  const where = checkLocation(loc);
  const w = words(bpt);
  const out = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = wordHasPulse(w[i] >>> 0, where) ? 1 : 0;
  return bpt.with({ values: out, dtype: 'bool', name: where, attrs: {} });
}

export const isSase1 = (bpt: DataArray): DataArray => isPulseAt(bpt, 'sase1');
export const isSase3 = (bpt: DataArray): DataArray => isPulseAt(bpt, 'sase3');
export const isPpl = (bpt: DataArray): DataArray => isPulseAt(bpt, 'scs_ppl');

export interface ExtractedBunchPattern {
  /** Pulse IDs per train (trainId, bunchId), ascending, padded with 0 after `npulses`. */
  bunchPattern: DataArray;
  /** Pulses per train (trainId). */
  npulses: DataArray;
  /** (trainId, pulse_slot) bool mask, true where the location has a pulse. */
  matched: DataArray;
}

/**
 * extractBunchPattern: pulse IDs and counts of a location from the table
 * itself (no decoder device needed). The bunchId axis is as wide as the
 * largest pulse count in the run, so no pulse is cut off.
 */
export function extractBunchPattern(bpTable: DataArray, key: PulseLocation | string = 'sase3'): ExtractedBunchPattern {
  if (bpTable.ndim !== 2 || bpTable.dims[0] !== 'trainId') {
    throw new ToolBoxValueError(`the bunch pattern table must be (trainId, pulse_slot), got (${bpTable.dims.join(', ')})`);
  }
  const loc = checkLocation(key);
  const matched = isPulseAt(bpTable, loc).rename({ [bpTable.dims[1]]: 'pulse_slot' });
  const [ntrains, nslots] = bpTable.shape;
  const m = matched.values as Uint8Array;
  const counts = new Int32Array(ntrains);
  let width = 0;
  for (let t = 0; t < ntrains; t++) {
    let c = 0;
    for (let s = 0, o = t * nslots; s < nslots; s++) c += m[o + s];
    counts[t] = c;
    width = Math.max(width, c);
  }
  const ids = new BigUint64Array(ntrains * width);
  for (let t = 0; t < ntrains; t++) {
    for (let s = 0, k = t * width, o = t * nslots; s < nslots; s++) if (m[o + s]) ids[k++] = BigInt(s);
  }
  const trainId = bpTable.coords.trainId;
  const coords: Record<string, DataArray> = trainId ? { trainId } : {};
  return {
    bunchPattern: new DataArray(ids, { dims: ['trainId', 'bunchId'], shape: [ntrains, width], coords, name: loc }),
    npulses: new DataArray(counts, { dims: ['trainId'], coords, name: `npulses_${loc}` }).astype('int64'),
    matched: matched.rename(`${loc}_matched`),
  };
}

/** The 4.5 MHz bucket clock (1.3 GHz / 288), in kHz. */
export const BUCKET_RATE_KHZ = 1.3e6 / 288;

/** Repetition rate (kHz) from pulse IDs of one train: the bucket clock over their spacing. */
export function repRateFromPulseIds(pulseIds: ArrayLike<number | bigint>): number {
  if (pulseIds.length < 2) return 0;
  const step = Number(pulseIds[1]) - Number(pulseIds[0]);
  if (step <= 0) throw new ToolBoxValueError(`pulse IDs must increase, got ${pulseIds[0]} then ${pulseIds[1]}`);
  return BUCKET_RATE_KHZ / step;
}
