/**
 * Writing one Dataset as one netCDF-4 group, the layout netCDF-C and
 * h5netcdf produce: every dimension is an HDF5 dimension scale (the index
 * coordinate's dataset, or a "phantom" scale for a dimension without one),
 * carrying a file-wide `_Netcdf4Dimid`; every other variable has its scales
 * attached in order (DIMENSION_LIST) and, from 2-D up, `_Netcdf4Coordinates`;
 * non-index coordinates are listed in the `coordinates` attribute of the data
 * variables using them, or of the group when none does (as xarray does).
 *
 * Planning (names, dtypes, attributes, CF encoding) happens before any file
 * is touched, so bad input fails without leaving anything behind.
 */
import { ToolBoxValueError } from '../errors.js';
import type { Attrs, DataArray } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
import { type EncodedAttr, encodeAttr, writeAttr } from './attrs.js';
import { type EncodedValues, encodeValues } from './cf.js';
import { NON_COORD_PREFIX, STRUCTURAL_ATTRS, badNameReason, phantomScaleName } from './conventions.js';
import type { H5, H5Dataset, H5File, H5Group } from './h5file.js';
import { writeSlabs } from './slabs.js';

interface VariablePlan {
  name: string;
  /** Name of the HDF5 dataset (differs from `name` only for NON_COORD_PREFIX). */
  datasetName: string;
  dims: readonly string[];
  shape: readonly number[];
  values: EncodedValues;
  attrs: [string, EncodedAttr][];
}

interface DimPlan {
  name: string;
  length: number;
  /** The index coordinate, which becomes the dimension scale itself. */
  index: VariablePlan | null;
}

export interface GroupPlan {
  dims: DimPlan[];
  /** Non-index coordinates then data variables, in that order. */
  variables: VariablePlan[];
  attrs: [string, EncodedAttr][];
}

function checkName(kind: string, name: string, where: string): void {
  const bad = badNameReason(name);
  if (bad) throw new ToolBoxValueError(`${kind} '${name}' cannot be stored in ${where}: ${bad}`);
}

function encodeUserAttrs(attrs: Attrs, owner: string, skip: ReadonlySet<string> = new Set()): [string, EncodedAttr][] {
  const out: [string, EncodedAttr][] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (skip.has(k) || v === undefined) continue;
    if (k.length === 0) throw new ToolBoxValueError(`${owner} has an attribute with an empty name`);
    if (STRUCTURAL_ATTRS.has(k)) {
      throw new ToolBoxValueError(`${owner} has an attribute '${k}', a name netCDF-4 reserves for its own bookkeeping; rename it`);
    }
    out.push([k, encodeAttr(v, `attribute '${k}' of ${owner}`)]);
  }
  return out;
}

/**
 * Everything needed to write `ds`, validated and encoded. `where` describes
 * the destination for messages ("group 'data' of /path/file.h5").
 */
export function planGroup(ds: Dataset, groupAttrs: Attrs, where: string): GroupPlan {
  const coords = ds.coords;
  const dataVars = ds.dataVars;
  const all: [string, DataArray][] = [
    ...Object.entries(coords),
    ...dataVars.map((n): [string, DataArray] => [n, ds.variable(n)]),
  ];
  const sizes = ds.sizes;
  for (const d of Object.keys(sizes)) checkName('dimension', d, where);
  for (const [name, v] of all) {
    checkName('variable', name, where);
    for (const d of v.dims) checkName('dimension', d, where);
  }

  const isIndex = (name: string, v: DataArray) => v.dims.length === 1 && v.dims[0] === name;
  const plan = (name: string, v: DataArray, extra: [string, EncodedAttr][] = []): VariablePlan => {
    const owner = `variable '${name}' (${where})`;
    const values = encodeValues(v, owner);
    const attrs = [...encodeUserAttrs(v.attrs, owner, new Set(['_FillValue'])), ...values.cfAttrs, ...extra];
    const datasetName = name in sizes && !isIndex(name, v) ? NON_COORD_PREFIX + name : name;
    return { name, datasetName, dims: v.dims, shape: v.shape, values, attrs };
  };

  const indexNames = new Set(all.filter(([n, v]) => isIndex(n, v)).map(([n]) => n));
  const dims: DimPlan[] = Object.entries(sizes).map(([name, length]) => {
    const v = indexNames.has(name) ? (coords[name] ?? ds.variable(name)) : null;
    return { name, length, index: v ? plan(name, v) : null };
  });

  const auxCoords = Object.entries(coords).filter(([n]) => !indexNames.has(n));
  const used = new Set<string>();
  const variables: VariablePlan[] = auxCoords.map(([n, v]) => plan(n, v));
  for (const n of dataVars) {
    if (indexNames.has(n)) continue;
    const v = ds.variable(n);
    const mine = auxCoords.filter(([, c]) => c.dims.every((d) => v.dims.includes(d))).map(([cn]) => cn);
    mine.forEach((cn) => used.add(cn));
    const extra: [string, EncodedAttr][] = mine.length ? [['coordinates', encodeAttr(mine.join(' '), where)]] : [];
    variables.push(plan(n, v, extra));
  }
  const orphans = auxCoords.map(([n]) => n).filter((n) => !used.has(n));
  const attrs = encodeUserAttrs(groupAttrs, where);
  if (orphans.length) attrs.push(['coordinates', encodeAttr(orphans.join(' '), where)]);
  return { dims, variables, attrs };
}

