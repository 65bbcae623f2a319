/**
 * Reading one netCDF-4 group into a Dataset, whoever wrote it (this module's
 * writer, xarray through h5netcdf or netCDF4/netCDF-C, or plain h5py).
 *
 * Dimension names come from the dimension scales attached to each axis
 * (DIMENSION_LIST); failing that from `_Netcdf4Coordinates` matched against
 * the scales' `_Netcdf4Dimid`; failing that they are made up as
 * `phony_dim_N`, one per distinct length, as netCDF-C does. Index
 * coordinates are the scales that are real variables (not phantom
 * dimensions); other coordinates are those named in `coordinates`
 * attributes. Values are CF-decoded like xarray's defaults (see cf.ts).
 *
 * Netcdf "char" arrays (fixed strings of one byte) are joined along their
 * last axis into strings, as xarray does. Times are not decoded: a variable
 * with `units: 'seconds since ...'` stays numeric with its units attribute.
 */
import { ToolBoxFileError, ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { type AttrValue, type Attrs, DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import type { ArrayData, DType, TypedData } from '../arrays/dtype.js';
import { readAttrs } from './attrs.js';
import { decodeValues } from './cf.js';
import {
  CF_ATTRS, NON_COORD_PREFIX, PHANTOM_DIM_PREFIX, REFERENCE_ATTRS, STRUCTURAL_ATTRS, describeMetadata, dtypeOfMetadata, isBoolEnum,
} from './conventions.js';
import type { H5, H5Dataset, H5File, H5Group } from './h5file.js';
import { readSlabs } from './slabs.js';

const PLAIN_ATTRS: ReadonlySet<string> = new Set([...STRUCTURAL_ATTRS, ...CF_ATTRS]);
/** Structural attributes worth keeping in encoding (simple values, unlike references). */
const KEPT_STRUCTURAL = ['_Netcdf4Dimid', '_Netcdf4Coordinates', 'CLASS', 'NAME', 'coordinates'];

interface Entry {
  name: string;
  ds: H5Dataset;
  meta: H5Dataset['metadata'];
  attrs: Attrs;
  isScale: boolean;
  phantom: boolean;
  dims?: string[];
}

const CTORS: Record<string, { new (n: number): TypedData; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
};

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function asNumbers(x: AttrValue | undefined): number[] {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x) || Array.isArray(x)) return Array.from(x as ArrayLike<number>, Number);
  return [];
}

/** Dimension scales visible from a group (its own and its ancestors'), by `_Netcdf4Dimid`. */
function dimidNames(f: H5File, path: string): Map<number, string> {
  const out = new Map<number, string>();
  const groups = ['/'];
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) groups.push('/' + parts.slice(0, i).join('/'));
  for (const gp of groups) {
    const g = (gp === '/' ? f : f.get(gp)) as H5Group;
    for (const name of g.keys()) {
      const obj = g.get(name);
      if (!obj || (obj as { type?: string }).type !== 'Dataset') continue;
      const ds = obj as H5Dataset;
      if (!('_Netcdf4Dimid' in ds.attrs) || ds.get_scale_name() === null) continue;
      const id = asNumbers(readAttrs(ds, PLAIN_ATTRS)._Netcdf4Dimid)[0];
      if (id !== undefined) out.set(id, name);
    }
  }
  return out;
}

function resolveDims(entries: Entry[], f: H5File, path: string): void {
  let byId: Map<number, string> | undefined;
  const phony = new Map<number, string[]>();
  let phonyCount = 0;
  for (const e of entries) {
    if (e.phantom) continue;
    const shape = e.meta.shape ?? [];
    if (shape.length === 0) {
      e.dims = [];
      continue;
    }
    if (e.isScale && shape.length === 1) {
      e.dims = [e.name];
      continue;
    }
    const ids = asNumbers(e.attrs._Netcdf4Coordinates);
    const dims: string[] = [];
    shape.forEach((len, i) => {
      let scales: string[] = [];
      try {
        scales = e.ds.get_attached_scales(i);
      } catch { /* no DIMENSION_LIST */ }
      if (scales.length > 0) {
        dims.push(basename(scales[0]));
        return;
      }
      if (ids.length === shape.length) {
        byId ??= dimidNames(f, path);
        const n = byId.get(ids[i]);
        if (n !== undefined) {
          dims.push(n);
          return;
        }
      }
      const pool = phony.get(len) ?? [];
      phony.set(len, pool);
      let name = pool.find((p) => !dims.includes(p));
      if (!name) {
        name = `phony_dim_${phonyCount++}`;
        pool.push(name);
      }
      dims.push(name);
    });
    e.dims = dims;
  }
}

