import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataArray, saveXarray } from '../../toolbox/index.js';
import { DSSC_SHAPE, loadMask, quickmaskDsscAsic } from '../../toolbox/routines/dssc/mask.js';
import { requirePython, runPython } from '../helpers/python.js';

/** Masked pixels as "module,x,y" strings (small masks only) and the masked count. */
function masked(mask: DataArray): { count: number; at: (m: number, x: number, y: number) => boolean } {
  const [, nx, ny] = mask.shape;
  const v = mask.values as Uint8Array;
  let count = 0;
  for (const b of v) if (!b) count++;
  return { count, at: (m, x, y) => v[(m * nx + x) * ny + y] === 0 };
}

describe('DSSC masks', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-dssc-mask-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('quickmaskDsscAsic masks whole 64 × 64 ASICs of the (16, 128, 512) DSSC', () => {
    const mask = quickmaskDsscAsic([[3, 0, 5], [15, 1, 7]]);
    assert.deepEqual(mask.dims, ['module', 'x', 'y']);
    assert.deepEqual(mask.shape, [...DSSC_SHAPE]);
    assert.equal(mask.dtype, 'bool');
    assert.deepEqual(Array.from(mask.coords.module.values as ArrayLike<number>, Number), Array.from({ length: 16 }, (_, m) => m));
    const m = masked(mask);
    assert.equal(m.count, 2 * 64 * 64);
    assert.equal(m.at(3, 0, 320), true);
    assert.equal(m.at(3, 63, 383), true);
    assert.equal(m.at(3, 64, 320), false);
    assert.equal(m.at(3, 0, 319), false);
    assert.equal(m.at(3, 0, 384), false);
    assert.equal(m.at(15, 127, 511), true);
    assert.equal(m.at(15, 64, 448), true);
    assert.equal(m.at(14, 127, 511), false);
    assert.equal(masked(quickmaskDsscAsic([])).count, 0);
    assert.throws(() => quickmaskDsscAsic([[3, 2, 0]]), { name: 'ToolBoxValueError', message: 'quickmaskDsscAsic: poslist[0]: ASIC row 2 is out of range 0–1' });
    assert.throws(() => quickmaskDsscAsic([[0, 0, 0], [16, 0, 0]]), /poslist\[1\]: module 16 is out of range 0–15/);
    assert.throws(() => quickmaskDsscAsic([[1, 0]] as unknown as [number, number, number][]), /poslist\[0\] must be \[module, row, column\], got \[1,0\]/);
    assert.throws(() => quickmaskDsscAsic([], [16, 100, 512]), /multiples of 64, got \[16, 100, 512\]/);
  });

  it('loadMask reads a hand-written text file: ASICs, pixels, whole modules, comments', async () => {
    const file = join(dir, 'mask.txt');
    writeFileSync(file, [
      '# bad ASICs of the May beamtime',
      'asic 3 0 5',
      '',
      '1 1 0      # bare numbers: an ASIC',
      'pixel 2 17 200',
      'PIXEL 2, 17, 201',
      'module 0',
    ].join('\n'));
    const mask = await loadMask(file);
    const m = masked(mask);
    assert.equal(m.count, 2 * 4096 + 2 + 128 * 512);
    assert.equal(m.at(3, 10, 330), true);
    assert.equal(m.at(1, 64, 0), true);
    assert.equal(m.at(1, 63, 0), false);
    assert.equal(m.at(2, 17, 200), true);
    assert.equal(m.at(2, 17, 201), true);
    assert.equal(m.at(2, 17, 202), false);
    assert.equal(m.at(0, 127, 511), true);
    // Added to a mask given instead of a shape.
    const both = await loadMask(file, quickmaskDsscAsic([[3, 0, 5], [4, 0, 0]]));
    assert.equal(masked(both).count, m.count + 4096);
  });

  it('loadMask names the file and line of a bad entry', async () => {
    const cases: [string, RegExp][] = [
      ['asic 3 0 5\nasci 3 0 6', /bad\.txt line 2: unknown entry 'asci'/],
      ['pixel 3 17', /bad\.txt line 1: 'pixel 3 17' needs 3 numbers for a pixel \(module x y\), got 2/],
      ['\n\nasic 3 0 x', /bad\.txt line 3: 'x' is not a non-negative integer/],
      ['asic 3 0 8', /bad\.txt line 1: ASIC column 8 is out of range 0–7/],
      ['pixel 3 128 0', /bad\.txt line 1: pixel x 128 is out of range 0–127/],
      ['module 1 2', /needs 1 number for a module, got 2/],
      ['asic -1 0 0', /'-1' is not a non-negative integer/],
    ];
    const file = join(dir, 'bad.txt');
    for (const [text, message] of cases) {
      writeFileSync(file, text);
      await assert.rejects(loadMask(file), { name: 'ToolBoxFileError', message }, text);
    }
    await assert.rejects(loadMask(join(dir, 'none.txt')), { name: 'ToolBoxFileError', message: /mask file not found: .*none\.txt/ });
  });

  it('loadMask reads masks saved with saveXarray and refuses other shapes', async () => {
    const shape = [2, 128, 128];
    const file = join(dir, 'mask.h5');
    const saved = quickmaskDsscAsic([[1, 1, 1]], shape);
    await saveXarray(file, saved, { group: 'data', mode: 'w' });
    const back = await loadMask(file, shape);
    assert.deepEqual(Array.from(back.values as Uint8Array), Array.from(saved.values as Uint8Array));
    await assert.rejects(loadMask(file), { name: 'ToolBoxValueError', message: /mask\.h5: mask shape \[2, 128, 128\] does not match the DSSC shape \[16, 128, 512\]/ });
    const flat = join(dir, 'flat.h5');
    await saveXarray(flat, saved.isel({ module: 0 }, { drop: true }), { group: 'data', mode: 'w' });
    await assert.rejects(loadMask(flat, shape), /flat\.h5: a DSSC mask needs dims \(module, x, y\), got \(x, y\) with shape \[128, 128\]/);
  });

  describe('with Python xarray', () => {
    before(async function () { await requirePython(this); });

    it('reads the 1/NaN float mask of Python quickmask_DSSC_ASIC saved by xarray', async () => {
      const file = join(dir, 'py-mask.h5');
      await runPython(String.raw`
mask = np.ones([16, 128, 512], dtype=float)
for (module, row, col) in [(2, 1, 3), (9, 0, 0)]:
    mask[module, 64 * row:64 * (row + 1), 64 * col:64 * (col + 1)] = np.nan
xr.DataArray(mask, dims=('module', 'x', 'y'), name='mask').to_netcdf(sys.argv[1], group='data', engine='h5netcdf')
emit('ok')
`, [file]);
      const mask = await loadMask(file);
      assert.deepEqual(Array.from(mask.values as Uint8Array), Array.from(quickmaskDsscAsic([[2, 1, 3], [9, 0, 0]]).values as Uint8Array));
    });
  });
});
