/**
 * FastCCD binning (docs/fastccd.md, Binning): which trains go to which
 * (scan bin, pumped | unpumped), the row bands the workers stream, and the
 * binned Dataset: mean gain·frame per bin and state, mean XGM, counts.
 */
import { availableParallelism } from 'node:os';
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { startProgress } from '../../display/track.js';
import { ToolBoxValueError } from '../../errors.js';
import type { KeyData } from '../../run/key-data.js';
import { BOTH, type FccdTask, PUMPED, UNPUMPED } from './accumulate.js';
import { runBands, runBandsHere } from './execute.js';
import type { FastCCDScanValues } from './scan.js';

export interface BinningInput {
  proposal: number;
  runNr: number;
  camera: KeyData;
  scan: FastCCDScanValues;
  /** Train → pumped (null: no bunch pattern, train parity decides). */
  pumped: Map<bigint, boolean> | null;
  /** Train → mean SASE3 pulse energy (µJ); absent trains give NaN XGM means. */
  xgmMean: Map<bigint, number>;
  /** Trains kept by xgmFilter (null: no filter). */
  keep: Set<bigint> | null;
  gain: Float64Array | null;
  isDark: boolean;
}

export interface FastCCDBinningOptions {
  /** Worker threads, one band of rows each (default: the cores; 1: in this thread). */
  nJobs?: number;
  /** Trains per read (default: as many as fit 32 MiB of a band, at least 1). */
  chunksize?: number;
  signal?: AbortSignal;
  /** Progress label, or false for none. */
  progress?: string | false;
}

export interface BinPlan {
  bins: Float64Array;
  trainIds: BigUint64Array;
  bin: Int32Array;
  state: Int8Array;
  counts: [Int32Array, Int32Array];
  xgm: [Float64Array, Float64Array];
  excluded: { noScanValue: number; xgmFiltered: number };
}

function stateOf(input: BinningInput, t: bigint): number {
  if (input.isDark) return BOTH;
  const p = input.pumped ? input.pumped.get(t) : t % 2n === 0n;
  return p === undefined ? -1 : p ? PUMPED : UNPUMPED;
}

/** Trains with a frame, a finite scan value, kept by the XGM filter and with a laser state, in train order. */
export function planBins(input: BinningInput): BinPlan {
  const scan = new Map<bigint, number>();
  input.scan.trainIds.forEach((t, i) => scan.set(t, input.scan.values[i]));
  const frames = [...new Set(input.camera.trainIdCoordinates())];
  const used: [bigint, number, number][] = [];
  const excluded = { noScanValue: 0, xgmFiltered: 0 };
  for (const t of frames) {
    const v = scan.get(t);
    if (v === undefined || !Number.isFinite(v)) { excluded.noScanValue++; continue; }
    if (input.keep && !input.keep.has(t)) { excluded.xgmFiltered++; continue; }
    const s = stateOf(input, t);
    if (s < 0) { excluded.noScanValue++; continue; }
    used.push([t, v, s]);
  }
  if (used.length === 0) {
    throw new ToolBoxValueError(`FastCCD binning of run ${input.runNr}: no train left to bin (${frames.length} trains with frames, ${excluded.noScanValue} without a scan value of '${input.scan.name}', ${excluded.xgmFiltered} dropped by xgmFilter)`);
  }
  const bins = Float64Array.from(new Set(used.map((u) => u[1]))).sort();
  const index = new Map<number, number>();
  bins.forEach((b, i) => index.set(b, i));
  const counts: [Int32Array, Int32Array] = [new Int32Array(bins.length), new Int32Array(bins.length)];
  const xgm: [Float64Array, Float64Array] = [new Float64Array(bins.length), new Float64Array(bins.length)];
  const bin = Int32Array.from(used, (u) => index.get(u[1])!);
  used.forEach(([t, , s], i) => {
    for (const k of [PUMPED, UNPUMPED]) {
      if (s !== k && s !== BOTH) continue;
      counts[k][bin[i]]++;
      xgm[k][bin[i]] += input.xgmMean.get(t) ?? NaN;
    }
  });
  for (const k of [PUMPED, UNPUMPED]) xgm[k].forEach((s, b) => { xgm[k][b] = counts[k][b] ? s / counts[k][b] : NaN; });
  return { bins, trainIds: BigUint64Array.from(used, (u) => u[0]), bin, state: Int8Array.from(used, (u) => u[2]), counts, xgm, excluded };
}

