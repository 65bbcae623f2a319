/** Helpers for the reduce/groupby tests: value extraction, a seeded RNG, and Python-side data exchange. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataArray, type DType } from '../../toolbox/index.js';

export { num as nums, raw } from './ops-helpers.js';

/** Numbers equal within a relative tolerance; NaN equals NaN, infinities must match. */
export function assertValues(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 0, msg = ''): void {
  assert.equal(actual.length, expected.length, `${msg} length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e)) { assert.ok(Number.isNaN(a), `${msg} [${i}]: expected NaN, got ${a}`); continue; }
    if (!Number.isFinite(e) || rtol === 0) { assert.equal(a, e, `${msg} [${i}]: expected ${e}, got ${a}`); continue; }
    assert.ok(Math.abs(a - e) <= rtol * Math.max(1, Math.abs(e)), `${msg} [${i}]: expected ${e}, got ${a}`);
  }
}

/** mulberry32: small deterministic generator so test data is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random data of a dtype: small integers, or floats with about `nanFrac` NaN. */
export function randomArray(dtype: DType, n: number, r: () => number, nanFrac = 0.2): DataArray['values'] {
  switch (dtype) {
    case 'float64': case 'float32': {
      const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = r() < nanFrac ? NaN : Math.round((r() * 200 - 100) * 8) / 8;
      return a;
    }
    case 'bool': return Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
    case 'int64': return BigInt64Array.from({ length: n }, () => BigInt(Math.floor(r() * 2001) - 1000));
    case 'uint64': return BigUint64Array.from({ length: n }, () => BigInt(Math.floor(r() * 1000)));
    case 'int8': return Int8Array.from({ length: n }, () => Math.floor(r() * 21) - 10);
    case 'uint8': return Uint8Array.from({ length: n }, () => Math.floor(r() * 20));
    case 'int16': return Int16Array.from({ length: n }, () => Math.floor(r() * 2001) - 1000);
    case 'uint16': return Uint16Array.from({ length: n }, () => Math.floor(r() * 2000));
    case 'int32': return Int32Array.from({ length: n }, () => Math.floor(r() * 20001) - 10000);
    case 'uint32': return Uint32Array.from({ length: n }, () => Math.floor(r() * 20000));
    default: throw new Error(`no random data for ${dtype}`);
  }
}

/** JSON-safe values: NaN → null, bigint → string. */
export function jsonValues(v: DataArray['values']): unknown[] {
  return Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'bigint' ? String(x) : typeof x === 'number' && Number.isNaN(x) ? null : x));
}

const jsonDirs: string[] = [];

/** Write a JSON file for a Python snippet to read; returns its path. The folder goes when the test process ends. */
export function writeJson(name: string, data: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'scs-reduce-'));
  if (!jsonDirs.length) process.once('exit', () => { for (const d of jsonDirs) rmSync(d, { recursive: true, force: true }); });
  jsonDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

/** Python's side of `jsonValues`, for snippets. */
export const PY_LOAD = String.raw`
def load_values(vals, dtype):
    if dtype in ('float32', 'float64'):
        return np.array([np.nan if v is None else v for v in vals], dtype=dtype)
    if dtype in ('int64', 'uint64'):
        return np.array([int(v) for v in vals], dtype=dtype)
    return np.array(vals, dtype=dtype)
`;

/** Values as `describe()` in test/helpers/python.ts renders them, back to numbers. */
export function pyNumbers(vals: unknown[]): number[] {
  return vals.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : typeof v === 'boolean' ? Number(v) : Number(v)));
}