async function readRaw(e: Entry, h5: H5, fileId: bigint, diskPath: string, where: string): Promise<{ raw: ArrayData; dtype: DType; shape: number[]; dims: string[] }> {
  const meta = e.meta;
  const shape = meta.shape ?? [];
  const dims = e.dims!;
  let dtype = dtypeOfMetadata(meta);
  if (dtype === null) throw new ToolBoxTypeError(`${where} has HDF5 type ${describeMetadata(meta)}, which the toolbox cannot read`);
  if (dtype === 'string') {
    const v = e.ds.value;
    let strs: string[] = Array.isArray(v) ? (v as string[]) : [String(v ?? '')];
    if (!meta.vlen && meta.size === 1 && shape.length >= 1) {
      // A netCDF char array: the last axis spells the strings.
      const width = shape[shape.length - 1];
      const joined: string[] = [];
      for (let i = 0; i < strs.length; i += width) joined.push(strs.slice(i, i + width).join(''));
      strs = width === 0 ? new Array<string>(strs.length).fill('') : joined;
      return { raw: strs, dtype, shape: shape.slice(0, -1), dims: dims.slice(0, -1) };
    }
    return { raw: strs, dtype, shape, dims };
  }
  const bool = isBoolEnum(meta);
  if (bool) dtype = `${meta.signed ? 'int' : 'uint'}${meta.size * 8}` as DType;
  let raw: ArrayData = await readSlabs(h5.Module, fileId, e.ds.path, shape, CTORS[dtype], meta.chunks, diskPath);
  if (bool) {
    raw = Uint8Array.from(raw as Int8Array, (x) => (x ? 1 : 0));
    dtype = 'bool';
  }
  return { raw, dtype, shape, dims };
}

/** The Dataset stored in the group at `path` (which must exist). `file` is for messages and encoding.source. */
export async function readGroup(f: H5File, h5: H5, path: string, file: string): Promise<Dataset> {
  const g = (path === '/' ? f : f.get(path)) as H5Group;
  const groupLabel = `group '${path}' of ${file}`;
  const entries: Entry[] = [];
  for (const key of g.keys()) {
    const obj = g.get(key);
    if (!obj || (obj as { type?: string }).type !== 'Dataset') continue;
    const ds = obj as H5Dataset;
    const meta = ds.metadata;
    if (!meta.shape) continue; // an empty dataspace holds no variable
    const attrs = readAttrs(ds, PLAIN_ATTRS);
    const isScale = attrs.CLASS === 'DIMENSION_SCALE';
    const phantom = isScale && typeof attrs.NAME === 'string' && attrs.NAME.startsWith(PHANTOM_DIM_PREFIX);
    const name = key.startsWith(NON_COORD_PREFIX) ? key.slice(NON_COORD_PREFIX.length) : key;
    entries.push({ name, ds, meta, attrs, isScale, phantom });
  }
  resolveDims(entries, f, path);

  const groupAttrs = readAttrs(g, PLAIN_ATTRS);
  const auxNames = new Set<string>();
  const addCoordinates = (v: AttrValue | undefined) => {
    if (typeof v === 'string') v.split(/\s+/).filter(Boolean).forEach((n) => auxNames.add(n));
  };
  addCoordinates(groupAttrs.coordinates);
  entries.forEach((e) => addCoordinates(e.attrs.coordinates));

  // As xarray: a variable named like a dimension is a coordinate even when it is not that dimension's index.
  const dimNames = new Set(entries.flatMap((e) => e.dims ?? []));
  const coords = new Map<string, DataArray>();
  const vars = new Map<string, DataArray>();
  for (const e of entries) {
    if (e.phantom) continue;
    const where = `variable '${e.name}' in ${groupLabel}`;
    const { raw, dtype, shape, dims } = await readRaw(e, h5, f.file_id, f.filename, where);
    const userAttrs: Attrs = {};
    const kept: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(e.attrs)) {
      if (KEPT_STRUCTURAL.includes(k)) kept[k] = v;
      else if (!STRUCTURAL_ATTRS.has(k) && !REFERENCE_ATTRS.has(k)) userAttrs[k] = v;
    }
    const decoded = decodeValues(raw, dtype, userAttrs);
    const encoding: Record<string, AttrValue> = {
      source: file, original_shape: [...(e.meta.shape ?? [])], chunksizes: e.meta.chunks ? [...e.meta.chunks] : null,
      ...decoded.encoding, ...kept,
    };
    const da = DataArray.fromParts({ values: decoded.values, dims, shape, dtype: decoded.dtype, attrs: decoded.attrs, name: e.name, encoding });
    const isCoord = (e.isScale && dims.length === 1 && dims[0] === e.name) || auxNames.has(e.name) || dimNames.has(e.name);
    (isCoord ? coords : vars).set(e.name, da);
  }
  const attrs: Attrs = {};
  for (const [k, v] of Object.entries(groupAttrs)) if (!STRUCTURAL_ATTRS.has(k)) attrs[k] = v;
  try {
    return Dataset.fromParts(vars, coords, attrs);
  } catch (err) {
    if (err instanceof ToolBoxValueError) throw new ToolBoxFileError(`${groupLabel} does not hold a consistent dataset: ${err.message}`, file, { cause: err });
    throw err;
  }
}
