import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRun, runByPath } from '../../toolbox/run/index.js';
import { type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import { requirePython, runPython } from '../helpers/python.js';

const CORR = (m: number) => `SCS_DET_DSSC1M-1/CORR/${m}CH0:output`;
const DET = (m: number) => `SCS_DET_DSSC1M-1/DET/${m}CH0:xtdf`;
const XGM = 'SCS_BLU_XGM/XGM/DOOCS';

describe('proc (corrected) runs: generator and reader', () => {
  let root: string;
  let rawDir: string;
  let truth: MockRunTruth;
  const saved = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-proc-'));
    rawDir = join(root, 'SCS', '202501', 'p002212', 'raw', 'r0042');
    truth = await writeMockRun(rawDir, {
      proposal: 2212, run: 42, trains: 7, frames: 3, modules: [0, 3], pixels: [4, 8], seed: 9, trainsPerSequence: 4,
      missingTrains: { [DET(3)]: [10002] }, proc: true,
    });
    process.env.EXFEL_DATA_ROOT = root;
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('records the proc files, legacy links and correction in the truth', () => {
    const proc = truth.proc!;
    assert.equal(proc.dir, join(root, 'SCS', '202501', 'p002212', 'proc', 'r0042'));
    assert.deepEqual(proc.files.map((f) => f.name), [
      'CORR-R0042-DSSC00-S00000.h5', 'CORR-R0042-DSSC00-S00001.h5', 'CORR-R0042-DSSC03-S00000.h5', 'CORR-R0042-DSSC03-S00001.h5',
    ]);
    assert.deepEqual(proc.legacyLinks, { [CORR(0)]: DET(0), [CORR(3)]: DET(3) });
    assert.deepEqual(proc.correction, { kind: 'baseline-subtraction', baseline: truth.physics.detector.baseline, maskValue: 1, gain: 0, gzipLevel: 1 });
    assert.deepEqual(proc.sources[CORR(0)].keys['image.data'], { dtype: 'float32', entryShape: [4, 8] });
  });

  it('opens the proc folder: CORR sources listed once, legacy names as aliases', async () => {
    const run = await runByPath(truth.proc!.dir);
    try {
      assert.deepEqual(run.allSources, [CORR(0), CORR(3)]);
      assert.deepEqual(run.legacySources, { [DET(0)]: CORR(0), [DET(3)]: CORR(3) });
      assert.deepEqual(run.trainIds, truth.trainIds);
      assert.deepEqual(run.keysForSource(CORR(0)), ['image.cellId', 'image.data', 'image.gain', 'image.mask', 'image.pulseId', 'image.trainId']);
      assert.deepEqual(run.keyInfo(CORR(0), 'image.data'), { shape: [21, 4, 8], dtype: 'float32', trainsWithData: 7 });
      assert.deepEqual(run.keyInfo(CORR(0), 'image.pulseId').shape, [21]);
      // the legacy name reads the very same data, under the new name
      const viaLegacy = await run.getArray(DET(3), 'image.data');
      const direct = await run.getArray(CORR(3), 'image.data');
      assert.equal(viaLegacy.name, `${CORR(3)}.image.data`);
      assert.deepEqual(viaLegacy.shape, [18, 4, 8]);
      assert.deepEqual(Array.from(viaLegacy.values as Float32Array), Array.from(direct.values as Float32Array));
      assert.deepEqual(Array.from(run.dataCounts(DET(3), 'image.data').values as Int32Array), [3, 3, 0, 3, 3, 3, 3]);
      assert.deepEqual(run.select(DET(0)).allSources, [CORR(0)]);
    } finally {
      run.close();
    }
  });

  it('reads the gzip mask and gain: hot pixels flagged, gain 0', async () => {
    const run = await runByPath(truth.proc!.dir);
    try {
      const mask = await run.getArray(CORR(0), 'image.mask');
      assert.equal(mask.dtype, 'uint32');
      const v = mask.values as Uint32Array;
      const hot = new Set(truth.dssc.hotPixels['0']);
      for (let f = 0; f < 21; f++) for (let p = 0; p < 32; p++) assert.equal(v[f * 32 + p], hot.has(p) ? 1 : 0);
      const gain = await run.getArray(CORR(0), 'image.gain');
      assert.equal(gain.dtype, 'uint8');
      assert.ok((gain.values as Uint8Array).every((x) => x === 0));
      const cell = await run.getArray(CORR(0), 'image.cellId');
      assert.deepEqual(cell.shape, [21]);
      assert.deepEqual(Array.from(cell.values as Uint16Array).slice(0, 6), [0, 1, 2, 0, 1, 2]);
    } finally {
      run.close();
    }
  });

  it('openRun: proc, all and default', async () => {
    const proc = await openRun(2212, 42, { data: 'proc' });
    assert.deepEqual(proc.allSources, [CORR(0), CORR(3)]);
    proc.close();
    // 'all': the raw DET source is real, so its name is not an alias there
    const all = await openRun(2212, 42, { data: 'all' });
    assert.ok(all.allSources.includes(CORR(0)) && all.allSources.includes(DET(0)) && all.allSources.includes(XGM));
    assert.deepEqual(all.legacySources, {});
    assert.deepEqual(all.keyInfo(DET(0), 'image.data').shape, [21, 1, 4, 8]);
    assert.deepEqual(all.keyInfo(CORR(0), 'image.data').shape, [21, 4, 8]);
    all.close();
    const def = await openRun(2212, 42, { data: 'default' });
    assert.ok(def.allSources.includes(CORR(3)) && def.allSources.includes(XGM));
    assert.deepEqual(def.trainIds, truth.trainIds);
    def.close();
  });

  it('writes real soft links and gzip level 1 filters (checked with h5py)', async function () {
    await requirePython(this);
    const file = join(truth.proc!.dir, 'CORR-R0042-DSSC00-S00000.h5');
    const out = await runPython<Record<string, unknown>>(String.raw`
import h5py
with h5py.File(sys.argv[1], 'r') as f:
    res = {}
    for sec in ('INSTRUMENT', 'INDEX'):
        link = f[sec + '/SCS_DET_DSSC1M-1/DET'].get('0CH0:xtdf', getlink=True)
        res[sec] = [type(link).__name__, getattr(link, 'path', None)]
    img = f['INSTRUMENT/SCS_DET_DSSC1M-1/CORR/0CH0:output/image']
    res['filters'] = {k: [img[k].compression, img[k].compression_opts, str(img[k].dtype), list(img[k].shape)] for k in ('data', 'mask', 'gain', 'pulseId', 'cellId', 'trainId')}
    res['same'] = bool((f['INSTRUMENT/SCS_DET_DSSC1M-1/DET/0CH0:xtdf/image/data'][()] == img['data'][()]).all())
    res['sources'] = sorted(x.decode() if isinstance(x, bytes) else x for x in f['METADATA/dataSources/dataSourceId'][()] if x)
emit(res)
`, [file]);
    assert.deepEqual(out.INSTRUMENT, ['SoftLink', '/INSTRUMENT/SCS_DET_DSSC1M-1/CORR/0CH0:output']);
    assert.deepEqual(out.INDEX, ['SoftLink', '/INDEX/SCS_DET_DSSC1M-1/CORR/0CH0:output']);
    assert.deepEqual(out.filters, {
      data: [null, null, 'float32', [12, 4, 8]], mask: ['gzip', 1, 'uint32', [12, 4, 8]], gain: ['gzip', 1, 'uint8', [12, 4, 8]],
      pulseId: [null, null, 'uint64', [12]], cellId: [null, null, 'uint16', [12]], trainId: [null, null, 'uint64', [12]],
    });
    assert.equal(out.same, true);
    assert.deepEqual(out.sources, [`INSTRUMENT/${CORR(0)}/image`]);
  });

  it('writeRunFile rejects a soft link to a source the file lacks, and a bad gzip level', async () => {
    const base = { path: join(root, 'bad.h5'), formatVersion: '1.0' as const, trainIds: [1n] };
    await assert.rejects(writeRunFile({ ...base, softLinks: { 'A/B/C:x': 'A/B/D:y' } }), /soft link A\/B\/C:x points to A\/B\/D:y/);
    const key = { dtype: 'uint8' as const, entryShape: [], values: Uint8Array.of(1), gzip: 12 };
    await assert.rejects(writeRunFile({ ...base, instrument: { 'A/B/D:y': { indexGroups: { data: { counts: [1], keys: { x: key } } } } } }), /gzip level 12/);
  });
});

