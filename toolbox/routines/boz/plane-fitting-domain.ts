/**
 * The ratio images of the orders and where a plane may be fitted to them
 * (Python: plane_fitting_domain): n/0 and p/0 of the dark-corrected average
 * image, and the pixels where the product with the 0th order lies within
 * prodTh (enough light in both beams for the ratio to mean something) and
 * the ratio within ratioTh (no hot or dead pixel).
 */
import type { DataArray } from '../../arrays/dataarray.js';
import { ParameterError } from '../../errors.js';
import { type ModuleImage, type Thresholds, beamRois, moduleValues, roiArray, roiPixels } from './ff-params.js';
import type { Roi, Rois } from './types.js';

/** The ratio images and their domains (Python's n, n_m, p, p_m). */
export interface PlaneFittingDomain {
  /** n/0 over the 'n' ROI's shape (coordinates of the 'n' ROI). */
  n: DataArray;
  /** Where n/0 is fitted. */
  nM: DataArray;
  /** p/0 over the 'p' ROI's shape. */
  p: DataArray;
  /** Where p/0 is fitted. */
  pM: DataArray;
}

/** Raw arrays of a domain computation, for the fits. */
export interface DomainValues { n: Float64Array; nM: Uint8Array; p: Float64Array; pM: Uint8Array; rn: Roi; rp: Roi }

export function checkThresholds(th: unknown, name: string, fn: string): Thresholds {
  const ok = Array.isArray(th) && th.length === 2 && th.every((v) => typeof v === 'number' && !Number.isNaN(v)) && (th[0] as number) < (th[1] as number);
  if (!ok) throw new ParameterError(`${fn}: ${name} is a (low, high) pair of numbers, low < high (±Infinity for none), got ${JSON.stringify(th)}`, { parameter: name, value: th });
  return th as unknown as Thresholds;
}

function ratioAndDomain(beam: Float64Array, ref: Float64Array, prodTh: Thresholds, ratioTh: Thresholds): { r: Float64Array; m: Uint8Array } {
  const r = new Float64Array(beam.length), m = new Uint8Array(beam.length);
  for (let i = 0; i < beam.length; i++) {
    r[i] = beam[i] / ref[i];
    const prod = beam[i] * ref[i];
    m[i] = Number.isFinite(r[i]) && prod > prodTh[0] && prod < prodTh[1] && r[i] > ratioTh[0] && r[i] < ratioTh[1] ? 1 : 0;
  }
  return { r, m };
}

/** planeFittingDomain's numbers, without the DataArrays. */
export function domainValues(avg: ModuleImage, rois: Rois | null | undefined, prodTh: Thresholds, ratioTh: Thresholds, fn: string): DomainValues {
  const img = moduleValues(avg, fn);
  const { n: rn, z, p: rp } = beamRois(rois, fn);
  const pt = checkThresholds(prodTh, 'prodTh', fn), rt = checkThresholds(ratioTh, 'ratioTh', fn);
  const ref = roiPixels(img, z);
  const dn = ratioAndDomain(roiPixels(img, rn), ref, pt, rt);
  const dp = ratioAndDomain(roiPixels(img, rp), ref, pt, rt);
  return { n: dn.r, nM: dn.m, p: dp.r, pM: dp.m, rn, rp };
}

/**
 * Python's plane_fitting_domain(avg, rois, prod_th, ratio_th): `avg` is the
 * dark-corrected average module image of unsaturated frames; returns the
 * ratio images n/0, p/0 and their domains: finite ratio, product beam·0
 * strictly within prodTh, ratio strictly within ratioTh.
 */
export function planeFittingDomain(avg: ModuleImage, rois: Rois, prodTh: Thresholds, ratioTh: Thresholds): PlaneFittingDomain {
  const d = domainValues(avg, rois, prodTh, ratioTh, 'planeFittingDomain');
  return {
    n: roiArray(d.n, d.rn, 'n/0'), nM: roiArray(d.nM, d.rn, 'n domain'),
    p: roiArray(d.p, d.rp, 'p/0'), pM: roiArray(d.pM, d.rp, 'p domain'),
  };
}
