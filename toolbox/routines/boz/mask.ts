/**
 * The bad-pixel mask of one DSSC module (Python: parameters.set_mask /
 * get_mask / get_mask_idx): an image of 128 × 512 flags, 1 = bad, or the
 * list of the bad pixels' [row, column] indices (what the JSON file holds, as
 * Python's mask_idx).
 */
import { ParameterError } from '../../errors.js';
import { DataArray } from '../../arrays/dataarray.js';
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS } from './types.js';

/** A module mask: row-major 128 × 512 flags, 1 = bad pixel (excluded), 0 = good. */
export type BozMask = Uint8Array;

/** What `setMask` accepts: a module image of flags (true/non-zero = bad) or a list of bad pixel [row, column] indices. */
export type BozMaskInput = BozMask | ArrayLike<number> | readonly boolean[] | readonly (readonly boolean[])[] | readonly (readonly number[])[] | DataArray;

/** An empty mask (every pixel good). */
export function emptyMask(): BozMask {
  return new Uint8Array(MODULE_PIXELS);
}

function bad(parameter: string, value: unknown, why: string): ParameterError {
  return new ParameterError(`${parameter}: ${why}`, { parameter, value });
}

/** Mask from a list of [row, column] pairs; every index is checked against the module's 128 × 512 pixels. */
export function maskFromIndices(idx: readonly (readonly number[])[], parameter = 'mask'): BozMask {
  const mask = emptyMask();
  idx.forEach((p, k) => {
    if (p.length !== 2) throw bad(parameter, p, `bad pixel index ${k} must be a [row, column] pair, got ${p.length} numbers`);
    const [r, c] = p;
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || r >= MODULE_ROWS || c < 0 || c >= MODULE_COLS) {
      throw bad(parameter, p, `bad pixel index ${k} [${String(r)}, ${String(c)}] is outside the module (rows 0…${MODULE_ROWS - 1}, columns 0…${MODULE_COLS - 1})`);
    }
    mask[r * MODULE_COLS + c] = 1;
  });
  return mask;
}

/** The [row, column] indices of the bad pixels, in row-major order (numpy's argwhere). */
export function maskIndices(mask: BozMask): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push([Math.floor(i / MODULE_COLS), i % MODULE_COLS]);
  return out;
}

function flatImage(values: ArrayLike<unknown>, parameter: string): BozMask {
  const mask = emptyMask();
  for (let i = 0; i < MODULE_PIXELS; i++) {
    const v = values[i];
    if (typeof v === 'boolean') mask[i] = v ? 1 : 0;
    else if (typeof v === 'number' && !Number.isNaN(v)) mask[i] = v !== 0 ? 1 : 0;
    else throw bad(parameter, v, `pixel ${i} of the mask image is ${String(v)}, not a boolean or a number`);
  }
  return mask;
}

function isPairList(arr: readonly unknown[]): arr is readonly (readonly number[])[] {
  return arr.length === 0 || (Array.isArray(arr[0]) && (arr[0] as unknown[]).length === 2 && typeof (arr[0] as unknown[])[0] === 'number');
}

/**
 * Converts what `setMask` accepts into a mask: a DataArray or flat array of
 * 128 × 512 flags (true / non-zero = bad), 128 rows of 512 booleans, or a
 * list of [row, column] bad pixel pairs (an empty list: no bad pixel).
 */
export function toMask(arr: BozMaskInput, parameter = 'mask'): BozMask {
  if (arr instanceof DataArray) {
    if (arr.shape.length !== 2 || arr.shape[0] !== MODULE_ROWS || arr.shape[1] !== MODULE_COLS) {
      throw bad(parameter, arr.shape, `a mask image must be ${MODULE_ROWS} × ${MODULE_COLS}, got shape (${arr.shape.join(', ')})`);
    }
    return flatImage(arr.values as ArrayLike<number>, parameter);
  }
  if (ArrayBuffer.isView(arr) || (Array.isArray(arr) && arr.length === MODULE_PIXELS && !Array.isArray(arr[0]))) {
    const a = arr as ArrayLike<unknown>;
    if (a.length !== MODULE_PIXELS) throw bad(parameter, a.length, `a flat mask image must have ${MODULE_PIXELS} pixels (128 × 512), got ${a.length}`);
    return flatImage(a, parameter);
  }
  if (!Array.isArray(arr)) throw bad(parameter, arr, 'expected a module image of flags or a list of [row, column] bad pixel indices');
  const list = arr as readonly unknown[];
  if (list.length === MODULE_ROWS && Array.isArray(list[0]) && (list[0] as unknown[]).length === MODULE_COLS) {
    return flatImage((list as readonly (readonly unknown[])[]).flat(), parameter);
  }
  if (isPairList(list)) return maskFromIndices(list, parameter);
  throw bad(parameter, list.length, `expected 128 rows of 512 flags, ${MODULE_PIXELS} flags, or [row, column] pairs; got an array of ${list.length} items`);
}
