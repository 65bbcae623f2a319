import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../../toolbox/errors.js';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import type { FormatVersion, RunFileSpec } from '../../toolbox/synthetic/run/spec.js';
import { requirePython, runPython } from '../helpers/python.js';
import { checkIndexArithmetic, countsOf, inspectFiles } from './inspect.js';

const DSSC = 'SCS_DET_DSSC1M-1/DET/3CH0:xtdf';
const XGM = 'SCS_BLU_XGM/XGM/DOOCS';
const BIG = 2n ** 60n + 7n;

/** 4 trains; train 10002 lacks XGM control data and DSSC frames; 3 zero train IDs of padding. */
function spec(path: string, formatVersion: FormatVersion): RunFileSpec {
  return {
    path, formatVersion,
    trainIds: [10000n, 10001n, 10002n, 10005n],
    zeroPadding: 3,
    flags: [1, 0, 1, 1],
    control: {
      [XGM]: {
        counts: [1, 1, 0, 1],
        keys: { 'pulseEnergy.photonFlux': { dtype: 'float32', entryShape: [], values: Float32Array.of(1.5, 2.5, 3.5) } },
        run: { classId: { dtype: 'string', entryShape: [], values: ['DoocsXGM'] } },
      },
    },
    instrument: {
      [DSSC]: {
        indexGroups: {
          image: {
            counts: [2, 2, 0, 2],
            keys: {
              data: {
                dtype: 'uint16', entryShape: [1, 3, 4], values: new Uint16Array(0),
                produce: (first, count, out) => { for (let i = 0; i < count * 12; i++) out[i] = first * 12 + i; },
              },
              pulseId: { dtype: 'uint64', entryShape: [1], values: BigUint64Array.of(0n, 1n, 0n, 1n, 0n, BIG) },
              // Streamed 64-bit integers: the producer gets a BigUint64Array view.
              cellId: {
                dtype: 'uint64', entryShape: [1], values: new BigUint64Array(0),
                produce: (first, count, out) => { for (let i = 0; i < count; i++) out[i] = BIG + BigInt(first + i); },
              },
            },
          },
          header: { counts: [1, 1, 0, 1], keys: { pulseCount: { dtype: 'uint64', entryShape: [], values: BigUint64Array.of(2n, 2n, 2n) } } },
        },
      },
    },
    metadata: { proposal: 2212, run: 42, sequence: 3 },
  };
}

