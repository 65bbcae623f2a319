/**
 * The dark image of one module as the binning subtracts it: per pixel (x, y)
 * or per frame (pulse, x, y), float64, checked against the module's frames
 * and pixels so that a dark from another frame pattern is never applied.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';

export type DarkKind = 'none' | 'per-pixel' | 'per-frame';
export interface ModuleDark { kind: Exclude<DarkKind, 'none'>; values: Float64Array }

const ALLOWED = ['module', 'trainId', 'pulse', 'x', 'y'];

function pickModule(dark: DataArray, module: number): DataArray {
  if (!dark.dims.includes('module')) return dark;
  const labels = dark.coords.module ? Array.from(dark.coords.module.values as ArrayLike<number | bigint>, Number) : null;
  if (!labels) {
    if (dark.sizes.module === 1) return dark.isel({ module: 0 });
    throw new ToolBoxValueError(`dark image has ${dark.sizes.module} entries along 'module' but no 'module' coordinate to find module ${module} by`);
  }
  const i = labels.indexOf(module);
  if (i < 0) throw new ToolBoxValueError(`dark image has no module ${module}; its modules are ${labels.join(', ')}`);
  return dark.isel({ module: i });
}

/** The dark of `module` for a run binning `frames` of its `framesPerTrain` frames per train. */
export function moduleDark(darkImage: DataArray, module: number, frames: number, framesPerTrain: number, pixels: [number, number], run: number | string): ModuleDark {
  const bad = darkImage.dims.filter((d) => !ALLOWED.includes(d));
  if (bad.length) throw new ToolBoxValueError(`dark image has dims (${darkImage.dims.join(', ')}); allowed are ${ALLOWED.join(', ')} (${bad.join(', ')} not)`);
  let dark = pickModule(darkImage, module);
  if (dark.dims.includes('trainId')) {
    if (dark.sizes.trainId !== 1) throw new ToolBoxValueError(`dark image has ${dark.sizes.trainId} entries along 'trainId'; average the dark run over trains first (size 1 or no trainId dim)`);
    dark = dark.isel({ trainId: 0 });
  }
  if (!dark.dims.includes('x') || !dark.dims.includes('y')) throw new ToolBoxValueError(`dark image needs dims x and y, got (${darkImage.dims.join(', ')})`);
  if (dark.sizes.x !== pixels[0] || dark.sizes.y !== pixels[1]) {
    throw new ToolBoxValueError(`dark image has ${dark.sizes.x}×${dark.sizes.y} pixels (x×y), DSSC module ${module} has ${pixels[0]}×${pixels[1]}`);
  }
  if (!dark.dims.includes('pulse')) return { kind: 'per-pixel', values: Float64Array.from(dark.transpose('x', 'y').values as ArrayLike<number>) };
  const n = dark.sizes.pulse;
  if (n !== frames && n !== framesPerTrain) {
    throw new ToolBoxValueError(`dark image has ${n} frames along 'pulse', run ${run} uses ${frames}${framesPerTrain !== frames ? ` (of ${framesPerTrain} recorded per train)` : ''}; take the dark from a run with the same frame pattern`);
  }
  const values = Float64Array.from(dark.transpose('pulse', 'x', 'y').values as ArrayLike<number>);
  return { kind: 'per-frame', values: values.subarray(0, frames * pixels[0] * pixels[1]) };
}
