import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, ParameterError, ToolBoxError, badPixelMap, inspectDark, parameters } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { MODULE_COLS, MODULE_PIXELS, memoryFrames, rng } from './params-helpers.js';

const TRAINS = 3, PULSES = 4;

/** A dark run of 3 trains × 4 pulses: 30 + noise of width 6, a dead pixel (always 0) and a noisy pixel. */
function darkFrames(): { data: Uint16Array; dead: number; noisy: number } {
  const r = rng(5);
  const dead = 3 * MODULE_COLS + 7, noisy = 100 * MODULE_COLS + 400;
  const data = new Uint16Array(TRAINS * PULSES * MODULE_PIXELS);
  for (let i = 0; i < data.length; i++) {
    const px = i % MODULE_PIXELS;
    data[i] = px === dead ? 0 : px === noisy ? Math.floor(r() * 500) : 30 + Math.floor(r() * 6);
  }
  return { data, dead, noisy };
}

describe('BOZ dark: badPixelMap and inspectDark', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-boz-dark-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('badPixelMap: 1 where the dark mean or std is outside params.meanTh / params.stdTh', async () => {
    const { data, dead, noisy } = darkFrames();
    const p = new parameters(1, 2, 3, 15, 1);
    await assert.rejects(badPixelMap(p), (e: Error) => e instanceof ToolBoxError && /openData/.test(e.message));
    p.arrDark = memoryFrames(data, TRAINS, PULSES);
    assert.equal((await badPixelMap(p)).reduce((a, b) => a + b, 0), 0, 'no thresholds, no bad pixel');
    p.meanTh = [10, null];
    let m = await badPixelMap(p);
    assert.deepEqual([m[dead], m.reduce((a, b) => a + b, 0)], [1, 1]);
    p.stdTh = [null, 10];
    m = await badPixelMap(p);
    assert.deepEqual([m[dead], m[noisy], m.reduce((a, b) => a + b, 0)], [1, 1, 2]);
    p.setMask(m);
    assert.deepEqual(p.getMaskIdx(), [[3, 7], [100, 400]]);
    p.meanTh = [10, 5];
    await assert.rejects(badPixelMap(p), (e: Error) => e instanceof ParameterError && /low 10 is above high 5/.test(e.message));
  });

  it('inspectDark: mean, std and masks equal numpy (1e-9), with a plot', async function () {
    await requirePython(this);
    const { data } = darkFrames();
    const file = join(dir, 'dark.u16');
    writeFileSync(file, data);
    const res = await inspectDark(memoryFrames(data, TRAINS, PULSES, { chunkTrains: 2 }), { meanTh: [30, 34], stdTh: [0.5, null] });
    const ref = await runPython<{ mean: number[]; std: number[]; meanBad: number[]; stdBad: number[] }>(String.raw`
a = np.fromfile(sys.argv[1], dtype='<u2').reshape(-1, 128, 512).astype(float)
m = a.mean(axis=0); s = a.std(axis=0)
emit({'mean': m.ravel().tolist(), 'std': s.ravel().tolist(),
      'meanBad': np.flatnonzero((m < 30) | (m > 34)).tolist(), 'stdBad': np.flatnonzero(s < 0.5).tolist()})
`, [file]);
    const mean = res.mean.values as Float64Array, std = res.std.values as Float64Array;
    for (let i = 0; i < MODULE_PIXELS; i++) {
      assert.ok(Math.abs(mean[i] - ref.mean[i]) <= 1e-9 * Math.max(1, ref.mean[i]), `mean[${i}]`);
      assert.ok(Math.abs(std[i] - ref.std[i]) <= 1e-9 * Math.max(1, ref.std[i]), `std[${i}] ${std[i]} ${ref.std[i]}`);
    }
    const idx = (m: Uint8Array) => Array.from(m.keys()).filter((i) => m[i]);
    assert.deepEqual(idx(res.meanMask), ref.meanBad);
    assert.deepEqual(idx(res.stdMask), ref.stdBad);
    assert.deepEqual(idx(res.mask), [...new Set([...ref.meanBad, ...ref.stdBad])].sort((a, b) => a - b));
    assert.deepEqual(res.mean.dims, ['x', 'y']);
    assert.equal(res.frames, TRAINS * PULSES);
    const spec = await res.plot.toSpec() as { vconcat: unknown[] };
    assert.equal(spec.vconcat.length, 4);
  });

  it('inspectDark: bad thresholds and options', async () => {
    const arr = memoryFrames(darkFrames().data, TRAINS, PULSES);
    await assert.rejects(inspectDark(arr, { meanTh: [1] as never }), (e: Error) => e instanceof ParameterError && e.parameter === 'meanTh');
    await assert.rejects(inspectDark(arr, { stdTh: [NaN, 1] }), (e: Error) => e instanceof ParameterError && e.parameter === 'stdTh');
    await assert.rejects(inspectDark(arr, { mean_th: [1, 2] } as never), OptionsError);
  });
});
