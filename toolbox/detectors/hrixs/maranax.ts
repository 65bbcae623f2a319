/**
 * MaranaX (Python's MaranaX, a spin-off of hRIXS): centroiding in parallel
 * worker threads (2 by default), on a loaded dataset or streamed from a run
 * in chunks of trains that never hold the whole run (docs/hrixs.md,
 * Parallel centroiding).
 */
import { availableParallelism } from 'node:os';
import { merge } from '../../arrays/combine.js';
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { startProgress } from '../../display/track.js';
import { ParameterError, ToolBoxError } from '../../errors.js';
import { checkOptions, mergeOptionNames, optionNames } from '../../options.js';
import { CentroidPool } from './centroid-pool.js';
import { STATS } from './frame-loop.js';
import { CENTROID_OPTIONS, type CentroidOptions, type HrixsOptions, hRIXS } from './hrixs.js';
import { binCentres } from './kernels.js';
import { cameraKey, openCameraRun, readFields } from './run-load.js';

export interface ParallelOptions {
  /** Worker threads (default the object's WORKERS, 2). */
  workers?: number;
  /** Abort: terminates the workers and throws a ToolBoxError. */
  signal?: AbortSignal;
  /** Progress label (default 'centroiding N frames'); false for none. */
  progress?: string | false;
}
export interface MaranaXCentroidOptions extends CentroidOptions, ParallelOptions {}
export interface CentroidFromRunOptions extends MaranaXCentroidOptions {
  proposal?: number | string;
  /** Trains read per chunk (default 50); at most two chunks of frames are in memory. */
  chunksize?: number;
  /** More fields to load next to FIELDS (without the camera). */
  extraFields?: string[];
}
export interface MaranaXOptions extends HrixsOptions { workers?: number }

const PARALLEL_OPTIONS = optionNames<ParallelOptions>({ workers: true, signal: true, progress: true });
const MARANAX_CENTROID_OPTIONS = mergeOptionNames<MaranaXCentroidOptions>(CENTROID_OPTIONS, PARALLEL_OPTIONS);
const FROM_RUN_CENTROID_OPTIONS = mergeOptionNames<CentroidFromRunOptions>(MARANAX_CENTROID_OPTIONS, optionNames<Omit<CentroidFromRunOptions, keyof MaranaXCentroidOptions>>({ proposal: true, chunksize: true, extraFields: true }));
const MARANAX_OPTIONS = optionNames<MaranaXOptions>({ detector: true, workers: true });

const sharedF64 = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n) as unknown as ArrayBuffer);
function sharedCopy(a: ArrayLike<number>): Uint16Array | Float64Array {
  const out = a instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(2 * a.length) as unknown as ArrayBuffer) : sharedF64(a.length);
  out.set(a);
  return out;
}

/** hRIXS with parallel centroiding (Python's MaranaX). */
export class MaranaX extends hRIXS {
  /** Python's limit of hits kept per frame; here every hit counts, and frames above it are reported (a ToolBoxWarning). */
  NUM_MAX_HITS = 30;
  /** Worker threads of centroid and centroidFromRun (default 2). */
  WORKERS = 2;

  constructor(proposalNB: number | string, options: MaranaXOptions = {}) {
    const { workers, ...rest } = checkOptions('MaranaX', options, MARANAX_OPTIONS);
    super(proposalNB, rest);
    if (workers !== undefined) this.WORKERS = workers;
  }

  private workerCount(w: number | undefined): number {
    const n = w ?? this.WORKERS;
    if (!Number.isInteger(n) || n < 1 || n > Math.max(64, availableParallelism())) throw new ParameterError(`workers must be an integer from 1 to ${Math.max(64, availableParallelism())}, got ${n}`, { parameter: 'workers', value: n });
    return n;
  }

  /** A pool with progress and interruption (signal or SIGINT) wired; `use` runs with it, the pool is always closed. */
  private async withPool<T>(total: number, o: ParallelOptions, use: (pool: CentroidPool) => Promise<T>): Promise<T> {
    const progress = o.progress === false ? null : startProgress(o.progress ?? `centroiding ${total} frames`, { total, unit: 'frames' });
    const pool = new CentroidPool(this.workerCount(o.workers), (done) => progress?.set(done));
    const onAbort = () => pool.fail(new ToolBoxError(`MaranaX centroiding aborted after ${pool.done} of ${total} frames`));
    const signal = o.signal;
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    process.on('SIGINT', onAbort);
    try {
      return await use(pool);
    } finally {
      process.removeListener('SIGINT', onAbort);
      signal?.removeEventListener('abort', onAbort);
      progress?.finish();
      await pool.close();
    }
  }

  private warnManyHits(stats: Float64Array, n: number): void {
    let over = 0, most = 0;
    for (let k = 0; k < n; k++) { const h = stats[k * STATS + 6]; if (h > this.NUM_MAX_HITS) over++; most = Math.max(most, h); }
    if (over) process.emitWarning(`${over} of ${n} frames have more than NUM_MAX_HITS = ${this.NUM_MAX_HITS} hits (at most ${most}); all are counted here (the Python MaranaX keeps NUM_MAX_HITS per frame)`, 'ToolBoxWarning');
  }

