import assert from 'node:assert/strict';
import { DataArray, OptionsError, ParameterError, ToolBoxError, parameters, type ModuleLoader } from '../../toolbox/index.js';
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, memoryFrames } from './params-helpers.js';

const isParam = (name: string) => (e: Error) => e instanceof ParameterError && e.parameter === name;

describe('BOZ parameters: the class', () => {
  it('constructor: Python positional arguments, dropIntraDarks option, defaults', () => {
    const p = new parameters(2937, 615, 614, 15, 3);
    assert.deepEqual([p.proposal, p.darkrun, p.run, p.module, p.gain, p.dropIntraDarks], [2937, 615, 614, 15, 3, true]);
    assert.equal(new parameters(1, 2, 3, 0, 1, { dropIntraDarks: false }).dropIntraDarks, false);
    assert.equal(p.getMaskIdx().length, 0);
    assert.equal(p.getFlatField(), null);
    assert.equal(p.getFnl(), null);
    assert.equal(p.rois, null);
    assert.equal(p.forceMirror, true);
    assert.equal(p.useHex, false);
  });

  it('constructor: bad input', () => {
    assert.throws(() => new parameters(1, 2, 3, 16, 1), isParam('module'));
    assert.throws(() => new parameters(1.5, 2, 3, 1, 1), isParam('proposal'));
    assert.throws(() => new parameters(1, 2, 3, 1, NaN), isParam('gain'));
    assert.throws(() => new parameters(1, 2, 3, 1, 1, { drop_intra_darks: false } as never), (e: Error) => e instanceof OptionsError && /dropIntraDarks/.test(e.message));
  });

  describe('mask', () => {
    it('from [row, column] indices, back as the same list in row-major order', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      p.setMask([[127, 511], [0, 3], [5, 7]]);
      assert.deepEqual(p.getMaskIdx(), [[0, 3], [5, 7], [127, 511]]);
      const m = p.getMask();
      assert.equal(m.length, MODULE_PIXELS);
      assert.equal(m[5 * MODULE_COLS + 7], 1);
      assert.equal(m.reduce((a, b) => a + b, 0), 3);
      m[0] = 1;
      assert.equal(p.getMask()[0], 0, 'getMask returns a copy');
      p.setMask([]);
      assert.equal(p.getMaskIdx().length, 0);
    });

    it('from module images: flat flags, 128 rows of booleans, a DataArray; true / non-zero = bad', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      const flat = new Uint8Array(MODULE_PIXELS);
      flat[10] = 1; flat[MODULE_PIXELS - 1] = 7;
      p.setMask(flat);
      assert.deepEqual(p.getMaskIdx(), [[0, 10], [127, 511]]);
      const rows = Array.from({ length: MODULE_ROWS }, (_, r) => Array.from({ length: MODULE_COLS }, (_, c) => r === 64 && c === 100));
      p.setMask(rows);
      assert.deepEqual(p.getMaskIdx(), [[64, 100]]);
      const da = new DataArray(Float64Array.from({ length: MODULE_PIXELS }, (_, i) => (i === 513 ? 1 : 0)), { dims: ['x', 'y'], shape: [MODULE_ROWS, MODULE_COLS] });
      p.setMask(da);
      assert.deepEqual(p.getMaskIdx(), [[1, 1]]);
      // A round trip through the indices gives the same image.
      const q = new parameters(1, 2, 3, 4, 5);
      q.setMask(p.getMaskIdx());
      assert.deepEqual(q.getMask(), p.getMask());
    });

    it('bad masks: outside the module, wrong sizes, not pairs', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      assert.throws(() => p.setMask([[128, 0]]), (e: Error) => isParam('mask')(e) && /\[128, 0\] is outside the module/.test(e.message));
      assert.throws(() => p.setMask([[0, -1]]), isParam('mask'));
      assert.throws(() => p.setMask([[0.5, 1]]), isParam('mask'));
      assert.throws(() => p.setMask(new Uint8Array(100)), (e: Error) => isParam('mask')(e) && /65536/.test(e.message));
      assert.throws(() => p.setMask(new DataArray(new Uint8Array(512 * 64), { dims: ['x', 'y'], shape: [64, 512] })), (e: Error) => isParam('mask')(e) && /\(64, 512\)/.test(e.message));
      assert.throws(() => p.setMask([1, 2, 3] as never), isParam('mask'));
      assert.throws(() => p.setMask('all' as never), isParam('mask'));
      assert.equal(p.getMaskIdx().length, 0, 'a refused mask leaves the old one');
    });
  });

  describe('flat field and Fnl', () => {
    it('flatFieldGuess: documented default (flat field 1), 8 numbers, or 4 mirrored', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      assert.deepEqual(p.flatFieldGuess(), [0, 0, 1, -1, 0, 0, 1, -1]);
      assert.deepEqual(p.planeGuessFit, [0, 0, 1, -1, 0, 0, 1, -1]);
      assert.deepEqual(p.flatFieldGuess([1, 2, 3, 4]), [1, 2, 3, 4, -1, 2, 3, 4]);
      assert.deepEqual(p.flatFieldGuess([1, 2, 3, 4, 5, 6, 7, 8]), [1, 2, 3, 4, 5, 6, 7, 8]);
      p.forceMirror = false;
      assert.throws(() => p.flatFieldGuess([1, 2, 3, 4]), isParam('guess'));
    });

    it('setFlatField / getFlatField with thresholds', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      p.setFlatField([0.5, 0, 1, -1], { prodTh: [3, 1e9], ratioTh: [0.5, 1.5] });
      assert.deepEqual(p.getFlatField(), [0.5, 0, 1, -1, -0.5, 0, 1, -1]);
      assert.equal(p.ffType, 'plane');
      assert.deepEqual(p.ffProdTh, [3, 1e9]);
      assert.deepEqual(p.ffRatioTh, [0.5, 1.5]);
      p.setFlatField([1, 2, 3, 4, 5, 6, 7, 8]);
      assert.deepEqual(p.ffRatioTh, [0.5, 1.5], 'thresholds kept when omitted');
      assert.throws(() => p.setFlatField([1, 2, 3, 4], { ffType: 'polyline' }), isParam('ffType'));
      assert.throws(() => p.setFlatField([1, 2, 3]), isParam('ffParams'));
      assert.throws(() => p.setFlatField([1, 2, 3, NaN]), isParam('ffParams'));
      assert.throws(() => p.setFlatField([1, 2, 3, 4], { prodTh: [1] as never }), isParam('prodTh'));
      assert.throws(() => p.setFlatField([1, 2, 3, 4], { prod_th: [1, 2] } as never), OptionsError);
    });

    it('setFnl / getFnl: 512 finite values, copied', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      const f = Float64Array.from({ length: 512 }, (_, v) => v * 1.01);
      p.setFnl(f);
      f[3] = 0;
      assert.equal(p.getFnl()![3], 3 * 1.01);
      p.setFnl(Array.from({ length: 512 }, (_, v) => v));
      assert.equal(p.getFnl()![511], 511);
      assert.throws(() => p.setFnl(new Float64Array(511)), (e: Error) => isParam('Fnl')(e) && /511/.test(e.message));
      const bad = new Float64Array(512); bad[7] = Infinity;
      assert.throws(() => p.setFnl(bad), (e: Error) => isParam('Fnl')(e) && /Fnl\[7\]/.test(e.message));
    });
  });

  describe('data', () => {
    const frames = (run: number, pulses: number) => memoryFrames(new Uint16Array(2 * pulses * MODULE_PIXELS).fill(run % 512), 2, pulses, { run });

    it('openData loads the dark run and the run of the module through the loader', async () => {
      const calls: unknown[] = [];
      const loader: ModuleLoader = async (proposal, run, options) => {
        calls.push([proposal, run, options]);
        const arr = frames(run, 3);
        return { arr, tid: arr.trainIds };
      };
      const p = new parameters(2937, 615, 614, 7, 3);
      assert.equal(p.useGpu(), false);
      p.daskLoadPersistently({ dataSizeGb: 2 });
      await p.openData({ loader });
      assert.deepEqual(calls, [
        [2937, 615, { moduleNB: 7, dropIntraDarks: true, persist: true }],
        [2937, 614, { moduleNB: 7, dropIntraDarks: true, persist: true, dataSizeGb: 2 }],
      ]);
      assert.equal(p.arrDark?.run, 615);
      assert.equal(p.arr?.run, 614);
      assert.deepEqual(p.tid, p.arr?.trainIds);
      assert.deepEqual(p.tidDark, p.arrDark?.trainIds);
    });

    it('a dark run with another frame count: a ToolBoxError naming both runs', async () => {
      const loader: ModuleLoader = async (_p, run) => { const arr = frames(run, run === 615 ? 4 : 3); return { arr, tid: arr.trainIds }; };
      await assert.rejects(new parameters(2937, 615, 614, 7, 3).openData({ loader }), (e: Error) => e instanceof ToolBoxError && /dark run 615 has 4 frames per train, run 614 has 3/.test(e.message));
    });

    it('daskLoadPersistently: bad sizes', () => {
      const p = new parameters(1, 2, 3, 4, 5);
      assert.throws(() => p.daskLoadPersistently({ dataSizeGb: -1 }), isParam('dataSizeGb'));
      assert.throws(() => p.daskLoadPersistently({ data_size_Gb: 1 } as never), OptionsError);
    });
  });

  it('toString lists the run, mask, ROIs, flat field and non-linearity', () => {
    const p = new parameters(2937, 615, 614, 15, 3);
    p.setMask([[1, 1]]);
    p.rois = { n: { xl: 1, xh: 5, yl: 2, yh: 9 } };
    p.setFnl(Float64Array.from({ length: 512 }, (_, v) => v + (v === 100 ? 2 : 0)));
    const s = p.toString();
    for (const part of ['proposal: 2937', 'darkrun: 615', 'run: 614', 'module: 15', '1 bad pixels', 'n: x [1, 5) y [2, 9)', 'max |F(v) − v| = 2.000', 'prod_th [5, inf]']) {
      assert.ok(s.includes(part), `${part} in\n${s}`);
    }
    assert.equal(String(p), s);
  });
});
