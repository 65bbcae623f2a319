import assert from 'node:assert/strict';
import { DataArray, Dataset } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { assertValues, rng } from './reduce-helpers.js';

const T = 3, Y = 6, X = 7;

/** A (t, y, x) stack of images and the distance of each pixel from (cy, cx). */
function images(): { stackOf: DataArray; r: DataArray; values: number[] } {
  const rand = rng(11);
  const values = Array.from({ length: T * Y * X }, () => Math.round(rand() * 1000) / 8);
  values[5] = NaN;
  const stackOf = new DataArray(Float64Array.from(values), { shape: [T, Y, X], dims: ['t', 'y', 'x'], coords: { x: Array.from({ length: X }, (_, i) => i), y: Array.from({ length: Y }, (_, i) => i) } });
  const r = new DataArray(Float64Array.from({ length: Y * X }, (_, i) => Math.hypot((i % X) - 3.2, Math.floor(i / X) - 2.4)), { shape: [Y, X], dims: ['y', 'x'], name: 'r' });
  return { stackOf, r, values };
}

describe('groupby over a 2-D group (radial profile)', () => {
  it('groups over the stacked dims of the group and removes them', () => {
    const { stackOf, r } = images();
    const rbin = r.map(Math.floor).astype('int64').rename('rbin');
    const profile = stackOf.groupby(rbin).mean();
    assert.deepEqual([profile.dims, profile.shape], [['t', 'rbin'], [T, 5]]);
    assert.deepEqual(Array.from(profile.coords.rbin.values as BigInt64Array), [0n, 1n, 2n, 3n, 4n]);
    const one = stackOf.isel({ t: 1 });
    const byHand = [0, 1, 2, 3, 4].map((b) => {
      const sel = Array.from(one.values as Float64Array).filter((_, i) => Math.floor((r.values as Float64Array)[i]) === b);
      return sel.reduce((a, v) => a + v, 0) / sel.length;
    });
    assertValues(Array.from(profile.isel({ t: 1 }).values as Float64Array), byHand, 1e-12);
  });

  describe('against xarray', () => {
    before(async function () { await requirePython(this); });

    it('groupby and groupbyBins of a DataArray and a Dataset by a 2-D group', async () => {
      const { stackOf, r, values } = images();
      const rbin = r.map(Math.floor).astype('int64').rename('rbin');
      const out = await runPython<Record<string, { dims: string[]; labels: unknown[]; values: number[] }>>(String.raw`
import warnings
warnings.simplefilter('ignore')
s = json.loads(sys.argv[1])
v = np.array([np.nan if x is None else x for x in s['values']]).reshape(${T}, ${Y}, ${X})
da = xr.DataArray(v, dims=('t', 'y', 'x'), coords={'x': np.arange(${X}), 'y': np.arange(${Y})})
# our distances, so that floor() sees the same doubles (Math.hypot and np.hypot may differ in the last bit)
r = xr.DataArray(np.array(s['r']).reshape(${Y}, ${X}), dims=('y', 'x'), name='r')
rbin = np.floor(r).astype('int64').rename('rbin')
ds = xr.Dataset({'img': da}, coords={'rr': r})
def one(res, dim):
    return {'dims': list(res.dims), 'labels': [str(l) for l in res[dim].values], 'values': [x if math.isfinite(x) else None for x in res.values.ravel().tolist()]}
emit({
  'mean': one(da.groupby(rbin).mean(), 'rbin'),
  'sum': one(da.groupby(rbin).sum(), 'rbin'),
  'count': one(da.groupby(rbin).count(), 'rbin'),
  'bins': one(da.groupby_bins(r, [0, 1.5, 3, 4.5]).mean(), 'r_bins'),
  'ds': one(ds.groupby_bins('rr', 3).max()['img'], 'rr_bins'),
})
`, [JSON.stringify({ values: values.map((v) => (Number.isNaN(v) ? null : v)), r: Array.from(r.values as Float64Array) })]);
      const ds = new Dataset({ img: stackOf }, { coords: { rr: r } });
      const ours: Record<string, [DataArray, string]> = {
        mean: [stackOf.groupby(rbin).mean(), 'rbin'],
        sum: [stackOf.groupby(rbin).sum(), 'rbin'],
        count: [stackOf.groupby(rbin).count(), 'rbin'],
        bins: [stackOf.groupbyBins(r, [0, 1.5, 3, 4.5]).mean(), 'r_bins'],
        ds: [ds.groupbyBins('rr', 3).max().get('img'), 'rr_bins'],
      };
      for (const [k, [res, dim]] of Object.entries(ours)) {
        assert.deepEqual(res.dims, out[k].dims, k);
        assert.deepEqual(Array.from(res.coords[dim].values as ArrayLike<unknown>, String), out[k].labels, k);
        assertValues(Array.from(res.values as ArrayLike<number | bigint>, Number), out[k].values.map((v) => v ?? NaN), 1e-12, k);
      }
    });
  });
});