  /** Spectra by finding photons, the frames split over worker threads. */
  override async centroid(data: Dataset, options: MaranaXCentroidOptions = {}): Promise<Dataset> {
    const o = checkOptions('MaranaX.centroid', options, MARANAX_CENTROID_OPTIONS);
    const { workers, signal, progress, ...centroidOptions } = o;
    const { f, crop, dark, bins, method, energies } = this.centroidSetup(data, centroidOptions, 'MaranaX.centroid');
    const spectra = sharedF64(f.n * bins), stats = sharedF64(f.n * STATS);
    const task = {
      values: sharedCopy(f.values), first: 0, start: 0, end: f.n, fx: f.fx, crop, dark: dark && sharedCopy(dark) as Float64Array, params: this.kernelParams(),
      method, energies: energies && sharedCopy(energies) as Float64Array, bins, spectra, stats,
    };
    await this.withPool(f.n, { workers, signal, progress }, (pool) => pool.run(task));
    this.checkStats(stats, f.n, method, energies);
    this.warnManyHits(stats, f.n);
    return this.withSpectrum(data, f, spectra, this.energyAxis(binCentres(crop.ny, bins)));
  }

  /**
   * Centroid run runNB streamed in chunks of trains (the frames never all in
   * memory): the result is FIELDS (without the camera) and extraFields, with
   * `spectrum` (trainId, energy).
   */
  async centroidFromRun(runNB: number | string, options: CentroidFromRunOptions = {}): Promise<Dataset> {
    const o = checkOptions('MaranaX.centroidFromRun', options, FROM_RUN_CENTROID_OPTIONS);
    const chunksize = o.chunksize ?? 50;
    if (!Number.isInteger(chunksize) || chunksize < 1) throw new ParameterError(`chunksize must be a positive integer, got ${chunksize}`, { parameter: 'chunksize', value: chunksize });
    const run = await openCameraRun(o.proposal ?? this.PROPOSAL, runNB, this.DETECTOR);
    const fields = await readFields(run, [...this.FIELDS, ...(o.extraFields ?? [])].filter((x) => x !== this.DETECTOR), false);
    const { key, fx, fy } = cameraKey(run, this.DETECTOR);
    const counts = key.dataCounts({ labelled: false });
    if (counts.some((c) => c > 1)) throw new ToolBoxError(`the ${this.DETECTOR} camera has several frames in some trains of run ${String(runNB)}; centroidFromRun expects one frame per train`);
    const ids = Array.from(key.trainIdsExact).filter((_, i) => counts[i] === 1), n = ids.length;
    const fieldsOfFrames = fields.sel({ trainId: ids }, {});
    const { crop, dark } = this.region(fx, fy);
    const method = o.method ?? 'auto', bins = o.bins ?? this.BINS ?? crop.ny;
    const energies = method === 'auto' ? this.energiesOf(fieldsOfFrames, n) : null;
    this.centroidSetupCheck(method, bins);
    const spectra = sharedF64(n * bins), stats = sharedF64(n * STATS);
    const base = { fx, crop, dark: dark && sharedCopy(dark) as Float64Array, params: this.kernelParams(), method, energies: energies && sharedCopy(energies) as Float64Array, bins, spectra, stats };
    await this.withPool(n, o, async (pool) => {
      const buffers = [0, 1].map(() => new Uint16Array(new SharedArrayBuffer(2 * Math.min(chunksize, n) * fx * fy) as unknown as ArrayBuffer));
      const pending: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
      let first = 0, b = 0;
      for await (const chunk of key.trainsChunks({ chunksize, reuseBuffer: true, progress: false })) {
        const m = chunk.shape[0];
        if (m === 0) continue;
        await pending[b];
        buffers[b].set((chunk.values as Uint16Array).subarray(0, m * fx * fy));
        pending[b] = pool.run({ ...base, values: buffers[b], first, start: first, end: first + m });
        // a failed batch is awaited (and thrown) below; this keeps it from being unhandled meanwhile
        pending[b].catch(() => undefined);
        first += m; b ^= 1;
      }
      await Promise.all(pending);
    });
    this.checkStats(stats, n, method, energies);
    this.warnManyHits(stats, n);
    const spectrum = new DataArray(spectra, { dims: ['trainId', 'energy'], shape: [n, bins], coords: { trainId: BigUint64Array.from(ids), energy: this.energyAxis(binCentres(crop.ny, bins)) } });
    return merge([fieldsOfFrames, new Dataset({ spectrum })], { join: 'inner' });
  }

  private centroidSetupCheck(method: string, bins: number): void {
    if (method !== 'auto' && method !== 'manual') throw new ParameterError(`method must be 'auto' (centroidTwo) or 'manual' (centroidOne), got '${method}'`, { parameter: 'method', value: method, expected: ['auto', 'manual'] });
    if (!Number.isInteger(bins) || bins < 1) throw new ParameterError(`bins must be a positive integer, got ${bins}`, { parameter: 'bins', value: bins });
  }
}