const EMPTY: Record<string, new (n: number) => ArrayLike<unknown>> = {
  '<f': Float32Array, '<d': Float64Array, '<b': Int8Array, '<h': Int16Array, '<i': Int32Array, '<q': BigInt64Array,
  '<B': Uint8Array, '<H': Uint16Array, '<I': Uint32Array, '<Q': BigUint64Array,
};

/** Create the group at `path` (and missing parents); the root is returned as is. */
export function ensureGroup(f: H5File, path: string): H5Group {
  if (path === '/') return f;
  let cur: H5Group = f;
  for (const part of path.split('/').filter(Boolean)) {
    const next = cur.get(part);
    cur = next && (next as { type?: string }).type === 'Group' ? (next as H5Group) : cur.create_group(part, true);
  }
  return cur;
}

async function createVariable(f: H5File, h5: H5, g: H5Group, vp: VariablePlan): Promise<H5Dataset> {
  const { data, h5dtype, chunks, gzipLevel } = vp.values;
  let ds: H5Dataset;
  if (!chunks) {
    ds = g.create_dataset({ name: vp.datasetName, data: data as never, shape: [...vp.shape], dtype: h5dtype, track_order: true });
  } else {
    // Created empty along the first axis and grown: h5wasm would otherwise copy the whole array into its heap at once.
    ds = g.create_dataset({
      name: vp.datasetName, data: new EMPTY[h5dtype](0) as never, shape: [0, ...vp.shape.slice(1)], maxshape: [...vp.shape],
      chunks, dtype: h5dtype, track_order: true,
      ...(gzipLevel !== null ? { compression: 'gzip' as const, compression_opts: gzipLevel } : {}),
    });
    ds.resize([...vp.shape]);
    await writeSlabs(h5.Module, f.file_id, ds.path, data as never, vp.shape, chunks);
  }
  for (const [k, a] of vp.attrs) writeAttr(ds, k, a);
  return ds;
}

/**
 * A dimension without coordinate: a float32 scale nobody reads. Like
 * netCDF-C, its storage is never written (chunked, so HDF5 allocates none).
 */
function createPhantom(g: H5Group, name: string, length: number): H5Dataset {
  if (length === 0) return g.create_dataset({ name, data: new Float32Array(0), shape: [0], dtype: '<f', track_order: true });
  const ds = g.create_dataset({
    name, data: new Float32Array(0), shape: [0], maxshape: [length], chunks: [Math.min(length, 2 ** 20)], dtype: '<f', track_order: true,
  });
  ds.resize([length]);
  return ds;
}

const int32 = (x: number) => ({ kind: 'number' as const, dtype: '<i', data: Int32Array.of(x), shape: [] });

/**
 * Write a planned group at `path` (created, with its parents, if missing).
 * Dimension ids start at `firstDimid` (they are unique across the file, as
 * netCDF-C numbers them); returns the next free id.
 */
export async function writeGroup(f: H5File, h5: H5, path: string, plan: GroupPlan, firstDimid: number): Promise<number> {
  const g = ensureGroup(f, path);
  const base = path === '/' ? '' : path;
  let dimid = firstDimid;
  const scale = new Map<string, { path: string; id: number }>();
  for (const d of plan.dims) {
    const ds = d.index ? await createVariable(f, h5, g, d.index) : createPhantom(g, d.name, d.length);
    ds.make_scale(d.index ? d.name : phantomScaleName(d.length));
    writeAttr(ds, '_Netcdf4Dimid', int32(dimid));
    scale.set(d.name, { path: `${base}/${d.name}`, id: dimid++ });
  }
  for (const vp of plan.variables) {
    const ds = await createVariable(f, h5, g, vp);
    vp.dims.forEach((d, i) => ds.attach_scale(i, scale.get(d)!.path));
    if (vp.dims.length >= 2) {
      const ids = Int32Array.from(vp.dims, (d) => scale.get(d)!.id);
      writeAttr(ds, '_Netcdf4Coordinates', { kind: 'number', dtype: '<i', data: ids, shape: [ids.length] });
    }
  }
  for (const [k, a] of plan.attrs) writeAttr(g, k, a);
  return dimid;
}

/** The largest `_Netcdf4Dimid` in the file, -1 when there is none. */
export function maxDimid(f: H5File, h5: H5): number {
  let max = -1;
  for (const p of f.paths()) {
    try {
      if (f.get_type('/' + p) !== h5.Module.H5G_DATASET) continue;
      const ds = f.get('/' + p) as H5Dataset;
      if (!('_Netcdf4Dimid' in ds.attrs)) continue;
      const v = ds.get_attribute('_Netcdf4Dimid', false);
      const n = Number(ArrayBuffer.isView(v) ? (v as Int32Array)[0] : v);
      if (Number.isFinite(n)) max = Math.max(max, n);
    } catch { /* unreadable objects carry no dimension ids we need to avoid */ }
  }
  return max;
}
