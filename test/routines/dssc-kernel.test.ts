import assert from 'node:assert/strict';
import { ToolBoxTypeError, ToolBoxValueError } from '../../toolbox/errors.js';
import { type FrameData, accumulateFrames } from '../../toolbox/routines/dssc/kernel.js';
import { Random } from '../../toolbox/synthetic/random.js';

/** The definition, one frame and one pixel at a time; also returns Σ|w·v| per pixel for the rounding bound. */
function naive(acc: Float64Array, ao: number, src: FrameData, so: number[], w: number[], count: number, pixels: number): Float64Array {
  const scale = new Float64Array(pixels);
  for (let k = 0; k < count; k++) {
    for (let p = 0; p < pixels; p++) {
      const v = src[so[k] + p];
      if (v !== v) continue;
      acc[ao + p] += w[k] * v;
      scale[p] += Math.abs(w[k] * v);
    }
  }
  return scale;
}

type WeightKind = 'ones' | 'integers' | 'shared' | 'random';

function makeWeights(kind: WeightKind, count: number, rng: Random): number[] {
  const shared = 0.1 + rng.uniform();
  return Array.from({ length: count }, () => {
    if (kind === 'ones') return 1;
    if (kind === 'integers') return 1 + Math.floor(rng.uniform() * 5);
    if (kind === 'shared') return shared;
    return 0.01 + 3 * rng.uniform();
  });
}

interface Case { dtype: 'uint16' | 'float32'; weights: WeightKind; count: number; pixels: number; unaligned: boolean; nans: boolean }

/** Run one case against the naive loop: exact when every product and sum is an integer, else within float rounding. */
function check(c: Case, seed: number): void {
  const rng = new Random(seed);
  const frames = 12;
  const total = frames * c.pixels + 3;
  const backing = c.dtype === 'uint16' ? new Uint16Array(total + 1) : new Float32Array(total + 1);
  // an odd element offset makes the frames start off the 4-byte grid the uint16 word path needs
  const src: FrameData = c.unaligned ? backing.subarray(1) : backing.subarray(0, total);
  for (let i = 0; i < src.length; i++) {
    src[i] = c.dtype === 'uint16' ? Math.floor(rng.uniform() * 65536) : (rng.uniform() - 0.3) * 1000;
    if (c.nans && rng.uniform() < 0.05) src[i] = NaN;
  }
  // frames in any order, some repeated, at frame starts shifted by up to 3 elements
  const shift = Math.floor(rng.uniform() * 4);
  const so = Array.from({ length: c.count }, () => Math.floor(rng.uniform() * frames) * c.pixels + shift);
  const w = makeWeights(c.weights, c.count, rng);
  const ao = 5;
  const acc = new Float64Array(ao + c.pixels + 4).map(() => Math.round(rng.uniform() * 100));
  const expected = acc.slice();
  const scale = naive(expected, ao, src, so, w, c.count, c.pixels);
  accumulateFrames(acc, ao, src, Int32Array.from(so), Float64Array.from(w), c.count, c.pixels);
  const exact = c.dtype === 'uint16' && (c.weights === 'ones' || c.weights === 'integers');
  const label = JSON.stringify(c);
  for (let i = 0; i < acc.length; i++) {
    const inside = i >= ao && i < ao + c.pixels;
    if (exact || !inside) assert.equal(acc[i], expected[i], `${label}: acc[${i}]`);
    else {
      assert.ok(Number.isFinite(acc[i]), `${label}: acc[${i}] = ${acc[i]}`);
      const bound = 1e-13 * (scale[i - ao] + Math.abs(expected[i])) + 1e-300;
      assert.ok(Math.abs(acc[i] - expected[i]) <= bound, `${label}: acc[${i}] = ${acc[i]}, naive ${expected[i]}`);
    }
  }
}

