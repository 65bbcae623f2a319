/**
 * A direct DSSC binning for tests: the whole module from getDsscModule, plain
 * nested loops in float64, each frame as (frame − dark) / xgm, summed per
 * train and bin, then averaged. Deliberately the obvious way, without plan,
 * weights, workers or the dark-share trick of the library.
 */
import { type DataCollection, getDsscModule, getXgm } from '../../toolbox/index.js';

export interface ReferenceSpec {
  /** Scan value per train (NaN or absent: not binned). */
  scan: Map<bigint, number>;
  /** Pulse label of every frame. */
  labels: (string | number)[];
  frames: number;
  /** Allowed frames of a train, null when the train is not in the mask. */
  mask?: (t: bigint) => boolean[] | null;
  xgm?: Map<bigint, Float64Array>;
  /** XGM pulse of each frame (-1 none). */
  pulseOfFrame?: number[];
  normalise?: boolean;
  normevery?: number;
  dark?: { perFrame: boolean; values: Float64Array };
  averaging?: 'frames' | 'trains';
}

export interface ReferenceResult {
  scanValues: number[];
  pulseLabels: (string | number)[];
  data: Float64Array;
  /** Mean of |frame| / xgm per element: the size of the terms before the dark cancels most of them. */
  scale: Float64Array;
  dataCounts: number[];
  trainCounts: number[];
  trains: bigint[];
}

/** XGM pulse energies per train, as float64 rows. */
export async function xgmRows(run: DataCollection, name = 'SCS_SA3'): Promise<Map<bigint, Float64Array>> {
  const da = (await getXgm(run, { mnemonics: name })).get(name);
  const n = da.shape[1];
  const ids = da.coords.trainId.values as BigUint64Array;
  const out = new Map<bigint, Float64Array>();
  ids.forEach((t, i) => out.set(t, Float64Array.from((da.values as Float32Array).subarray(i * n, (i + 1) * n))));
  return out;
}

export async function referenceBinning(run: DataCollection, module: number, spec: ReferenceSpec): Promise<ReferenceResult> {
  const mod = await getDsscModule(run, module);
  const [T, F, X, Y] = mod.shape;
  const P = X * Y;
  const img = mod.values as ArrayLike<number>;
  const ids = mod.coords.trainId.values as BigUint64Array;
  const frames = spec.frames;
  const averaging = spec.averaging ?? 'frames';
  const normevery = spec.normevery ?? 1;
  const pulseLabels = [...new Set(spec.labels.slice(0, frames))];
  const bOf = (f: number) => pulseLabels.indexOf(spec.labels[f]);
  const nP = pulseLabels.length;
  const candidates = [...ids].filter((t) => Number.isFinite(spec.scan.get(t)));
  const scanValues = [...new Set(candidates.map((t) => spec.scan.get(t)!))].sort((a, b) => a - b);
  const nS = scanValues.length;
  const data = new Float64Array(nS * nP * P);
  const scale = new Float64Array(nS * nP * P);
  const dataCounts = new Array(nS * nP).fill(0);
  const trainCounts = new Array(nS * nP).fill(0);
  const trains: bigint[] = [];
  for (let t = 0; t < T; t++) {
    const v = spec.scan.get(ids[t]);
    if (v === undefined || !Number.isFinite(v)) continue;
    const allowed = spec.mask ? spec.mask(ids[t]) : null;
    if (spec.mask && !allowed) continue;
    const xgm = spec.xgm?.get(ids[t]);
    if (spec.normalise && !xgm) continue;
    const s = scanValues.indexOf(v);
    const sum = new Float64Array(nP * P);
    const mag = new Float64Array(nP * P);
    const n = new Array(nP).fill(0);
    for (let f = 0; f < frames; f++) {
      if (allowed && !allowed[f]) continue;
      let scale = 1;
      if (spec.normalise && f % normevery === 0) {
        const e = xgm![spec.pulseOfFrame![f]];
        if (!Number.isFinite(e)) continue;
        scale = e;
      }
      const b = bOf(f);
      n[b]++;
      for (let p = 0; p < P; p++) {
        const d = spec.dark ? spec.dark.values[(spec.dark.perFrame ? f * P : 0) + p] : 0;
        sum[b * P + p] += (img[(t * F + f) * P + p] - d) / scale;
        mag[b * P + p] += Math.abs(img[(t * F + f) * P + p]) / scale;
      }
    }
    if (n.every((c) => c === 0)) continue;
    trains.push(ids[t]);
    for (let b = 0; b < nP; b++) {
      if (n[b] === 0) continue;
      dataCounts[s * nP + b] += n[b];
      trainCounts[s * nP + b] += 1;
      const w = averaging === 'trains' ? 1 / n[b] : 1;
      for (let p = 0; p < P; p++) {
        data[(s * nP + b) * P + p] += w * sum[b * P + p];
        scale[(s * nP + b) * P + p] += w * mag[b * P + p];
      }
    }
  }
  for (let g = 0; g < nS * nP; g++) {
    const c = averaging === 'trains' ? trainCounts[g] : dataCounts[g];
    for (let p = 0; p < P; p++) {
      data[g * P + p] = c > 0 ? data[g * P + p] / c : NaN;
      scale[g * P + p] = c > 0 ? scale[g * P + p] / c : NaN;
    }
  }
  return { scanValues, pulseLabels, data, scale, dataCounts, trainCounts, trains };
}

/**
 * Largest relative difference (NaN must match NaN), relative to the larger
 * value or to `scale[i]`, the size of the terms summed (where a dark cancels
 * most of a value, rounding is relative to what was cancelled).
 */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, scale?: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return Infinity;
      continue;
    }
    const diff = Math.abs(a[i] - b[i]);
    if (diff === 0) continue;
    const d = diff / Math.max(Math.abs(a[i]), Math.abs(b[i]), scale ? scale[i] : 0);
    if (d > worst) worst = d;
  }
  return worst;
}
