/**
 * The dark image of a dark run, in the form processData's darkImage takes:
 * the mean over trains of each frame (or of all frames), per module,
 * streamed in train chunks so a long dark run never sits in memory.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import { dsscModuleChunks, dsscModules } from '../../detectors/dssc/run-view.js';
import type { DataCollection } from '../../run/data-collection.js';
import { checkOptions, optionNames } from '../../options.js';
import { trainsPerRead } from './accumulate.js';

export interface DsscDarkOptions {
  /** Modules to average (default all the run has). */
  modules?: number[];
  /** Keep one dark per frame (pulse, x, y; default) or average the frames too (x, y). */
  perFrame?: boolean;
  /** Trains in memory at most (default 64): read at most half of them (and ~32 MiB) at a time, the next read while this one is summed. */
  chunksize?: number;
}
const DARK_OPTIONS = optionNames<DsscDarkOptions>({ modules: true, perFrame: true, chunksize: true });

/** Mean dark frames of `run`: dims (module, pulse, x, y), or (module, x, y) with perFrame false; float64. */
export async function getDsscDark(run: DataCollection, options: DsscDarkOptions = {}): Promise<DataArray> {
  checkOptions('getDsscDark', options, DARK_OPTIONS);
  const present = dsscModules(run).map((m) => m.module);
  const modules = options.modules ?? present;
  const missing = modules.filter((m) => !present.includes(m));
  if (missing.length) throw new ToolBoxValueError(`dark run has no DSSC module ${missing.join(', ')}; modules present: ${present.join(', ') || '(none)'}`);
  const perFrame = options.perFrame ?? true;
  let shape: number[] | null = null;
  const parts: Float64Array[] = [];
  for (const m of modules) {
    let sum: Float64Array | null = null;
    let frames = 0;
    // each read is summed while the next is read into the other buffer: at most `chunksize` trains in memory
    for await (const chunk of dsscModuleChunks(run, m, { chunksize: trainsPerRead(run, m, options.chunksize ?? 64), prefetch: true })) {
      const [nT, F, X, Y] = chunk.shape;
      const here = perFrame ? [F, X, Y] : [X, Y];
      if (!shape) shape = here;
      else if (shape.join() !== here.join()) throw new ToolBoxValueError(`dark run module ${m} has frames of shape [${here.join(', ')}], module ${modules[0]} [${shape.join(', ')}]`);
      const size = perFrame ? F * X * Y : X * Y;
      sum ??= new Float64Array(size);
      const v = chunk.values as ArrayLike<number>;
      // per frame: one train at a time; else every frame onto the same (x, y) sum
      const step = perFrame ? F * X * Y : X * Y;
      for (let base = 0; base < nT * F * X * Y; base += step) for (let i = 0; i < size; i++) sum[i] += v[base + i];
      frames += perFrame ? nT : nT * F;
    }
    if (!sum || !shape) throw new ToolBoxValueError(`dark run has no frames for DSSC module ${m}`);
    for (let i = 0; i < sum.length; i++) sum[i] /= frames;
    parts.push(sum);
  }
  const size = parts[0].length;
  const values = new Float64Array(parts.length * size);
  parts.forEach((p, i) => values.set(p, i * size));
  return new DataArray(values, {
    dims: perFrame ? ['module', 'pulse', 'x', 'y'] : ['module', 'x', 'y'], shape: [modules.length, ...shape!], name: 'dark',
    coords: { module: Int32Array.from(modules), ...(perFrame ? { pulse: Int32Array.from({ length: shape![0] }, (_, f) => f) } : {}) },
  });
}
