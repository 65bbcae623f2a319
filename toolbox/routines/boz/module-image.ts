/**
 * Module images as the BOZ functions take them: a DataArray of 128 × 512
 * (dims 'x', 'y' as the Python toolbox) or a flat row-major array of 65,536
 * numbers; and the per-pixel statistics of streamed frames.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames } from './types.js';

/** A module image: a 128 × 512 DataArray or 65,536 numbers, row-major. */
export type ModuleImage = DataArray | ArrayLike<number>;

/** The image's values as a Float64Array (row-major 128 × 512); anything else is a ParameterError naming `parameter` and `fn`. */
export function imageValues(img: ModuleImage, fn: string, parameter: string): Float64Array {
  if (img instanceof DataArray) {
    if (img.shape.length !== 2 || img.shape[0] !== MODULE_ROWS || img.shape[1] !== MODULE_COLS) {
      throw new ParameterError(`${fn}: ${parameter} must be a ${MODULE_ROWS} × ${MODULE_COLS} module image, got shape (${img.shape.join(', ')})`, { parameter, value: img.shape });
    }
    return Float64Array.from(img.values as ArrayLike<number>);
  }
  if (img === null || typeof img !== 'object' || typeof (img as ArrayLike<number>).length !== 'number' || img.length !== MODULE_PIXELS) {
    const got = img !== null && typeof img === 'object' && 'length' in img ? `${img.length} values` : String(img);
    throw new ParameterError(`${fn}: ${parameter} must be a module image of ${MODULE_PIXELS} values (128 × 512), got ${got}`, { parameter, value: img });
  }
  return Float64Array.from(img);
}

/** A 128 × 512 DataArray (dims 'x', 'y') of row-major values. */
export function moduleArray(values: Float64Array, name: string): DataArray {
  return new DataArray(values, { dims: ['x', 'y'], shape: [MODULE_ROWS, MODULE_COLS], name });
}

/** Per-pixel mean and std (ddof 0) of F(raw) over every frame of `frames`, and the frame count. */
export interface FrameStats { mean: Float64Array; std: Float64Array; frames: number }

/**
 * Streams the frames once and accumulates per-pixel Σ F(v) and Σ F(v)²
 * (exact in float64 for the integer identity F: 511² × frames stays far
 * below 2⁵³ for any run that exists).
 */
export async function frameStats(frames: ModuleFrames, F: Float64Array | null = null, signal?: AbortSignal): Promise<FrameStats> {
  const s1 = new Float64Array(MODULE_PIXELS);
  const s2 = new Float64Array(MODULE_PIXELS);
  let n = 0;
  for await (const chunk of frames.chunks({ signal })) {
    const count = chunk.trains * chunk.pulses;
    const d = chunk.data;
    for (let f = 0; f < count; f++) {
      const off = f * MODULE_PIXELS;
      for (let i = 0; i < MODULE_PIXELS; i++) {
        const v = F === null ? d[off + i] : F[d[off + i]];
        s1[i] += v;
        s2[i] += v * v;
      }
    }
    n += count;
  }
  if (n === 0) throw new ToolBoxValueError(`run ${frames.run}, module ${frames.module}: no frames to average`);
  const mean = new Float64Array(MODULE_PIXELS);
  const std = new Float64Array(MODULE_PIXELS);
  for (let i = 0; i < MODULE_PIXELS; i++) {
    mean[i] = s1[i] / n;
    // (n Σv² − (Σv)²) / n²: exact for integer sums, no negative variance from cancellation.
    std[i] = Math.sqrt(Math.max(0, n * s2[i] - s1[i] * s1[i])) / n;
  }
  return { mean, std, frames: n };
}
