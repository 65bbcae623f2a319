/**
 * The two binned axes of the output: scan bins from the trainId binner
 * (sorted values; NaN counts as missing) and pulse bins from the pulse
 * binner (labels in order of first appearance). Without a binner a dim stays
 * unbinned: every train, or every frame, is its own bin.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import type { BinLabel } from './bins.js';

export interface ScanAxis { values: Float64Array; binOfTrain: Map<bigint, number> }
export interface PulseAxis { labels: BinLabel[]; binOfFrame: Int32Array }

/**
 * Scan bins of the trains. A scan variable with a single value, or none
 * that is finite, gives one bin (with a warning, as a dummy scan variable
 * does on purpose); `warn` false keeps quiet (getInfo).
 */
export function scanAxis(binner: DataArray | undefined, trainIds: BigUint64Array, warn: boolean): ScanAxis {
  if (!binner) {
    const values = Float64Array.from(trainIds, Number);
    return { values, binOfTrain: new Map(Array.from(trainIds, (t, i) => [t, i])) };
  }
  if (Array.isArray(binner.values)) throw new ToolBoxValueError(`the trainId binner must hold numbers (scan values), got dtype ${binner.dtype}`);
  const ids = binner.coords.trainId?.values as ArrayLike<bigint | number> | undefined;
  if (!ids) throw new ToolBoxValueError("the trainId binner needs a 'trainId' coordinate");
  const vals = Array.from(binner.values as ArrayLike<number | bigint>, Number);
  const finite = vals.filter((v) => Number.isFinite(v));
  const name = binner.name ?? 'trainId';
  if (finite.length === 0) {
    if (warn) process.emitWarning(`the scan variable ('${name}' binner) is NaN for all ${vals.length} trains: all its trains go into one bin (value 1, as a dummy scan variable); check the scan mnemonic`, 'ToolBoxWarning');
    return { values: Float64Array.of(1), binOfTrain: new Map(Array.from(ids, (t) => [BigInt(t), 0])) };
  }
  const values = Float64Array.from(new Set(finite)).sort();
  if (values.length === 1 && warn) {
    process.emitWarning(`the scan variable ('${name}' binner) has the single value ${values[0]} over its ${finite.length} trains with a value: one bin (fine for a dark run or a plain average; otherwise the bin width may exceed the scan range)`, 'ToolBoxWarning');
  }
  const pos = new Map(Array.from(values, (v, i) => [v, i]));
  const binOfTrain = new Map<bigint, number>();
  vals.forEach((v, i) => { if (Number.isFinite(v)) binOfTrain.set(BigInt(ids[i]), pos.get(v)!); });
  return { values, binOfTrain };
}

/** Pulse bins of the first `frames` frames. */
export function pulseAxis(binner: DataArray | undefined, frames: number): PulseAxis {
  if (!binner) return { labels: Array.from({ length: frames }, (_, f) => f), binOfFrame: Int32Array.from({ length: frames }, (_, f) => f) };
  const coord = binner.coords.pulse?.values;
  const positions = coord ? Array.from(coord as ArrayLike<number | bigint>, Number) : Array.from({ length: binner.size }, (_, i) => i);
  const labelAt = new Map<number, BinLabel>();
  positions.forEach((p, i) => labelAt.set(p, binner.values[i] as BinLabel));
  const labels: BinLabel[] = [];
  const index = new Map<BinLabel, number>();
  const binOfFrame = new Int32Array(frames);
  for (let f = 0; f < frames; f++) {
    const l = labelAt.get(f);
    if (l === undefined) {
      throw new ToolBoxValueError(`the pulse binner has no label for frame ${f}: it covers ${positions.length} frames, ${frames} are binned per train; make it with createDsscBins('pulse', frame indices 0…${frames - 1}, pattern)`);
    }
    if (!index.has(l)) { index.set(l, labels.length); labels.push(l); }
    binOfFrame[f] = index.get(l)!;
  }
  return { labels, binOfFrame };
}
