/**
 * Dataset versions of the reshape operations (see reshape.ts). They work on
 * the bare variables and coordinates and rebuild the Dataset once, so
 * Dataset.fromParts checks dimension sizes a single time.
 */
import { ToolBoxValueError } from '../errors.js';
import type { CoordInput, DataArray, Dims } from './dataarray.js';
import { Dataset } from './dataset.js';
import { asList, dimNotFound, formatDims } from './common.js';
import { applySelectionsDataset } from './indexing.js';
import {
  checkCoord, checkRename, checkSwap, coordFromInput, expandSpec, insertAxes, promoteScalarCoord, renameDimsOf,
  resetNames, resolveOrder, squeezeDims, squeezeSels, transposeVariable,
} from './reshape.js';

type Vars = Map<string, DataArray>;

function parts(ds: Dataset): { vars: Vars; coords: Vars } {
  const vars: Vars = new Map(ds.dataVars.map((n) => [n, ds.variable(n)]));
  return { vars, coords: new Map(Object.entries(ds.coords)) };
}

export function assignCoordsDataset(ds: Dataset, coords: Record<string, CoordInput>): Dataset {
  const { vars, coords: cs } = parts(ds);
  const sizes = ds.sizes;
  for (const [name, input] of Object.entries(coords)) {
    const c = coordFromInput(name, input);
    // A data variable of the same name becomes this coordinate, as in xarray.
    checkCoord(name, c, sizes, 'this Dataset', true);
    vars.delete(name);
    cs.set(name, c);
  }
  return Dataset.fromParts(vars, cs, ds.attrs);
}

export function dropVarsDataset(ds: Dataset, names: Dims): Dataset {
  const { vars, coords } = parts(ds);
  for (const n of asList(names)) {
    if (!vars.delete(n) && !coords.delete(n)) {
      throw new ToolBoxValueError(`cannot drop '${n}': not a variable or coordinate of this Dataset; data variables: ${ds.dataVars.join(', ') || '(none)'}; coordinates: ${Object.keys(ds.coords).join(', ') || '(none)'}`);
    }
  }
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function renameDataset(ds: Dataset, mapping: Record<string, string>): Dataset {
  const { vars, coords } = parts(ds);
  const dims = Object.keys(ds.sizes);
  checkRename(mapping, [...new Set([...dims, ...vars.keys(), ...coords.keys()])], 'this Dataset');
  const outVars: Vars = new Map(), outCoords: Vars = new Map();
  const used = new Set<string>();
  const put = (m: Vars, n: string, v: DataArray) => {
    const nn = mapping[n] ?? n;
    if (used.has(nn)) throw new ToolBoxValueError(`rename would give this Dataset two variables named '${nn}'`);
    used.add(nn);
    m.set(nn, renameDimsOf(v, mapping));
  };
  for (const [n, c] of coords) put(outCoords, n, c);
  for (const [n, v] of vars) put(outVars, n, v);
  const newDims = dims.map((d) => mapping[d] ?? d);
  if (new Set(newDims).size !== newDims.length) throw new ToolBoxValueError(`rename would give this Dataset repeated dimensions ${formatDims(newDims)}`);
  return Dataset.fromParts(outVars, outCoords, ds.attrs);
}

export function swapDimsDataset(ds: Dataset, mapping: Record<string, string>): Dataset {
  const { vars, coords } = parts(ds);
  const dims = Object.keys(ds.sizes);
  for (const [old, nw] of Object.entries(mapping)) {
    if (!dims.includes(old)) throw dimNotFound(old, dims, 'this Dataset');
    if (dims.includes(nw) && !(nw in mapping)) {
      throw new ToolBoxValueError(`swapDims: new dimension '${nw}' already exists in this Dataset`);
    }
    checkSwap(old, nw, vars.get(nw) ?? coords.get(nw));
    // A data variable along the old dim becomes the index of the new one.
    const v = vars.get(nw);
    if (v) { vars.delete(nw); coords.set(nw, v); }
  }
  const rn = (m: Vars) => new Map([...m].map(([n, v]) => [n, renameDimsOf(v, mapping)] as [string, DataArray]));
  return Dataset.fromParts(rn(vars), rn(coords), ds.attrs);
}

export function transposeDataset(ds: Dataset, dims: string[]): Dataset {
  const all = Object.keys(ds.sizes);
  if (dims.length) {
    // Validates names, repeats and completeness against the Dataset's dims.
    resolveOrder(all, dims, 'this Dataset');
  }
  const tr = (v: DataArray) => {
    if (v.ndim < 2) return v;
    const own = dims.filter((d) => d === '...' || v.dims.includes(d));
    return transposeVariable(v, resolveOrder(v.dims, own));
  };
  const { vars, coords } = parts(ds);
  for (const [n, v] of vars) vars.set(n, tr(v));
  for (const [n, c] of coords) coords.set(n, tr(c));
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function squeezeDataset(ds: Dataset, dim: Dims | undefined, options: { drop?: boolean } = {}): Dataset {
  const dims = squeezeDims(ds.sizes, dim, 'this Dataset');
  if (!dims.length) return ds;
  return applySelectionsDataset(ds, squeezeSels(dims), options.drop ?? false);
}

export function expandDimsDataset(ds: Dataset, dim: Dims | Record<string, number>, options: { axis?: number | number[] } = {}): Dataset {
  const existing = Object.keys(ds.sizes);
  const { names, sizes } = expandSpec(dim, undefined, 0, existing);
  const { vars, coords } = parts(ds);
  // Only data variables gain the new dims (as in xarray); axis positions are per variable.
  for (const [n, v] of vars) {
    const { axes } = expandSpec(dim, options.axis, v.ndim, v.dims);
    vars.set(n, insertAxes(v, names, sizes, axes));
  }
  names.forEach((n, k) => {
    const c = promoteScalarCoord(n, sizes[k], coords.get(n));
    if (c) coords.set(n, c);
  });
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function setCoords(ds: Dataset, names: Dims): Dataset {
  const { vars, coords } = parts(ds);
  for (const n of asList(names)) {
    if (coords.has(n)) continue;
    const v = vars.get(n);
    if (!v) throw new ToolBoxValueError(`cannot make '${n}' a coordinate: no such variable; data variables: ${ds.dataVars.join(', ') || '(none)'}`);
    vars.delete(n);
    coords.set(n, v);
  }
  return Dataset.fromParts(vars, coords, ds.attrs);
}

export function resetCoordsDataset(ds: Dataset, names: Dims | undefined, options: { drop?: boolean } = {}): Dataset {
  const { vars, coords } = parts(ds);
  const list = resetNames(ds.coords, names, 'this Dataset');
  for (const n of list) {
    const c = coords.get(n) as DataArray;
    coords.delete(n);
    if (!options.drop) vars.set(n, c);
  }
  return Dataset.fromParts(vars, coords, ds.attrs);
}

