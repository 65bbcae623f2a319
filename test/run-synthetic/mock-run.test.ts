import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolBoxValueError } from '../../toolbox/errors.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { requirePython, runPython } from '../helpers/python.js';
import { type PyFileInfo, checkIndexArithmetic, countsOf, inspectFiles } from './inspect.js';

const DSSC3 = 'SCS_DET_DSSC1M-1/DET/3CH0:xtdf';
const XGM_OUT = 'SCS_BLU_XGM/XGM/DOOCS:output';
const LT3 = 'SCS_ILH_LAS/MOTOR/LT3';

const OPTIONS = {
  proposal: 2212, run: 163, trains: 12, frames: 8, modules: [0, 3], seed: 5, trainsPerSequence: 5, dsscTrainsPerSequence: 7,
  missingTrains: { [DSSC3]: [10003, 10010], [XGM_OUT]: [10001], [LT3]: [10011] },
};

describe('writeMockRun (checked with h5py)', function () {
  let dir: string;
  let truth: MockRunTruth;
  let infos: PyFileInfo[];
  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-mockrun-'));
    truth = await writeMockRun(dir, OPTIONS);
    infos = await inspectFiles(truth.files.map((f) => join(dir, f.name)));
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('names files per aggregator and sequence (DSSC split elsewhere than DA01), each aggregator covering every train once', () => {
    assert.deepEqual(readdirSync(dir).sort(), [
      'RAW-R0163-DA01-S00000.h5', 'RAW-R0163-DA01-S00001.h5', 'RAW-R0163-DA01-S00002.h5',
      'RAW-R0163-DSSC00-S00000.h5', 'RAW-R0163-DSSC00-S00001.h5',
      'RAW-R0163-DSSC03-S00000.h5', 'RAW-R0163-DSSC03-S00001.h5',
      'truth.json',
    ]);
    const byAgg = new Map<string, string[]>();
    infos.forEach((info, i) => {
      const agg = truth.files[i].aggregator;
      byAgg.set(agg, [...(byAgg.get(agg) ?? []), ...info.trainId.filter((t) => t !== '0')]);
      assert.equal(info.metadata.sequenceNumber, truth.files[i].sequence);
      assert.equal(info.metadata.runNumber, 163);
      assert.equal(info.metadata.proposalNumber, 2212);
    });
    for (const ids of byAgg.values()) assert.deepEqual(ids, truth.trainIds.map(String));
  });

  it('keeps INDEX arithmetic consistent in every file', () => {
    for (const info of infos) checkIndexArithmetic(info);
  });

  it('gives missing trains count 0 for exactly the sources named', () => {
    for (const info of infos) {
      const ids = info.trainId.filter((t) => t !== '0').map(Number);
      for (const sid of info.sources.dataSourceId) {
        const rest = sid.split('/').slice(1).join('/');
        const source = sid.startsWith('CONTROL/') ? rest : rest.slice(0, rest.lastIndexOf('/'));
        const gone = new Set(truth.missingTrains[source] ?? []);
        const counts = countsOf(info, `INDEX/${rest}`);
        const full = sid.endsWith('/image') ? truth.dssc.framesPerTrain : 1;
        ids.forEach((t, i) => assert.equal(counts[i], gone.has(t) ? 0 : full, `${sid} train ${t}`));
      }
    }
    assert.deepEqual(truth.missingTrains[DSSC3], [10003, 10010]);
  });

  it('lists in METADATA exactly the sources truth.json records per file', () => {
    infos.forEach((info, i) => {
      const listed = new Set(info.sources.dataSourceId.map((s) => {
        const rest = s.split('/').slice(1).join('/');
        return s.startsWith('CONTROL/') ? rest : rest.slice(0, rest.lastIndexOf('/'));
      }));
      assert.deepEqual([...listed].sort(), [...truth.files[i].sources].sort());
    });
    const dssc = infos.find((x) => x.path.includes('DSSC03-S00000'))!;
    assert.deepEqual(dssc.sources.dataSourceId, ['image', 'header', 'detector', 'trailer'].map((g) => `INSTRUMENT/${DSSC3}/${g}`));
  });

  it('writes raw DSSC, XGM and bunch-pattern keys with the documented shapes and dtypes', () => {
    const dssc = infos.find((x) => x.path.includes('DSSC00-S00000'))!.datasets;
    const img = `INSTRUMENT/SCS_DET_DSSC1M-1/DET/0CH0:xtdf/image/`;
    assert.deepEqual([dssc[img + 'data'].shape, dssc[img + 'data'].dtype], [[56, 1, 16, 32], '<u2']);
    assert.deepEqual([dssc[img + 'pulseId'].shape, dssc[img + 'pulseId'].dtype], [[56, 1], '<u8']);
    assert.deepEqual([dssc[img + 'cellId'].shape, dssc[img + 'cellId'].dtype], [[56, 1], '<u2']);
    assert.deepEqual([dssc[img + 'trainId'].shape, dssc[img + 'trainId'].dtype], [[56, 1], '<u8']);
    assert.deepEqual(dssc['INSTRUMENT/SCS_DET_DSSC1M-1/DET/0CH0:xtdf/detector/data'].shape, [7, 416]);
    const da = infos.find((x) => x.path.includes('DA01-S00000'))!.datasets;
    assert.deepEqual([da[`INSTRUMENT/${XGM_OUT}/data/intensitySa3TD`].shape, da[`INSTRUMENT/${XGM_OUT}/data/intensitySa3TD`].dtype], [[4, 1000], '<f4']);
    assert.deepEqual(da['CONTROL/SCS_RR_UTC/TSYS/TIMESERVER/bunchPatternTable/value'].shape, [5, 2700]);
    assert.equal(da['CONTROL/SCS_RR_UTC/TSYS/TIMESERVER/bunchPatternTable/value'].dtype, '<u4');
    assert.equal(da[`CONTROL/${LT3}/AActualPosition/value`].dtype, '<f8');
  });

  it('matches truth.json: scan values, bunch pattern bits, XGM padding, hot pixels and the ring model', async () => {
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')), JSON.parse(JSON.stringify(truth)));
    const got = await runPython<{ pos: number[]; sa3: number[]; laser: number[]; sa1: number[]; npulses: number; pad: boolean; hot: number[][]; obs: Record<string, number>; exp: Record<string, number> }>(String.raw`
import h5py, glob, os
d = sys.argv[1]
t = json.load(open(os.path.join(d, 'truth.json')))
ph = t['physics']
da = [h5py.File(p, 'r') for p in sorted(glob.glob(os.path.join(d, '*DA01*.h5')))]
pos = np.concatenate([f['CONTROL/SCS_ILH_LAS/MOTOR/LT3/AActualPosition/value'][()] for f in da]).tolist()
bp = da[0]['INSTRUMENT/SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern/data/bunchPatternTable'][0].astype(np.int64)
dest = (bp >> 18) & 0xF
sa3 = np.nonzero((dest == 4) & ((bp >> 27) & 1 == 1))[0].tolist()
sa1 = np.nonzero((dest == 4) & ((bp >> 27) & 1 == 0))[0].tolist()
laser = np.nonzero((bp >> 13) & 1)[0].tolist()
x = da[0]['INSTRUMENT/SCS_BLU_XGM/XGM/DOOCS:output/data/intensitySa3TD'][()]
n = len(sa3)
pad = bool(np.all(x[:, n:] == 1.0) and np.all(x[:, :n] > 1.0))
# The ring model rebuilt from truth.json alone, against the photons in the module-0 frames.
S, F = t['dssc']['pixels']
r = ph['ring']; det = ph['detector']
yy, xx = np.mgrid[0:S, 0:F]
dd = np.hypot(yy - r['centerFraction'][0] * S, xx - r['centerFraction'][1] * F) - r['radiusFraction'] * min(S, F)
w = max(0.5, r['widthFraction'] * min(S, F))
ring = r['backgroundPhotons'] + r['peakPhotons'] * np.exp(-dd**2 / (2 * w * w))
hot = []
obs = {'pumped': 0.0, 'unpumped': 0.0, 'intradark': 0.0}
exp = {'pumped': 0.0, 'unpumped': 0.0, 'intradark': 0.0}
xgm = {}
for f in da:
    tids = f['INDEX/trainId'][()]
    c = f['INDEX/SCS_BLU_XGM/XGM/DOOCS:output/data/count'][:len(tids)]
    vals = f['INSTRUMENT/SCS_BLU_XGM/XGM/DOOCS:output/data/intensitySa3TD'][()]
    for tid, row in zip(tids[c > 0], vals):
        xgm[int(tid)] = row
for p in sorted(glob.glob(os.path.join(d, '*DSSC00*.h5'))):
    f = h5py.File(p, 'r')
    src = 'INSTRUMENT/SCS_DET_DSSC1M-1/DET/0CH0:xtdf/image/'
    data = f[src + 'data'][()][:, 0].astype(np.float64)
    tid = f[src + 'trainId'][()][:, 0]
    cell = f[src + 'cellId'][()][:, 0]
    hot.append(sorted(set(np.nonzero(data.reshape(len(data), -1)[0] == det['hotPixelValue'])[0].tolist())))
    mask = np.ones(S * F, bool); mask[t['dssc']['hotPixels']['0']] = False
    for k in range(len(data)):
        kind = ph['frames']['kinds'][cell[k]]
        it = t['trainIds'].index(int(tid[k]))
        pt = ph['scan']['pointOfTrain'][it]
        if kind == 'intradark':
            scale = 0.0
        else:
            slot = sum(1 for q in ph['frames']['kinds'][:cell[k]] if q != 'intradark')
            e = xgm[int(tid[k])][slot] if int(tid[k]) in xgm else None
            if e is None:
                continue
            scale = e / ph['xgm']['meanUJ'] * ph['scan']['energyFactor'][pt] * (ph['scan']['pumpFactor'][pt] if kind == 'pumped' else 1.0)
        obs[kind] += (data[k].ravel()[mask] - det['baseline']).sum()
        exp[kind] += (ring.ravel()[mask] * scale + det['darkPhotons']).sum()
emit({'pos': pos, 'sa3': sa3, 'sa1': sa1, 'laser': laser, 'npulses': int(da[0]['CONTROL/SCS_RR_UTC/MDL/BUNCH_DECODER/sase3/nPulses/value'][0]),
      'pad': pad, 'hot': hot, 'obs': obs, 'exp': exp})
`, [dir]);
    const ph = truth.physics;
    // LT3 misses train 10011, so the last reading belongs to 10010.
    const expected = truth.scanValuePerTrain.filter((_, i) => truth.trainIds[i] !== 10011);
    got.pos.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 6 * ph.scan.jitter, `position ${p} vs ${expected[i]}`));
    assert.deepEqual(got.sa3, ph.bunchPattern.sase3PulseIds);
    assert.deepEqual(got.sa1, ph.bunchPattern.sase1PulseIds);
    assert.deepEqual(got.laser, ph.bunchPattern.laserPulseIds);
    assert.equal(got.npulses, ph.bunchPattern.sase3PulseIds.length);
    assert.ok(got.pad, 'XGM slots beyond the SASE3 pulses must hold 1.0');
    for (const h of got.hot) assert.deepEqual(h, truth.dssc.hotPixels['0']);
    // Photon sums are Poisson: within 5 standard deviations of the model.
    for (const kind of ['pumped', 'unpumped', 'intradark']) {
      const [o, e] = [got.obs[kind], got.exp[kind]];
      assert.ok(e > 0 && Math.abs(o - e) < 5 * Math.sqrt(e), `${kind}: observed ${o} photons, model ${e}`);
    }
  });
  it('puts ADQ peaks at the SASE3 bunch-pattern positions, scaled by the XGM pulse energies', async () => {
    const q = truth.physics.adq;
    const got = await runPython<{ peaks: number[][]; energies: number[][]; shape: number[]; dtype: string }>(String.raw`
import h5py, glob, os
d, ch, first, per, rise = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
f = h5py.File(sorted(glob.glob(os.path.join(d, '*DA01-S00000.h5')))[0], 'r')
bp = f['CONTROL/SCS_RR_UTC/TSYS/TIMESERVER/bunchPatternTable/value'][0].astype(np.int64)
sa3 = np.nonzero((((bp >> 18) & 0xF) == 4) & (((bp >> 27) & 1) == 1))[0]
ds = f['INSTRUMENT/SCS_UTC1_ADQ/ADC/1:network/digitizers/' + ch + '/raw/samples']
tr = ds[()].astype(np.float64)
starts = first + (sa3 - sa3[0]) * per
peaks = [[float(-row[s + rise]) for s in starts] for row in tr]
# Train 10001 has no XGM data in this run: compare the other trains of the file.
xc = f['INDEX/SCS_BLU_XGM/XGM/DOOCS:output/data/count'][()]
xv = f['INSTRUMENT/SCS_BLU_XGM/XGM/DOOCS:output/data/intensitySa3TD'][()]
ac = f['INDEX/SCS_UTC1_ADQ/ADC/1:network/digitizers/count'][()]
rows_x = np.cumsum(xc) - 1
e = [xv[rows_x[i]][:len(sa3)].tolist() if xc[i] else None for i in range(len(ac))]
emit({'peaks': peaks, 'energies': e, 'shape': list(ds.shape), 'dtype': ds.dtype.str})
`, [dir, q.channel, String(q.firstPulseSample), String(q.samplesPerPulseId), String(q.riseSamples)]);
    assert.deepEqual(got.shape, [5, q.samples]);
    assert.equal(got.dtype, '<i2');
    got.energies.forEach((e, i) => {
      if (!e) return;
      e.forEach((uj, k) => assert.ok(Math.abs(got.peaks[i][k] - q.amplitudePerUJ * uj) < 6 * q.noise + 1, `train ${i} pulse ${k}: peak ${got.peaks[i][k]} vs ${uj} uJ`));
    });
  });
});

