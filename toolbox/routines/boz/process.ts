/**
 * process_module and process: the ROI intensities of every frame,
 * I_b = Σ over the unmasked pixels of ROI b of (F(raw) − dark[pulse]) / flatField,
 * and whether any unmasked raw value of the ROI is ≥ satLevel
 * (docs/boz.md, Definitions and Data, dark and ROIs). Streams the raw chunks;
 * memory is the result plus one chunk.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { averageModule } from './average.js';
import { type ModuleImageInput, type LutInput, type ModuleMaskInput, darkOf, eachChunk, imageOf, lutOf, maskOf, roiPixels, roisOf, saturated } from './inputs.js';
import { MODULE_PIXELS, type ModuleFrames, type Rois } from './types.js';

export interface ProcessModuleOptions {
  /** Bad pixels (1 = bad): left out of the sums and of the saturation check. */
  mask?: ModuleMaskInput;
  /** Raw level from which a pixel counts as saturated (default 511). */
  satLevel?: number;
  /** Module-sized flat field the dark-subtracted values are divided by (default 1). */
  flatField?: ModuleImageInput;
  /** Lookup table applied to the raw values (default: none). */
  F_INL?: LutInput;
  signal?: AbortSignal;
}
const PROCESS_MODULE_OPTIONS = optionNames<ProcessModuleOptions>({ mask: true, satLevel: true, flatField: true, F_INL: true, signal: true });

interface RoiSums { name: string; pixels: Int32Array; weight: Float64Array; sum: Float64Array; sat: Uint8Array }

/**
 * Python: process_module. For every ROI r of `rois` (e.g. 'n', '0', 'p',
 * 'sat'), variables `r` (summed corrected intensity) and `r_sat` (any raw
 * value ≥ satLevel) over (trainId, pulse); `dark` is pulse-resolved
 * (pulse, 128, 512) or one image, and must have the data's pulse count.
 */
export async function processModule(arr: ModuleFrames, tid: ArrayLike<bigint | number>, dark: ModuleImageInput | undefined, rois: Rois, options: ProcessModuleOptions = {}): Promise<Dataset> {
  checkOptions('processModule', options, PROCESS_MODULE_OPTIONS);
  const where = `processModule (run ${arr.run}, module ${arr.module})`;
  const T = arr.trainIds.length, P = arr.pulses;
  if (tid.length !== T) throw new ToolBoxValueError(`${where}: ${tid.length} train IDs for ${T} trains of data`);
  const F = lutOf(where, options.F_INL);
  const mask = maskOf(where, options.mask);
  const d = darkOf(where, dark, P);
  const ff = imageOf(where, 'flatField', options.flatField, 1);
  const satLevel = options.satLevel ?? 511;
  const sums: RoiSums[] = roisOf(where, rois).map(([name, r]) => {
    const pixels = roiPixels(r, mask);
    const weight = Float64Array.from(pixels, (p) => 1 / ff[p]);
    if (weight.some((w) => !Number.isFinite(w))) throw new ToolBoxValueError(`${where}: the flat field is 0 or not finite inside ROI '${name}'`);
    return { name, pixels, weight, sum: new Float64Array(T * P), sat: new Uint8Array(T * P) };
  });
  await eachChunk(arr, 'processModule', options.signal, (c) => {
    for (let f = 0; f < c.trains * c.pulses; f++) {
      const base = f * MODULE_PIXELS, k = f % P, dk = k * MODULE_PIXELS, out = c.firstTrain * P + f;
      for (const s of sums) {
        let acc = 0;
        for (let i = 0; i < s.pixels.length; i++) {
          const p = s.pixels[i];
          acc += (F[c.data[base + p]] - d[dk + p]) * s.weight[i];
        }
        s.sum[out] = acc;
        s.sat[out] = saturated(c.data, base, s.pixels, satLevel) ? 1 : 0;
      }
    }
  });
  return roiDataset(sums, tid, T, P, arr);
}

function roiDataset(sums: RoiSums[], tid: ArrayLike<bigint | number>, T: number, P: number, arr: ModuleFrames): Dataset {
  const coords = { trainId: BigUint64Array.from(Array.from(tid, (t) => BigInt(t))), pulse: Int32Array.from({ length: P }, (_, i) => i) };
  const vars: Record<string, DataArray> = {};
  for (const s of sums) {
    vars[s.name] = new DataArray(s.sum, { dims: ['trainId', 'pulse'], shape: [T, P], coords, name: s.name });
    vars[`${s.name}_sat`] = new DataArray(s.sat, { dims: ['trainId', 'pulse'], shape: [T, P], coords, name: `${s.name}_sat`, dtype: 'bool' });
  }
  return new Dataset(vars, { attrs: { run: arr.run, module: arr.module } });
}

export interface ProcessOptions {
  /** Raw level from which a pixel counts as saturated (default 511). */
  satLevel?: number;
  signal?: AbortSignal;
}
const PROCESS_OPTIONS = optionNames<ProcessOptions>({ satLevel: true, signal: true });

/**
 * Python: process. The dark is averageModule(arrDark, {F_INL: Fmodel}) (per
 * pulse, through the same table), then processModule of the data with the
 * table, mask and flat field.
 */
export async function process(Fmodel: LutInput | undefined, arrDark: ModuleFrames, arr: ModuleFrames, tid: ArrayLike<bigint | number>, rois: Rois,
  mask: ModuleMaskInput | undefined, flatField: ModuleImageInput | undefined, options: ProcessOptions = {}): Promise<Dataset> {
  checkOptions('process', options, PROCESS_OPTIONS);
  if (arrDark.pulses !== arr.pulses) {
    throw new ToolBoxValueError(`process: the dark run ${arrDark.run} has ${arrDark.pulses} pulses per train but run ${arr.run} has ${arr.pulses}; ` +
      'the dark run must have the same frame count (and dropIntraDarks setting)');
  }
  const dark = await averageModule(arrDark, { F_INL: Fmodel, signal: options.signal });
  return processModule(arr, tid, dark, rois, { mask, flatField, F_INL: Fmodel, satLevel: options.satLevel, signal: options.signal });
}
