/**
 * The netCDF-4 data model as it sits in HDF5 — the names, attributes and
 * type mappings netCDF-C, h5netcdf and xarray agree on. Shared by the reader
 * and the writer so both speak exactly the same dialect.
 */
import type { Metadata } from 'h5wasm/node';
import type { DType } from '../arrays/dtype.js';

/**
 * A dimension without a coordinate variable is a dimension scale whose NAME
 * is this sentence, then the length right-aligned in 10 characters
 * (netCDF-C's "%s%10d"); netCDF-C and h5netcdf recognise dims by it.
 */
export const PHANTOM_DIM_PREFIX = 'This is a netCDF dimension but not a netCDF variable.';
export function phantomScaleName(length: number): string {
  return PHANTOM_DIM_PREFIX + String(length).padStart(10);
}

/** A variable named like a dimension it is not the coordinate of is stored under this prefix. */
export const NON_COORD_PREFIX = '_nc4_non_coord_';

/** xarray's names for a DataArray written as a Dataset (DataArray.to_netcdf / open_dataarray). */
export const DATAARRAY_VARIABLE = '__xarray_dataarray_variable__';
export const DATAARRAY_NAME = '__xarray_dataarray_name__';

/** Root attribute identifying the writer; netCDF-C and h5netcdf both write one. */
export const NCPROPERTIES = '_NCProperties';

/**
 * Attributes that encode the data model itself (dimension scales, dimension
 * ids). Readers hide them from attrs; writers create them and refuse them in
 * user attrs.
 */
export const STRUCTURAL_ATTRS: ReadonlySet<string> = new Set([
  'DIMENSION_LIST', 'REFERENCE_LIST', 'CLASS', 'NAME', '_Netcdf4Dimid', '_Netcdf4Coordinates',
  NCPROPERTIES, '_nc3_strict', '_IsNetcdf4', '_SuperblockVersion', 'coordinates',
]);
/** Structural attributes whose values are references: neither readable as attrs nor worth keeping. */
export const REFERENCE_ATTRS: ReadonlySet<string> = new Set(['DIMENSION_LIST', 'REFERENCE_LIST']);

/** CF attributes decoded like xarray's default (mask_and_scale, bool, unsigned); kept in encoding. */
export const CF_ATTRS: ReadonlySet<string> = new Set(['_FillValue', 'missing_value', 'scale_factor', 'add_offset', '_Unsigned', '_Encoding']);

/** HDF5 type classes (H5T_class_t), as h5wasm reports them in metadata.type. */
export const H5T = {
  INTEGER: 0, FLOAT: 1, TIME: 2, STRING: 3, BITFIELD: 4, OPAQUE: 5, COMPOUND: 6,
  REFERENCE: 7, ENUM: 8, VLEN: 9, ARRAY: 10,
} as const;

const CLASS_NAMES = ['integer', 'float', 'time', 'string', 'bitfield', 'opaque', 'compound', 'reference', 'enum', 'variable-length sequence', 'array'];

/** h5wasm dtype strings for our numeric dtypes; bool is stored as int8, as xarray does. */
export const H5_DTYPE: Record<Exclude<DType, 'string'>, string> = {
  float32: '<f', float64: '<d',
  int8: '<b', int16: '<h', int32: '<i', int64: '<q',
  uint8: '<B', uint16: '<H', uint32: '<I', uint64: '<Q',
  bool: '<b',
};

/** h5py writes numpy bools as this enum; h5wasm cannot write enums but we read them. */
export function isBoolEnum(meta: Metadata): boolean {
  const m = meta.enum_type?.members;
  return meta.type === H5T.ENUM && !!m && Object.keys(m).length === 2 && m.FALSE === 0 && m.TRUE === 1;
}

/** The toolbox dtype an HDF5 type reads as, or null when there is none. */
export function dtypeOfMetadata(meta: Metadata): DType | null {
  if (meta.type === H5T.STRING) return 'string';
  if (meta.type === H5T.ENUM) return isBoolEnum(meta) ? 'bool' : null;
  if (meta.type === H5T.FLOAT) {
    if (meta.size === 4) return 'float32';
    if (meta.size === 8) return 'float64';
    return null;
  }
  if (meta.type === H5T.INTEGER && [1, 2, 4, 8].includes(meta.size)) {
    return `${meta.signed ? 'int' : 'uint'}${meta.size * 8}` as DType;
  }
  return null;
}

/** Words for an HDF5 type, for "cannot read" messages. */
export function describeMetadata(meta: Metadata): string {
  if (meta.type === H5T.FLOAT) return `float${meta.size * 8}`;
  return CLASS_NAMES[meta.type] ?? `HDF5 type class ${meta.type}`;
}

/** Names that HDF5 or netCDF cannot hold as a variable, dimension or group name. */
export function badNameReason(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'an empty name';
  if (name.includes('/')) return "a name containing '/' (HDF5 reads it as a group path)";
  if (name === '.' || name === '..') return `the name '${name}'`;
  return null;
}
