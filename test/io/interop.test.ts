/**
 * Interop with Python xarray in both directions and with both of its HDF5
 * engines (h5netcdf, netcdf4/netCDF-C), using Debian's python3.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type AttrValue, type Attrs, DataArray, Dataset, ToolBoxTypeError, loadXarray, saveXarray } from '../../toolbox/index.js';
import { type PyAttr, type PyDataset, type PyVariable, numpyDtype, pyValues, requirePython, runPython } from '../helpers/python.js';
import { JSONABLE_ATTRS, TYPED_ATTRS, assertSameDataset, kitchenSink, useTmpDir } from './fixtures.js';

const ENGINES = ['h5netcdf', 'netcdf4'] as const;

const PY_DESCRIBE_GROUPS = `
f, eng = sys.argv[1], sys.argv[2]
emit({g: describe(xr.load_dataset(f, engine=eng, group=g)) for g in sys.argv[3:]})
`;

function pyNumber(v: number): unknown {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

const NUMPY: Record<string, string> = {
  Float32Array: 'float32', Float64Array: 'float64', Int8Array: 'int8', Int16Array: 'int16', Int32Array: 'int32', BigInt64Array: 'int64',
  Uint8Array: 'uint8', Uint16Array: 'uint16', Uint32Array: 'uint32', BigUint64Array: 'uint64',
};

/** What xarray should show for an attribute we wrote (the table in toolbox/io/attrs.ts). */
function expectedPyAttr(v: AttrValue): PyAttr | 'json' {
  if (typeof v === 'string') return { type: 'str', value: v };
  if (typeof v === 'boolean') return { type: 'int', dtype: 'int8', value: v ? '1' : '0' };
  if (typeof v === 'bigint') return { type: 'int', dtype: v >= 0n ? 'uint64' : 'int64', value: String(v) };
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) && !Object.is(v, -0)
      ? { type: 'int', dtype: 'int64', value: String(v) }
      : { type: 'float', dtype: 'float64', value: pyNumber(v) };
  }
  if (ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<number | bigint>);
    return { type: 'ndarray', dtype: NUMPY[v.constructor.name], value: arr.map((x) => (typeof x === 'bigint' || !v.constructor.name.startsWith('Float') ? String(x) : pyNumber(x))) };
  }
  if (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string')) return { type: 'list', value: v };
  if (Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'number')) {
    const ints = (v as number[]).every((x) => Number.isSafeInteger(x) && !Object.is(x, -0));
    return { type: 'ndarray', dtype: ints ? 'int64' : 'float64', value: (v as number[]).map((x) => (ints ? String(x) : pyNumber(x))) };
  }
  return 'json';
}

