/**
 * reflectivity() against numpy on the same data: the test writes Io, Ir and
 * the delay (with NaNs, an Io of zero and unpaired trains), a Python script
 * computes the documented semantics (docs/routines.md, Reflectivity) with
 * numpy, and the binned ΔR, std (ddof 0), sterr and counts must agree to
 * 1e-9 relative for each scheme, with and without ioweights.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataArray, Dataset, reflectivity } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';

const T = 64, P = 6;

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

interface Data { trainIds: number[]; io: (number | null)[]; ir: (number | null)[]; delay: (number | null)[] }

function makeData(): Data {
  const u = lcg(17);
  // trains 1000…1063 with 1010 and 1031 missing, so some pumped trains have no unpumped partner
  const trainIds = Array.from({ length: T + 2 }, (_, i) => 1000 + i).filter((t) => t !== 1010 && t !== 1031).slice(0, T);
  const io: (number | null)[] = [], ir: (number | null)[] = [];
  const delay = trainIds.map((_, t) => 12 + 0.01 * Math.floor(t / 5) + 0.002 * (u() - 0.5));
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < P; k++) {
      const laser = 1 + 0.2 * (u() - 0.5);
      io.push(1000 * laser * (1 + 0.01 * (u() - 0.5)));
      ir.push(600 * laser * (k % 2 === 0 ? 1 - 0.02 * t / T : 1) * (1 + 0.01 * (u() - 0.5)));
    }
  }
  io[7] = null; ir[20] = null; io[33] = 0; (delay as (number | null)[])[40] = null;
  return { trainIds, io, ir, delay };
}

function dataset(d: Data): Dataset {
  const f = (v: (number | null)[]) => Float64Array.from(v, (x) => (x === null ? NaN : x));
  const trainId = BigUint64Array.from(d.trainIds, BigInt);
  return new Dataset({
    FastADC5peaks: new DataArray(f(d.io), { dims: ['trainId', 'ol_pId'], shape: [T, P] }),
    FastADC3peaks: new DataArray(f(d.ir), { dims: ['trainId', 'ol_pId'], shape: [T, P] }),
    PP800_DelayLine: new DataArray(f(d.delay), { dims: ['trainId'] }),
  }, { coords: { trainId: new DataArray(trainId, { dims: ['trainId'] }), ol_pId: new DataArray(Float64Array.from({ length: P }, (_, k) => 100 + 2 * k), { dims: ['ol_pId'] }) } });
}

const REFERENCE = String.raw`
d = json.load(open(sys.argv[1]))
case = json.loads(sys.argv[2])
T, P = len(d['trainIds']), len(d['io']) // len(d['trainIds'])
io = np.array(d['io'], dtype=float).reshape(T, P)
ir = np.array(d['ir'], dtype=float).reshape(T, P)
delay = np.array(d['delay'], dtype=float)
tid = np.array(d['trainIds'])
scheme, bw = case['scheme'], case['binWidth']
pairs = []
if scheme == 'pumpedOnly':
    pairs = [((t, k), (t, k)) for t in range(T) for k in range(P)]
elif scheme == 'alternatePulses':
    pairs = [((t, k), (t, k + 1)) for t in range(T) for k in range(0, P - 1, 2)]
else:
    row = {int(x): r for r, x in enumerate(tid)}
    for r, x in enumerate(tid):
        if ((x % 2 == 0) == case['pumpOnEven']) and int(x) + 1 in row:
            pairs += [((r, k), (row[int(x) + 1], k)) for k in range(P)]
p, q = np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])
irp, iop, iru, iou = ir[p[:, 0], p[:, 1]], io[p[:, 0], p[:, 1]], ir[q[:, 0], q[:, 1]], io[q[:, 0], q[:, 1]]
dl = delay[p[:, 0]]
with np.errstate(divide='ignore', invalid='ignore'):
    v = irp / iop if scheme == 'pumpedOnly' else 100 * ((irp / iop) / (iru / iou) - 1)
ok = np.isfinite(v) & np.isfinite(dl)
steps = np.round(dl[ok] / bw)
out = {'delay': [], 'deltaR': [], 'std': [], 'sterr': [], 'counts': []}
for s in np.unique(steps):
    m = steps == s
    vals = v[ok][m]
    if case['ioweights']:
        a, b, c, e = irp[ok][m].sum(), iop[ok][m].sum(), iru[ok][m].sum(), iou[ok][m].sum()
        mean = a / b if scheme == 'pumpedOnly' else 100 * ((a / b) / (c / e) - 1)
    else:
        mean = vals.mean()
    std = vals.std(ddof=0)
    out['delay'].append(s * bw); out['deltaR'].append(mean); out['std'].append(std)
    out['counts'].append(int(m.sum())); out['sterr'].append(std / np.sqrt(m.sum()))
emit(out)
`;

function close(got: ArrayLike<number>, want: number[], what: string, rel = 1e-9): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} bins, numpy ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const tol = rel * Math.max(Math.abs(want[i]), 1e-6);
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]} vs numpy ${want[i]}`);
  }
}

describe('reflectivity against numpy', function () {
  this.timeout(120_000);
  let dir: string, file: string;
  const data = makeData();
  const ds = dataset(data);
  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-refl-numpy-'));
    file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify(data));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('a per-pulse delay (trainId, ol_pId) gives the same bins as the per-train delay it repeats', () => {
    const perPulse = ds.get('PP800_DelayLine').expandDims({ ol_pId: P }).transpose('trainId', 'ol_pId');
    const a = reflectivity(ds, { binWidth: 0.01, plot: false });
    const b = reflectivity(ds.assign({ PP800_DelayLine: perPulse }), { binWidth: 0.01, plot: false });
    for (const k of ['deltaR', 'std', 'counts']) assert.deepEqual(Array.from(b.get(k).values as ArrayLike<number>), Array.from(a.get(k).values as ArrayLike<number>), k);
  });

  const cases = [
    { scheme: 'alternatePulses', ioweights: false }, { scheme: 'alternatePulses', ioweights: true },
    { scheme: 'alternateTrains', ioweights: false, pumpOnEven: true }, { scheme: 'alternateTrains', ioweights: true, pumpOnEven: false },
    { scheme: 'pumpedOnly', ioweights: false }, { scheme: 'pumpedOnly', ioweights: true },
  ];
  for (const c of cases) {
    it(`${c.scheme}${c.pumpOnEven === false ? ' (odd trains pumped)' : ''}, ioweights ${c.ioweights}`, async () => {
      const binWidth = 0.01;
      const r = reflectivity(ds, {
        binWidth, ioweights: c.ioweights, plot: false, alternateTrains: c.scheme === 'alternateTrains', pumpedOnly: c.scheme === 'pumpedOnly', pumpOnEven: c.pumpOnEven ?? true,
      });
      const want = await runPython<Record<string, number[]>>(REFERENCE, [file, JSON.stringify({ ...c, pumpOnEven: c.pumpOnEven ?? true, binWidth })]);
      const v = (name: string) => Array.from(r.get(name).values as ArrayLike<number>, Number);
      close(Array.from(r.coords.PP800_DelayLine.values as Float64Array), want.delay, 'delay');
      for (const k of ['deltaR', 'std', 'sterr']) close(v(k), want[k], k);
      assert.deepEqual(v('counts'), want.counts);
      assert.equal(r.attrs.scheme, c.scheme);
    });
  }
});
