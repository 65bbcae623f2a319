/**
 * Images and stacks of images as the integrator takes them: typed arrays
 * (row-major ny × nx per frame) or DataArrays whose trailing dims flatten to
 * the geometry's shape (a (16, 128, 512) DSSC module stack is one
 * 2048 × 512 frame); leading dims of a DataArray stack index the frames.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxTypeError, ToolBoxValueError } from '../../errors.js';
import type { NumericArray } from './csr-dot.js';

/** An image or a stack of images. */
export type ImageInput = NumericArray | DataArray;

function isNumeric(v: unknown): v is NumericArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int8Array || v instanceof Uint8Array
    || v instanceof Int16Array || v instanceof Uint16Array || v instanceof Int32Array || v instanceof Uint32Array;
}

function numericValues(name: string, v: unknown): NumericArray {
  if (isNumeric(v)) return v;
  if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
    const a = v as ArrayLike<unknown>;
    if (a.length > 0 && typeof a[0] !== 'number') throw new ToolBoxTypeError(`${name} must hold numbers, got ${typeof a[0]} values`, { dtype: typeof a[0] });
    return Float64Array.from(a as ArrayLike<number>);
  }
  throw new ToolBoxTypeError(`${name} must be a numeric typed array or a DataArray, got ${v === null ? 'null' : typeof v}`, { dtype: typeof v });
}

const fmt = (s: readonly number[]) => `(${s.join(', ')})`;

/** The frame's values; its size must be the geometry's (shapes named in the error). */
export function imageValues(image: ImageInput, shape: readonly [number, number]): NumericArray {
  const size = shape[0] * shape[1];
  const values = numericValues('image', image instanceof DataArray ? image.values : image);
  if (values.length !== size) {
    const got = image instanceof DataArray ? fmt(image.shape) : `[${values.length}]`;
    throw new ToolBoxValueError(`image has shape ${got}; the geometry's shape is ${fmt(shape)} (${size} pixels)`, { val: got });
  }
  return values;
}

/** A stack: its values, frame count, and (for a DataArray) the leading dims and coords kept for the result. */
export interface StackFrames {
  values: NumericArray;
  nFrames: number;
  leadDims: string[];
  leadShape: number[];
  source: DataArray | null;
}

export function stackValues(frames: ImageInput, shape: readonly [number, number]): StackFrames {
  const size = shape[0] * shape[1];
  if (frames instanceof DataArray) {
    let k = frames.ndim, p = 1;
    while (k > 0 && p < size) p *= frames.shape[--k];
    if (p !== size) throw new ToolBoxValueError(`frames have shape ${fmt(frames.shape)}; no trailing dims flatten to the geometry's shape ${fmt(shape)}`, { val: frames.shape });
    const values = numericValues('frames', frames.values);
    return { values, nFrames: values.length / size, leadDims: frames.dims.slice(0, k), leadShape: frames.shape.slice(0, k), source: frames };
  }
  const values = numericValues('frames', frames);
  if (values.length === 0 || values.length % size !== 0) {
    throw new ToolBoxValueError(`frames have ${values.length} values, not a multiple of the geometry's ${fmt(shape)} = ${size} pixels`, { val: values.length });
  }
  return { values, nFrames: values.length / size, leadDims: ['frame'], leadShape: [values.length / size], source: null };
}