describe('writeMockRun options', () => {
  let dir: string;
  before(async function () { await requirePython(this); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-mockrun-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the old index for 0.5 and the inverted flag for 1.1, with 1e9-range train IDs', async () => {
    for (const [v, sub] of [['0.5', 'a'], ['1.1', 'b']] as const) {
      const t = await writeMockRun(join(dir, sub), { trains: 3, frames: 4, formatVersion: v, firstTrainId: 1_234_567_890, scan: 'energy' });
      const infos = await inspectFiles(t.files.map((f) => join(dir, sub, f.name)));
      for (const info of infos) {
        checkIndexArithmetic(info);
        assert.deepEqual(info.trainId, ['1234567890', '1234567891', '1234567892']);
        if (v === '0.5') assert.ok(Object.values(info.index).every((e) => 'last' in e && 'status' in e && !('count' in e)));
        else assert.deepEqual(info.flag, [0, 0, 0]);
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const hash = String.raw`
import h5py, hashlib, glob, os
out = {}
for p in sorted(glob.glob(os.path.join(sys.argv[1], '*.h5'))):
    h = hashlib.sha256()
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            h.update(name.encode()); h.update(repr(obj[()].tolist()).encode())
    h5py.File(p, 'r').visititems(visit)
    out[os.path.basename(p)] = h.hexdigest()
emit(out)
`;
    const o = { trains: 6, frames: 4, modules: 2, trainsPerSequence: 4 };
    await writeMockRun(join(dir, 'a'), { ...o, seed: 9 });
    await writeMockRun(join(dir, 'b'), { ...o, seed: 9 });
    await writeMockRun(join(dir, 'c'), { ...o, seed: 10 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((s) => runPython<Record<string, string>>(hash, [join(dir, s)])));
    assert.equal(Object.keys(a).length, 6);
    assert.deepEqual(a, b);
    assert.notEqual(a['RAW-R0001-DSSC00-S00000.h5'], c['RAW-R0001-DSSC00-S00000.h5']);
    assert.equal(readFileSync(join(dir, 'a', 'truth.json'), 'utf8'), readFileSync(join(dir, 'b', 'truth.json'), 'utf8'));
  });

  it('rejects unknown sources, out-of-run train IDs and bad options with clear messages', async () => {
    await assert.rejects(writeMockRun(dir, { missingTrains: { 'NOPE/X/Y': [10000] } }), (e: Error) => e instanceof ToolBoxValueError && /unknown source NOPE\/X\/Y/.test(e.message));
    await assert.rejects(writeMockRun(dir, { missingTrains: { [LT3]: [5] } }), /outside the run's trains/);
    await assert.rejects(writeMockRun(dir, { modules: [16] }), /module numbers 0-15/);
    await assert.rejects(writeMockRun(dir, { frames: 0 }), /frames must be an integer >= 1/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