function tasksOf(input: BinningInput, plan: BinPlan, nJobs: number, chunksize: number | undefined): FccdTask[] {
  const [ny, nx] = input.camera.entryShape;
  const bands = Math.max(1, Math.min(nJobs, ny));
  const tasks: FccdTask[] = [];
  for (let b = 0; b < bands; b++) {
    const row0 = Math.floor((b * ny) / bands), row1 = Math.floor(((b + 1) * ny) / bands);
    const perTrain = (row1 - row0) * nx * 8;
    tasks.push({
      files: input.camera.files, incSuspectTrains: false, trainIds: plan.trainIds, bin: plan.bin, state: plan.state, nBins: plan.bins.length,
      row0, row1, columns: nx, gain: input.gain ? input.gain.slice(row0 * nx, row1 * nx) : null,
      chunksize: chunksize ?? Math.max(1, Math.min(64, Math.floor((32 * 2 ** 20) / perTrain))),
    });
  }
  return tasks;
}

/** Bin the run: the workers' band sums put together and divided by the counts. */
export async function binFrames(input: BinningInput, options: FastCCDBinningOptions): Promise<Dataset> {
  const plan = planBins(input);
  const nJobs = options.nJobs ?? availableParallelism();
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new ToolBoxValueError(`binning: nJobs must be a positive integer, got ${nJobs}`);
  if (options.chunksize !== undefined && !(Number.isInteger(options.chunksize) && options.chunksize >= 1)) throw new ToolBoxValueError(`binning: chunksize must be a positive integer, got ${options.chunksize}`);
  const tasks = tasksOf(input, plan, nJobs, options.chunksize);
  const label = options.progress === false ? null : options.progress ?? `binning FastCCD run ${input.runNr}`;
  const progress = label ? startProgress(label, { total: plan.trainIds.length * tasks.length, unit: 'frames', quietMs: 1000 }) : null;
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.on('SIGINT', onSigint);
  const signal = options.signal ? AbortSignal.any([options.signal, interrupt.signal]) : interrupt.signal;
  let sums: Float64Array[];
  try {
    sums = await (tasks.length === 1 ? runBandsHere : runBands)(tasks, { signal, onFrames: (n) => progress?.set(n) });
  } finally {
    process.removeListener('SIGINT', onSigint);
    progress?.finish();
  }
  return assemble(input, plan, tasks, sums);
}

function assemble(input: BinningInput, plan: BinPlan, tasks: FccdTask[], sums: Float64Array[]): Dataset {
  const [ny, nx] = input.camera.entryShape;
  const nB = plan.bins.length, pixels = ny * nx;
  const images = [new Float64Array(nB * pixels), new Float64Array(nB * pixels)];
  tasks.forEach((task, j) => {
    const band = (task.row1 - task.row0) * nx;
    for (let b = 0; b < nB; b++) {
      for (const k of [PUMPED, UNPUMPED]) {
        const n = plan.counts[k][b];
        const src = sums[j].subarray((b * 2 + k) * band, (b * 2 + k + 1) * band);
        const dst = images[k].subarray(b * pixels + task.row0 * nx, b * pixels + task.row1 * nx);
        for (let q = 0; q < band; q++) dst[q] = n ? src[q] / n : NaN;
      }
    }
  });
  const image = (values: Float64Array) => new DataArray(values, { dims: ['scan_variable', 'x', 'y'], shape: [nB, ny, nx] });
  return new Dataset({
    pumped: image(images[PUMPED]), unpumped: image(images[UNPUMPED]),
    xgm_pumped: ['scan_variable', plan.xgm[PUMPED]], xgm_unpumped: ['scan_variable', plan.xgm[UNPUMPED]],
    counts_pumped: ['scan_variable', plan.counts[PUMPED]], counts_unpumped: ['scan_variable', plan.counts[UNPUMPED]],
  }, {
    coords: { scan_variable: ['scan_variable', plan.bins], x: ['x', Int32Array.from({ length: ny }, (_, i) => i)], y: ['y', Int32Array.from({ length: nx }, (_, i) => i)] },
    attrs: {
      proposal: input.proposal, run: input.runNr, is_dark: input.isDark ? 1 : 0, scan_vname: input.scan.name, gain_applied: input.gain ? 1 : 0,
      pump_pattern: input.isDark ? 'dark: every train in both' : input.pumped ? 'bunch pattern SCS PPL bit' : 'train parity (even pumped)',
      trains_binned: plan.trainIds.length, trains_excluded_no_scan_value: plan.excluded.noScanValue, trains_excluded_xgm_filter: plan.excluded.xgmFiltered,
    },
  });
}
