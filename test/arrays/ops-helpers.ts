/** Small assertion helpers shared by the array tests. */
import assert from 'node:assert/strict';
import type { DataArray } from '../../toolbox/index.js';

/** Values as plain numbers (bigints converted; NaN kept). */
export function num(da: DataArray): number[] {
  return Array.from(da.values as ArrayLike<number | bigint>, Number);
}

/** Values as JS values, exactly as stored (bigints stay bigint). */
export function raw(da: DataArray): unknown[] {
  return Array.from(da.values as ArrayLike<unknown>);
}

export function coordNum(da: DataArray, name: string): number[] {
  assert.ok(name in da.coords, `coordinate '${name}' missing; have ${Object.keys(da.coords).join(', ')}`);
  return num(da.coords[name]);
}

/** Same numbers, NaN equal to NaN. */
export function assertNumbers(actual: ArrayLike<number>, expected: number[], msg?: string): void {
  assert.equal(actual.length, expected.length, msg ?? `length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${msg ?? ''} [${i}]: expected NaN, got ${a}`);
    else assert.equal(a, e, `${msg ?? ''} [${i}]: expected ${e}, got ${a}`);
  }
}

export function assertClose(actual: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}
