/**
 * The frame mask as the binning reads it: for each train, which of its
 * frames may be binned. Users give a boolean DataArray over (trainId, pulse)
 * or one that broadcasts to it ((pulse) or (trainId) only), as dssc_process
 * allows; anything else is an error naming the shape given.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';

/** Allowed frames of a train (1 = bin it), or null when the train is not in the mask. */
export type MaskLookup = (trainId: bigint) => Uint8Array | null;

function describe(mask: DataArray): string {
  return `dims (${mask.dims.join(', ')}) and shape [${mask.shape.join(', ')}]`;
}

function flags(mask: DataArray): Uint8Array {
  if (Array.isArray(mask.values)) throw new ToolBoxValueError(`the pulse mask must be boolean, got dtype ${mask.dtype}`);
  return Uint8Array.from(mask.values as ArrayLike<number | bigint>, (x) => (Number(x) ? 1 : 0));
}

/** Check `mask` against the frames used and make its lookup. */
export function maskLookup(mask: DataArray, frames: number): MaskLookup {
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
  if (!m.dims.includes('trainId')) {
    const row = f.subarray(0, frames);
    return () => row;
  }
  const ids = m.coords.trainId?.values;
  if (!ids) throw new ToolBoxValueError(`the pulse mask needs a 'trainId' coordinate (${describe(mask)})`);
  const rowOf = new Map<bigint, number>();
  Array.from(ids as ArrayLike<number | bigint>).forEach((t, i) => rowOf.set(BigInt(t), i));
  if (!m.dims.includes('pulse')) {
    const all = new Uint8Array(frames).fill(1);
    const none = new Uint8Array(frames);
    return (t) => {
      const i = rowOf.get(t);
      return i === undefined ? null : f[i] ? all : none;
    };
  }
  return (t) => {
    const i = rowOf.get(t);
    return i === undefined ? null : f.subarray(i * nPulse, i * nPulse + frames);
  };
}
