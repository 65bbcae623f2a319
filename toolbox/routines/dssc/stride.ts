/**
 * Which DSSC frame each XGM pulse belongs to (Python: dssc_coords_stride).
 * The XGM records only pulses with X-rays, while the DSSC may also record
 * intra-train darks in between, so XGM pulse k is not frame k in general.
 */
import { ToolBoxValueError } from '../../errors.js';
import type { BinLabel } from './bins.js';

/**
 * A number s: XGM pulse k is frame k·s. A list: the frame of each XGM pulse.
 * 'pattern': XGM pulse k is the k-th frame whose pulse-binner label does not
 * contain "dark".
 */
export type DsscCoordsStride = number | number[] | 'pattern';

/** pulseOfFrame[f] = the XGM pulse mapped to frame f, or -1 (no X-ray pulse recorded for it). */
export function xgmPulseOfFrame(stride: DsscCoordsStride, frames: number, pulseLabels: readonly BinLabel[] | null): Int32Array {
  const out = new Int32Array(frames).fill(-1);
  if (stride === 'pattern') {
    if (!pulseLabels) throw new ToolBoxValueError("dsscCoordsStride 'pattern' needs a pulse binner with labels (e.g. 'pumped', 'intradark')");
    let k = 0;
    // frames the binner does not label (beyond maxframes) are not binned: no pulse for them
    for (let f = 0; f < Math.min(frames, pulseLabels.length); f++) if (!String(pulseLabels[f]).includes('dark')) out[f] = k++;
    return out;
  }
  if (Array.isArray(stride)) {
    stride.forEach((f, k) => {
      if (!Number.isInteger(f) || f < 0) throw new ToolBoxValueError(`dsscCoordsStride lists frame ${f} for XGM pulse ${k}; frames are integers >= 0`);
      if (f < frames) {
        if (out[f] >= 0) throw new ToolBoxValueError(`dsscCoordsStride maps XGM pulses ${out[f]} and ${k} to the same frame ${f}`);
        out[f] = k;
      }
    });
    return out;
  }
  if (typeof stride !== 'number' || !Number.isInteger(stride) || stride < 1) {
    throw new ToolBoxValueError(`dsscCoordsStride must be a positive integer, a list of frames or 'pattern', got ${JSON.stringify(stride)}`);
  }
  for (let f = 0; f < frames; f += stride) out[f] = f / stride;
  return out;
}

export function describeStride(stride: DsscCoordsStride): string {
  return Array.isArray(stride) ? `[${stride.join(', ')}]` : String(stride);
}
