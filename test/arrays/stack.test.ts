import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxValueError } from '../../toolbox/index.js';
import { type PyDataset, numpyDtype, pyValues, requirePython, runPython } from '../helpers/python.js';

/** (x, y, t) floats with an index on x and y and a non-index coordinate on x. */
function cube(): DataArray {
  return new DataArray(Float64Array.from({ length: 12 }, (_, i) => i), {
    shape: [2, 3, 2], dims: ['x', 'y', 't'], coords: { x: [10, 20], y: ['c', 'a', 'b'], lab: [['x'], [1, 2]] }, name: 'v',
  });
}

const PY_CUBE = String.raw`
import warnings
warnings.simplefilter('ignore')
da = xr.DataArray(np.arange(12.).reshape(2, 3, 2), dims=('x', 'y', 't'), coords={'x': [10, 20], 'y': ['c', 'a', 'b'], 'lab': (('x',), [1, 2])}, name='v')
`;

function variables(o: DataArray | Dataset): Record<string, { dims: readonly string[]; dtype: string; values: unknown[] }> {
  const out: Record<string, { dims: readonly string[]; dtype: string; values: unknown[] }> = {};
  const all = o instanceof DataArray ? { ...o.coords, [o.name ?? 'v']: o } : o.variables;
  for (const [n, v] of Object.entries(all)) out[n] = { dims: v.dims, dtype: numpyDtype(v), values: pyValues(v) };
  return out;
}

function pyVariables(d: PyDataset, drop: string[] = []): Record<string, { dims: readonly string[]; dtype: string; values: unknown[] }> {
  const out: Record<string, { dims: readonly string[]; dtype: string; values: unknown[] }> = {};
  for (const [n, v] of Object.entries({ ...d.coords, ...d.data_vars })) {
    if (drop.includes(n)) continue;
    out[n] = { dims: v.dims, dtype: v.dtype.startsWith('<U') ? 'object' : v.dtype, values: v.values };
  }
  return out;
}

describe('stack and unstack', () => {
  it('stack merges dims in C order with a level coordinate per dim; unstack restores them', () => {
    const s = cube().stack({ z: ['y', 'x'] });
    assert.deepEqual([s.dims, s.shape], [['t', 'z'], [2, 6]]);
    assert.deepEqual(Array.from(s.values as Float64Array), [0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]);
    assert.deepEqual(s.coords.y.values, ['c', 'c', 'a', 'a', 'b', 'b']);
    const u = s.unstack('z');
    assert.deepEqual([u.dims, u.shape], [['t', 'y', 'x'], [2, 3, 2]]);
    assert.deepEqual(Array.from(u.transpose('x', 'y', 't').values as Float64Array), Array.from(cube().values as Float64Array));
    assert.deepEqual(u.coords.y.values, ['c', 'a', 'b']);
  });

  it('names unknown dims, clashes and arrays that were not stacked', () => {
    assert.throws(() => cube().stack({ z: ['y', 'q'] }), (e: Error) => e instanceof ToolBoxValueError && e.message === "DataArray.stack: dimension 'q' not found; dims are (x, y, t)");
    assert.throws(() => cube().stack({ t: ['y', 'x'] }), /DataArray.stack: 't' already exists as a dimension or coordinate/);
    assert.throws(() => cube().unstack('x'), /DataArray.unstack: dimension 'x' has no MultiIndex levels/);
    const dup = new DataArray([1, 2], { dims: ['z'], coords: { a: ['z', [1, 1]] } }).stack({ w: ['z'] }).isel({ w: [0, 0] });
    assert.throws(() => dup.unstack(), /repeat a combination/);
  });

  describe('against xarray', () => {
    before(async function () { await requirePython(this); });

    it('DataArray: stack, unstack, and unstack of a subset (missing combinations NaN)', async () => {
      const out = await runPython<{ s: PyDataset; u: PyDataset; sub: PyDataset; noidx: PyDataset }>(PY_CUBE + String.raw`
s = da.stack(z=('y', 'x'))
noidx = xr.DataArray(np.arange(6).reshape(2, 3), dims=('a', 'b'), name='v').stack(z=['a', 'b'])
emit({'s': describe(s.to_dataset()), 'u': describe(s.unstack('z').to_dataset()), 'sub': describe(s.isel(z=[0, 3, 4]).unstack().to_dataset()),
      'noidx': describe(noidx.to_dataset())})
`);
      const s = cube().stack({ z: ['y', 'x'] });
      assert.deepEqual(variables(s), pyVariables(out.s, ['z']));
      assert.deepEqual(variables(s.unstack('z')), pyVariables(out.u));
      assert.deepEqual(variables(s.isel({ z: [0, 3, 4] }).unstack()), pyVariables(out.sub));
      const noidx = new DataArray(new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n]), { shape: [2, 3], dims: ['a', 'b'], name: 'v' }).stack({ z: ['a', 'b'] });
      assert.deepEqual(variables(noidx), pyVariables(out.noidx, ['z']));
    });

    it('Dataset: variables with some of the stacked dims are broadcast; unstack round-trips', async () => {
      const out = await runPython<{ s: PyDataset; u: PyDataset }>(PY_CUBE + String.raw`
ds = xr.Dataset({'v': da, 'w': ('t', [1, 2]), 'q': ('y', [0.5, 1.5, 2.5])})
s = ds.stack(z=['x', 'y'])
emit({'s': describe(s), 'u': describe(s.unstack())})
`);
      const ds = new Dataset({ v: cube(), w: ['t', new BigInt64Array([1n, 2n])], q: ['y', [0.5, 1.5, 2.5]] });
      const s = ds.stack({ z: ['x', 'y'] });
      assert.deepEqual(variables(s), pyVariables(out.s, ['z']));
      const u = s.unstack();
      const ours = variables(u), ref = pyVariables(out.u);
      // xarray transposes nothing back either: same dims, dtypes and values per variable.
      assert.deepEqual(ours, ref);
    });
  });
});