describe('DSSC binning kernel accumulateFrames', () => {
  const counts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17, 25];
  let seed = 1;
  for (const dtype of ['uint16', 'float32'] as const) {
    for (const weights of ['ones', 'integers', 'shared', 'random'] as const) {
      it(`${dtype} frames, ${weights} weights, counts 1-25, even/odd pixels, aligned or not: as the naive loop`, () => {
        for (const count of counts) {
          for (const pixels of [1, 7, 64, 130]) {
            for (const unaligned of [false, true]) {
              check({ dtype, weights, count, pixels, unaligned, nans: false }, seed++);
            }
          }
        }
      });
    }
    it(`${dtype} frames on a 128×512 module image, 20 frames: as the naive loop`, () => {
      check({ dtype, weights: 'ones', count: 20, pixels: 128 * 512, unaligned: false, nans: false }, 99);
      check({ dtype, weights: 'random', count: 20, pixels: 128 * 512, unaligned: false, nans: false }, 100);
    });
  }

  it('float32 NaN pixels count 0, in groups of 8 and 4 and single frames', () => {
    for (const weights of ['ones', 'random'] as const) {
      for (const count of counts) check({ dtype: 'float32', weights, count, pixels: 33, unaligned: false, nans: true }, seed++);
    }
    // by hand: pixel 0 is NaN in frame 1 only, pixel 1 in every frame
    const src = Float32Array.from([1, NaN, 2, NaN, 3, NaN, 4, NaN, 5, NaN, 6, NaN, 7, NaN, 8, NaN, 9, NaN]);
    src[2] = NaN;
    const acc = new Float64Array(2);
    accumulateFrames(acc, 0, src, [0, 2, 4, 6, 8, 10, 12, 14, 16], new Array(9).fill(1), 9, 2);
    assert.deepEqual(Array.from(acc), [1 + 3 + 4 + 5 + 6 + 7 + 8 + 9, 0]);
  });

  it('sums full-scale uint16 counts exactly (no 16- or 32-bit overflow)', () => {
    const pixels = 10, count = 25;
    const src = new Uint16Array(count * pixels).fill(65535);
    const acc = new Float64Array(pixels);
    for (let r = 0; r < 3; r++) accumulateFrames(acc, 0, src, Array.from({ length: count }, (_, k) => k * pixels), new Array(count).fill(1), count, pixels);
    assert.deepEqual(Array.from(acc), new Array(pixels).fill(3 * count * 65535));
  });

  it('does nothing for count 0 or pixels 0, and takes plain arrays for offsets and weights', () => {
    const acc = Float64Array.from([1, 2, 3]);
    accumulateFrames(acc, 0, new Uint16Array(6), [], [], 0, 3);
    accumulateFrames(acc, 0, new Uint16Array(6), [0], [1], 1, 0);
    assert.deepEqual(Array.from(acc), [1, 2, 3]);
    accumulateFrames(acc, 1, Uint16Array.from([4, 5, 6, 7]), [2, 0], [0.5, 2], 2, 2);
    assert.deepEqual(Array.from(acc), [1, 2 + 3 + 8, 3 + 3.5 + 10]);
  });

  it('rejects ranges outside the buffers and other frame types, naming what was wrong', () => {
    const acc = new Float64Array(4);
    const src = new Uint16Array(8);
    assert.throws(() => accumulateFrames(acc, 0, src, [0, 5], [1, 1], 2, 4),
      (e: Error) => e instanceof ToolBoxValueError && /frame 1 at offset 5 \(\+4 pixels\) is outside the frame buffer of length 8/.test(e.message));
    assert.throws(() => accumulateFrames(acc, 2, src, [0], [1], 1, 4),
      (e: Error) => e instanceof ToolBoxValueError && /accumulator range 2\.\.6 is outside its length 4/.test(e.message));
    assert.throws(() => accumulateFrames(acc, 0, src, [0], [1], 2, 4),
      (e: Error) => e instanceof ToolBoxValueError && /count 2 exceeds srcOffsets \(1\) or weights \(1\)/.test(e.message));
    assert.throws(() => accumulateFrames(acc, 0, new Int16Array(8) as unknown as Uint16Array, [0], [1], 1, 4),
      (e: Error) => e instanceof ToolBoxTypeError && /Uint16Array or Float32Array, got Int16Array/.test(e.message));
  });
});
