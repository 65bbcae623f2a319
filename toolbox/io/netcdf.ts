/**
 * save_xarray / load_xarray / save_attributes_h5 of the Python toolbox: files
 * that xarray opens with `engine='h5netcdf'` or `engine='netcdf4'`, and that
 * load back here exactly (see attrs.ts and cf.ts for what "exactly" covers).
 *
 * Every write is atomic (atomic.ts). Mode 'a' adds the group to a copy of the
 * existing file; when the group is already there with content, it is
 * replaced — HDF5 through h5wasm cannot unlink objects, so the file is
 * rebuilt: each other group is read and written again through this module
 * (netCDF content survives: values, dims, coordinates, attributes, fill
 * values and the encodings we understand; chunking of those groups is chosen
 * anew). Child groups of the replaced group are kept, as are all others.
 */
import { resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxTypeError, ToolBoxValueError } from '../errors.js';
import { toolboxVersion } from '../version.js';
import { checkOptions, optionNames } from '../options.js';
import { type Attrs, DataArray } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { encodeAttr, writeAttr } from './attrs.js';
import { replaceAtomically, resolveTarget } from './atomic.js';
import { DATAARRAY_NAME, DATAARRAY_VARIABLE, NCPROPERTIES, badNameReason } from './conventions.js';
import { type H5, type H5File, type H5Group, checkHdf5File, listGroups, objectKind, withH5File } from './h5file.js';
import { readGroup } from './netcdf-read.js';
import { type GroupPlan, maxDimid, planGroup, writeGroup } from './netcdf-write.js';

/** Options of saveXarray. */
export interface SaveXarrayOptions {
  /** HDF5 group to write (default 'data', the Python toolbox's). */
  group?: string;
  /** 'a' (default): add or replace the group, keeping the rest of the file; 'w': a new file. */
  mode?: 'a' | 'w';
}
const SAVE_XARRAY_OPTIONS = optionNames<SaveXarrayOptions>({ group: true, mode: true });
/** Options of loadXarray. */
export interface LoadXarrayOptions {
  /** HDF5 group to read (default 'data'). */
  group?: string;
  /** 'dataset' (default) or 'array': the single data variable as a DataArray. */
  form?: 'dataset' | 'array';
}
const LOAD_XARRAY_OPTIONS = optionNames<LoadXarrayOptions>({ group: true, form: true });

/** '/a/b' for 'a/b', '/a/b/' or '/a//b'; '/' for the root ('' or '/'). */
function normalizeGroup(group: unknown): string {
  if (typeof group !== 'string') throw new ToolBoxTypeError(`group must be a string, got ${typeof group}`);
  const parts = group.split('/').filter(Boolean);
  for (const p of parts) {
    const bad = badNameReason(p);
    if (bad) throw new ToolBoxValueError(`group '${group}' cannot be used: ${bad}`);
  }
  return '/' + parts.join('/');
}

function label(group: string): string {
  return group === '/' ? '/' : group.slice(1);
}

let ncProperties: string | undefined;
/** `_NCProperties` in netCDF-C's key=value form, naming this library as the writer. */
function ncPropertiesText(): string {
  if (ncProperties) return ncProperties;
  ncProperties = `version=2,scs-toolbox=${toolboxVersion()},h5wasm=0.10`;
  return ncProperties;
}

function ensureNcProperties(f: H5File): void {
  if (NCPROPERTIES in f.attrs) return;
  const text = ncPropertiesText();
  f.create_attribute(NCPROPERTIES, [text], [], `A${text.length}`);
}

/** A DataArray as xarray's DataArray.to_netcdf stores it: one variable, coords alongside. */
function asDataset(data: Dataset | DataArray): { ds: Dataset; attrs: Attrs } {
  if (data instanceof Dataset) return { ds: data, attrs: data.attrs };
  if (!(data instanceof DataArray)) {
    throw new ToolBoxTypeError(`saveXarray needs a Dataset or a DataArray, got ${data === null ? 'null' : (data as object)?.constructor?.name ?? typeof data}`);
  }
  let name = data.name;
  const attrs: Attrs = {};
  if (name === null) name = DATAARRAY_VARIABLE;
  else if (name in data.coords || data.dims.includes(name)) {
    attrs[DATAARRAY_NAME] = name;
    name = DATAARRAY_VARIABLE;
  }
  const variable = DataArray.fromParts({
    values: data.values, dims: data.dims, shape: data.shape, dtype: data.dtype, attrs: data.attrs, name, encoding: data.encoding,
  });
  return { ds: Dataset.fromParts({ [name]: variable }, { ...data.coords }), attrs };
}

function groupHasContent(f: H5File, h5: H5, path: string): boolean {
  const g = (path === '/' ? f : f.get(path)) as H5Group;
  const hasData = g.keys().some((k) => g.get_type(`${path === '/' ? '' : path}/${k}`) !== h5.Module.H5G_GROUP);
  return hasData || Object.keys(g.attrs).some((k) => k !== NCPROPERTIES);
}

/** Write the whole file anew: every group of `source` but `group`, which gets `plan`. */
async function rebuild(f: H5File, h5: H5, source: string, file: string, group: string, plan: GroupPlan): Promise<void> {
  await withH5File(source, 'r', async (src) => {
    let dimid = 0;
    const visit = async (path: string): Promise<void> => {
      if (path === group) {
        dimid = await writeGroup(f, h5, path, plan, dimid);
      } else {
        const where = `group '${label(path)}' of ${file}`;
        const ds = await readGroup(src, h5, path, file);
        dimid = await writeGroup(f, h5, path, planGroup(ds, ds.attrs, where), dimid);
      }
      const g = (path === '/' ? src : src.get(path)) as H5Group;
      for (const k of g.keys()) {
        const child = `${path === '/' ? '' : path}/${k}`;
        if (g.get_type(child) === h5.Module.H5G_GROUP) await visit(child);
      }
    };
    await visit('/');
  }, file);
}

