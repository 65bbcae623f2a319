import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DirectTarget, directTuning, readHyperslabDirect, readHyperslabDirectAsync } from '../../toolbox/io/direct-read.js';
import { type H5File, type H5Module, h5wasm } from '../../toolbox/io/h5file.js';
import { HeapBuffer, readHyperslabInto, writeSlabs } from '../../toolbox/io/slabs.js';
import { requirePython, runPython } from '../helpers/python.js';

/** Datasets h5py writes (its default, libver earliest), each with the hyperslabs read below. */
const H5PY = `
import h5py, numpy as np, sys
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('contig', data=np.arange(12000, dtype='<f8').reshape(30, 20, 20))
    f.create_dataset('chunked', data=np.arange(100000, dtype='<f4').reshape(100, 1000), chunks=(7, 300))
    f.create_dataset('aligned', data=np.arange(64 * 8 * 16, dtype='<u2').reshape(64, 8, 16), chunks=(8, 8, 16))
    f.create_dataset('single', data=np.arange(5 * 40, dtype='<i4').reshape(5, 1, 40, 1), chunks=(2, 1, 16, 1))
    d = f.create_dataset('many', shape=(5000, 3, 4), dtype='<i8', chunks=(1, 3, 4))
    d[...] = np.arange(60000).reshape(5000, 3, 4)
    f.create_dataset('gzip', data=np.arange(10000, dtype='<f4').reshape(100, 100), chunks=(10, 100), compression='gzip')
    f.create_dataset('shuffled', data=np.arange(10000, dtype='<u2').reshape(100, 100), chunks=(10, 100), shuffle=True)
    f.create_dataset('bigendian', data=np.arange(1000, dtype='>u2').reshape(10, 100))
    f.create_dataset('bigchunked', data=np.arange(1000, dtype='>f8').reshape(10, 100), chunks=(5, 50))
    d = f.create_dataset('holes', shape=(100, 10), dtype='<i4', chunks=(10, 10))
    d[0:10] = 7
    f.create_dataset('empty', shape=(50,), dtype='<f4')
    f.create_dataset('compound', data=np.zeros(10, dtype=[('a', '<i4'), ('b', '<f8')]))
print('{}')
`;

interface Case { name: string; offset: number[]; count: number[] }

const PLAIN: Case[] = [
  { name: 'contig', offset: [0, 0, 0], count: [30, 20, 20] },
  { name: 'contig', offset: [4, 0, 0], count: [9, 20, 20] },
  { name: 'contig', offset: [4, 3, 5], count: [9, 11, 7] }, // ROI on trailing dims
  { name: 'contig', offset: [29, 19, 19], count: [1, 1, 1] },
  { name: 'chunked', offset: [0, 0], count: [100, 1000] }, // partial last chunks on both axes
  { name: 'chunked', offset: [3, 250], count: [20, 700] },
  { name: 'chunked', offset: [99, 0], count: [1, 1000] },
  { name: 'aligned', offset: [16, 0, 0], count: [24, 8, 16] },
  { name: 'aligned', offset: [13, 2, 3], count: [30, 5, 9] },
  { name: 'single', offset: [0, 0, 0, 0], count: [5, 1, 40, 1] },
  { name: 'single', offset: [1, 0, 10, 0], count: [3, 1, 25, 1] },
  { name: 'many', offset: [0, 0, 0], count: [5000, 3, 4] }, // a B-tree of several levels
  { name: 'many', offset: [17, 1, 0], count: [3000, 2, 4] },
  { name: 'holes', offset: [0, 0], count: [10, 10] }, // only allocated chunks touched
];

const FALLBACK: Case[] = [
  { name: 'gzip', offset: [0, 0], count: [100, 100] },
  { name: 'shuffled', offset: [0, 0], count: [10, 100] },
  { name: 'bigendian', offset: [0, 0], count: [10, 100] },
  { name: 'bigchunked', offset: [0, 0], count: [10, 100] },
  { name: 'holes', offset: [0, 0], count: [100, 10] }, // unallocated chunks read as the fill value
  { name: 'empty', offset: [0], count: [50] }, // never written: no storage allocated
  { name: 'contig', offset: [0, 0, 0], count: [31, 20, 20] }, // out of bounds: HDF5 reports it
];

function expected(M: H5Module, f: H5File, c: Case, itemSize: number): Uint8Array {
  const heap = new HeapBuffer(M);
  try {
    const out = new Uint8Array(c.count.reduce((a, b) => a * b, itemSize));
    readHyperslabInto(M, heap, f.file_id, '/' + c.name, c.offset, c.count, out, 0, itemSize);
    return out;
  } finally {
    heap.free();
  }
}

