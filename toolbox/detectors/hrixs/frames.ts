/**
 * The frames an hRIXS analysis reads from a dataset: the camera variable
 * (trainId, x, y), the region X_RANGE × Y_RANGE checked against the frame,
 * and the dark cropped the same way, checked against the frame's shape
 * (docs/hrixs.md, Bad input).
 */
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import { Slice, sliceIndices } from '../../arrays/slice.js';
import { ParameterError, ToolBoxValueError, VariableNameError } from '../../errors.js';
import type { Crop } from './kernels.js';

/** The camera frames of a dataset, as one flat array of n frames of fx × fy. */
export interface Frames { values: ArrayLike<number>; n: number; fx: number; fy: number; trainId: DataArray }

export function datasetFrames(data: Dataset, detector: string): Frames {
  if (!data.has(detector)) {
    throw new VariableNameError(`the dataset has no '${detector}' images (variables: ${data.dataVars.join(', ')}); load the run with the ${detector} camera, or create hRIXS with {detector: ...} of the camera the run has`, { variable: detector, available: data.dataVars, suggestions: [] });
  }
  const da = data.get(detector);
  if (da.dims.length !== 3 || da.dims[0] !== 'trainId') throw new ToolBoxValueError(`'${detector}' has dims (${da.dims.join(', ')}); expected (trainId, x, y)`);
  const [n, fx, fy] = da.shape;
  return { values: da.values as ArrayLike<number>, n, fx, fy, trainId: data.get('trainId') };
}

function axisRange(s: unknown, n: number, name: string, axis: string): [number, number] {
  if (!(s instanceof Slice)) throw new ParameterError(`${name} must be a slice (tb.slice(start, stop)), got ${String(s)}`, { parameter: name, value: s });
  if (s.step !== null && s.step !== 1) throw new ParameterError(`${name} = ${s.toString()}: only a step of 1 is supported`, { parameter: name, value: s });
  for (const v of [s.start, s.stop]) {
    if (v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new ParameterError(`${name} = ${s.toString()}: bounds must be integers or null`, { parameter: name, value: s });
    if (v > n || v < -n) throw new ToolBoxValueError(`${name} = ${s.toString()} is outside the frame: the ${axis} axis has ${n} pixels (0 to ${n})`, { val: s });
  }
  const r = sliceIndices(s as Slice<number | null>, n);
  if (r.length < 4) throw new ToolBoxValueError(`${name} = ${s.toString()} leaves ${r.length} pixels of the ${n} along ${axis}; at least 4 are needed`, { val: s });
  return [r.start, r.length];
}

/** The analysed region of frames of fx × fy. */
export function cropOf(xRange: unknown, yRange: unknown, fx: number, fy: number): Crop {
  const [x0, nx] = axisRange(xRange, fx, 'X_RANGE', 'x');
  const [y0, ny] = axisRange(yRange, fy, 'Y_RANGE', 'y');
  return { fy, x0, nx, y0, ny };
}

/** The dark cropped like the frames, or null when it is not used. */
export function croppedDark(dark: DataArray | null, useDark: boolean, c: Crop, fx: number): Float64Array | null {
  if (!useDark) return null;
  if (!dark) throw new ToolBoxValueError('USE_DARK is true but no dark is loaded: call loadDark(runNB) first, or set USE_DARK = false');
  const [dx, dy] = dark.shape;
  if (dark.shape.length !== 2 || dx !== fx || dy !== c.fy) {
    throw new ToolBoxValueError(`the dark image is ${dark.shape.join(' × ')} pixels but the frames are ${fx} × ${c.fy}: load a dark of the same camera and binning (or set USE_DARK = false)`);
  }
  const v = dark.values as ArrayLike<number>, out = new Float64Array(c.nx * c.ny);
  for (let i = 0; i < c.nx; i++) for (let j = 0; j < c.ny; j++) out[i * c.ny + j] = v[(c.x0 + i) * c.fy + c.y0 + j];
  return out;
}
