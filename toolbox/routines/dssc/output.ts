/**
 * From a module's sums to its file: subtract the dark's share, divide by
 * the counts of the chosen averaging, bin pixels when x/y binners are set,
 * and write the Dataset in the layout the Python DSSCBinner writes (group
 * 'data', dims (trainId, pulse, module, x, y)), atomically.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Attrs, DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { saveXarray } from '../../io/netcdf.js';
import type { BinLabel } from './bins.js';
import type { ModuleDark } from './dark.js';
import { type BinningSetup, EXCLUSION_REASONS, type ModulePlan } from './plan.js';
import { toolboxVersion } from '../../version.js';

export interface OutputMeta {
  proposal: number | string;
  run: number | string;
  chunksize: number;
  maxframes: number | null;
  xgmNormalization: boolean;
  normevery: number;
  /** Labels per x / y pixel when those dims are binned. */
  xBins: BinLabel[] | null;
  yBins: BinLabel[] | null;
  pixels: [number, number];
}

export const moduleFileName = (run: number | string, module: number): string => `run_${run}_module${module}.h5`;

/** Labels as a coordinate: strings stay strings, integers int32, others float64. */
export function labelData(labels: readonly BinLabel[]): string[] | Int32Array | Float64Array {
  if (labels.some((l) => typeof l === 'string')) return labels.map(String);
  return labels.every((l) => Number.isInteger(l)) ? Int32Array.from(labels as number[]) : Float64Array.from(labels as number[]);
}

/** Sorted distinct labels and the output index of every input position. */
function groupLabels(labels: readonly BinLabel[]): { keys: BinLabel[]; index: Int32Array } {
  const keys = [...new Set(labels)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const pos = new Map(keys.map((k, i) => [k, i]));
  return { keys, index: Int32Array.from(labels, (l) => pos.get(l)!) };
}

/** Sum the pixels sharing an x (and y) label, as the Python binner's groupby-sum over x and y. */
function binPixels(data: Float64Array, groups: number, meta: OutputMeta): { data: Float64Array; shape: [number, number]; coords: Record<string, string[] | Int32Array | Float64Array> } {
  const [X, Y] = meta.pixels;
  const gx = meta.xBins ? groupLabels(meta.xBins) : null;
  const gy = meta.yBins ? groupLabels(meta.yBins) : null;
  if (!gx && !gy) return { data, shape: [X, Y], coords: {} };
  const nx = gx ? gx.keys.length : X;
  const ny = gy ? gy.keys.length : Y;
  const out = new Float64Array(groups * nx * ny);
  for (let g = 0; g < groups; g++) {
    for (let x = 0; x < X; x++) {
      const ox = g * nx * ny + (gx ? gx.index[x] : x) * ny;
      for (let y = 0; y < Y; y++) out[ox + (gy ? gy.index[y] : y)] += data[(g * X + x) * Y + y];
    }
  }
  const coords: Record<string, string[] | Int32Array | Float64Array> = {};
  if (gx) coords.x = labelData(gx.keys);
  if (gy) coords.y = labelData(gy.keys);
  return { data: out, shape: [nx, ny], coords };
}

/** Mean images per (scan bin, pulse bin) from the sums: (Σ w·frame − Σ w·dark) / count. */
export function finishSums(sums: Float64Array, plan: ModulePlan, setup: BinningSetup, dark: ModuleDark | null, pixels: number): Float64Array {
  const nP = setup.pulseLabels.length;
  const nS = setup.scanValues.length;
  if (dark) {
    for (let s = 0; s < nS; s++) {
      for (let f = 0; f < setup.frames; f++) {
        const ws = plan.weightSums[s * setup.frames + f];
        if (ws === 0) continue;
        const off = (s * nP + setup.pulseBinOfFrame[f]) * pixels;
        const d = dark.kind === 'per-frame' ? f * pixels : 0;
        for (let p = 0; p < pixels; p++) sums[off + p] -= ws * dark.values[d + p];
      }
    }
  }
  const counts = setup.averaging === 'frames' ? plan.dataCounts : plan.trainCounts;
  for (let g = 0; g < nS * nP; g++) {
    const c = counts[g];
    const off = g * pixels;
    for (let p = 0; p < pixels; p++) sums[off + p] = c > 0 ? sums[off + p] / c : NaN;
  }
  return sums;
}

/** The module's Dataset: data, data_counts, train_counts, xgm/tim when loaded, and the provenance attrs. */
export function moduleDataset(means: Float64Array, plan: ModulePlan, setup: BinningSetup, dark: ModuleDark | null, meta: OutputMeta): Dataset {
  const nS = setup.scanValues.length;
  const nP = setup.pulseLabels.length;
  const binned = binPixels(means, nS * nP, meta);
  const coords = {
    trainId: setup.scanValues,
    pulse: labelData(setup.pulseLabels),
    module: Int32Array.of(plan.module),
    ...binned.coords,
  };
  const counts = (v: Float64Array) => new DataArray(BigInt64Array.from(v, (c) => BigInt(c)), { dims: ['trainId', 'pulse', 'module'], shape: [nS, nP, 1] });
  const vars: Record<string, DataArray> = {
    data: new DataArray(binned.data, { dims: ['trainId', 'pulse', 'module', 'x', 'y'], shape: [nS, nP, 1, ...binned.shape] }),
    data_counts: counts(plan.dataCounts),
    train_counts: counts(plan.trainCounts),
  };
  if (plan.xgmBinned) vars.xgm = new DataArray(plan.xgmBinned, { dims: ['trainId', 'pulse'], shape: [nS, nP] });
  if (plan.timBinned) vars.tim = new DataArray(plan.timBinned, { dims: ['trainId', 'pulse'], shape: [nS, nP] });
  const attrs: Attrs = {
    proposal: Number(meta.proposal), run: Number(meta.run), module: plan.module, averaging: setup.averaging,
    chunksize: meta.chunksize, maxframes: meta.maxframes ?? setup.framesPerTrain, frames_used: setup.frames,
    xgm_normalization: meta.xgmNormalization, normevery: meta.normevery, dark: dark?.kind ?? 'none',
    trains_used: plan.trainIds.length, frames_binned: plan.framesBinned, frames_excluded_no_xgm: plan.framesNoXgm,
    toolbox: 'scs-toolbox', toolbox_version: toolboxVersion(),
  };
  // attrs in Python's snake_case: noScanValue → trains_excluded_no_scan_value
  for (const r of EXCLUSION_REASONS) attrs[`trains_excluded_${r.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`] = plan.excluded[r];
  return new Dataset(vars, { coords, attrs });
}

/** Write the module file atomically; returns its path. */
export async function writeModuleFile(filepath: string, ds: Dataset, run: number | string, module: number): Promise<string> {
  await mkdir(filepath, { recursive: true });
  const file = join(filepath, moduleFileName(run, module));
  await saveXarray(file, ds, { group: 'data', mode: 'w' });
  return file;
}
