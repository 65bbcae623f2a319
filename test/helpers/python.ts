/**
 * Run Python snippets with Debian's python3 (numpy, xarray, h5py, h5netcdf,
 * netCDF4, dask) for interop tests. Snippets get a prelude with `describe`
 * (a Dataset as JSON, values exact: 64-bit ints as strings, non-finite floats
 * as 'nan'/'inf'/'-inf') and `emit` (print the JSON result line).
 *
 * Without those packages, interop tests are skipped with the reason printed;
 * with the environment variable CI set they fail instead, since CI must
 * prove interop.
 */
import { execFile } from 'node:child_process';
import type { Context } from 'mocha';
import type { DataArray } from '../../toolbox/index.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';

const PRELUDE = String.raw`
import json, math, sys
import numpy as np
import xarray as xr

def _vals(a):
    a = np.asarray(a)
    if a.dtype.kind == 'f':
        return [x if math.isfinite(x) else repr(x) for x in a.ravel().tolist()]
    if a.dtype.kind in 'iu':
        return [str(x) for x in a.ravel().tolist()]
    if a.dtype.kind == 'b':
        return a.ravel().tolist()
    if a.dtype.kind == 'S':
        return [x.decode() for x in a.ravel().tolist()]
    return [str(x) for x in a.ravel().tolist()]

def _attr(v):
    if isinstance(v, (bool, np.bool_)):
        return {'type': 'bool', 'value': bool(v)}
    if isinstance(v, str):
        return {'type': 'str', 'value': v}
    if isinstance(v, bytes):
        return {'type': 'bytes', 'value': v.decode()}
    if isinstance(v, np.ndarray):
        return {'type': 'ndarray', 'dtype': str(v.dtype), 'value': _vals(v)}
    if isinstance(v, (list, tuple)):
        return {'type': 'list', 'value': [_attr(x)['value'] for x in v]}
    if isinstance(v, (np.integer, int)):
        return {'type': 'int', 'dtype': str(np.asarray(v).dtype), 'value': str(v)}
    if isinstance(v, (np.floating, float)):
        return {'type': 'float', 'dtype': str(np.asarray(v).dtype), 'value': _vals(v)[0]}
    return {'type': type(v).__name__, 'value': str(v)}

def _var(v):
    return {'dims': list(v.dims), 'shape': list(v.shape), 'dtype': str(v.dtype),
            'values': _vals(v.values), 'attrs': {k: _attr(x) for k, x in v.attrs.items()}}

def describe(ds):
    return {'data_vars': {k: _var(v) for k, v in ds.data_vars.items()},
            'coords': {k: _var(v) for k, v in ds.coords.items()},
            'attrs': {k: _attr(x) for k, x in ds.attrs.items()},
            'sizes': {k: int(v) for k, v in ds.sizes.items()}}

def emit(x):
    print(json.dumps(x))
`;

export interface PyAttr { type: string; dtype?: string; value: unknown }
export interface PyVariable { dims: string[]; shape: number[]; dtype: string; values: unknown[]; attrs: Record<string, PyAttr> }
export interface PyDataset {
  data_vars: Record<string, PyVariable>;
  coords: Record<string, PyVariable>;
  attrs: Record<string, PyAttr>;
  sizes: Record<string, number>;
}

function run(args: string[], timeoutMs = 300_000, env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(SYSTEM_PYTHON, args, { maxBuffer: 512 << 20, timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

let status: Promise<string | null> | undefined;

/** null when the Python peers are usable, else why not. */
export function pythonProblem(): Promise<string | null> {
  status ??= run(['-c', 'import numpy, h5py, xarray, h5netcdf, netCDF4, dask'], 60_000)
    .then(() => null)
    .catch((err: NodeJS.ErrnoException & { stderr?: string }) => (err.code === 'ENOENT'
      ? `${SYSTEM_PYTHON} not found`
      : `${SYSTEM_PYTHON} lacks a package: ${(err.stderr ?? err.message).trim().split('\n').pop()}`));
  return status;
}

/** Call from a before() hook: skip the suite (or fail under CI) when Python cannot be used. */
export async function requirePython(ctx: Context): Promise<void> {
  const problem = await pythonProblem();
  if (!problem) return;
  if (process.env.CI) {
    throw new Error(`Python interop peers are required when CI is set, but ${problem}; run scripts/install-test-deps.sh`);
  }
  console.log(`      (skipping Python interop tests: ${problem}; run scripts/install-test-deps.sh)`);
  ctx.skip();
}

/**
 * Run a snippet (with the prelude); `sys.argv[1:]` are `args`, `env` is added to this process's
 * environment. Returns the JSON of its last output line.
 */
export async function runPython<T = unknown>(script: string, args: string[] = [], env?: NodeJS.ProcessEnv): Promise<T> {
  let out: { stdout: string };
  try {
    out = await run(['-c', PRELUDE + script, ...args], 300_000, env);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`python failed: ${(e.stderr ?? '').trim() || e.message}`, { cause: err });
  }
  const lines = out.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** Our values in `describe`'s form, for comparing with what Python saw. */
export function pyValues(da: DataArray): unknown[] {
  const out: unknown[] = [];
  for (const v of Array.from(da.values as ArrayLike<number | bigint | string>)) {
    if (da.dtype === 'bool') out.push(v === 1);
    else if (typeof v === 'bigint' || da.dtype.includes('int')) out.push(String(v));
    else if (typeof v === 'number' && !Number.isFinite(v)) out.push(Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
    else out.push(v);
  }
  return out;
}

/** numpy's name for our dtype. */
export function numpyDtype(da: DataArray): string {
  return da.dtype === 'string' ? 'object' : da.dtype;
}