describe('io: direct hyperslab reads from file offsets', function () {
  let dir: string;
  let file: string;
  let f: H5File;
  let M: H5Module;
  const saved = { ...directTuning };
  before(async function () {
    await requirePython(this);
    dir = mkdtempSync(join(tmpdir(), 'scs-direct-'));
    file = join(dir, 'h5py.h5');
    await runPython(H5PY, [file]);
    const h5 = await h5wasm();
    M = h5.Module;
    f = new h5.File(file, 'r');
    directTuning.minRunBytes = 1; // small datasets: let every plain layout take the direct path
  });
  after(() => {
    Object.assign(directTuning, saved);
    f?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const target = (name: string): DirectTarget => ({ M, fileId: f.file_id, file, dataset: '/' + name });
  const itemOf = (name: string) => (f.get(name) as { metadata: { size: number } }).metadata.size;

  for (const c of PLAIN) {
    it(`reads ${c.name} [${c.offset}] + [${c.count}] bit-identical to HDF5, sync and async`, async () => {
      const item = itemOf(c.name);
      const want = expected(M, f, c, item);
      for (const read of [readHyperslabDirect, readHyperslabDirectAsync]) {
        const out = new Uint8Array(want.length + 24).fill(0xa5);
        assert.equal(await read(target(c.name), c.offset, c.count, out, 16, item), true);
        assert.deepEqual(out.subarray(16, 16 + want.length), want);
        assert.ok(out.subarray(0, 16).every((b) => b === 0xa5) && out.subarray(16 + want.length).every((b) => b === 0xa5), 'nothing written outside the slab');
      }
    });
  }

  for (const c of FALLBACK) {
    it(`leaves ${c.name} [${c.offset}] + [${c.count}] to HDF5, writing nothing`, async () => {
      const item = itemOf(c.name);
      const out = new Uint8Array(c.count.reduce((a, b) => a * b, item)).fill(0xa5);
      assert.equal(readHyperslabDirect(target(c.name), c.offset, c.count, out, 0, item), false);
      assert.equal(await readHyperslabDirectAsync(target(c.name), c.offset, c.count, out, 0, item), false);
      assert.ok(out.every((b) => b === 0xa5));
    });
  }

  it('declines a compound type, a wrong element size and a too small output', () => {
    assert.equal(readHyperslabDirect(target('compound'), [0], [10], new Uint8Array(160), 0, 16), false);
    assert.equal(readHyperslabDirect(target('contig'), [0, 0, 0], [1, 1, 2], new Uint8Array(8), 0, 4), false);
    assert.equal(readHyperslabDirect(target('contig'), [0, 0, 0], [1, 1, 2], new Uint8Array(15), 0, 8), false);
  });

  it('leaves many small scattered runs to HDF5 (its one call beats many preads)', () => {
    directTuning.minRunBytes = saved.minRunBytes;
    try {
      // 20 rows of 20 × 4 B inside contiguous rows of 8000 B
      assert.equal(readHyperslabDirect(target('chunked'), [0, 0], [20, 20], new Uint8Array(1600), 0, 4), false);
      // one run of 2 KiB is still one pread
      assert.equal(readHyperslabDirect(target('chunked'), [0, 0], [1, 300], new Uint8Array(1200), 0, 4), true);
    } finally {
      directTuning.minRunBytes = 1;
    }
  });

  it('reads what our own writer stores (HDF5 1.10 format at most), and declines a file open for writing', async () => {
    const h5 = await h5wasm();
    const ours = join(dir, 'ours.h5');
    const w = new h5.File(ours, 'w', { track_order: true, libver: ['earliest', 'v110'] });
    const data = Float32Array.from({ length: 40 * 6 * 10 }, (_, i) => i * 0.5);
    // as saveXarray writes a small variable, and as the run writer a growing one
    // track_order gives a version 2 object header ('OHDR'), as saveXarray's variables have
    w.create_dataset({ name: 'c', data, shape: [40, 6, 10], dtype: '<f', track_order: true });
    w.create_dataset({ name: 'k', data: new Float32Array(0), shape: [0, 6, 10], dtype: '<f', maxshape: [null, 6, 10], chunks: [8, 6, 10] }).resize([40, 6, 10]);
    await writeSlabs(M, w.file_id, '/k', data, [40, 6, 10], [8, 6, 10]);
    const out = new Uint8Array(data.byteLength);
    assert.equal(readHyperslabDirect({ M, fileId: w.file_id, file: ours, dataset: '/c' }, [0, 0, 0], [40, 6, 10], out, 0, 4), false);
    w.close();
    const r = new h5.File(ours, 'r');
    try {
      for (const name of ['c', 'k']) {
        out.fill(0);
        assert.equal(readHyperslabDirect({ M, fileId: r.file_id, file: ours, dataset: '/' + name }, [0, 0, 0], [40, 6, 10], out, 0, 4), true, name);
        assert.deepEqual(new Float32Array(out.buffer), data);
        const part = new Uint8Array(5 * 6 * 10 * 4);
        assert.equal(await readHyperslabDirectAsync({ M, fileId: r.file_id, file: ours, dataset: '/' + name }, [6, 0, 0], [5, 6, 10], part, 0, 4), true);
        assert.deepEqual(new Float32Array(part.buffer), data.subarray(6 * 60, 11 * 60));
      }
    } finally {
      r.close();
    }
  });

  it('splits one long run into pieces for the thread pool, bit-identical', async () => {
    const piece = directTuning.pieceBytes;
    directTuning.pieceBytes = 1000;
    try {
      const c: Case = { name: 'contig', offset: [0, 0, 0], count: [30, 20, 20] };
      const want = expected(M, f, c, 8);
      const out = new Uint8Array(want.length);
      assert.equal(await readHyperslabDirectAsync(target('contig'), c.offset, c.count, out, 0, 8), true);
      assert.deepEqual(out, want);
    } finally {
      directTuning.pieceBytes = piece;
    }
  });
});