describe('writeRunFile (checked with h5py)', function () {
  let dir: string;
  before(async function () { await requirePython(this); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-runfile-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const v of ['0.5', '1.0', '1.1', '1.2'] as FormatVersion[]) {
    it(`writes the format ${v} layout`, async () => {
      const path = join(dir, 'RAW-R0042-DA01-S00003.h5');
      await writeRunFile(spec(path, v));
      const [info] = await inspectFiles([path]);
      checkIndexArithmetic(info);
      assert.deepEqual(info.trainId, ['10000', '10001', '10002', '10005', '0', '0', '0']);
      assert.equal(info.sourcesInDataSources, v !== '0.5');
      assert.deepEqual(info.sources.dataSourceId, [`CONTROL/${XGM}`, `INSTRUMENT/${DSSC}/image`, `INSTRUMENT/${DSSC}/header`]);
      assert.deepEqual(info.sources.root, ['CONTROL', 'INSTRUMENT', 'INSTRUMENT']);
      assert.deepEqual(info.sources.deviceId, [XGM, `${DSSC}/image`, `${DSSC}/header`]);
      assert.deepEqual(countsOf(info, `INDEX/${XGM}`), [1, 1, 0, 1]);
      assert.deepEqual(countsOf(info, `INDEX/${DSSC}/image`), [2, 2, 0, 2]);
      const idx = info.index[`INDEX/${DSSC}/image`];
      if (v === '0.5') {
        assert.deepEqual(Object.keys(idx).sort(), ['first', 'last', 'status']);
        assert.deepEqual(idx.status, ['1', '1', '0', '1']);
        assert.deepEqual(info.metadata, {});
        assert.equal(info.flag, null);
        assert.equal(info.timestamp, null);
      } else {
        assert.deepEqual(Object.keys(idx).sort(), ['count', 'first']);
        assert.equal(info.metadata.dataFormatVersion, v);
        assert.equal(info.metadata.proposalNumber, 2212);
        assert.equal(info.metadata.runNumber, 42);
        assert.equal(info.metadata.sequenceNumber, 3);
        assert.match(String(info.metadata.creationDate), /^\d{8}T\d{6}Z$/);
        // 1 = good train everywhere except 1.1, which stored the flag inverted.
        assert.deepEqual(info.flag, v === '1.1' ? [0, 1, 0, 0, 0, 0, 0] : [1, 0, 1, 1, 0, 0, 0]);
        assert.equal(info.timestamp!.length, 7);
        assert.equal(info.datasets['INDEX/flag'].dtype, '<i4');
        assert.equal(info.datasets['METADATA/proposalNumber'].dtype, '<u4');
      }
      assert.deepEqual(info.origin, v === '1.2' ? [-1, -1, -1, -1, -1, -1, -1] : null);
      const d = info.datasets;
      assert.equal(d['INDEX/trainId'].dtype, '<u8');
      assert.equal(d[`INDEX/${XGM}/first`].dtype, '<u8');
      assert.deepEqual(d[`INSTRUMENT/${DSSC}/image/data`], { shape: [6, 1, 3, 4], dtype: '<u2', maxshape: [-1, 1, 3, 4], chunks: d[`INSTRUMENT/${DSSC}/image/data`].chunks });
      assert.deepEqual(d[`INSTRUMENT/${DSSC}/image/pulseId`].shape, [6, 1]);
      assert.deepEqual(d[`INSTRUMENT/${DSSC}/image/trainId`].shape, [6]);
      assert.deepEqual(d[`CONTROL/${XGM}/pulseEnergy/photonFlux/value`].shape, [3]);
      assert.equal(d[`CONTROL/${XGM}/pulseEnergy/photonFlux/timestamp`].dtype, '<u8');
      assert.deepEqual(d[`RUN/${XGM}/classId/value`], { shape: [1], dtype: 'str', maxshape: [1], chunks: null });
      // Chunked with an unlimited first axis, as the DAQ writes INDEX, CONTROL and INSTRUMENT.
      for (const [p, ds] of Object.entries(d)) {
        if (/^(INDEX|CONTROL|INSTRUMENT)\//.test(p)) assert.equal(ds.maxshape?.[0], -1, `${p} is not unlimited`);
      }
    });
  }

  it('stores values exactly (uint64 beyond 2^53, float32, streamed frames, train IDs per entry)', async () => {
    const path = join(dir, 'f.h5');
    await writeRunFile(spec(path, '1.0'));
    const got = await runPython<Record<string, unknown>>(String.raw`
import h5py
f = h5py.File(sys.argv[1], 'r')
src = 'INSTRUMENT/SCS_DET_DSSC1M-1/DET/3CH0:xtdf/image/'
emit({'pid': [str(x) for x in f[src + 'pulseId'][:, 0]],
      'data': f[src + 'data'][()].ravel().tolist(),
      'tid': [str(x) for x in f[src + 'trainId'][()]],
      'cell': [str(x) for x in f[src + 'cellId'][:, 0]],
      'flux': f['CONTROL/SCS_BLU_XGM/XGM/DOOCS/pulseEnergy/photonFlux/value'][()].tolist(),
      'cls': f['RUN/SCS_BLU_XGM/XGM/DOOCS/classId/value'][0].decode()})
`, [path]);
    assert.deepEqual(got.pid, ['0', '1', '0', '1', '0', String(BIG)]);
    assert.deepEqual(got.data, Array.from({ length: 72 }, (_, i) => i));
    assert.deepEqual(got.tid, ['10000', '10000', '10001', '10001', '10005', '10005']);
    assert.deepEqual(got.flux, [1.5, 2.5, 3.5]);
    assert.deepEqual(got.cell, [0, 1, 2, 3, 4, 5].map((i) => String(BIG + BigInt(i))));
    assert.equal(got.cls, 'DoocsXGM');
  });

  it('pads the source lists with empty strings and extra raw entries when asked', async () => {
    const path = join(dir, 'f.h5');
    await writeRunFile({ ...spec(path, '1.1'), sourceListPadding: 2, extraSourceListEntries: ['Karabo_TimerServer/SCS_TIMER'] });
    const [info] = await inspectFiles([path]);
    assert.deepEqual(info.sources.dataSourceId.slice(-3), ['Karabo_TimerServer/SCS_TIMER', '', '']);
    assert.deepEqual(info.sources.root.slice(-3), ['Karabo_TimerServer', '', '']);
    assert.deepEqual(info.sources.deviceId.slice(-3), ['SCS_TIMER', '', '']);
    info.sources.dataSourceId = info.sources.dataSourceId.filter((s) => !s.startsWith('Karabo_TimerServer/'));
    checkIndexArithmetic(info);
  });
  it('pads INSTRUMENT datasets past the indexed entries with unwritten zeros when asked', async () => {
    const path = join(dir, 'f.h5');
    await writeRunFile({ ...spec(path, '1.0'), instrumentPadding: 4 });
    const [info] = await inspectFiles([path]);
    assert.deepEqual(countsOf(info, `INDEX/${DSSC}/image`), [2, 2, 0, 2]);
    assert.deepEqual(info.datasets[`INSTRUMENT/${DSSC}/image/data`].shape, [10, 1, 3, 4]);
    assert.deepEqual(info.datasets[`INSTRUMENT/${DSSC}/header/pulseCount`].shape, [7]);
    assert.deepEqual(info.datasets[`CONTROL/${XGM}/pulseEnergy/photonFlux/value`].shape, [3]);
    const tail = await runPython<number[]>(String.raw`
import h5py
emit(h5py.File(sys.argv[1], 'r')['INSTRUMENT/SCS_DET_DSSC1M-1/DET/3CH0:xtdf/image/pulseId'][6:, 0].tolist())
`, [path]);
    assert.deepEqual(tail, [0, 0, 0, 0]);
  });
});

describe('writeRunFile errors', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-runfile-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects inconsistent specs before touching the disk, naming the file', async () => {
    const path = join(dir, 'bad.h5');
    const s = spec(path, '1.0');
    s.instrument![DSSC].indexGroups.image.keys.pulseId.values = BigUint64Array.of(1n);
    await assert.rejects(writeRunFile(s), (e: Error) => e instanceof ToolBoxValueError && e.message.includes(path) && /pulseId has 1 values/.test(e.message));
    await assert.rejects(writeRunFile({ ...spec(path, '1.0'), trainIds: [3n, 2n, 4n, 5n] }), /must ascend/);
    await assert.rejects(writeRunFile({ ...spec(path, '1.0'), flags: [1] }), /1 flags for 4 trains/);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('fails with a path error for a missing folder and leaves no temporary file', async () => {
    await assert.rejects(writeRunFile(spec(join(dir, 'no', 'f.h5'), '1.0')), ToolBoxPathError);
    await writeRunFile(spec(join(dir, 'ok.h5'), '1.0'));
    assert.deepEqual(readdirSync(dir), ['ok.h5']);
  });
});
