/**
 * An independent look at run files: Debian's h5py reads them (no h5wasm
 * involved) and reports layout, index and metadata; the checks of INDEX
 * arithmetic here follow docs/run-format.md, INDEX and Reader rules, not our writer.
 */
import assert from 'node:assert/strict';
import { runPython } from '../helpers/python.js';

export interface PyDatasetInfo { shape: number[]; dtype: string; maxshape: number[] | null; chunks: number[] | null }
export interface PyFileInfo {
  path: string;
  sourcesInDataSources: boolean;
  sources: { dataSourceId: string[]; root: string[]; deviceId: string[] };
  metadata: Record<string, string | number>;
  trainId: string[];
  flag: number[] | null;
  timestamp: string[] | null;
  origin: number[] | null;
  datasets: Record<string, PyDatasetInfo>;
  /** INDEX path → its datasets (first/count or first/last/status) as decimal strings. */
  index: Record<string, Record<string, string[]>>;
}

const INSPECT = String.raw`
import h5py
def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)
res = []
for path in sys.argv[1:]:
    with h5py.File(path, 'r') as f:
        meta = f['METADATA']
        in_ds = 'dataSources' in meta
        loc = meta['dataSources'] if in_ds else meta
        r = {'path': path, 'sourcesInDataSources': in_ds,
             'sources': {k: [s(x) for x in loc[k][()]] for k in ('dataSourceId', 'root', 'deviceId')}}
        md = {}
        for k, v in meta.items():
            if isinstance(v, h5py.Dataset) and k not in ('dataSourceId', 'root', 'deviceId'):
                md[k] = s(v[0]) if h5py.check_string_dtype(v.dtype) else int(v[0])
        r['metadata'] = md
        ix = f['INDEX']
        r['trainId'] = [str(x) for x in ix['trainId'][()].tolist()]
        r['flag'] = ix['flag'][()].tolist() if 'flag' in ix else None
        r['timestamp'] = [str(x) for x in ix['timestamp'][()].tolist()] if 'timestamp' in ix else None
        r['origin'] = ix['origin'][()].tolist() if 'origin' in ix else None
        dsets = {}
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                dt = 'str' if h5py.check_string_dtype(obj.dtype) else obj.dtype.str
                dsets[name] = {'shape': list(obj.shape), 'dtype': dt,
                               'maxshape': None if obj.maxshape is None else [-1 if m is None else m for m in obj.maxshape],
                               'chunks': list(obj.chunks) if obj.chunks else None}
        f.visititems(visit)
        r['datasets'] = dsets
        index = {}
        for sid in r['sources']['dataSourceId']:
            if not sid:
                continue
            p = 'INDEX/' + sid.split('/', 1)[1]
            if p not in f:
                continue  # listed without data (e.g. Karabo_TimerServer in 1.1); checkIndexArithmetic reports real sources
            index[p] = {k: [str(x) for x in v[()].tolist()] for k, v in f[p].items() if isinstance(v, h5py.Dataset)}
        r['index'] = index
        res.append(r)
emit(res)
`;

export function inspectFiles(paths: string[]): Promise<PyFileInfo[]> {
  return runPython<PyFileInfo[]>(INSPECT, paths);
}

/** Per-train counts of an INDEX entry in either style, for the file's real (non-zero) trains. */
export function countsOf(info: PyFileInfo, indexPath: string): number[] {
  const e = info.index[indexPath];
  assert.ok(e, `${info.path}: no ${indexPath}`);
  const n = info.trainId.filter((t) => t !== '0').length;
  const first = e.first.slice(0, n).map(Number);
  if (e.count) return e.count.slice(0, n).map(Number);
  return first.map((f, i) => (Number(e.last[i]) - f + 1) * Number(e.status[i]));
}

/**
 * The rules every file must satisfy: real train IDs ascend and are followed
 * only by zero padding; per source, first/count are as long as the real
 * trains, contiguous from 0, and their sum is the length of every dataset of
 * the source (CONTROL value/timestamp, all INSTRUMENT keys of the group).
 */
export function checkIndexArithmetic(info: PyFileInfo): void {
  const real = info.trainId.filter((t) => t !== '0').map(BigInt);
  assert.ok(info.trainId.slice(0, real.length).every((t) => t !== '0'), `${info.path}: zero train ID before the padding`);
  real.forEach((t, i) => assert.ok(i === 0 || t > real[i - 1], `${info.path}: train IDs not ascending at ${i}`));
  for (const sid of info.sources.dataSourceId.filter(Boolean)) {
    const [root, ...rest] = sid.split('/');
    const indexPath = `INDEX/${rest.join('/')}`;
    const e = info.index[indexPath];
    assert.ok(e, `${info.path}: ${sid} is listed in METADATA but ${indexPath} is missing`);
    assert.ok(e.first.length >= real.length, `${indexPath}: first shorter than the train list`);
    const counts = countsOf(info, indexPath);
    const first = e.first.slice(0, real.length).map(Number);
    let pos = 0;
    counts.forEach((c, i) => {
      assert.equal(first[i], pos, `${info.path} ${indexPath}: first[${i}] = ${first[i]}, expected ${pos} (contiguous)`);
      pos += c;
    });
    const prefix = `${root}/${rest.join('/')}/`;
    const members = Object.entries(info.datasets).filter(([p]) => p.startsWith(prefix));
    assert.ok(members.length > 0, `${info.path}: no datasets under ${prefix}`);
    for (const [p, d] of members) assert.equal(d.shape[0], pos, `${info.path} ${p}: ${d.shape[0]} rows, counts sum to ${pos}`);
  }
}
