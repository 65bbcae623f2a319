import assert from 'node:assert/strict';
import { DataArray, ToolBoxValueError, slice } from '../../toolbox/index.js';
import { getArray, loadFromRun, type LoadableRun } from '../../toolbox/load/load.js';

/**
 * An in-memory run: each (source, key) holds per-train values for some of the
 * trains, as a DataCollection would return them (rows only for trains with data).
 */
function memoryRun(trainIds: number[], data: Record<string, Record<string, { trains: number[]; values: number[][] | number[] }>>): LoadableRun {
  return {
    trainIds,
    allSources: Object.keys(data),
    keysForSource: (s) => Object.keys(data[s] ?? {}),
    async getArray(source, key, options = {}) {
      const d = data[source][key];
      const ids = BigUint64Array.from(d.trains, (t) => BigInt(t));
      const nested = d.values;
      const extra = Array.isArray(nested[0]) ? (nested[0] as number[]).length : 0;
      const dims = ['trainId', ...(extra ? options.extraDims ?? ['dim_0'] : [])];
      let da = new DataArray(nested as number[][], { dims, coords: { trainId: ids } });
      if (options.roi) da = da.isel({ [dims[1]]: options.roi[0] });
      return da;
    },
  };
}

const run = memoryRun([100, 101, 102, 103], {
  'SCS_BLU_XGM/XGM/DOOCS:output': { 'data.intensitySa3TD': { trains: [100, 101, 102, 103], values: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]] } },
  'SCS_ILH_LAS/MOTOR/LT3': { 'AActualPosition.value': { trains: [101, 102, 103], values: [0.24, 0.25, 0.76] } },
});

describe('load layer', () => {
  it('merges fields on trainId with an inner join and names variables after the fields', async () => {
    const ds = await loadFromRun(run, ['SCS_SA3', 'PP800_DelayLine']);
    assert.deepEqual(ds.dataVars, ['SCS_SA3', 'PP800_DelayLine']);
    assert.deepEqual(Array.from(ds.coords.trainId.values as BigUint64Array, Number), [101, 102, 103]);
    assert.deepEqual(ds.get('SCS_SA3').dims, ['trainId', 'XGMbunchId']);
    assert.deepEqual(Array.from(ds.get('SCS_SA3').values as BigInt64Array, Number), [4, 5, 6, 7, 8, 9, 1, 1, 1]);
  });

  it('accepts custom mnemonics and ROIs of a field', async () => {
    const ds = await loadFromRun(run, [{ delay: { source: 'SCS_ILH_LAS/MOTOR/LT3', key: 'AActualPosition.value', dim: null } }, 'SCS_SA3'],
      { rois: { SCS_SA3: { first: { roi: [slice(0, 2)], dim: ['p'] } } } });
    assert.deepEqual(ds.dataVars, ['delay', 'first']);
    assert.deepEqual(ds.get('first').shape, [3, 2]);
  });

  it('getArray rounds to stepsize with numpy half-to-even and gives ones without a mnemonic', async () => {
    const d = await getArray(run, 'PP800_DelayLine', 0.5);
    assert.equal(d.name, 'PP800_DelayLine');
    assert.deepEqual(Array.from(d.values as Float64Array), [0, 0, 1]); // 0.24→0, 0.25→0 (half to even), 0.76→1
    const ones = await getArray(run);
    assert.deepEqual(Array.from(ones.values as Float64Array), [1, 1, 1, 1]);
    assert.deepEqual(ones.dims, ['trainId']);
    await assert.rejects(getArray(run, 'nrj'), /mnemonic 'nrj' .* is not in this run/);
    await assert.rejects(getArray(run, 'PP800_DelayLine', -1), /stepsize must be a positive number/);
    const tenth = await getArray(run, 'PP800_DelayLine', 0.1);
    assert.deepEqual(Array.from(tenth.values as Float64Array), [0.2, 0.2, 0.8]);
  });

  it('names what is wrong with fields and rois', async () => {
    await assert.rejects(loadFromRun(run, ['SCS_SA3', 'SCS_SA3']), /field 'SCS_SA3' is given twice/);
    await assert.rejects(loadFromRun(run, ['SCS_SA3'], { rois: { nrj: {} } }), (e: Error) =>
      e instanceof ToolBoxValueError && /rois are given for 'nrj', which is not among the fields \(SCS_SA3\)/.test(e.message));
    await assert.rejects(loadFromRun(run, ['SCS_SA33']), /unknown mnemonic 'SCS_SA33'; closest known: SCS_SA3/);
  });
});
