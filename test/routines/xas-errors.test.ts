import assert from 'node:assert/strict';
import { DataArray, Dataset, ParameterError, ToolBoxValueError, VariableNameError, xas, xasxmcd } from '../../toolbox/index.js';

/** Bad input to xas() and xasxmcd(): clear ToolBoxErrors naming what is wrong, or a documented warning. */
describe('xas() and xasxmcd(): bad input', () => {
  const n = 40;
  const nrj = Array.from({ length: n }, (_, i) => 700 + i * 0.25);
  const io = nrj.map((_, i) => 100 + (i % 7));
  const itv = io.map((v, i) => -0.4 * v * (1 + 0.01 * (i % 3)));
  const ds = new Dataset({ SCS_SA3: ['pulse', io], MCP3peaks: ['pulse', itv], nrj: ['pulse', nrj] });

  it('a missing key names the option and the key and lists what exists', () => {
    assert.throws(() => xas(ds, { itkey: 'MCP2peaks' }), (e: Error) => e instanceof VariableNameError
      && e.message === "xas: itkey 'MCP2peaks' is not in the Dataset. Did you mean 'MCP3peaks'? Data variables: SCS_SA3, MCP3peaks, nrj; coordinates: (none)");
    assert.throws(() => xas(ds, { nrjkey: 'time_delay' }), { name: 'VariableNameError', message: /^xas: nrjkey 'time_delay' is not in the Dataset\..*Data variables: SCS_SA3, MCP3peaks, nrj/ });
    assert.throws(() => xas(ds.dropVars('SCS_SA3')), { message: /xas: iokey 'SCS_SA3' is not in the Dataset/ });
  });

  it('bins: width zero, a width wider than the range, non-increasing edges, a bad count', () => {
    assert.throws(() => xas(ds, { bins: { width: 0 } }), (e: Error) => e instanceof ParameterError && /a bin width must be a positive finite number, got 0/.test(e.message));
    assert.throws(() => xas(ds, { bins: 10.5 }), { name: 'ParameterError', message: "xas: a bin width of 10.5 is wider than the range of 'nrj' (700 to 709.75, 9.75 wide)" });
    assert.throws(() => xas(ds, { bins: [700, 702, 702, 705] }), { name: 'ParameterError', message: 'xas: bin edges must increase strictly, but edge 2 (702) follows 702' });
    assert.throws(() => xas(ds, { bins: [705, 700] }), { message: /must increase strictly/ });
    assert.throws(() => xas(ds, { bins: [700] }), { message: 'xas: bin edges need at least two values, got 1' });
    assert.throws(() => xas(ds, { bins: 0 }), { message: 'xas: a number of bins must be a positive integer, got 0' });
    assert.throws(() => xas(ds, { bins: -3 }), { message: 'xas: a number of bins must be a positive integer, got -3' });
    assert.throws(() => xas(ds, { bins: { count: 2.5 } }), { message: 'xas: a number of bins must be a positive integer, got 2.5' });
    assert.throws(() => xas(ds, { bins: [700, NaN] }), { message: 'xas: bin edge 1 is NaN; edges must be finite' });
    const one = new Dataset({ SCS_SA3: ['p', [1, 2]], MCP3peaks: ['p', [1, 1]], nrj: ['p', [708, 708]] });
    assert.throws(() => xas(one), { name: 'ToolBoxValueError', message: /every 'nrj' value is 708, so 80 equal bins over \[min, max\] have width zero/ });
  });

  it('edges that hold no value, all-NaN signals, bad options', () => {
    assert.throws(() => xas(ds, { bins: [800, 801] }), { name: 'ToolBoxValueError', message: "xas: no 'nrj' value (700 to 709.75) falls inside the bin edges 800 to 801" });
    const nan = new Dataset({ SCS_SA3: ['pulse', io.map(() => NaN)], MCP3peaks: ['pulse', itv], nrj: ['pulse', nrj] });
    assert.throws(() => xas(nan), (e: Error) => e instanceof ToolBoxValueError && e.message === `xas: iokey 'SCS_SA3' has no finite value (all ${n} are NaN or infinite)`);
    const apart = new Dataset({ SCS_SA3: ['pulse', io.map((v, i) => (i % 2 ? v : NaN))], MCP3peaks: ['pulse', itv.map((v, i) => (i % 2 ? NaN : v))], nrj: ['pulse', nrj] });
    assert.throws(() => xas(apart), { message: "xas: no pulse has finite 'nrj', 'SCS_SA3' and 'MCP3peaks' together" });
    assert.throws(() => xas(ds, { Iokey: 'SCS_SA3' } as never), { name: 'OptionsError', message: /xas: unknown option 'Iokey'.*iokey/ });
    assert.throws(() => xas(ds, { iooffset: NaN }), { message: 'xas: iooffset must be a finite number, got NaN' });
    assert.throws(() => xas({} as Dataset), { message: 'xas: nrun must be a Dataset (e.g. from load()), got object' });
    assert.throws(() => xas(ds, { bins: 'ten' as never }), { name: 'ParameterError' });
  });

  it('empty bins hold NaN and counts 0, with a ToolBoxWarning', async () => {
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const r = xas(ds, { bins: [690, 695, 700, 705, 710] });
    const w = await warned;
    assert.equal(w.name, 'ToolBoxWarning');
    assert.equal(w.message, "xas: 2 of 4 bins of 'nrj' are empty; they hold NaN and counts 0");
    assert.deepEqual(Array.from(r.get('counts').values as Int32Array), [0, 0, 20, 20]);
    for (const f of ['muA', 'sigmaA', 'sterrA', 'muIo', 'weights', 'muT', 'sigmaT', 'sigmaIo', 'p']) {
      assert.ok(Number.isNaN((r.get(f).values as Float64Array)[0]), `${f} of an empty bin is NaN`);
    }
  });

  it('xasxmcd: spectra on different grids, or not from xas()', () => {
    const a = xas(ds, { bins: 4 }), b = xas(ds, { bins: 5 }), c = xas(ds.assign({ nrj: ['pulse', nrj.map((e) => e + 0.01)] }), { bins: 4 });
    assert.throws(() => xasxmcd(a, b), { name: 'ToolBoxValueError', message: /^xasxmcd: the two spectra are not on the same nrj grid \(4 bins against 5\); compute both with the same bin edges/ });
    assert.throws(() => xasxmcd(a, c), { message: /not on the same nrj grid \(bin 0 is at 701.21875 in dataP but 701.22875 in dataN\)/ });
    assert.throws(() => xasxmcd(a, a.dropVars('sterrA')), { message: /^xasxmcd: dataN lacks sterrA; it must be a spectrum from xas\(\)/ });
    assert.throws(() => xasxmcd(a, new DataArray([1]) as never), { message: 'xasxmcd: dataN must be the Dataset xas() returns, got object' });
    assert.throws(() => xasxmcd(a, a, { plots: true } as never), { name: 'OptionsError' });
  });
});
