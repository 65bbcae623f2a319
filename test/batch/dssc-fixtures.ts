/**
 * DSSC module files in the binning layout of docs/dssc-binning.md (group
 * 'data': data over (trainId = scan bin, pulse, module, x, y) plus counts),
 * with a known pump-probe signal, so the summary notebook can be checked
 * without running the binning.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataArray } from '../../toolbox/arrays/dataarray.js';
import { Dataset } from '../../toolbox/arrays/dataset.js';
import { saveXarray } from '../../toolbox/io/netcdf.js';

export interface ModuleFixture {
  run: number;
  modules: number[];
  scan: number[];
  /** pumped / unpumped − 1 per scan bin, on every pixel */
  signal: number[];
  pixels: [number, number];
  /** Frame labels (default pumped, intradark, unpumped); others than these get the unpumped image. */
  pulses?: string[];
}

/** Unpumped image of module m: a ring of height 100 on a background of 1 (so ring_fraction 0.5 selects the ring). */
export function ringImage(m: number, [nx, ny]: [number, number]): Float64Array {
  const img = new Float64Array(nx * ny);
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) {
      const r = Math.hypot(x - nx / 2, y - ny / 2);
      img[x * ny + y] = 1 + 100 * Math.exp(-0.5 * ((r - nx / 3) / 1.2) ** 2) * (1 + m / 16);
    }
  }
  return img;
}

export async function writeModuleFiles(dir: string, f: ModuleFixture): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const pulses = f.pulses ?? ['pumped', 'intradark', 'unpumped'];
  const [nx, ny] = f.pixels;
  const files: string[] = [];
  for (const m of f.modules) {
    const ring = ringImage(m, f.pixels);
    const data = new Float64Array(f.scan.length * pulses.length * nx * ny);
    f.scan.forEach((_, s) => pulses.forEach((p, k) => {
      const gain = p === 'pumped' ? 1 + f.signal[s] : p === 'intradark' ? 0 : 1;
      data.set(ring.map((v) => v * gain), (s * pulses.length + k) * nx * ny);
    }));
    const counts = (n: number) => BigInt64Array.from({ length: f.scan.length * pulses.length }, () => BigInt(n));
    const ds = new Dataset({
      data: new DataArray(data, { dims: ['trainId', 'pulse', 'module', 'x', 'y'], shape: [f.scan.length, pulses.length, 1, nx, ny] }),
      data_counts: new DataArray(counts(16), { dims: ['trainId', 'pulse', 'module'], shape: [f.scan.length, pulses.length, 1] }),
      train_counts: new DataArray(counts(8), { dims: ['trainId', 'pulse', 'module'], shape: [f.scan.length, pulses.length, 1] }),
    }, {
      coords: { trainId: ['trainId', Float64Array.from(f.scan)], pulse: ['pulse', pulses], module: ['module', [m]] },
      attrs: { run: f.run, module: m, averaging: 'frames' },
    });
    const file = join(dir, `run_${f.run}_module${m}.h5`);
    await saveXarray(file, ds, { group: 'data', mode: 'w' });
    files.push(file);
  }
  return files;
}
