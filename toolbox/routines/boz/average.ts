/**
 * average_module: the per-pulse mean or standard deviation over trains of
 * a module's frames, after the lookup table, with saturated frames dropped
 * and the dark subtracted (docs/boz.md, Data, dark and ROIs). Streams the
 * raw uint16 chunks; memory is three float64 images per pulse.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { type ModuleImageInput, type LutInput, type ModuleMaskInput, checkRoi, darkOf, eachChunk, lutOf, maskOf, roiPixels, saturated } from './inputs.js';
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames, type Roi } from './types.js';

export interface AverageModuleOptions {
  /** Dark to subtract: pulse-resolved (pulse, 128, 512) or one image. */
  dark?: ModuleImageInput;
  /** 'mean' (default) or 'std' (numpy's, ddof 0). */
  ret?: 'mean' | 'std';
  /** Bad pixels (1 = bad): NaN in the result and not looked at for saturation. */
  mask?: ModuleMaskInput;
  /** Where to look for saturation: a frame with any unmasked raw value ≥ satLevel there is left out. */
  satRoi?: Roi;
  /** Raw level of saturation (default 300, as Python). */
  satLevel?: number;
  /** Lookup table applied to the raw values before averaging (default: none). */
  F_INL?: LutInput;
  signal?: AbortSignal;
}
const AVERAGE_OPTIONS = optionNames<AverageModuleOptions>({ dark: true, ret: true, mask: true, satRoi: true, satLevel: true, F_INL: true, signal: true });

/**
 * Python: average_module. For each pulse k and pixel, the mean (or std) over
 * trains of F_INL(raw), minus dark[k] for the mean, over the frames not
 * saturated in satRoi. Returns (pulse, x, y) float64; a pulse with no
 * unsaturated frame is an error naming it.
 */
export async function averageModule(arr: ModuleFrames, options: AverageModuleOptions = {}): Promise<DataArray> {
  checkOptions('averageModule', options, AVERAGE_OPTIONS);
  const where = `averageModule (run ${arr.run}, module ${arr.module})`;
  const ret = options.ret ?? 'mean';
  if (ret !== 'mean' && ret !== 'std') throw new ToolBoxValueError(`${where}: ret must be 'mean' or 'std', got ${String(ret)}`);
  const P = arr.pulses;
  const F = lutOf(where, options.F_INL);
  const mask = maskOf(where, options.mask);
  const dark = darkOf(where, options.dark, P);
  const satLevel = options.satLevel ?? 300;
  const satPixels = options.satRoi ? roiPixels(checkRoi(where, 'satRoi', options.satRoi), mask) : undefined;
  // sums of v − ref (ref: the pixel's first value seen in that pulse), so a pixel that hardly changes keeps its small std exactly
  const ref = new Float64Array(P * MODULE_PIXELS);
  const seen = new Uint8Array(P);
  const sum = new Float64Array(P * MODULE_PIXELS), sq = ret === 'std' ? new Float64Array(P * MODULE_PIXELS) : undefined;
  const count = new Float64Array(P);
  await eachChunk(arr, 'averageModule', options.signal, (c) => {
    for (let f = 0; f < c.trains * c.pulses; f++) {
      const base = f * MODULE_PIXELS, k = f % P, acc = k * MODULE_PIXELS;
      if (satPixels && saturated(c.data, base, satPixels, satLevel)) continue;
      if (!seen[k]) for (let p = 0; p < MODULE_PIXELS; p++) ref[acc + p] = F[c.data[base + p]];
      seen[k] = 1;
      count[k]++;
      for (let p = 0; p < MODULE_PIXELS; p++) {
        const v = F[c.data[base + p]] - ref[acc + p];
        sum[acc + p] += v;
        if (sq) sq[acc + p] += v * v;
      }
    }
  });
  const empty = Array.from(count, (c, k) => (c === 0 ? k : -1)).filter((k) => k >= 0);
  if (empty.length && arr.trainIds.length) {
    throw new ToolBoxValueError(`${where}: every frame of pulse${empty.length > 1 ? 's' : ''} ${empty.join(', ')} has a raw value ≥ ${satLevel} in satRoi ` +
      `${JSON.stringify(options.satRoi)}: nothing to average (saturation everywhere; raise satLevel or choose another satRoi)`);
  }
  const out = new Float64Array(P * MODULE_PIXELS);
  for (let k = 0; k < P; k++) {
    for (let p = 0; p < MODULE_PIXELS; p++) {
      const i = k * MODULE_PIXELS + p;
      const m = sum[i] / count[k];
      out[i] = mask[p] ? NaN : sq ? Math.sqrt(Math.max(0, sq[i] / count[k] - m * m)) : ref[i] + m - dark[i];
    }
  }
  return new DataArray(out, {
    dims: ['pulse', 'x', 'y'], shape: [P, MODULE_ROWS, MODULE_COLS], name: ret,
    coords: { pulse: Int32Array.from({ length: P }, (_, i) => i) },
    attrs: { run: arr.run, module: arr.module, frames: Array.from(count).join(',') },
  });
}
