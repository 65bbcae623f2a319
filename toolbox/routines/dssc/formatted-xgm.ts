/**
 * get_xgm_formatted: the XGM pulse energies with their pulse axis relabelled
 * as DSSC frame indices, so the same pulse binner and pulse mask apply to
 * both (Python: the XGM pulse dim renamed to 'pulse', coordinates = frames).
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import { getXgm } from '../../detectors/xgm.js';
import type { DataCollection } from '../../run/data-collection.js';
import { xgmPulseOfFrame } from './stride.js';

/**
 * Which DSSC frame each XGM pulse lands on: a stride (pulse k → frame
 * k·stride, the Python toolbox's dssc_coords_stride), the frames themselves,
 * or the pulse pattern's labels per frame (pulse k → the k-th frame whose
 * label does not contain "dark", dssc_process's rule).
 */
export type DsscFrameCoords = number | ArrayLike<number> | readonly string[];

/** Frame indices for `nPulses` XGM pulses; with a pattern, only as many as it has X-ray frames. */
export function xgmFrameIndices(nPulses: number, coords: DsscFrameCoords): number[] {
  if (typeof coords === 'number') {
    if (!Number.isInteger(coords) || coords < 1) throw new ToolBoxValueError(`dsscFrameCoords stride must be a positive integer, got ${coords}`);
    return Array.from({ length: nPulses }, (_, k) => k * coords);
  }
  const list = Array.from(coords as ArrayLike<number | string>);
  if (list.length && typeof list[0] === 'string') {
    const pulseOf = xgmPulseOfFrame('pattern', list.length, list as string[]);
    const lit = Array.from(pulseOf.entries()).filter(([, k]) => k >= 0).map(([f]) => f);
    if (lit.length === 0) throw new ToolBoxValueError(`the frame pattern has no frame without "dark" in its label (${list.length} frames): no frame can receive an XGM pulse`);
    return lit.slice(0, nPulses);
  }
  const frames = list.map(Number);
  if (frames.length !== nPulses) {
    throw new ToolBoxValueError(`dsscFrameCoords lists ${frames.length} frames but the XGM has ${nPulses} pulses per train`);
  }
  frames.forEach((f, k) => {
    if (!Number.isInteger(f) || f < 0) throw new ToolBoxValueError(`dsscFrameCoords[${k}] must be a frame index (integer ≥ 0), got ${f}`);
    if (k > 0 && f <= frames[k - 1]) throw new ToolBoxValueError(`dsscFrameCoords must increase: frame ${frames[k - 1]} then ${f} at position ${k}`);
  });
  return frames;
}

/**
 * The pulse-resolved XGM (trainId, pulse) with 'pulse' = DSSC frame index.
 * With a pattern that has fewer X-ray frames than the XGM has pulses, the
 * extra pulses hit no frame and are left out (a ToolBoxWarning says so).
 */
export async function getXgmFormatted(run: DataCollection, xgmName = 'SCS_SA3', dsscFrameCoords: DsscFrameCoords = 2): Promise<DataArray> {
  const xgm = (await getXgm(run, { mnemonics: xgmName })).get(xgmName);
  const pulseDim = xgm.dims.find((d) => d !== 'trainId');
  if (xgm.ndim !== 2 || pulseDim === undefined) throw new ToolBoxValueError(`${xgmName} is not pulse-resolved here: dims (${xgm.dims.join(', ')})`);
  const n = xgm.sizes[pulseDim];
  const frames = xgmFrameIndices(n, dsscFrameCoords);
  let kept = xgm;
  if (frames.length < n) {
    process.emitWarning(`${xgmName} has ${n} pulses per train but the frame pattern has ${frames.length} X-ray frames: the last ${n - frames.length} pulses are left out`, 'ToolBoxWarning');
    kept = xgm.isel({ [pulseDim]: Array.from({ length: frames.length }, (_, k) => k) });
  }
  const renamed = kept.dropVars(pulseDim).rename({ [pulseDim]: 'pulse' });
  return renamed.assignCoords({ pulse: new DataArray(frames, { dims: ['pulse'], dtype: 'int64' }) });
}