function checkPyAttrs(actual: Record<string, PyAttr>, expected: Attrs, what: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: attribute names`);
  for (const [k, v] of Object.entries(expected)) {
    const want = expectedPyAttr(v);
    if (want === 'json') {
      assert.equal(actual[k].type, 'str', `${what}.${k}: JSON text`);
      assert.deepStrictEqual(JSON.parse(actual[k].value as string), v, `${what}.${k}: JSON value`);
    } else {
      assert.deepStrictEqual(actual[k], want, `${what}.${k}`);
    }
  }
}

function checkPyVariable(actual: PyVariable, expected: DataArray, what: string): void {
  assert.deepEqual(actual.dims, [...expected.dims], `${what}: dims`);
  assert.deepEqual(actual.shape, [...expected.shape], `${what}: shape`);
  assert.equal(actual.dtype, numpyDtype(expected), `${what}: dtype`);
  assert.deepStrictEqual(actual.values, pyValues(expected), `${what}: values`);
}

/** Our dataset against xarray's description of the same group. */
function checkAgainstPython(ours: Dataset, py: PyDataset, what: string, expectedAttrs?: (name: string) => Attrs | undefined): void {
  assert.deepEqual(ours.dataVars, Object.keys(py.data_vars), `${what}: data variables`);
  assert.deepEqual(Object.keys(ours.coords).sort(), Object.keys(py.coords).sort(), `${what}: coordinates`);
  const pyDtype = (d: string) => (d === 'object' || /^\|S|^<U/.test(d) ? 'string' : d);
  for (const [name, pv] of [...Object.entries(py.data_vars), ...Object.entries(py.coords)]) {
    const v = ours.variable(name);
    assert.deepEqual([...v.dims], pv.dims, `${what}.${name}: dims`);
    assert.equal(v.dtype, pyDtype(pv.dtype), `${what}.${name}: dtype`);
    assert.deepStrictEqual(pyValues(v), pv.values, `${what}.${name}: values`);
    const attrs = expectedAttrs?.(name);
    if (attrs) assert.deepStrictEqual(v.attrs, attrs, `${what}.${name}: attrs`);
  }
}

describe('io interop with Python xarray', function () {
  this.timeout(300_000);
  const tmp = useTmpDir();
  before(async function () {
    await requirePython(this);
  });

  describe('files written here, opened by xarray', () => {
    let file = '';
    const sink = kitchenSink();
    const allAttrs = { ...JSONABLE_ATTRS, ...TYPED_ATTRS };
    delete allAttrs.arr_one; // 1-element arrays are scalars to netCDF; covered by the round-trip tests
    const attrsGroup = new Dataset({ v: new DataArray(new Float64Array([1, 2]), { dims: ['x'], attrs: allAttrs }) }, { attrs: allAttrs });
    const nonCoord = new Dataset(
      { v: new DataArray(new Float64Array([0, 1, 2]), { dims: ['x'] }) },
      { coords: { x: new DataArray(new Float64Array([1, 2]), { dims: ['y'] }) } },
    );
    before(async () => {
      file = join(tmp.path, 'ours.h5');
      await saveXarray(file, sink, { group: 'data', mode: 'w' });
      await saveXarray(file, attrsGroup, { group: 'attrs' });
      await saveXarray(file, nonCoord, { group: 'deep/noncoord' });
    });

    for (const engine of ENGINES) {
      it(`engine=${engine}: every dtype, 0-d to 4-D, NaN, coords and attrs`, async () => {
        const py = await runPython<Record<string, PyDataset>>(PY_DESCRIBE_GROUPS, [file, engine, 'data', 'attrs', 'deep/noncoord']);
        const d = py.data;
        assert.deepEqual(Object.keys(d.data_vars), sink.dataVars, 'data variables in order');
        assert.deepEqual(Object.keys(d.coords).sort(), Object.keys(sink.coords).sort(), 'coordinates');
        for (const n of sink.dataVars) checkPyVariable(d.data_vars[n], sink.variable(n), n);
        for (const n of Object.keys(sink.coords)) checkPyVariable(d.coords[n], sink.coords[n], n);
        checkPyAttrs(d.attrs, sink.attrs, 'dataset');
        checkPyAttrs(d.data_vars.image.attrs, sink.variable('image').attrs, 'image');
        assert.deepEqual(d.sizes, { trainId: 3, pulse: 2, x: 2, y: 3, none: 0 });
        checkPyAttrs(py.attrs.data_vars.v.attrs, allAttrs, 'v');
        checkPyAttrs(py.attrs.attrs, allAttrs, 'attrs group');
        checkPyVariable(py['deep/noncoord'].coords.x, nonCoord.variable('x'), 'non-index x');
        checkPyVariable(py['deep/noncoord'].data_vars.v, nonCoord.variable('v'), 'v along x');
      });
    }

    it('reads back here what it wrote, including a variable named like another dimension', async () => {
      assertSameDataset(await loadXarray(file, { group: 'deep/noncoord' }), nonCoord);
    });
  });

  describe('files written by xarray, loaded here', () => {
    const WRITE = `
f, eng = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
img = rng.random((3, 2, 4, 5), dtype=np.float32)
img[0, 0, 0, 0] = np.nan
ds = xr.Dataset(
    {
        'img': (('trainId', 'pulse', 'x', 'y'), img, {'units': 'ADU'}),
        'e': (('trainId',), np.array([1.5, np.nan, -np.inf])),
        'u16': (('trainId', 'pulse'), np.arange(6, dtype=np.uint16).reshape(3, 2)),
        'i64': (('trainId',), np.array([-2**63, 0, 2**62], dtype=np.int64)),
        'u64': (('pulse',), np.array([2**64 - 1, 5], dtype=np.uint64)),
        'flag': (('pulse',), np.array([True, False])),
        'packed': (('trainId',), np.array([1.0, np.nan, 3.5])),
        'masked': (('trainId',), np.array([1, -1, 3], dtype=np.int32)),
        'chars': (('pulse',), np.array([b'ab', b'c'])),
        'text': (('trainId',), np.array(['x', 'yy ', 'zzé'], dtype=object)),
        'scalar': ((), 4.25),
        'x': (('z',), np.array([7.0, 8.0])),
    },
    coords={'trainId': np.array([10, 11, 12], dtype=np.uint64), 'pulse': [0.5, 1.5],
            'label': ('pulse', ['a', 'b']), 'aux2d': (('trainId', 'pulse'), np.ones((3, 2), dtype=np.float32))},
    attrs={'s': 'text', 'i': 5, 'f': 2.5, 'ilist': [1, 2, 3], 'flist': [0.5, 1.5], 'slist': ['a', 'b'],
           'f32': np.array([1.5, 2.5], dtype=np.float32), 'u64': np.uint64(2**63 + 1), 'i8': np.int8(-3), 'one': [7]},
)
ds.packed.encoding.update({'dtype': 'int16', 'scale_factor': 0.5, 'add_offset': 10.0, '_FillValue': -999})
ds.masked.encoding.update({'_FillValue': -1})
ds.to_netcdf(f, engine=eng, group='data', mode='w')
if eng == 'h5netcdf':
    import h5py
    with h5py.File(f, 'a') as h:
        h['data'].attrs['py_bool'] = np.True_
        h['data'].attrs['py_bools'] = np.array([True, False])
emit(describe(xr.load_dataset(f, engine=eng, group='data')))
`;
    for (const engine of ENGINES) {
      it(`engine=${engine}: values, dims, coords, CF decoding and attrs match xarray's own reading`, async () => {
        const file = join(tmp.path, `py-${engine}.h5`);
        const py = await runPython<PyDataset>(WRITE, [file, engine]);
        const ours = await loadXarray(file);
        checkAgainstPython(ours, py, engine, (n) => (n === 'img' ? { units: 'ADU' } : undefined));
        assert.equal(ours.variable('flag').dtype, 'bool');
        // int16 → masked to float32 → unpacked in float32, as xarray's coders do
        assert.equal(ours.variable('packed').dtype, 'float32');
        assert.deepStrictEqual(ours.variable('packed').values, new Float32Array([1, NaN, 3.5]));
        assert.equal(ours.variable('packed').encoding.scale_factor, 0.5);
        assert.deepStrictEqual(ours.variable('masked').values, new Float64Array([1, NaN, 3]));
        assert.deepStrictEqual(ours.variable('chars').values, ['ab', 'c']);
        assert.deepStrictEqual(ours.variable('text').values, ['x', 'yy ', 'zzé']);
        assert.deepEqual(Object.keys(ours.coords).sort(), ['aux2d', 'label', 'pulse', 'trainId', 'x']);
        const expected: Attrs = {
          s: 'text', i: 5, f: 2.5, ilist: [1, 2, 3], flist: [0.5, 1.5], slist: ['a', 'b'],
          f32: new Float32Array([1.5, 2.5]), u64: 2n ** 63n + 1n, i8: -3, one: 7,
        };
        if (engine === 'h5netcdf') Object.assign(expected, { py_bool: true, py_bools: [true, false] });
        assert.deepStrictEqual(ours.attrs, expected);
      });
    }

    it('reads plain h5py files (phony dims, dims from _Netcdf4Coordinates) and names the variable it cannot read', async () => {
      const file = join(tmp.path, 'plain.h5');
      await runPython(`
import h5py
with h5py.File(sys.argv[1], 'w') as h:
    g = h.create_group('data')
    g['a'] = np.arange(6.0).reshape(2, 3)
    g['b'] = np.arange(3, dtype=np.int32)
    g['sq'] = np.zeros((2, 2))
    h.create_group('bad')['rec'] = np.zeros(2, dtype=[('a', 'i4'), ('b', 'f8')])
    ids = h.create_group('ids')
    for name, n, i in [('a', 2, 7), ('b', 3, 8)]:
        ids[name] = np.arange(n, dtype=np.float64)
        ids[name].make_scale(name)
        ids[name].attrs['_Netcdf4Dimid'] = np.int32(i)
    ids['v'] = np.arange(6.0).reshape(3, 2)
    ids['v'].attrs['_Netcdf4Coordinates'] = np.array([8, 7], dtype=np.int32)
emit(True)
`, [file]);
      const byIds = await loadXarray(file, { group: 'ids' });
      assert.deepEqual([...byIds.variable('v').dims], ['b', 'a'], 'dims from _Netcdf4Coordinates without DIMENSION_LIST');
      assert.deepEqual(Object.keys(byIds.coords).sort(), ['a', 'b']);
      const ds = await loadXarray(file);
      assert.deepEqual([...ds.variable('a').dims], ['phony_dim_0', 'phony_dim_1']);
      assert.deepEqual([...ds.variable('b').dims], ['phony_dim_1']);
      assert.deepEqual([...ds.variable('sq').dims], ['phony_dim_0', 'phony_dim_2']);
      await assert.rejects(loadXarray(file, { group: 'bad' }), (err: unknown) => (
        err instanceof ToolBoxTypeError && /variable 'rec' in group '\/bad' of .*plain\.h5 has HDF5 type compound/.test(err.message)));
    });
  });

  describe('several groups in one file, written by both sides', () => {
    const ours = new Dataset({ w: new DataArray(new Int16Array([1, 2, 3]), { dims: ['k'], attrs: { who: 'ts' } }) },
      { coords: { k: new Float32Array([0.1, 0.2, 0.3]) }, attrs: { side: 'typescript' } });
    const replacement = new Dataset({ r: new DataArray(['p', 'q'], { dims: ['m'] }) }, { attrs: { side: 'replaced' } });
    for (const engine of ENGINES) {
      it(`xarray (${engine}) group + our group + our replacement + xarray appending: all readable by both`, async () => {
        const file = join(tmp.path, `mixed-${engine}.h5`);
        await runPython(`
f, eng = sys.argv[1], sys.argv[2]
xr.Dataset({'v': (('t', 'c'), np.arange(6.0).reshape(3, 2))}, coords={'t': [1, 2, 3]}, attrs={'side': 'python'}).to_netcdf(f, engine=eng, group='py', mode='w')
emit(True)
`, [file, engine]);
        await saveXarray(file, ours, { group: 'ts' });
        const check = async (groups: string[]) => {
          for (const e of ENGINES) {
            const py = await runPython<Record<string, PyDataset>>(PY_DESCRIBE_GROUPS, [file, e, ...groups]);
            for (const g of groups) checkAgainstPython(await loadXarray(file, { group: g }), py[g], `${g} via ${e}`);
          }
        };
        await check(['py', 'ts']);
        assertSameDataset(await loadXarray(file, { group: 'ts' }), ours);
        await saveXarray(file, replacement, { group: 'py' });
        await check(['py', 'ts']);
        assertSameDataset(await loadXarray(file, { group: 'py' }), replacement);
        assertSameDataset(await loadXarray(file, { group: 'ts' }), ours);
        await runPython(`
f, eng = sys.argv[1], sys.argv[2]
xr.Dataset({'late': (('t',), np.array([5, 6], dtype=np.uint8))}).to_netcdf(f, engine=eng, group='py2', mode='a')
emit(True)
`, [file, engine]);
        await check(['py', 'ts', 'py2']);
        assert.deepStrictEqual((await loadXarray(file, { group: 'py2' })).variable('late').values, new Uint8Array([5, 6]));
      });
    }
  });
});
