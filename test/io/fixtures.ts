/**
 * Datasets and attributes shared by the I/O tests: one "kitchen sink" group
 * covering every dtype, 0-d to 4-D, NaN and friends, string coordinates and
 * dimensions without coordinates; attribute sets covering every value kind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Attrs, DataArray, Dataset } from '../../toolbox/index.js';

/** Attribute values of every JSON-able kind; all must come back exactly. */
export const JSONABLE_ATTRS: Attrs = {
  s: 'text', s_empty: '', s_unicode: 'Å→β 🙂', s_json_like: '{"a": 1}', s_array_like: '[1, 2]', s_null_like: 'null', s_padded: 'pad  ',
  n_int: 42, n_neg: -7, n_max_safe: Number.MAX_SAFE_INTEGER, n_unsafe: 2 ** 60, n_float: 1.25,
  n_nan: NaN, n_inf: Infinity, n_neg_inf: -Infinity, n_neg_zero: -0,
  b_true: true, b_false: false, nul: null,
  arr_int: [1, 2, 3], arr_float: [1.5, NaN, -0, Infinity], arr_str: ['a', 'béta', ''], arr_bool: [true, false, true],
  arr_one: [5], arr_one_str: ['x'], arr_empty: [], arr_nested: [[1, 2], [3]], arr_mixed: [1, 'a', null, false],
  obj: { a: 1, b: [true, null], c: { d: 'é', e: [] } }, obj_empty: {},
};

/** Non-JSON values that also come back exactly. */
export const TYPED_ATTRS: Attrs = {
  big_pos: 2n ** 63n + 5n, big_zero: 0n, big_max: 2n ** 64n - 1n,
  f32: new Float32Array([1.5, -2, NaN]), i8: new Int8Array([1, -1]), i16: new Int16Array([-1, 2]), i32: new Int32Array([7, 8]),
  u8: new Uint8Array([0, 255]), u16: new Uint16Array([1, 65535]), u32: new Uint32Array([1, 2 ** 32 - 1]),
  u64: new BigUint64Array([1n, 2n ** 64n - 1n]), i64_unsafe: new BigInt64Array([-(2n ** 63n), 2n ** 62n]),
  empty_f32: new Float32Array(0),
};

const nan = NaN;

/** Every dtype, 0-d to 4-D, zero-length, NaN/±inf/-0, index coords of several dtypes, a string coord, dims without coords. */
export function kitchenSink(): Dataset {
  const trainId = new BigUint64Array([1000n, 1001n, 2n ** 64n - 1n]);
  const f32 = new Float32Array(3 * 2 * 2 * 3).map((_, i) => i * 0.5 - 3);
  f32[5] = nan;
  f32[6] = Infinity;
  return new Dataset({
    image: new DataArray(f32, { dims: ['trainId', 'pulse', 'x', 'y'], shape: [3, 2, 2, 3], attrs: { units: 'ADU', gain: 2.5, roi: [0, 128] } }),
    energy: new DataArray(new Float64Array([1.5, nan, -Infinity, -0, 5e-324, 1.7976931348623157e308]), { dims: ['trainId', 'pulse'], shape: [3, 2] }),
    counts: new DataArray(new Uint16Array([0, 1, 65535, 7, 8, 9]), { dims: ['trainId', 'pulse'], shape: [3, 2] }),
    cube: new DataArray(new Int32Array(3 * 2 * 2).map((_, i) => (i - 6) * 100000), { dims: ['trainId', 'pulse', 'x'], shape: [3, 2, 2] }),
    position: new DataArray(new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n]), { dims: ['trainId'] }),
    serial: new DataArray(new BigUint64Array([0n, 2n ** 64n - 1n, 12345678901234567890n]), { dims: ['trainId'] }),
    small: new DataArray(new Int8Array([-128, 127]), { dims: ['pulse'] }),
    mid: new DataArray(new Int16Array([-32768, 32767]), { dims: ['pulse'] }),
    byte: new DataArray(new Uint8Array([0, 255]), { dims: ['pulse'] }),
    word: new DataArray(new Uint32Array([0, 2 ** 32 - 1]), { dims: ['pulse'] }),
    valid: new DataArray(new Uint8Array([1, 0, 0, 1, 1, 1]), { dims: ['trainId', 'pulse'], shape: [3, 2], dtype: 'bool' }),
    comment: new DataArray(['first', 'sécond ', ''], { dims: ['trainId'] }),
    temperature: new DataArray(21.5, { attrs: { units: 'C' } }),
    total: new DataArray(new BigInt64Array([-5n]), { dims: [], shape: [] }),
    nothing: new DataArray(new Float32Array(0), { dims: ['none'] }),
    no_text: new DataArray([], { dims: ['none'], dtype: 'string' }),
  }, {
    coords: {
      trainId,
      pulse: new Float64Array([0.5, 1.5]),
      y: new Int32Array([10, 20, 30]),
      label: [['pulse'], ['p0', 'p1']],
      gate: new DataArray(new Float32Array([1, 2, 3, 4, 5, 6]), { dims: ['trainId', 'pulse'], shape: [3, 2], attrs: { units: 'V' } }),
    },
    attrs: { title: 'kitchen sink', proposal: 2719, run: 179, ok: true, meta: { who: 'scs' } },
  });
}

/** Exact equality of two DataArrays: name, dims, shape, dtype, values, attrs (not encoding). */
export function assertSameArray(actual: DataArray, expected: DataArray, what: string): void {
  assert.deepEqual([...actual.dims], [...expected.dims], `${what}: dims`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  assert.deepStrictEqual(actual.values, expected.values, `${what}: values`);
  assert.deepStrictEqual(actual.attrs, expected.attrs, `${what}: attrs`);
}

/** Exact equality of two Datasets: variables (in order), coordinates, attrs. */
export function assertSameDataset(actual: Dataset, expected: Dataset): void {
  assert.deepEqual(actual.dataVars, expected.dataVars, 'data variables (in order)');
  assert.deepEqual(Object.keys(actual.coords).sort(), Object.keys(expected.coords).sort(), 'coordinates');
  for (const n of expected.dataVars) assertSameArray(actual.variable(n), expected.variable(n), `variable ${n}`);
  for (const n of Object.keys(expected.coords)) assertSameArray(actual.coords[n], expected.coords[n], `coordinate ${n}`);
  assert.deepStrictEqual(actual.attrs, expected.attrs, 'dataset attrs');
}

/** A fresh temporary folder for a suite, removed afterwards. */
export function useTmpDir(): { path: string } {
  const dir = { path: '' };
  before(async () => {
    dir.path = await mkdtemp(join(tmpdir(), 'scs-io-'));
  });
  after(async () => {
    if (dir.path) await rm(dir.path, { recursive: true, force: true });
  });
  return dir;
}
