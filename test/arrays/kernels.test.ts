/**
 * Randomized checks of the layout kernels against brute force: outer
 * indexing (isel), broadcasting by name (add, where) and strided copies
 * (transpose, expandDims) over random shapes, dim orders and dtypes.
 */
import assert from 'node:assert/strict';
import { DataArray, slice } from '../../toolbox/index.js';
import type { IselIndexer } from '../../toolbox/index.js';
import { num } from './ops-helpers.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'c', 'd'];

function randomArray(r: () => number, dims: string[], sizes: Record<string, number>, kind: number): DataArray {
  const shape = dims.map((d) => sizes[d]);
  const n = shape.reduce((x, y) => x * y, 1);
  const vals = Array.from({ length: n }, () => Math.floor(r() * 200) - 100);
  const data = kind === 0 ? new Float64Array(vals) : kind === 1 ? new Int16Array(vals) : new Float32Array(vals);
  return new DataArray(data, { dims, shape });
}

/** Element of `da` at named positions. */
function at(da: DataArray, pos: Record<string, number>): number {
  let flat = 0;
  da.dims.forEach((d, i) => { flat = flat * da.shape[i] + pos[d]; });
  return Number(da.values[flat]);
}

/** Every named position of the given dims/shape in C order. */
function* positions(dims: readonly string[], shape: readonly number[]): Generator<Record<string, number>> {
  const n = shape.reduce((x, y) => x * y, 1);
  for (let f = 0; f < n; f++) {
    const pos: Record<string, number> = {};
    let rest = f;
    for (let i = dims.length - 1; i >= 0; i--) { pos[dims[i]] = rest % shape[i]; rest = Math.floor(rest / shape[i]); }
    yield pos;
  }
}

function shuffle<T>(r: () => number, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

describe('layout kernels (randomized against brute force)', () => {
  it('isel with mixed indexers', () => {
    const r = rng(1);
    for (let trial = 0; trial < 200; trial++) {
      const nd = 1 + Math.floor(r() * 4);
      const dims = NAMES.slice(0, nd);
      const sizes = Object.fromEntries(dims.map((d) => [d, 1 + Math.floor(r() * 5)]));
      const da = randomArray(r, dims, sizes, trial % 3);
      const indexers: Record<string, IselIndexer> = {};
      const picks: Record<string, number[] | number> = {};
      for (const d of dims) {
        const n = sizes[d], kind = Math.floor(r() * 4);
        if (kind === 0) continue;
        if (kind === 1) { const p = Math.floor(r() * n); indexers[d] = p; picks[d] = p; continue; }
        if (kind === 2) {
          const list = Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * n));
          indexers[d] = list; picks[d] = list; continue;
        }
        const step = [1, 2, -1, -2][Math.floor(r() * 4)];
        const start = Math.floor(r() * n);
        indexers[d] = slice(start, null, step);
        const list: number[] = [];
        for (let p = start; p >= 0 && p < n; p += step) list.push(p);
        picks[d] = list;
      }
      const res = da.isel(indexers);
      const keptDims = dims.filter((d) => typeof picks[d] !== 'number');
      assert.deepEqual(res.dims, keptDims);
      const lists = Object.fromEntries(dims.map((d) => [d, picks[d] ?? Array.from({ length: sizes[d] }, (_, i) => i)]));
      const expected: number[] = [];
      const shape = keptDims.map((d) => (lists[d] as number[]).length);
      for (const pos of positions(keptDims, shape)) {
        const src: Record<string, number> = {};
        for (const d of dims) src[d] = typeof lists[d] === 'number' ? lists[d] as number : (lists[d] as number[])[pos[d]];
        expected.push(at(da, src));
      }
      assert.deepEqual(num(res), expected, `trial ${trial}: ${JSON.stringify(picks)}`);
    }
  });

  it('binary ops and where broadcast by name in any dim order', () => {
    const r = rng(2);
    for (let trial = 0; trial < 200; trial++) {
      const all = shuffle(r, NAMES).slice(0, 1 + Math.floor(r() * 4));
      const sizes = Object.fromEntries(all.map((d) => [d, 1 + Math.floor(r() * 4)]));
      const pick = () => shuffle(r, all).slice(0, Math.floor(r() * (all.length + 1)));
      const a = randomArray(r, pick(), sizes, 0), b = randomArray(r, pick(), sizes, trial % 3);
      const sum = a.add(b);
      assert.deepEqual(sum.dims, [...a.dims, ...b.dims.filter((d) => !a.dims.includes(d))]);
      const expected: number[] = [];
      for (const pos of positions(sum.dims, sum.shape)) expected.push(at(a, pos) + at(b, pos));
      assert.deepEqual(num(sum), expected, `trial ${trial}`);
      const cond = b.gt(0);
      const w = a.where(cond, -1000);
      const ew: number[] = [];
      for (const pos of positions(w.dims, w.shape)) ew.push(at(b, pos) > 0 ? at(a, pos) : -1000);
      assert.deepEqual(num(w), ew, `where trial ${trial}`);
    }
  });

  it('transpose and expandDims', () => {
    const r = rng(3);
    for (let trial = 0; trial < 100; trial++) {
      const dims = NAMES.slice(0, 1 + Math.floor(r() * 4));
      const sizes = Object.fromEntries(dims.map((d) => [d, 1 + Math.floor(r() * 5)]));
      const da = randomArray(r, dims, sizes, trial % 3);
      const order = shuffle(r, dims);
      const t = da.transpose(...order);
      const et: number[] = [];
      for (const pos of positions(t.dims, t.shape)) et.push(at(da, pos));
      assert.deepEqual(num(t), et);
      const axis = Math.floor(r() * (dims.length + 1));
      const e = da.expandDims({ z: 3 }, { axis });
      assert.equal(e.dims[axis], 'z');
      const ee: number[] = [];
      for (const pos of positions(e.dims, e.shape)) ee.push(at(da, pos));
      assert.deepEqual(num(e), ee);
    }
  });
});
