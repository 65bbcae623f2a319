/**
 * The README's main job for now: make a synthetic binned DSSC result, write
 * one HDF5 file per module, read them back, combine them along 'module' and
 * compare what comes back with what went in.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolBoxPathError } from '../errors.js';
import { concat } from '../arrays/combine.js';
import type { Dataset } from '../arrays/dataset.js';
import { loadXarray, saveXarray } from '../io/netcdf.js';
import { DEFAULT_TRUTH, pumpProbeSignal, syntheticBinnedModule } from './binned.js';

export interface DemoOptions {
  outDir: string;
  modules?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface DemoResult {
  files: string[];
  combined: Dataset;
  maxRoundTripError: number;
  recovered: { delay: number; signal: number; truth: number }[];
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? (() => {});
  const nmod = options.modules ?? 4;
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot create output folder ${options.outDir}: ${(err as Error).message}`, options.outDir, { cause: err });
  }
  const written: Dataset[] = [];
  const files: string[] = [];
  for (let m = 0; m < nmod; m++) {
    const ds = syntheticBinnedModule({ module: m, seed: options.seed ?? 1 });
    const file = join(options.outDir, `module${String(m).padStart(2, '0')}.h5`);
    await saveXarray(file, ds, { group: 'data', mode: 'w' });
    written.push(ds);
    files.push(file);
  }
  log(`wrote ${files.length} module files to ${options.outDir}`);
  log(`in Python: xr.open_mfdataset('${join(options.outDir, '*.h5')}', group='data', join='inner')`);

  const loaded = await Promise.all(files.map((f) => loadXarray(f, { group: 'data' })));
  let maxRoundTripError = 0;
  loaded.forEach((ds, i) => {
    const a = ds.get('data').values as Float32Array;
    const b = written[i].get('data').values as Float32Array;
    for (let j = 0; j < a.length; j++) maxRoundTripError = Math.max(maxRoundTripError, Math.abs(a[j] - b[j]));
  });
  const combined = concat(loaded, 'module', { join: 'inner' });
  log('\ncombined dataset:\n' + combined.toString());

  // relative pump-probe signal summed over the detector: pumped / unpumped - 1 on ring pixels
  const data = combined.get('data');
  const ringOnly = data.sub(DEFAULT_TRUTH.background);
  const perPulse = ringOnly.sum(['module', 'x', 'y']);
  const delays = Array.from(combined.coords.delay.values as Float64Array);
  const recovered = delays.map((delay, i) => {
    const pumped = Number(perPulse.item(i, 0));
    const unpumped = Number(perPulse.item(i, 1));
    return { delay, signal: pumped / unpumped - 1, truth: pumpProbeSignal(delay) };
  });
  log(`\nround trip: max |loaded - written| = ${maxRoundTripError}`);
  log('delay (ps)  recovered  truth');
  for (const r of recovered) log(`${r.delay.toFixed(2).padStart(10)}  ${r.signal.toFixed(4).padStart(9)}  ${r.truth.toFixed(4)}`);
  return { files, combined, maxRoundTripError, recovered };
}
