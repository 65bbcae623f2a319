/**
 * Pixel masks of the DSSC 1M: (module, x, y) booleans, true where a pixel is
 * used and false where it is masked — the convention of `where(mask)` and
 * of the frame mask (true = keep). Python's quickmask_DSSC_ASIC returns 1/NaN
 * floats to multiply with; such floats are read as masks too (NaN = masked).
 *
 * A module is 2 × 8 ASICs of 64 × 64 pixels: ASIC (row r, column c) covers
 * x in [64r, 64r+64) and y in [64c, 64c+64).
 *
 * Mask text files (loadMask), one masked region per line, '#' starts a comment:
 *   asic 3 0 5      module 3, ASIC row 0, column 5
 *   pixel 3 17 200  module 3, pixel x = 17, y = 200
 *   module 7        the whole of module 7
 *   3 0 5           three bare numbers: an ASIC, as quickmaskDsscAsic takes it
 * HDF5 files hold a mask as saveXarray writes it (group 'data').
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxFileError, ToolBoxTypeError, ToolBoxValueError } from '../../errors.js';
import { loadXarray } from '../../io/netcdf.js';
import { checkOptions, optionNames } from '../../options.js';

/** (modules, x, y) of the DSSC 1M. */
export const DSSC_SHAPE: readonly [number, number, number] = [16, 128, 512];
export const DSSC_ASIC_PIXELS = 64;

export type MaskShape = readonly [number, number, number];
/** [module, ASIC row, ASIC column]. */
export type AsicPosition = readonly [number, number, number];

function checkShape(shape: readonly number[]): MaskShape {
  if (shape.length !== 3 || shape.some((n) => !Number.isInteger(n) || n < 1) || shape[1] % DSSC_ASIC_PIXELS || shape[2] % DSSC_ASIC_PIXELS) {
    throw new ToolBoxValueError(`a DSSC mask shape is [modules, x, y] with x and y multiples of ${DSSC_ASIC_PIXELS}, got [${shape.join(', ')}]`);
  }
  return shape as unknown as MaskShape;
}

function maskArray(values: Uint8Array, shape: MaskShape): DataArray {
  return new DataArray(values, {
    dims: ['module', 'x', 'y'], shape: [...shape], dtype: 'bool', name: 'mask',
    coords: { module: Array.from({ length: shape[0] }, (_, m) => m) },
    attrs: { description: 'true = pixel used, false = masked' },
  });
}

/** One masked region, checked against the shape; `where` prefixes the message. */
type Region = { kind: 'asic' | 'pixel' | 'module'; at: number[] };

function blank(values: Uint8Array, shape: MaskShape, region: Region, where: string): void {
  const [nm, nx, ny] = shape;
  const [m, a, b] = region.at;
  const check = (what: string, v: number, n: number) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new ToolBoxValueError(`${where}${what} ${v} is out of range 0–${n - 1}`);
  };
  check('module', m, nm);
  let x0 = 0, x1 = nx, y0 = 0, y1 = ny;
  if (region.kind === 'asic') {
    check('ASIC row', a, nx / DSSC_ASIC_PIXELS);
    check('ASIC column', b, ny / DSSC_ASIC_PIXELS);
    [x0, x1, y0, y1] = [a * DSSC_ASIC_PIXELS, (a + 1) * DSSC_ASIC_PIXELS, b * DSSC_ASIC_PIXELS, (b + 1) * DSSC_ASIC_PIXELS];
  } else if (region.kind === 'pixel') {
    check('pixel x', a, nx);
    check('pixel y', b, ny);
    [x0, x1, y0, y1] = [a, a + 1, b, b + 1];
  }
  for (let x = x0; x < x1; x++) values.fill(0, (m * nx + x) * ny + y0, (m * nx + x) * ny + y1);
}

/**
 * quickmask_DSSC_ASIC: a (module, x, y) mask with the ASICs at `poslist`
 * ([module, row, column] each) masked.
 */
export function quickmaskDsscAsic(poslist: Iterable<AsicPosition>, dsscShape: readonly number[] = DSSC_SHAPE): DataArray {
  const shape = checkShape(dsscShape);
  const values = new Uint8Array(shape[0] * shape[1] * shape[2]).fill(1);
  let i = 0;
  for (const pos of poslist) {
    if (!Array.isArray(pos) || pos.length !== 3) throw new ToolBoxValueError(`quickmaskDsscAsic: poslist[${i}] must be [module, row, column], got ${JSON.stringify(pos)}`);
    blank(values, shape, { kind: 'asic', at: [...pos] }, `quickmaskDsscAsic: poslist[${i}]: `);
    i++;
  }
  return maskArray(values, shape);
}

