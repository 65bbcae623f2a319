import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DSSCBinner, DataArray, type DataCollection, SourceNameError, ToolBoxError, ToolBoxFileError, ToolBoxValueError, createDsscBins, getArray, loadXarray, runByPath,
} from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';
import { runByFiles } from '../../toolbox/run/open.js';
import { runTasks } from '../../toolbox/routines/dssc/execute.js';

const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];
const F = 12;
const frames = [...Array(F).keys()];

function catchWarnings(): { messages: string[]; stop: () => Promise<string[]> } {
  const messages: string[] = [];
  const on = (w: Error) => { if (w.name === 'ToolBoxWarning') messages.push(w.message); };
  process.on('warning', on);
  return { messages, stop: async () => { await new Promise((r) => setImmediate(r)); process.off('warning', on); return messages; } };
}

describe('DSSC binning: bad input', function () {
  this.timeout(300_000);
  let dir: string;
  let run: DataCollection;
  let ids: BigUint64Array;
  let n = 0;
  const out = () => join(dir, `out${n++}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scs-dssc-bad-'));
    await writeMockRun(join(dir, 'r179'), { proposal: 2719, run: 179, trains: 12, frames: F, modules: 2, pixels: [16, 32], seed: 3, scan: 'energy' });
    run = await runByPath(join(dir, 'r179'));
    ids = run.trainIdsExact;
  });
  after(() => { run?.close(); rmSync(dir, { recursive: true, force: true }); });

  const pulse = () => createDsscBins('pulse', frames, PATTERN);

  it('a scan variable that is NaN everywhere: warning, one bin', async () => {
    const b = await DSSCBinner.create(run, { binners: { trainId: createDsscBins('trainId', ids, new Array(ids.length).fill(NaN)), pulse: pulse() } });
    const w = catchWarnings();
    const s = await b.processData({ filepath: out(), modules: [0], nJobs: 1, progress: false });
    const messages = await w.stop();
    assert.ok(messages.some((m) => /is NaN for all 12 trains: all its trains go into one bin/.test(m)), messages.join('\n'));
    const ds = await loadXarray(s.files[0], { group: 'data' });
    assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), [1]);
    assert.equal(s.trainsUsed, 12);
  });

  it('a scan variable with a single value (bin width larger than the scan range): warning, one bin', async () => {
    const scan = await getArray(run, 'nrj', 1000);
    const b = await DSSCBinner.create(run, { binners: { trainId: createDsscBins('trainId', scan.coords.trainId.values as BigUint64Array, scan), pulse: pulse() } });
    const w = catchWarnings();
    const s = await b.processData({ filepath: out(), modules: [1], nJobs: 2, progress: false });
    const messages = await w.stop();
    assert.ok(messages.some((m) => /has the single value 1000 over its 12 trains with a value: one bin/.test(m)), messages.join('\n'));
    assert.equal((await loadXarray(s.files[0], { group: 'data' })).sizes.trainId, 1);
  });

  it('some NaN scan values: those trains are excluded and counted', async () => {
    const v = Array.from({ length: ids.length }, (_, i) => (i % 4 === 0 ? NaN : i % 2));
    const b = await DSSCBinner.create(run, { binners: { trainId: createDsscBins('trainId', ids, v) } });
    const s = await b.processData({ filepath: out(), modules: [0], nJobs: 1, progress: false });
    assert.equal(s.trainsExcluded.noScanValue, 3);
    assert.equal(s.trainsUsed, 9);
    const ds = await loadXarray(s.files[0], { group: 'data' });
    assert.deepEqual(Array.from(ds.coords.trainId.values as Float64Array), [0, 1]);
    // no pulse binner: every frame its own bin
    assert.deepEqual(Array.from(ds.coords.pulse.values as Int32Array), frames);
  });

  it('a frame pattern that does not divide the frames per train', () => {
    assert.throws(() => createDsscBins('pulse', frames, ['a', 'b', 'c', 'd', 'e']), (e: Error) => e instanceof ToolBoxValueError
      && e.message === 'pulse pattern of length 5 (a, b, c, d, e) does not divide the frame count 12; give one label per frame or a pattern whose length divides it');
    assert.throws(() => createDsscBins('z', frames, frames), /binner name must be one of trainId, pulse, x, y, got 'z'/);
  });

  it('a pulse binner that does not cover the frames binned', async () => {
    const b = await DSSCBinner.create(run, { binners: { pulse: createDsscBins('pulse', [0, 1, 2, 3, 4, 5, 6, 7], PATTERN) } });
    await assert.rejects(b.processData({ filepath: out(), progress: false }), /the pulse binner has no label for frame 8: it covers 8 frames, 12 are binned per train/);
    // with maxframes 8 it is enough
    const s = await b.processData({ filepath: out(), modules: [0], maxframes: 8, nJobs: 1, progress: false });
    assert.equal(s.framesBinned, 12 * 8);
  });

  it('a mask of the wrong shape or dims', async () => {
    const b = await DSSCBinner.create(run, { binners: { pulse: pulse() } });
    const bad = new DataArray(new Uint8Array(16), { dims: ['x'], dtype: 'bool' });
    assert.throws(() => b.setPulsemask(bad), (e: Error) => e instanceof ToolBoxValueError
      && e.message === 'the pulse mask must have dims (trainId, pulse), (pulse) or (trainId); got dims (x) and shape [16]');
    const short = new DataArray(new Uint8Array(ids.length * 3).fill(1), { dims: ['trainId', 'pulse'], shape: [ids.length, 3], dtype: 'bool', coords: { trainId: ids } });
    assert.throws(() => b.setPulsemask(short), /the pulse mask has 3 frames along 'pulse' \(dims \(trainId, pulse\) and shape \[12, 3\]\) but 12 frames per train are binned/);
  });

  it('a (pulse) mask broadcasts over trains and a (trainId) mask over frames', async () => {
    const b = await DSSCBinner.create(run, { binners: { pulse: pulse() } });
    b.setPulsemask(new DataArray(Uint8Array.from(frames, (f) => (f < 4 ? 1 : 0)), { dims: ['pulse'], dtype: 'bool' }));
    const s1 = await b.processData({ filepath: out(), modules: [0], nJobs: 1, progress: false });
    assert.equal(s1.framesBinned, 12 * 4);
    // the first 10 trains, of which the first 5 are kept
    const keep = Uint8Array.from({ length: 10 }, (_, i) => (i < 5 ? 1 : 0));
    b.setPulsemask(new DataArray(keep, { dims: ['trainId'], dtype: 'bool', coords: { trainId: ids.slice(0, 10) } }));
    const s2 = await b.processData({ filepath: out(), modules: [0], nJobs: 1, progress: false });
    assert.equal(s2.trainsUsed, 5);
    assert.equal(s2.trainsExcluded.notInMask, 2);
    assert.equal(s2.trainsExcluded.allFramesMasked, 5);
  });

  it('XGM absent when normalising or masking: the error names the XGM source', async () => {
    const noXgm = await runByPath(join(dir, 'r179'), { include: '*DSSC*' });
    try {
      const b = await DSSCBinner.create(noXgm, { binners: { pulse: pulse() } });
      await assert.rejects(b.processData({ filepath: out(), xgmNormalization: true, normevery: 2, progress: false }),
        (e: Error) => e instanceof ToolBoxValueError && /^XGM 'SCS_SA3' is needed for XGM normalisation but cannot be read: .*SCS_BLU_XGM\/XGM\/DOOCS:output/.test(e.message));
      // An absent device is a SourceNameError (a ToolBoxValueError) naming the source and the mnemonic.
      await assert.rejects(b.createPulsemask({ threshold: [0, 1000] }), (e: Error) => e instanceof SourceNameError && e.source === 'SCS_BLU_XGM/XGM/DOOCS:output' && e.mnemonic === 'SCS_SA3'
        && /^SourceNameError: XGM 'SCS_SA3' is needed for the XGM pulse mask but cannot be read: .*SCS_BLU_XGM\/XGM\/DOOCS:output/.test(String(e)));
    } finally {
      noXgm.close();
    }
  });

  it('a dark image with another frame count', async () => {
    const b = await DSSCBinner.create(run, { binners: { pulse: pulse() } });
    const dark = new DataArray(new Float64Array(10 * 16 * 32), { dims: ['pulse', 'x', 'y'], shape: [10, 16, 32] });
    const target = out();
    await assert.rejects(b.processData({ filepath: target, darkImage: dark, progress: false }), (e: Error) => e instanceof ToolBoxValueError
      && e.message === "dark image has 10 frames along 'pulse', run 179 uses 12; take the dark from a run with the same frame pattern");
    assert.equal(existsSync(target), false, 'nothing written');
    const wrongPixels = new DataArray(new Float64Array(16 * 16), { dims: ['x', 'y'], shape: [16, 16] });
    await assert.rejects(b.processData({ filepath: out(), darkImage: wrongPixels, progress: false }), /dark image has 16×16 pixels \(x×y\), DSSC module 0 has 16×32/);
  });

  it('a module the run does not have', async () => {
    const b = await DSSCBinner.create(run, {});
    await assert.rejects(b.processData({ filepath: out(), modules: [0, 5], progress: false }), (e: Error) => e instanceof ToolBoxValueError
      && e.message === 'DSSC module 5 is not in run 179; modules present: 0, 1');
  });

  it('a normalised frame with no XGM pulse mapped to it', async () => {
    const b = await DSSCBinner.create(run, { binners: { pulse: pulse() } });
    await assert.rejects(b.processData({ filepath: out(), xgmNormalization: true, normevery: 1, progress: false }), (e: Error) => e instanceof ToolBoxValueError
      && e.message.startsWith('frame 1 is to be XGM-normalised (normevery 1) but no XGM pulse maps to it with dsscCoordsStride 2'));
  });

  it('bad options', async () => {
    const b = await DSSCBinner.create(run, {});
    await assert.rejects(b.processData({ averaging: 'mean' as never, progress: false }), /averaging must be 'frames' or 'trains', got 'mean'/);
    await assert.rejects(b.processData({ chunksize: 0, progress: false }), /chunksize must be a positive integer, got 0/);
    await assert.rejects(b.processData({ maxframes: 0, progress: false }), /maxframes must be a positive integer, got 0/);
    await assert.rejects(DSSCBinner.create(run, { dsscCoordsStride: 0 }), /dsscCoordsStride must be a positive integer, a list of frames or 'pattern', got 0/);
  });

  it('an error inside a worker comes back as the same ToolBoxError class', async () => {
    const copy = join(dir, 'r179-broken');
    await writeMockRun(copy, { proposal: 2719, run: 179, trains: 12, frames: F, modules: 2, pixels: [16, 32], seed: 3 });
    const broken = await runByPath(copy);
    try {
      const b = await DSSCBinner.create(broken, {});
      const file = readdirSync(copy).find((f) => f.includes('DSSC01'))!;
      // a new file under the old name: the open collection keeps the old one, the workers open the new one
      unlinkSync(join(copy, file));
      writeFileSync(join(copy, file), 'not an HDF5 file');
      const target = out();
      await assert.rejects(b.processData({ filepath: target, nJobs: 2, progress: false }), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(file) && /in worker thread/.test(e.stack ?? ''));
      assert.equal(existsSync(join(target, 'run_179_module1.h5')), false);
    } finally {
      broken.close();
    }
  });

  it('a worker error is rebuilt with the class and message the worker threw', async () => {
    const junk = join(dir, 'junk.h5');
    writeFileSync(junk, 'not an HDF5 file either');
    const inMain = await runByFiles([junk]).then(() => null, (e: Error) => e);
    assert.ok(inMain instanceof ToolBoxFileError);
    const task = { files: [junk], incSuspectTrains: true, module: 0, chunksize: 4, trainIds: BigUint64Array.of(1n), scanBin: Int32Array.of(0),
      weights: Float64Array.of(1), frames: 1, pulseBin: Int32Array.of(0), nScan: 1, nPulse: 1, pixels: 4 };
    await assert.rejects(runTasks([task], { nJobs: 1, onResult: () => {} }), (e: Error) => e instanceof ToolBoxFileError && e.message === inMain.message
      && /in worker thread/.test(e.stack ?? ''));
  });

  it('aborting terminates the workers and writes nothing', async () => {
    const b = await DSSCBinner.create(run, {});
    const ac = new AbortController();
    const target = out();
    const seen: number[] = [];
    // abort once the first chunk is in: the workers are then still running
    const p = b.processData({ filepath: target, nJobs: 2, chunksize: 1, signal: ac.signal, progress: (done) => { seen.push(done); ac.abort(); } });
    await assert.rejects(p, (e: Error) => Object.getPrototypeOf(e) === ToolBoxError.prototype && /^DSSC binning aborted \(0 of 2 tasks done\)/.test(e.message));
    assert.ok(seen.length >= 1 && seen[0] < 2 * 12 * F, `progress seen: ${seen.join(', ')}`);
    assert.equal(existsSync(target), false);
  });

  it('nJobs 1 bins in this thread: an abort stops it at the next chunk and writes nothing', async () => {
    const b = await DSSCBinner.create(run, {});
    const ac = new AbortController();
    const target = out();
    const seen: number[] = [];
    const p = b.processData({ filepath: target, nJobs: 1, chunksize: 2, signal: ac.signal, progress: (done) => { seen.push(done); ac.abort(); } });
    await assert.rejects(p, (e: Error) => Object.getPrototypeOf(e) === ToolBoxError.prototype && /^DSSC binning aborted \(0 of 2 tasks done\)/.test(e.message));
    assert.deepEqual(seen, [F], 'one chunk (half of chunksize: one train) binned, then stopped');
    assert.equal(existsSync(target), false);
  });

  it('nJobs 1: an error names its module and the outcome lists the modules written', async () => {
    const b = await DSSCBinner.create(run, {});
    const target = out();
    let calls = 0;
    // a throwing progress callback stands for any failure while module 1 is binned
    const p = b.processData({ filepath: target, nJobs: 1, chunksize: 4, progress: (done) => { if (++calls > 6 && done > 12 * F) throw new ToolBoxValueError('stop here'); } });
    await assert.rejects(p, (e: Error) => e instanceof ToolBoxValueError && e.message.startsWith('stop here\nDSSC binning of run 179: module files written: module 0'));
    assert.deepEqual(readdirSync(target), ['run_179_module0.h5']);
  });

  it('a SIGINT (Ctrl-C, the kernel\'s interrupt) stops the workers and writes nothing', async () => {
    const target = out();
    // in a child process: mocha handles SIGINT itself
    const script = `
      const tb = require(${JSON.stringify(join(__dirname, '..', '..', 'toolbox', 'index.js'))});
      (async () => {
        const b = await tb.DSSCBinner.create(await tb.runByPath(${JSON.stringify(join(dir, 'r179'))}), {});
        let sent = false;
        try {
          await b.processData({ filepath: ${JSON.stringify(target)}, nJobs: 2, chunksize: 1,
            progress: () => { if (!sent) { sent = true; process.kill(process.pid, 'SIGINT'); } } });
          console.log(JSON.stringify({ finished: true }));
        } catch (e) {
          console.log(JSON.stringify({ name: e.name, message: e.message }));
        }
      })();`;
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { encoding: 'utf8' }, (err, so, se) => (err ? reject(new Error(`${err.message}\n${se}`)) : resolve({ stdout: so })));
    });
    const outcome = JSON.parse(stdout.trim().split('\n').pop()!) as { name?: string; message?: string; finished?: boolean };
    assert.equal(outcome.name, 'ToolBoxError', stdout);
    assert.match(outcome.message!, /^DSSC binning aborted/);
    assert.equal(existsSync(target), false);
  });

  it('aborting before the start', async () => {
    const b = await DSSCBinner.create(run, {});
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(b.processData({ filepath: out(), signal: ac.signal, progress: false }), /DSSC binning aborted/);
  });
});
