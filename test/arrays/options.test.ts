import assert from 'node:assert/strict';
import { DataArray, Dataset, OptionsError, align, broadcast, concat, merge, reindex } from '../../toolbox/index.js';

/** Calls with a misspelt or Python-style option; each must fail naming the public function and the key. */
const da = new DataArray([[1, 2], [3, 4]], { dims: ['t', 'p'], coords: { t: [1, 2] }, name: 'v' });
const ds = new Dataset({ v: da });
const bad = { keep_attrs: true } as never;

const CALLS: Array<[string, () => unknown]> = [
  ['DataArray', () => new DataArray([1], { dim: ['t'] } as never)],
  ['Dataset', () => new Dataset({}, { coord: {} } as never)],
  ['DataArray.isel', () => da.isel({ t: 0 }, bad)],
  ['DataArray.sel', () => da.sel({ t: 1 }, bad)],
  ['DataArray.dropna', () => da.dropna('t', bad)],
  ['DataArray.squeeze', () => da.squeeze(undefined, bad)],
  ['DataArray.expandDims', () => da.expandDims('z', bad)],
  ['DataArray.resetCoords', () => da.resetCoords(undefined, bad)],
  ['DataArray.groupbyBins', () => da.groupbyBins('t', 2, bad)],
  ['DataArray.toDict', () => da.toDict(bad)],
  ['DataArray.sum', () => da.sum(bad)],
  ['DataArray.mean', () => da.mean('t', bad)],
  ['DataArray.argmax', () => da.argmax('t', bad)],
  ['DataArray.plot', () => da.plot(bad)],
  ['GroupBy.mean', () => da.groupby('t').mean(bad)],
  ['Dataset.isel', () => ds.isel({ t: 0 }, bad)],
  ['Dataset.sel', () => ds.sel({ t: 1 }, bad)],
  ['Dataset.dropna', () => ds.dropna('t', bad)],
  ['Dataset.squeeze', () => ds.squeeze(undefined, bad)],
  ['Dataset.expandDims', () => ds.expandDims('z', bad)],
  ['Dataset.resetCoords', () => ds.resetCoords(undefined, bad)],
  ['Dataset.groupbyBins', () => ds.groupbyBins('t', 2, bad)],
  ['Dataset.merge', () => ds.merge(da.rename('w'), bad)],
  ['Dataset.toDict', () => ds.toDict(bad)],
  ['Dataset.max', () => ds.max(bad)],
  ['align', () => align([da, da], bad)],
  ['reindex', () => reindex(da, { t: [1] }, bad)],
  ['broadcast', () => broadcast([da], bad)],
  ['concat', () => concat([da, da], 't', bad)],
  ['merge', () => merge([ds], bad)],
];

describe('arrays: options checked at run time', () => {
  for (const [fn, call] of CALLS) {
    it(`${fn} rejects an unknown option, naming itself and the key`, () => {
      assert.throws(call, (e: Error) => e instanceof OptionsError && e.functionName === fn
        && e.message.startsWith(`${fn}: unknown option '${fn === 'DataArray' ? 'dim' : fn === 'Dataset' ? 'coord' : 'keep_attrs'}'.`));
    });
  }

  it('names close matches: keep_attrs → keepAttrs, dim → dims', () => {
    assert.throws(() => da.sum(bad), (e: Error) => e.message === "DataArray.sum: unknown option 'keep_attrs'. Did you mean 'keepAttrs'? DataArray.sum accepts { dim, skipna, ddof, minCount, keepAttrs }.");
    assert.throws(() => new DataArray([1], { dim: ['t'] } as never), /Did you mean 'dims'\?/);
  });

  it('a positional string where options go is a type error, not silently ignored', () => {
    assert.throws(() => da.sel({ t: 1 }, 'nearest' as never), (e: Error) => e instanceof OptionsError
      && e.message === "DataArray.sel: options must be an object such as { method, tolerance, drop }, got the string 'nearest'");
  });

  it('the option values are still checked by reductions (one mechanism for names, value checks kept)', () => {
    assert.throws(() => da.sum({ minCount: -1 }), /DataArray.sum: minCount must be a non-negative integer, got -1/);
  });
});
