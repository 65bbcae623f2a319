/**
 * Gain maps and masks of the FastCCD: .npy files of the frame's shape
 * (docs/fastccd.md, Files). A gain multiplies raw ADU per pixel; a mask is
 * non-zero (true) on good pixels, masked ones become NaN where it is used.
 */
import { ToolBoxValueError } from '../../errors.js';
import { readNpy } from './npy.js';

export interface FastCCDPixelMap {
  file: string;
  shape: [number, number];
  values: Float64Array;
}

/** Read a 2-D .npy map; anything else is a ToolBoxValueError naming the file and its shape. */
export async function readPixelMap(file: string, what: 'gain map' | 'mask'): Promise<FastCCDPixelMap> {
  const a = await readNpy(file);
  if (a.shape.length !== 2) throw new ToolBoxValueError(`${what} ${file} has shape [${a.shape}]; a FastCCD ${what} is 2-D [rows, columns]`);
  if (what === 'gain map' && a.values.some((v) => !Number.isFinite(v))) throw new ToolBoxValueError(`gain map ${file} holds non-finite values`);
  return { file, shape: [a.shape[0], a.shape[1]], values: a.values };
}

/** The map must have the frames' shape, else a ToolBoxValueError with both shapes. */
export function checkMapShape(map: FastCCDPixelMap, what: 'gain map' | 'mask', frame: readonly number[], runNr: number): void {
  if (map.shape[0] !== frame[0] || map.shape[1] !== frame[1]) {
    throw new ToolBoxValueError(`${what} ${map.file} has shape [${map.shape.join(', ')}] but the FastCCD frames of run ${runNr} are [${frame.join(', ')}]`);
  }
}

/** values with masked pixels (mask 0) set to NaN, for each image of `pixels` pixels. */
export function applyMask(values: ArrayLike<number>, mask: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  const pixels = mask.length;
  for (let o = 0; o < out.length; o += pixels) {
    for (let k = 0; k < pixels; k++) if (mask[k] === 0) out[o + k] = NaN;
  }
  return out;
}
