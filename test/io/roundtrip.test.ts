import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Attrs, DataArray, Dataset, loadXarray, saveAttributesH5, saveXarray } from '../../toolbox/index.js';
import { ioTuning } from '../../toolbox/io/slabs.js';
import { JSONABLE_ATTRS, TYPED_ATTRS, assertSameArray, assertSameDataset, kitchenSink, useTmpDir } from './fixtures.js';

describe('io: save/load round trip (exact)', function () {
  const tmp = useTmpDir();

  it('keeps every dtype, shape, NaN, coordinate and attribute of a Dataset', async () => {
    const file = join(tmp.path, 'sink.h5');
    const ds = kitchenSink();
    await saveXarray(file, ds, { mode: 'w' });
    const back = await loadXarray(file);
    assertSameDataset(back, ds);
    assert.equal(back.variable('valid').dtype, 'bool');
    assert.equal(back.variable('temperature').ndim, 0);
  });

  it('keeps every JSON-able attribute value exactly, on variables and groups', async () => {
    const file = join(tmp.path, 'attrs.h5');
    const v = new DataArray(new Float64Array([1, 2]), { dims: ['x'], attrs: { ...JSONABLE_ATTRS, ...TYPED_ATTRS } });
    await saveXarray(file, new Dataset({ v }, { attrs: { ...JSONABLE_ATTRS, ...TYPED_ATTRS } }), { mode: 'w' });
    const back = await loadXarray(file);
    assert.deepStrictEqual(back.variable('v').attrs, { ...JSONABLE_ATTRS, ...TYPED_ATTRS });
    assert.deepStrictEqual(back.attrs, { ...JSONABLE_ATTRS, ...TYPED_ATTRS });
  });

  it('documents the attribute values that come back in another form', async () => {
    const file = join(tmp.path, 'lossy.h5');
    const attrs: Attrs = {
      one_f32: new Float32Array([2.5]), f64: new Float64Array([1, 2]), i64_safe: new BigInt64Array([1n, 2n]),
      neg_big: -5n, big_list: [1n, 2n],
    };
    await saveXarray(file, new Dataset({}, { attrs }), { mode: 'w' });
    const back = await loadXarray(file);
    assert.deepStrictEqual(back.attrs, {
      one_f32: 2.5, f64: [1, 2], i64_safe: [1, 2], neg_big: -5, big_list: new BigUint64Array([1n, 2n]),
    });
  });

  it('round-trips a DataArray (form "array"), named, unnamed or named like a coordinate', async () => {
    const file = join(tmp.path, 'arrays.h5');
    const coords = { trainId: new BigUint64Array([5n, 6n]) };
    const named = new DataArray(new Float32Array([1, 2, 3, 4]), { dims: ['trainId', 'x'], shape: [2, 2], coords, name: 'xgm', attrs: { units: 'uJ' } });
    const unnamed = named.with({ name: null });
    const clash = new DataArray(new BigUint64Array([5n, 6n]), { dims: ['trainId'], coords, name: 'trainId' });
    await saveXarray(file, named, { group: 'named', mode: 'w' });
    await saveXarray(file, unnamed, { group: 'unnamed' });
    await saveXarray(file, clash, { group: 'clash' });
    for (const [group, expected] of [['named', named], ['unnamed', unnamed], ['clash', clash]] as const) {
      const back = await loadXarray(file, { group, form: 'array' });
      assert.equal(back.name, expected.name, `${group}: name`);
      assertSameArray(back, expected, group);
      assertSameArray(back.coords.trainId, expected.coords.trainId, `${group}: trainId`);
    }
  });

  it('keeps several groups in one file: mode "a" adds and replaces, "w" starts over', async () => {
    const file = join(tmp.path, 'groups.h5');
    const a = new Dataset({ v: new DataArray(new Float32Array([1, 2]), { dims: ['x'] }) }, { attrs: { which: 'a' } });
    const b = new Dataset({ w: new DataArray(new Int16Array([3, 4, 5]), { dims: ['y'] }) }, { attrs: { which: 'b' } });
    const b2 = new Dataset({ z: new DataArray(['p', 'q'], { dims: ['k'] }) }, { attrs: { which: 'b2' } });
    const nested = new Dataset({ n: new DataArray(new Float64Array([9]), { dims: ['m'] }) });
    await saveXarray(file, a, { group: 'a' });
    await saveXarray(file, b, { group: 'b' });
    await saveXarray(file, nested, { group: 'b/child' });
    assertSameDataset(await loadXarray(file, { group: 'a' }), a);
    assertSameDataset(await loadXarray(file, { group: 'b' }), b);
    await saveXarray(file, b2, { group: 'b', mode: 'a' });
    assertSameDataset(await loadXarray(file, { group: 'b' }), b2);
    assertSameDataset(await loadXarray(file, { group: '/b/child/' }), nested);
    assertSameDataset(await loadXarray(file, { group: 'a' }), a);
    await saveXarray(file, b, { group: 'b', mode: 'w' });
    await assert.rejects(loadXarray(file, { group: 'a' }), /group 'a' not found/);
    assertSameDataset(await loadXarray(file, { group: 'b' }), b);
  });

  it('writes the root group (what xr.open_mfdataset reads without group=)', async () => {
    const file = join(tmp.path, 'root.h5');
    const ds = new Dataset({ v: new DataArray(new Float32Array([1, 2]), { dims: ['x'], coords: { x: new Int32Array([3, 4]) } }) });
    await saveXarray(file, ds, { group: '/', mode: 'w' });
    await saveXarray(file, ds, { group: 'data' });
    assertSameDataset(await loadXarray(file, { group: '/' }), ds);
    assertSameDataset(await loadXarray(file, { group: 'data' }), ds);
  });

  it('honours encoding._FillValue (a number, or null for none) and encoding.dtype', async () => {
    const file = join(tmp.path, 'fill.h5');
    const f = new DataArray(new Float32Array([1, NaN, 3]), { dims: ['x'], encoding: { _FillValue: -999 } });
    const none = new DataArray(new Float64Array([1, NaN]), { dims: ['y'], encoding: { _FillValue: null } });
    const packed = new DataArray(new Float64Array([1, NaN, 3]), { dims: ['x'], encoding: { dtype: 'int16', _FillValue: -1 } });
    const ints = new DataArray(new Int32Array([1, -5, 3]), { dims: ['x'], encoding: { _FillValue: -5 } });
    await saveXarray(file, new Dataset({ f, none, packed, ints }), { mode: 'w' });
    const back = await loadXarray(file);
    assert.deepStrictEqual(back.variable('f').values, new Float32Array([1, NaN, 3]));
    assert.equal(back.variable('f').encoding._FillValue, -999);
    assert.deepStrictEqual(back.variable('none').values, new Float64Array([1, NaN]));
    assert.equal('_FillValue' in back.variable('none').encoding, false);
    // as in xarray: stored int16 with a fill value reads as float32 with NaN
    assert.equal(back.variable('packed').encoding.dtype, 'int16');
    assert.deepStrictEqual(back.variable('packed').values, new Float32Array([1, NaN, 3]));
    assert.deepStrictEqual(back.variable('ints').values, new Float64Array([1, NaN, 3]));
    // saving what was loaded stores int16 again
    const again = join(tmp.path, 'fill2.h5');
    await saveXarray(again, back, { mode: 'w' });
    const twice = await loadXarray(again);
    assert.equal(twice.variable('packed').encoding.dtype, 'int16');
    assert.deepStrictEqual(twice.variable('packed').values, new Float32Array([1, NaN, 3]));
  });

  it('compresses with gzip when encoding asks (zlib / complevel), and reports the chunks', async () => {
    const file = join(tmp.path, 'gzip.h5');
    const v = new DataArray(new Float64Array(20000).map((_, i) => i % 7), { dims: ['n'], encoding: { zlib: true, complevel: 6 } });
    const c = new DataArray(new Int16Array(600).map((_, i) => i), { dims: ['a', 'b'], shape: [20, 30], encoding: { chunksizes: [5, 30] } });
    await saveXarray(file, new Dataset({ v, c }), { mode: 'w' });
    const back = await loadXarray(file);
    assert.deepStrictEqual(back.variable('v').values, v.values);
    assert.deepStrictEqual(back.variable('c').values, c.values);
    assert.deepEqual(back.variable('c').encoding.chunksizes, [5, 30]);
    assert.ok((await stat(file)).size < 20000 * 8 / 4, 'compressed');
  });

  describe('large variables (chunked, written and read in slabs)', () => {
    const saved = { ...ioTuning };
    before(() => Object.assign(ioTuning, { contiguousBytes: 1024, chunkBytes: 4096, slabBytes: 10_000 }));
    after(() => Object.assign(ioTuning, saved));

    it('round-trips 1-D to 4-D variables through many slabs and chunks', async () => {
      const file = join(tmp.path, 'big.h5');
      const n4 = 7 * 5 * 9 * 11;
      const ds = new Dataset({
        four: new DataArray(new Float32Array(n4).map((_, i) => Math.sin(i)), { dims: ['trainId', 'pulse', 'x', 'y'], shape: [7, 5, 9, 11] }),
        wide: new DataArray(new Float64Array(3 * 3000).map((_, i) => i / 3), { dims: ['a', 'b'], shape: [3, 3000] }),
        long: new DataArray(new BigUint64Array(5000).map((_, i) => BigInt(i) * 1000000007n), { dims: ['n'] }),
        flags: new DataArray(new Uint8Array(5000).map((_, i) => i % 3 === 0 ? 1 : 0), { dims: ['n'], dtype: 'bool' }),
      }, { coords: { trainId: new BigUint64Array([1n, 2n, 3n, 4n, 5n, 6n, 7n]) } });
      await saveXarray(file, ds, { mode: 'w' });
      const back = await loadXarray(file);
      assertSameDataset(back, ds);
      assert.ok(Array.isArray(back.variable('four').encoding.chunksizes), 'stored chunked');
    });
  });

  it('saveAttributesH5 adds and replaces root attributes, creating the file if needed', async () => {
    const file = join(tmp.path, 'rootattrs.h5');
    await saveAttributesH5(file, { a: 1, s: 'x' });
    await saveXarray(file, new Dataset({ v: new DataArray(new Float32Array([1]), { dims: ['x'] }) }), { group: 'data' });
    await saveAttributesH5(file, { s: 'replaced', obj: { k: [1, 2] }, flag: true });
    const root = await loadXarray(file, { group: '/' });
    assert.deepStrictEqual(root.attrs, { a: 1, s: 'replaced', obj: { k: [1, 2] }, flag: true });
    assert.deepEqual((await loadXarray(file)).dataVars, ['v']);
  });

  it('leaves no temporary files behind', async () => {
    const names = await readdir(tmp.path);
    assert.deepEqual(names.filter((n) => n.includes('.tmp-')), []);
  });
});
