import assert from 'node:assert/strict';
import { chooseChunks, slabs } from '../../toolbox/io/slabs.js';

describe('io: chunk shapes and slabs', () => {
  it('chooses chunks near the target, cutting leading dimensions', () => {
    assert.deepEqual(chooseChunks([1000, 16, 128, 128], 4), [4, 16, 128, 128]);
    assert.deepEqual(chooseChunks([3, 5000, 5000], 4), [1, 209, 5000]);
    assert.deepEqual(chooseChunks([10], 8), [10]);
    assert.deepEqual(chooseChunks([2, 0, 3], 4), [2, 1, 3]);
  });

  const cases: [number[], number, number[] | null, number][] = [
    [[7, 5, 9, 11], 4, null, 10_000],
    [[7, 5, 9, 11], 4, [2, 5, 9, 11], 10_000],
    [[3, 3000], 8, null, 10_000],
    [[2, 3, 50_000], 4, null, 10_000], // a row of the last axis is larger than a slab
    [[1000], 1, [64], 100],
    [[], 8, null, 10],
  ];
  for (const [shape, item, chunks, max] of cases) {
    it(`covers [${shape}] (item ${item} B, chunks ${chunks ? `[${chunks}]` : 'none'}, ≤ ${max} B) once, in order, each slab contiguous`, () => {
      const total = shape.reduce((a, b) => a * b, 1);
      let next = 0;
      for (const s of slabs(shape, item, chunks, max)) {
        assert.equal(s.start, next, 'slabs follow each other in C order');
        assert.equal(s.length, s.count.reduce((a, b) => a * b, 1));
        assert.ok(s.length * item <= max || s.length === 1, 'within the byte budget');
        let flat = 0;
        for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + s.offset[d];
        assert.equal(flat, s.start, 'offset is the first element');
        const axis = s.count.findIndex((c, d) => c !== 1 || d === shape.length - 1);
        if (chunks && s.offset[axis] + s.count[axis] < shape[axis]) assert.equal(s.count[axis] % chunks[axis], 0, 'aligned to chunks');
        next += s.length;
      }
      assert.equal(next, total);
    });
  }
});
