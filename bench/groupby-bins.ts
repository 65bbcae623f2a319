/**
 * groupby_bins sum of 1e7 float32 values into 100 bins of a float32
 * coordinate, the binning step of e.g. an energy or delay scan. Both sides
 * read the same data (written once to a temporary file): ours vs
 * `ds.groupby_bins('x', edges).sum()` in Debian's xarray (no flox: it takes
 * the per-group path) and vs plain numpy (digitize + bincount with weights).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset } from '../toolbox/index.js';
import { type BenchRow, PY_TIMER, bestOf, printRows, runPython } from './harness.js';

const N = 10_000_000, BINS = 100;
const REPEATS = 5;

function makeData(): { x: Float32Array; v: Float32Array } {
  const x = new Float32Array(N), v = new Float32Array(N);
  let h = 12345;
  for (let i = 0; i < N; i++) {
    h = (Math.imul(h, 1103515245) + 12345) | 0;
    x[i] = (h >>> 8) / 16777216;
    h = (Math.imul(h, 1103515245) + 12345) | 0;
    v[i] = (h >>> 8) / 16777216;
  }
  return { x, v };
}

const PY = `${PY_TIMER}
import sys, numpy as np, xarray as xr
x = np.fromfile(sys.argv[1], dtype=np.float32)
v = np.fromfile(sys.argv[2], dtype=np.float32)
edges = np.linspace(0, 1, ${BINS + 1})
ds = xr.Dataset({'v': ('t', v)}, coords={'x': ('t', x)})
r = {}
res = ds.groupby_bins('x', edges).sum()
r['check'] = float(res.v.values.astype(np.float64).sum())
r['first'] = float(res.v.values[0])
def np_sum():
    idx = np.digitize(x, edges, right=True)
    return np.bincount(idx, weights=v, minlength=${BINS + 2})[1:${BINS + 1}]
def np_mean():
    idx = np.digitize(x, edges, right=True)
    return np.bincount(idx, weights=v, minlength=${BINS + 2})[1:${BINS + 1}] / np.bincount(idx, minlength=${BINS + 2})[1:${BINS + 1}]
r['numpy_sum'] = best(np_sum, ${REPEATS})
r['numpy_mean'] = best(np_mean, ${REPEATS})
# xarray takes tens of seconds per call here: one timed run.
r['xarray_sum'] = best(lambda: ds.groupby_bins('x', edges).sum(), 1, warmup=False)
print(json.dumps(r))
`;

async function main(): Promise<void> {
  const { x, v } = makeData();
  const ds = new Dataset({ v: ['t', v] }, { coords: { x: ['t', x] } });
  const edges = Float64Array.from({ length: BINS + 1 }, (_, i) => i / BINS);
  const sum = await bestOf(REPEATS, () => ds.groupbyBins('x', edges).sum());
  const mean = await bestOf(REPEATS, () => ds.groupbyBins('x', edges).mean());
  const ours = ds.groupbyBins('x', edges).sum().get('v');
  const dir = mkdtempSync(join(tmpdir(), 'scs-bench-'));
  let py: Record<string, number | string>;
  try {
    const xf = join(dir, 'x.f32'), vf = join(dir, 'v.f32');
    writeFileSync(xf, x);
    writeFileSync(vf, v);
    py = runPython(PY, [xf, vf]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let check = 0;
  for (const s of ours.values as Float32Array) check += s;
  const note = `1e7 float32 into ${BINS} bins; totals ${check.toFixed(0)} vs ${Number(py.check).toFixed(0)}, bin 0 ${(ours.values[0] as number).toFixed(2)} vs ${Number(py.first).toFixed(2)}`;
  const rows: BenchRow[] = [
    { name: 'groupbyBins(x, edges).sum()', ours: sum, reference: Number(py.xarray_sum), referenceName: 'xarray', note },
    { name: 'groupbyBins(x, edges).sum()', ours: sum, reference: Number(py.numpy_sum), referenceName: 'numpy digitize+bincount' },
    { name: 'groupbyBins(x, edges).mean()', ours: mean, reference: Number(py.numpy_mean), referenceName: 'numpy digitize+bincount×2' },
  ];
  printRows('groupby_bins of 1e7 float32 values', rows);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
