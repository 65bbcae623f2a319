import assert from 'node:assert/strict';
import { Dataset, ToolBoxValueError, merge } from '../../toolbox/index.js';

describe('merge with mismatched shapes (FOUND bad input)', () => {
  it('names the dimension and both sizes when there is no index to align by', () => {
    const a = new Dataset({ v: ['x', [1, 2, 3]] });
    const b = new Dataset({ w: ['x', [1, 2]] });
    assert.throws(() => merge([a, b]), (e: Error) =>
      e instanceof ToolBoxValueError && e.message === "cannot align along dimension 'x': it has no index coordinate and its sizes differ (3, 2)");
  });

  it("with join='exact', shows the differing labels", () => {
    const a = new Dataset({ v: ['x', [1, 2, 3]] }, { coords: { x: [0, 1, 2] } });
    const b = new Dataset({ v: ['x', [1, 2]] }, { coords: { x: [0, 1] } });
    assert.throws(() => merge([a, b], { join: 'exact' }), /cannot align objects with join='exact' along dimension 'x': indexes differ: \[0, 1, 2\] \(3 labels\) vs \[0, 1\] \(2 labels\)/);
  });
});
