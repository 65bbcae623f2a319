/**
 * hRIXS on bad input: a camera the run lacks (the error lists what the run
 * has), regions outside the frame, a dark of another shape, thresholds that
 * find no photon (a ToolBoxWarning with the numbers) or photons everywhere
 * (a ToolBoxValueError with the numbers), 'auto' without the incident
 * energy, unknown settings and options.
 */
import assert from 'node:assert/strict';
import { type Dataset, OptionsError, ParameterError, SourceNameError, ToolBoxValueError, hRIXS, slice } from '../../toolbox/index.js';
import { type HrixsProposal, PROPOSAL, hrixsProposal } from './hrixs-fixture.js';

async function warningsOf(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const listen = (w: Error) => { if (w.name === 'ToolBoxWarning') seen.push(w.message); };
  process.on('warning', listen);
  try {
    await fn();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listen);
  }
  return seen;
}

describe('hRIXS bad input', function () {
  this.timeout(120_000);
  let p: HrixsProposal;
  let h: hRIXS;
  let data: Dataset;

  before(async () => {
    p = hrixsProposal('scs-hrixs-bad-');
    await p.write(1, { trains: 4, photonsPerFrame: 40 });
    await p.write(2, { dark: true, trains: 4 });
    await p.write(3, { trains: 2, detector: 'hRIXS_det' });
    await p.write(4, { dark: true, trains: 2, frameShape: [128, 256] });
    h = new hRIXS(PROPOSAL);
    await h.loadDark(2);
    data = await h.fromRun(1);
  });
  after(() => p?.restore());

  it('a camera the run lacks: SourceNameError listing the cameras and sources of the run', async () => {
    await assert.rejects(h.fromRun(3), (e: Error) => {
      assert.ok(e instanceof SourceNameError);
      assert.match(e.message, /^run 3 of proposal 2953 has no MaranaX camera \(SCS_HRIXS_MARANAX\/CAM\/CAMERA:daqOutput data\.image\.pixels\); cameras in the run: hRIXS_det; hRIXS mnemonics it has: hRIXS_det, hRIXS_index, hRIXS_exposure, hRIXS_delay, hRIXS_norm; its sources: .*SCS_HRIXS_DET\/CAM\/CAMERA:daqOutput/);
      return true;
    });
    const old = new hRIXS(PROPOSAL, { detector: 'hRIXS_det' });
    const ds = await old.fromRun(3);
    assert.deepEqual(ds.get('hRIXS_det').dims, ['trainId', 'x', 'y']);
    assert.deepEqual(old.FIELDS, ['hRIXS_det', 'hRIXS_index', 'hRIXS_delay', 'hRIXS_norm', 'nrj']);
  });

  it('X_RANGE / Y_RANGE outside the frame, or too narrow', () => {
    const k = new hRIXS(PROPOSAL);
    k.X_RANGE = slice(0, 300);
    assert.throws(() => k.integrate(data), { name: 'ToolBoxValueError', message: 'X_RANGE = slice(0, 300, None) is outside the frame: the x axis has 256 pixels (0 to 256)' });
    k.X_RANGE = slice(null, null);
    k.Y_RANGE = slice(600, null);
    assert.throws(() => k.integrate(data), { message: 'Y_RANGE = slice(600, None, None) is outside the frame: the y axis has 512 pixels (0 to 512)' });
    k.Y_RANGE = slice(10, 12);
    assert.throws(() => k.integrate(data), { message: 'Y_RANGE = slice(10, 12, None) leaves 2 pixels of the 512 along y; at least 4 are needed' });
  });

  it('a dark of another shape', async () => {
    const k = new hRIXS(PROPOSAL);
    await k.loadDark(4);
    assert.throws(() => k.integrate(data), (e: Error) => e instanceof ToolBoxValueError
      && e.message === 'the dark image is 128 × 256 pixels but the frames are 256 × 512: load a dark of the same camera and binning (or set USE_DARK = false)');
  });

  it('a threshold that finds no photon warns with the threshold and the largest sum', async () => {
    h.THRESHOLD = 1e6;
    const seen = await warningsOf(() => h.centroid(data, { method: 'manual' }));
    h.THRESHOLD = null;
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^centroiding found no photon in 4 frames: the threshold is 1000000\.0 ADU \(THRESHOLD 1000000\) and the largest 2 × 2 sum above the frame mean was \d+\.\d ADU$/);
  });

  it('thresholds that find photons everywhere are errors with the numbers', async () => {
    h.THRESHOLD = 0;
    await assert.rejects(h.centroid(data, { method: 'manual' }), {
      name: 'ToolBoxValueError',
      message: /^centroiding finds photons everywhere in frame 0: \d+ of 130305 2 × 2 sums above the frame mean \(\d+\.\d%\) exceed the threshold 0\.0 ADU \(THRESHOLD 0; frame mean -?\d+\.\d, std \d+\.\d ADU\); raise the threshold, or load a dark$/,
    });
    h.THRESHOLD = null;
    h.ADU_PER_EV = 1e-4;
    await assert.rejects(h.centroid(data), { message: /^centroiding finds photons everywhere in frame 0: \d+ of 129540 pixels above the frame mean .* exceed the threshold 0\.0 ADU \(centroidTwo at 930 eV: one photon = 0\.1 ADU with ADU_PER_EV 0\.0001;/ });
    h.ADU_PER_EV = 0.2;
  });

  it("'auto' needs the incident energy; bad settings and options are named", async () => {
    await assert.rejects(h.centroid(data.dropVars('nrj')), { name: 'ParameterError', message: /^centroid with method 'auto' \(centroidTwo\) takes the thresholds from the incident energy 'nrj', which the dataset lacks/ });
    await assert.rejects(h.centroid(data, { method: 'fast' as 'auto' }), ParameterError);
    await assert.rejects(h.centroid(data, { bin: 10 } as object), OptionsError);
    assert.throws(() => h.setParams({ CURVE_C: 1 } as object), (e: Error) => e instanceof OptionsError && e.message.startsWith('hRIXS.setParams: ') && e.message.includes('CURVE_C'));
    assert.throws(() => new hRIXS(PROPOSAL, { detector: 'Newton' as 'MaranaX' }), { message: "detector must be 'MaranaX' or 'hRIXS_det', got 'Newton'" });
    assert.throws(() => h.centroidTwo(data.get('MaranaX').isel({ trainId: 0 }), 0), { message: 'centroidTwo needs the incident photon energy in eV (> 0), got 0' });
  });
});
