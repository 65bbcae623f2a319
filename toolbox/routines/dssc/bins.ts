/**
 * create_dssc_bins: the label each train, frame or pixel goes to. A binner
 * is a DataArray over one of the DSSC dims whose values are bin labels and
 * whose coordinate holds what is binned (train IDs, frame indices, pixels).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';

export const BINNER_DIMS = ['trainId', 'pulse', 'x', 'y'] as const;
export type BinnerDim = typeof BINNER_DIMS[number];
export type BinLabel = number | string;

function checkDim(name: string): asserts name is BinnerDim {
  if (!(BINNER_DIMS as readonly string[]).includes(name)) {
    throw new ToolBoxValueError(`binner name must be one of ${BINNER_DIMS.join(', ')}, got '${name}'`);
  }
}

/** Coordinates or labels: a JS array, a typed array, or a DataArray (its values). */
export type BinsInput = ArrayLike<unknown> | DataArray;

function toList(v: BinsInput, what: string): unknown[] {
  if (v instanceof DataArray) v = v.values as ArrayLike<unknown>;
  if (typeof v === 'string' || v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw new ToolBoxValueError(`${what} must be an array, got ${v === null ? 'null' : typeof v}`);
  }
  return Array.from(v as ArrayLike<unknown>);
}

/**
 * A binner over dim `name`. For 'pulse', `bins` may be a pattern shorter
 * than the frames (e.g. ['pumped', 'intradark', 'unpumped', 'intradark']):
 * it is repeated, provided its length divides the number of frames, so no
 * frame is ever given the label of another pattern slot.
 */
export function createDsscBins(name: string, coordinates: BinsInput, bins: BinsInput): DataArray {
  checkDim(name);
  const coords = toList(coordinates, `coordinates of the '${name}' binner`);
  if (coords.some((c) => typeof c !== 'number' && typeof c !== 'bigint')) throw new ToolBoxValueError(`coordinates of the '${name}' binner must be numbers`);
  let labels = toList(bins, `bins of the '${name}' binner`);
  if (labels.some((l) => typeof l !== 'number' && typeof l !== 'string')) {
    throw new ToolBoxValueError(`bins of the '${name}' binner must be numbers or strings`);
  }
  if (name === 'pulse' && labels.length !== coords.length) {
    if (labels.length === 0 || coords.length % labels.length !== 0) {
      throw new ToolBoxValueError(`pulse pattern of length ${labels.length} (${labels.join(', ')}) does not divide the frame count ${coords.length}; give one label per frame or a pattern whose length divides it`);
    }
    const pattern = labels;
    labels = Array.from({ length: coords.length }, (_, i) => pattern[i % pattern.length]);
  }
  if (labels.length !== coords.length) {
    throw new ToolBoxValueError(`the '${name}' binner has ${labels.length} bins for ${coords.length} coordinates; they must have the same length`);
  }
  const coordData = name === 'trainId'
    ? BigUint64Array.from(coords, (c) => BigInt(c as number | bigint))
    : coords.every((c) => Number.isInteger(Number(c))) ? Int32Array.from(coords, (c) => Number(c)) : Float64Array.from(coords, (c) => Number(c));
  const isString = labels.some((l) => typeof l === 'string');
  const values = isString ? labels.map(String) : Float64Array.from(labels as number[]);
  return new DataArray(values, { dims: [name], coords: { [name]: coordData }, name });
}
