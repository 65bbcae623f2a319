import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataArray, Dataset, type XasOptions, xas } from '../../toolbox/index.js';
import { Random } from '../../toolbox/synthetic/random.js';
import { requirePython, runPython } from '../helpers/python.js';

/**
 * xas() against numpy on the same data: the test writes the samples, a
 * Python script computes the spectrum the way the Python toolbox does
 * (numpy.linspace / arange / digitize, mean, std ddof 0, corrcoef) and the
 * two agree to 1e-9 relative, bin edges bit for bit.
 */
const REFERENCE = String.raw`
import warnings
warnings.simplefilter('ignore')
cases = json.load(open(sys.argv[1]))
F = lambda a: np.array([np.nan if v is None else v for v in a], dtype=float)

def absorption(T, Io, fluorescence):
    good = np.isfinite(T) & np.isfinite(Io)
    T, Io = T[good], Io[good]
    if Io.size == 0:
        return dict(muA=np.nan, sigmaA=np.nan, weights=np.nan, muT=np.nan, sigmaT=np.nan, muIo=np.nan, sigmaIo=np.nan, p=np.nan, counts=0)
    muT, sigmaT, muIo, sigmaIo = np.mean(T), np.std(T), np.mean(Io), np.std(Io)
    with np.errstate(all='ignore'):
        p = np.corrcoef(T, Io)[0, 1]
        rel = np.sqrt((sigmaT/muT)**2 + (sigmaIo/muIo)**2 - 2*p*sigmaIo*sigmaT/(muIo*muT))
        if fluorescence:
            muA = muT/muIo
            sigmaA = abs(muA)*rel
        else:
            muA = -np.log(np.abs(muT)/muIo)
            sigmaA = rel
    return dict(muA=muA, sigmaA=sigmaA, weights=np.sum(Io), muT=muT, sigmaT=sigmaT, muIo=muIo, sigmaIo=sigmaIo, p=p, counts=Io.size)

def orient(key, a):
    if 'mcp' in key.lower() and np.sum(a[np.isfinite(a)]) < 0:
        return -a
    return a

out = []
for c in cases:
    shape = c['shape']
    Io = F(c['io']).reshape(shape) + c['iooffset']
    It = F(c['it']).reshape(shape)
    nrj = np.broadcast_to(F(c['nrj']).reshape(c['nrjShape']), shape)
    Io, It = orient(c['iokey'], Io.ravel()), orient(c['itkey'], It.ravel())
    rows = np.vstack((nrj.ravel(), Io, It)).T
    rows = rows[np.all(np.isfinite(rows), axis=1)]
    e = rows[:, 0]
    kind, b = c['kind'], c['bins']
    if kind == 'none':
        bins = np.linspace(np.min(e), np.max(e), 81)
    elif kind == 'int':
        bins = np.linspace(np.min(e), np.max(e), int(b) + 1)
    elif kind == 'float':
        bins = np.arange(np.min(e) - b/2, np.max(e) + b/2, b)
    else:
        bins = np.asarray(b, dtype=float)
    dig = np.digitize(e, bins)
    stats = [absorption(rows[dig == k + 1, 2], rows[dig == k + 1, 1], c['fluorescence']) for k in range(len(bins) - 1)]
    res = {k: [float(s[k]) for s in stats] for k in stats[0]}
    with np.errstate(all='ignore'):
        res['sterrA'] = (np.array(res['sigmaA']) / np.sqrt(np.array(res['counts']))).tolist()
    res['nrj'] = (0.5*(bins[1:] + bins[:-1])).tolist()
    res['edges'] = bins.tolist()
    res = {k: [x if math.isfinite(x) else repr(x) for x in v] for k, v in res.items()}
    out.append(res)
emit(out)
`;

interface Case {
  name: string;
  nrj: number[]; io: number[]; it: number[];
  shape: number[]; nrjShape: number[];
  options: XasOptions;
  /** How numpy builds the edges. */
  kind: 'none' | 'int' | 'float' | 'array';
}
type Reference = Record<string, (number | string)[]>;

const FIELDS = ['nrj', 'muA', 'sigmaA', 'sterrA', 'muIo', 'counts', 'weights', 'muT', 'sigmaT', 'sigmaIo', 'p'];

function close(a: number, b: number | string): boolean {
  if (typeof b === 'string') return Number.isNaN(a) ? b === 'nan' : String(a) === b.replace('inf', 'Infinity');
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;
}

/** Pulse-resolved data: nrj per train (trains × pulses), It = Io·exp(−μ(E)) with noise. */
function scan(rng: Random, trains: number, pulses: number, energies: (t: number) => number, sign = 1): Pick<Case, 'nrj' | 'io' | 'it' | 'shape' | 'nrjShape'> {
  const nrj = Array.from({ length: trains }, (_, t) => energies(t));
  const io: number[] = [], it: number[] = [];
  for (let t = 0; t < trains; t++) {
    for (let k = 0; k < pulses; k++) {
      const I = 500 * (1 + 0.3 * rng.normal());
      const mu = 0.5 + 1 / (1 + Math.exp(-(nrj[t] - 708)));
      io.push(I);
      it.push(sign * I * Math.exp(-mu) * (1 + 0.05 * rng.normal()) + 2 * rng.normal());
    }
  }
  return { nrj, io, it, shape: [trains, pulses], nrjShape: [trains, 1] };
}