/**
 * Save a Dataset or DataArray as a netCDF-4 group (Python: save_xarray).
 * mode 'a' (default) adds or replaces `group` in the file, creating the file
 * if missing; 'w' writes a new file.
 */
export async function saveXarray(file: string, data: Dataset | DataArray, options: SaveXarrayOptions = {}): Promise<void> {
  checkOptions('saveXarray', options, SAVE_XARRAY_OPTIONS);
  const mode = options.mode ?? 'a';
  if (mode !== 'a' && mode !== 'w') throw new ToolBoxValueError(`mode must be 'a' or 'w', got '${String(mode)}'`);
  const group = normalizeGroup(options.group ?? 'data');
  const { ds, attrs } = asDataset(data);
  const plan = planGroup(ds, attrs, `group '${label(group)}' of ${file}`);
  const target = await resolveTarget(file);

  if (mode === 'w' || !target.exists) {
    await replaceAtomically(target, false, (tmp) => withH5File(tmp, 'w', async (f, h5) => {
      ensureNcProperties(f);
      await writeGroup(f, h5, group, plan, 0);
    }, file));
    return;
  }
  // withH5File checks that target.path is an HDF5 file before opening it.
  const state = await withH5File(target.path, 'r', (f, h5) => {
    const kind = objectKind(f, h5, group);
    if (kind === 'dataset' || kind === 'other') {
      throw new ToolBoxPathError(`'${label(group)}' in ${file} is a ${kind === 'dataset' ? 'dataset' : 'link or datatype'}, not a group; groups present: ${listGroups(f, h5).join(', ') || '(none)'}`, group);
    }
    return kind === 'group' && groupHasContent(f, h5, group) ? 'replace' : 'add';
  }, file);

  if (state === 'add') {
    await replaceAtomically(target, true, (tmp) => withH5File(tmp, 'a', async (f, h5) => {
      ensureNcProperties(f);
      await writeGroup(f, h5, group, plan, maxDimid(f, h5) + 1);
    }, file));
  } else {
    await replaceAtomically(target, false, (tmp) => withH5File(tmp, 'w', async (f, h5) => {
      ensureNcProperties(f);
      await rebuild(f, h5, target.path, file, group, plan);
    }, file));
  }
}

/**
 * Load a netCDF-4 group (Python: load_xarray): a Dataset, or with
 * form 'array' its single data variable as a DataArray.
 */
export async function loadXarray(file: string, options?: LoadXarrayOptions & { form?: 'dataset' }): Promise<Dataset>;
export async function loadXarray(file: string, options: LoadXarrayOptions & { form: 'array' }): Promise<DataArray>;
export async function loadXarray(file: string, options: LoadXarrayOptions = {}): Promise<Dataset | DataArray> {
  checkOptions('loadXarray', options, LOAD_XARRAY_OPTIONS);
  const form = options.form ?? 'dataset';
  if (form !== 'dataset' && form !== 'array') throw new ToolBoxValueError(`form must be 'dataset' or 'array', got '${String(form)}'`);
  const group = normalizeGroup(options.group ?? 'data');
  const ds = await withH5File(file, 'r', (f, h5) => {
    const kind = objectKind(f, h5, group);
    if (kind !== 'group') {
      const present = listGroups(f, h5).join(', ') || '(none)';
      const what = kind === null ? 'not found in' : `is a ${kind}, not a group, in`;
      throw new ToolBoxPathError(`group '${label(group)}' ${what} ${file}; groups present: ${present}`, group);
    }
    return readGroup(f, h5, group, resolve(file));
  });
  if (form === 'dataset') return ds;

  const names = ds.dataVars;
  if (names.length !== 1) {
    throw new ToolBoxValueError(`form 'array' needs exactly one data variable, but group '${label(group)}' of ${file} has ${names.length}${names.length ? `: ${names.join(', ')}` : ''}; load it as a dataset`);
  }
  const stored = ds.attrs[DATAARRAY_NAME];
  const name = typeof stored === 'string' ? stored : names[0] === DATAARRAY_VARIABLE ? null : names[0];
  return ds.get(names[0]).with({ name });
}

/** Add attributes to the root of an HDF5 file, creating it if missing (Python: save_attributes_h5). */
export async function saveAttributesH5(file: string, data: Attrs = {}): Promise<void> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ToolBoxTypeError(`attributes must be an object of name → value, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const encoded = Object.entries(data).map(([k, v]) => {
    if (k.length === 0) throw new ToolBoxValueError(`attribute names cannot be empty (file ${file})`);
    return [k, encodeAttr(v, `attribute '${k}' of ${file}`)] as const;
  });
  const target = await resolveTarget(file);
  if (target.exists) await checkHdf5File(target.path);
  await replaceAtomically(target, target.exists, (tmp) => withH5File(tmp, target.exists ? 'a' : 'w', (f) => {
    for (const [k, a] of encoded) {
      if (k in f.attrs) f.delete_attribute(k);
      writeAttr(f, k, a);
    }
  }, file));
}
