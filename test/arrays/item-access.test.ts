import assert from 'node:assert/strict';
import { DataArray, Dataset, ToolBoxTypeError, VariableNameError } from '../../toolbox/index.js';
import { inspect } from 'node:util';

describe("ds['name'] as in xarray", () => {
  const ds = new Dataset(
    { energy: ['trainId', [1.5, 2.5, 3.5]], attrs: ['trainId', [7, 8, 9]] },
    { coords: { trainId: [10, 11, 12], delay: ['trainId', [0.1, 0.2, 0.3]] }, attrs: { run: 5 } },
  );
  const item = ds as unknown as Record<string, unknown>;

  it('gives a data variable with its coordinates, like ds.get', () => {
    const e = item.energy as DataArray;
    assert.ok(e instanceof DataArray);
    assert.deepEqual(Array.from(e.values as Float64Array), [1.5, 2.5, 3.5]);
    assert.deepEqual(Object.keys(e.coords).sort(), ['delay', 'trainId']);
    assert.equal(e.name, 'energy');
  });

  it('gives a coordinate', () => {
    const d = item.delay as DataArray;
    assert.deepEqual([d.name, d.dims, Array.from(d.values as Float64Array)], ['delay', ['trainId'], [0.1, 0.2, 0.3]]);
    assert.deepEqual(Array.from((item.trainId as DataArray).values as ArrayLike<number>, Number), [10, 11, 12]);
  });

  it("'name' in ds holds for variables and coordinates, as xarray's `in`", () => {
    assert.ok('energy' in ds && 'delay' in ds && 'sizes' in ds);
    assert.ok(!('enrgy' in ds));
  });

  it('class members win over variables of the same name (ds.get reaches those)', () => {
    assert.deepEqual(ds.attrs, { run: 5 });
    assert.deepEqual(Array.from(ds.get('attrs').values as ArrayLike<number>, Number), [7, 8, 9]);
  });

  it('a typo fails loudly, naming the close matches', () => {
    assert.throws(() => item.enrgy, (e: Error) => e instanceof VariableNameError
      && e.message === "no variable 'enrgy' in this Dataset. Did you mean 'energy'? Data variables: energy, attrs; coordinates: trainId, delay"
      && (e as VariableNameError).variable === 'enrgy' && (e as VariableNameError).suggestions.join() === 'energy');
    assert.throws(() => item.dealy, /Did you mean 'delay'\?/);
    assert.throws(() => ds.get('nothing_like_it'), (e: Error) => e instanceof VariableNameError && !/Did you mean/.test(e.message));
  });

  it('assigning a new name fails, pointing to assign', () => {
    assert.throws(() => { item.new = new DataArray([1, 2, 3], { dims: ['trainId'] }); },
      (e: Error) => e instanceof ToolBoxTypeError && e.message === 'cannot set \'new\' on a Dataset: Datasets are immutable here; use ds.assign({ "new": value }) for a new Dataset with that variable');
  });

  it('stays a Dataset for instanceof, promises and inspection', async () => {
    assert.ok(ds instanceof Dataset);
    const resolved = await Promise.resolve(ds);
    assert.equal(resolved, ds);
    assert.equal(item.then, undefined);
    assert.match(String(ds), /^<Dataset>/);
    assert.equal(inspect(ds), String(ds));
    assert.equal(ds.isel({ trainId: 0 }).get('energy').item(), 1.5);
  });
});