function cases(): Case[] {
  const rng = new Random(17);
  const uniform = (t: number) => 700 + 16 * ((t * 7919) % 200) / 199;
  const grid = (t: number) => 700 + 0.5 * (t % 33);
  const out: Case[] = [
    { name: 'default bins: 80 over [min, max], the maximum dropped', ...scan(rng, 200, 5, uniform), options: {}, kind: 'none' },
    { name: 'an integer: that many linspace bins', ...scan(rng, 200, 5, uniform), options: { bins: 7 }, kind: 'int' },
    { name: 'a non-integer number: a width (arange edges)', ...scan(rng, 200, 5, uniform), options: { bins: 0.37 }, kind: 'float' },
    { name: '{ width: 2 }: a whole-number width', ...scan(rng, 200, 5, uniform), options: { bins: { width: 2 } }, kind: 'float' },
    { name: 'edges through the data values (left-closed bins)', ...scan(rng, 99, 4, grid), options: { bins: Array.from({ length: 17 }, (_, i) => 700 + i) }, kind: 'array' },
    { name: 'edges narrower than the data: values outside dropped', ...scan(rng, 99, 4, grid), options: { bins: [702, 703.5, 705, 707.25, 710] }, kind: 'array' },
    { name: 'fluorescence, an Io offset and an MCP key (negative signal flipped)', ...scan(rng, 150, 6, uniform, -1), options: { bins: 12, fluorescence: true, iooffset: 3.5, itkey: 'MCP2peaks' }, kind: 'int' },
    { name: 'transmission of a negative MCP signal', ...scan(rng, 150, 6, uniform, -1), options: { bins: 9, itkey: 'mcp3apd' }, kind: 'int' },
    { name: 'bins of one sample and empty bins', ...scan(rng, 12, 1, (t) => 700 + t * t * 0.1), options: { bins: [699, 700.05, 700.5, 701, 705, 712, 720] }, kind: 'array' },
  ];
  const holes = { name: 'NaN in Io, It and nrj dropped', ...scan(rng, 120, 5, uniform), options: { bins: 10 } as XasOptions, kind: 'int' as const };
  for (let i = 0; i < holes.io.length; i += 17) holes.io[i] = NaN;
  for (let i = 3; i < holes.it.length; i += 23) holes.it[i] = Infinity;
  holes.nrj[5] = NaN;
  out.push(holes);
  const flat = { name: 'a Dataset of 1-D variables', ...scan(rng, 300, 1, uniform), options: { bins: 0.9 } as XasOptions, kind: 'float' as const };
  out.push({ ...flat, shape: [300], nrjShape: [300] });
  return out;
}

function dataset(c: Case): Dataset {
  const it = c.options.itkey ?? 'MCP3peaks';
  if (c.shape.length === 1) return new Dataset({ SCS_SA3: ['pulse', c.io], [it]: ['pulse', c.it], nrj: ['pulse', c.nrj] });
  const [T, P] = c.shape;
  const coords = { trainId: Array.from({ length: T }, (_, i) => 1000 + i), sa3_pId: Array.from({ length: P }, (_, i) => 200 + 8 * i) };
  const pulses = (v: number[]) => new DataArray(Float64Array.from(v), { dims: ['trainId', 'sa3_pId'], shape: [T, P] });
  return new Dataset({ SCS_SA3: pulses(c.io), [it]: pulses(c.it), nrj: ['trainId', c.nrj] }, { coords });
}

describe('xas() against numpy (the Python toolbox statistics on the same data)', function () {
  this.timeout(120_000);
  let dir: string;
  const all = cases();
  let ref: Reference[];

  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-xas-np-'));
    const file = join(dir, 'cases.json');
    const json = all.map((c) => ({
      nrj: c.nrj, io: c.io, it: c.it, shape: c.shape, nrjShape: c.nrjShape, iokey: 'SCS_SA3', itkey: c.options.itkey ?? 'MCP3peaks',
      iooffset: c.options.iooffset ?? 0, fluorescence: c.options.fluorescence ?? false, kind: c.kind,
      bins: typeof c.options.bins === 'object' && !Array.isArray(c.options.bins) ? (c.options.bins as { width: number }).width : c.options.bins ?? null,
    }));
    // NaN and ±Infinity become null in JSON; the script reads null as NaN (both are dropped alike)
    writeFileSync(file, JSON.stringify(json));
    ref = await runPython<Reference[]>(REFERENCE, [file]);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  all.forEach((c, k) => {
    it(c.name, () => {
      const got = xas(dataset(c), c.options);
      const r = ref[k];
      assert.deepEqual(got.attrs.binEdges, r.edges, 'bin edges bit for bit');
      for (const f of FIELDS) {
        const v = Array.from(got.get(f).values as ArrayLike<number>);
        assert.equal(v.length, r[f].length, `${f}: number of bins`);
        v.forEach((x, i) => assert.ok(close(x, r[f][i]), `${f}[${i}]: ${x} vs numpy ${r[f][i]}`));
      }
    });
  });

  it('the linspace maximum is dropped and a value on an edge goes to the bin it opens (numpy.digitize)', () => {
    const ds = new Dataset({ SCS_SA3: ['p', [1, 1, 1, 1, 1]], MCP3peaks: ['p', [0.5, 0.5, 0.5, 0.5, 0.5]], nrj: ['p', [0, 1, 1, 2, 4]] });
    assert.deepEqual(Array.from(xas(ds, { bins: 4 }).get('counts').values as Int32Array), [1, 2, 1, 0]);
    assert.deepEqual(Array.from(xas(ds, { bins: [0, 1, 2, 4.5] }).get('counts').values as Int32Array), [1, 2, 2]);
    assert.deepEqual(Array.from(xas(ds, { bins: [-1, 0.5, 1.5] }).get('counts').values as Int32Array), [1, 2]);
  });
});