const ARITY = { asic: 3, pixel: 3, module: 1 } as const;

/** Parse a mask text file into regions; errors name the file and line. */
export function parseMaskText(text: string, fname: string): { region: Region; line: number }[] {
  const out: { region: Region; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.replace(/#.*/, '').trim().split(/[\s,]+/).filter(Boolean);
    if (words.length === 0) return;
    const where = `${fname} line ${i + 1}`;
    let kind: Region['kind'] = 'asic';
    if (/^[a-z]/i.test(words[0])) {
      const k = words.shift()!.toLowerCase();
      if (!(k in ARITY)) throw new ToolBoxFileError(`${where}: unknown entry '${k}'; expected 'asic module row column', 'pixel module x y', 'module m' or three numbers (an ASIC)`, fname);
      kind = k as Region['kind'];
    }
    if (words.length !== ARITY[kind]) {
      throw new ToolBoxFileError(`${where}: '${raw.trim()}' needs ${ARITY[kind]} number${ARITY[kind] > 1 ? 's' : ''} for ${kind === 'module' ? 'a module' : `a ${kind} (module ${kind === 'asic' ? 'row column' : 'x y'})`}, got ${words.length}`, fname);
    }
    const at = words.map((w) => (/^\d+$/.test(w) ? Number(w) : NaN));
    const bad = words.find((_, j) => Number.isNaN(at[j]));
    if (bad !== undefined) throw new ToolBoxFileError(`${where}: '${bad}' is not a non-negative integer`, fname);
    out.push({ region: { kind, at }, line: i + 1 });
  });
  return out;
}

function isHdf5(fname: string): boolean {
  const fd = openSync(fname, 'r');
  try {
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return n === 8 && head.equals(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
  } finally {
    closeSync(fd);
  }
}

/** A mask variable from a file: bool as is; float 1/NaN (Python's quickmask) with NaN and 0 masked. */
function maskFromArray(da: DataArray, shape: MaskShape, fname: string): Uint8Array {
  const dims = ['module', 'x', 'y'];
  if (da.ndim !== 3 || !dims.every((d) => da.dims.includes(d))) {
    throw new ToolBoxValueError(`${fname}: a DSSC mask needs dims (module, x, y), got (${da.dims.join(', ')}) with shape [${da.shape.join(', ')}]`);
  }
  const t = da.transpose(...dims);
  if (t.shape.some((n, i) => n !== shape[i])) throw new ToolBoxValueError(`${fname}: mask shape [${t.shape.join(', ')}] does not match the DSSC shape [${shape.join(', ')}]`);
  if (t.dtype === 'bool') return Uint8Array.from(t.values as Uint8Array);
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    const v = t.values as Float32Array | Float64Array;
    return Uint8Array.from(v, (x) => (x === x && x !== 0 ? 1 : 0));
  }
  throw new ToolBoxTypeError(`${fname}: mask '${da.name ?? ''}' is ${da.dtype}; expected bool (true = used) or float (1 = used, NaN = masked)`);
}

export interface LoadMaskOptions {
  /** Group of an HDF5 mask file (default 'data'). */
  group?: string;
}
const LOAD_MASK_OPTIONS = optionNames<LoadMaskOptions>({ group: true });

/**
 * load_mask: read a mask file (text regions or HDF5, see the top of this
 * file). `base` is the DSSC shape [modules, x, y] (default [16, 128, 512])
 * or a mask to add to (a pixel stays used only when used in both).
 */
export async function loadMask(fname: string, base: readonly number[] | DataArray = DSSC_SHAPE, options: LoadMaskOptions = {}): Promise<DataArray> {
  checkOptions('loadMask', options, LOAD_MASK_OPTIONS);
  if (!existsSync(fname)) throw new ToolBoxFileError(`mask file not found: ${fname}`, fname);
  const shape = checkShape(base instanceof DataArray ? base.shape : base);
  const values = base instanceof DataArray ? maskFromArray(base, shape, 'the base mask') : new Uint8Array(shape[0] * shape[1] * shape[2]).fill(1);
  if (isHdf5(fname)) {
    const da = await loadXarray(fname, { group: options.group ?? 'data', form: 'array' });
    const read = maskFromArray(da, shape, fname);
    for (let i = 0; i < values.length; i++) values[i] &= read[i];
  } else {
    for (const { region, line } of parseMaskText(await readFile(fname, 'utf8'), fname)) {
      try {
        blank(values, shape, region, `${fname} line ${line}: `);
      } catch (err) {
        throw new ToolBoxFileError((err as Error).message, fname, { cause: err });
      }
    }
  }
  return maskArray(values, shape);
}
