/**
 * ΔR per sample and its statistics per delay bin (docs/routines.md,
 * Reflectivity: binning). Bins are the delays rounded to a multiple of the
 * bin width (the Python toolbox's binWidth·round(delay/binWidth), halves to
 * even as numpy), so only bins that hold samples exist.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { roundToBinWidth } from '../../arrays/scan-bins.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import type { ReflectivitySamples } from './samples.js';

/** Per bin, sorted by delay. */
export interface BinnedReflectivity {
  delay: number[]; deltaR: number[]; std: number[]; sterr: number[]; counts: number[];
}

/** ΔR of one sample: 100·(r_pumped/r_unpumped − 1) with r = Ir/Io, or r itself when everything is pumped. */
function sampleValue(s: ReflectivitySamples, i: number, pumpedOnly: boolean): number {
  const rp = s.irP[i] / s.ioP[i];
  return pumpedOnly ? rp : 100 * (rp / (s.irU[i] / s.ioU[i]) - 1);
}

function checkBinWidth(binWidth: number, lo: number, hi: number, delaykey: string): void {
  if (typeof binWidth !== 'number' || !(binWidth > 0) || !Number.isFinite(binWidth)) {
    throw new ParameterError(`reflectivity: binWidth must be a positive number, got ${String(binWidth)}`, { parameter: 'binWidth', value: binWidth });
  }
  if (hi > lo && binWidth > hi - lo) {
    throw new ParameterError(`reflectivity: binWidth ${binWidth} is wider than the range of ${delaykey} (${lo} to ${hi}, ${hi - lo}); all samples would fall in one or two bins`, { parameter: 'binWidth', value: binWidth });
  }
}

/**
 * Bin the samples: per bin the mean of the per-sample ΔR (or, with
 * ioweights, the ratio of the summed Ir and Io), the standard deviation of
 * the per-sample ΔR (ddof 0, as xarray's std), their count, and sterr =
 * std/√count. Samples with a non-finite value or delay are left out.
 */
export function binReflectivity(s: ReflectivitySamples, binWidth: number, opts: { pumpedOnly: boolean; ioweights: boolean; keys: { iokey: string; irkey: string; delaykey: string } }): BinnedReflectivity {
  const values: number[] = [], delays: number[] = [], index: number[] = [];
  for (let i = 0; i < s.delay.length; i++) {
    const v = sampleValue(s, i, opts.pumpedOnly);
    if (Number.isFinite(v) && Number.isFinite(s.delay[i])) { values.push(v); delays.push(s.delay[i]); index.push(i); }
  }
  if (!values.length) {
    throw new ToolBoxValueError(`reflectivity: no finite ΔR: ${opts.keys.irkey}/${opts.keys.iokey} or ${opts.keys.delaykey} is NaN (or Io is 0) for all ${s.delay.length} samples`);
  }
  const lo = Math.min(...delays), hi = Math.max(...delays);
  checkBinWidth(binWidth, lo, hi, opts.keys.delaykey);
  const labels = roundToBinWidth(new DataArray(Float64Array.from(delays), { dims: ['sample'] }), binWidth).values as Float64Array;
  const groups = new Map<number, number[]>();
  labels.forEach((label, j) => { const g = groups.get(label); if (g) g.push(j); else groups.set(label, [j]); });
  const out: BinnedReflectivity = { delay: [], deltaR: [], std: [], sterr: [], counts: [] };
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const js = groups.get(label)!;
    const n = js.length;
    const mean = js.reduce((acc, j) => acc + values[j], 0) / n;
    const std = Math.sqrt(js.reduce((acc, j) => acc + (values[j] - mean) ** 2, 0) / n);
    out.delay.push(label);
    out.deltaR.push(opts.ioweights ? ratioOfSums(s, js.map((j) => index[j]), opts.pumpedOnly) : mean);
    out.std.push(std);
    out.counts.push(n);
    out.sterr.push(std / Math.sqrt(n));
  }
  return out;
}

/** ΔR from summed intensities: 100·((ΣIr_p/ΣIo_p)/(ΣIr_u/ΣIo_u) − 1), or ΣIr/ΣIo when everything is pumped. */
function ratioOfSums(s: ReflectivitySamples, idx: number[], pumpedOnly: boolean): number {
  let irP = 0, ioP = 0, irU = 0, ioU = 0;
  for (const i of idx) { irP += s.irP[i]; ioP += s.ioP[i]; irU += s.irU[i]; ioU += s.ioU[i]; }
  return pumpedOnly ? irP / ioP : 100 * ((irP / ioP) / (irU / ioU) - 1);
}
