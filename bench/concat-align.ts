/**
 * concat + inner align of 16 DSSC-module-like Datasets along a new 'module'
 * dim, some modules missing a few trains: the step that assembles a full
 * detector image stack. Compared with xr.concat(mods, dim='module', join=...)
 * on the same shapes in Debian's python3.
 *
 * Both sides are bound by memory: copying ~1 GB into freshly allocated pages.
 * numpy asks for transparent huge pages (madvise) on large arrays, Node's
 * allocator does not, so on a machine with THP in 'madvise' mode repeated
 * runs of ours pay one page fault per 4 kB against numpy's one per 2 MB. The
 * benchmark therefore runs twice: as is, and in a child process with glibc's
 * malloc asked to use huge pages too (GLIBC_TUNABLES=glibc.malloc.hugetlb=1),
 * which is how a kernel launcher can give Node the same treatment.
 */
import { DataArray, Dataset, align, concat } from '../toolbox/index.js';
import { type BenchRow, PY_TIMER, bestOf, printRows, rerunWithHugePages, runPython, titleWithHugePages } from './harness.js';

const MODULES = 16, TRAINS = 400, PULSES = 20, X = 32, Y = 64;
const FIRST_TRAIN = 1_000_000_000;
const REPEATS = 5;

/** Trains module m lacks: none, one or three, at spread-out positions. */
function missingTrains(m: number): number[] {
  const k = m % 3 === 0 ? 0 : m % 3 === 1 ? 1 : 3;
  return Array.from({ length: k }, (_, j) => (m * 37 + j * 101) % TRAINS);
}

function makeModule(m: number): Dataset {
  const lack = new Set(missingTrains(m));
  const trains: bigint[] = [];
  for (let t = 0; t < TRAINS; t++) if (!lack.has(t)) trains.push(BigInt(FIRST_TRAIN + t));
  const per = PULSES * X * Y;
  const data = new Float32Array(trains.length * per);
  let h = m + 1;
  for (let i = 0; i < data.length; i++) { h = (Math.imul(h, 1103515245) + 12345) | 0; data[i] = (h >>> 16) / 65536; }
  const img = new DataArray(data, {
    dims: ['trainId', 'pulse', 'x', 'y'], shape: [trains.length, PULSES, X, Y], name: 'data',
    coords: { trainId: new BigUint64Array(trains), pulse: new Int32Array(Array.from({ length: PULSES }, (_, i) => i)) },
  });
  return new Dataset({ data: img }, { attrs: { module: m } });
}

const PY = `${PY_TIMER}
import numpy as np, xarray as xr
M, T, P, X, Y, T0, REPEATS = ${MODULES}, ${TRAINS}, ${PULSES}, ${X}, ${Y}, ${FIRST_TRAIN}, ${REPEATS}
def missing(m):
    k = 0 if m % 3 == 0 else 1 if m % 3 == 1 else 3
    return {(m * 37 + j * 101) % T for j in range(k)}
rng = np.random.default_rng(0)
mods = []
for m in range(M):
    lack = missing(m)
    trains = np.array([T0 + t for t in range(T) if t not in lack], dtype=np.uint64)
    data = rng.random((len(trains), P, X, Y), dtype=np.float32)
    mods.append(xr.Dataset({'data': (('trainId', 'pulse', 'x', 'y'), data)},
                           coords={'trainId': trains, 'pulse': np.arange(P, dtype=np.int32)}, attrs={'module': m}))
r = {}
t = time.perf_counter(); xr.concat(mods, dim='module', join='inner'); r['cold'] = time.perf_counter() - t
r['inner'] = best(lambda: xr.concat(mods, dim='module', join='inner'), REPEATS)
r['outer'] = best(lambda: xr.concat(mods, dim='module', join='outer'), REPEATS)
r['align'] = best(lambda: xr.align(*mods, join='inner'), REPEATS)
out = xr.concat(mods, dim='module', join='inner')
r['shape'] = 'x'.join(map(str, out.data.shape))
print(json.dumps(r))
`;

async function main(): Promise<void> {
  const mods = Array.from({ length: MODULES }, (_, m) => makeModule(m));
  const mb = (mods.reduce((s, d) => s + d.nbytes, 0) / 2 ** 20).toFixed(0);
  const cold = await bestOf(1, () => concat(mods, 'module', { join: 'inner' }), false);
  const inner = await bestOf(REPEATS, () => concat(mods, 'module', { join: 'inner' }));
  const outer = await bestOf(REPEATS, () => concat(mods, 'module', { join: 'outer' }));
  const aligned = await bestOf(REPEATS, () => align(mods, { join: 'inner' }));
  const shape = concat(mods, 'module', { join: 'inner' }).get('data').shape.join('x');
  const py = runPython(PY);
  const note = `16 modules, ${mb} MB in; result ${shape} (xarray ${py.shape})`;
  const rows: BenchRow[] = [
    { name: 'concat 16 modules, join=inner, first call', ours: cold, reference: Number(py.cold), referenceName: 'xarray', note: 'fresh memory: page faults dominate' },
    { name: 'concat 16 modules, join=inner', ours: inner, reference: Number(py.inner), referenceName: 'xarray', note },
    { name: 'concat 16 modules, join=outer (NaN fill)', ours: outer, reference: Number(py.outer), referenceName: 'xarray' },
    { name: 'align 16 modules, join=inner', ours: aligned, reference: Number(py.align), referenceName: 'xarray' },
  ];
  printRows(titleWithHugePages('concat / align of DSSC modules'), rows);
  rerunWithHugePages(__filename);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
