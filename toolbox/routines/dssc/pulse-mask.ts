/**
 * The frame mask as the binning reads it: for each train, which of its
 * frames may be binned. Users give a boolean DataArray over (trainId, pulse)
 * or one that broadcasts to it ((pulse) or (trainId) only), as dssc_process
 * allows; anything else is an error naming the shape given.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';

/**
 * Allowed frames (1 = bin it) per train, as plain data the binning plan can
 * carry: one row shared by every train (a (pulse) mask), or a row per train
 * of the mask; a train without a row is not in the mask.
 */
export interface FrameMask {
  everyTrain: Uint8Array | null;
  byTrain: Map<bigint, Uint8Array>;
}

/** The allowed frames of train `t`, or null when the mask leaves the train out. */
export function maskedFrames(mask: FrameMask, t: bigint): Uint8Array | null {
  return mask.everyTrain ?? mask.byTrain.get(t) ?? null;
}

function describe(mask: DataArray): string {
  return `dims (${mask.dims.join(', ')}) and shape [${mask.shape.join(', ')}]`;
}

function flags(mask: DataArray): Uint8Array {
  if (Array.isArray(mask.values)) throw new ToolBoxValueError(`the pulse mask must be boolean, got dtype ${mask.dtype}`);
  return Uint8Array.from(mask.values as ArrayLike<number | bigint>, (x) => (Number(x) ? 1 : 0));
}

/** Check `mask` against the frames used and turn it into a FrameMask. */
export function frameMask(mask: DataArray, frames: number): FrameMask {
  const dims = [...mask.dims].sort().join(',');
  const ok = dims === 'pulse,trainId' || dims === 'pulse' || dims === 'trainId';
  if (!ok) {
    throw new ToolBoxValueError(`the pulse mask must have dims (trainId, pulse), (pulse) or (trainId); got ${describe(mask)}`);
  }
  const m = mask.dims.length === 2 ? mask.transpose('trainId', 'pulse') : mask;
  const nPulse = m.dims.includes('pulse') ? m.sizes.pulse : frames;
  if (nPulse < frames) {
    throw new ToolBoxValueError(`the pulse mask has ${nPulse} frames along 'pulse' (${describe(mask)}) but ${frames} frames per train are binned`);
  }
  const f = flags(m);
  if (!m.dims.includes('trainId')) return { everyTrain: f.subarray(0, frames), byTrain: new Map() };
  const ids = m.coords.trainId?.values;
  if (!ids) throw new ToolBoxValueError(`the pulse mask needs a 'trainId' coordinate (${describe(mask)})`);
  const byTrain = new Map<bigint, Uint8Array>();
  const all = new Uint8Array(frames).fill(1);
  const none = new Uint8Array(frames);
  // a later duplicate trainId wins, as the lookup by row did
  Array.from(ids as ArrayLike<number | bigint>).forEach((t, i) => {
    byTrain.set(BigInt(t), !m.dims.includes('pulse') ? (f[i] ? all : none) : f.subarray(i * nPulse, i * nPulse + frames));
  });
  return { everyTrain: null, byTrain };
}
