import assert from 'node:assert/strict';
import { Dataset, concatenateRuns } from '../../toolbox/index.js';

function runDs(first: number, n: number, run: number, vars = ['SCS_SA3', 'nrj']): Dataset {
  const trainId = BigUint64Array.from({ length: n }, (_, i) => BigInt(first + i));
  const data = Object.fromEntries(vars.map((v) => [v, ['trainId', Float64Array.from({ length: n }, (_, i) => run * 100 + i)] as [string, Float64Array]]));
  return new Dataset(data, { coords: { trainId }, attrs: { runNB: run, proposal: 2719 } });
}

describe('concatenateRuns', () => {
  it('joins runs along trainId in train order and keeps per-run attrs as lists', () => {
    const ds = concatenateRuns([runDs(2000, 2, 12), runDs(1000, 3, 11)]);
    assert.deepEqual(Array.from(ds.coords.trainId.values as BigUint64Array, Number), [1000, 1001, 1002, 2000, 2001]);
    assert.deepEqual(Array.from(ds.get('nrj').values as Float64Array), [1100, 1101, 1102, 1200, 1201]);
    assert.deepEqual(ds.attrs.runNB, [11, 12]);
    assert.deepEqual(ds.attrs.proposal, [2719, 2719]);
  });

  it('refuses runs with different variables, naming both sets', () => {
    assert.throws(() => concatenateRuns([runDs(0, 2, 1), runDs(10, 2, 2, ['nrj'])]),
      /data variables differ between runs, cannot combine: run 0 has \(SCS_SA3, nrj\) but run 1 has \(nrj\)/);
    assert.throws(() => concatenateRuns([]), /at least one Dataset/);
  });
});
