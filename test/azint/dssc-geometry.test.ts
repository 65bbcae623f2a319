import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSSC_1MGeometry, ToolBoxError, ToolBoxFileError } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';

// Facts checked in EXtra-geom (detectors.py, DSSC_1MGeometry.from_quad_positions,
// _adjust_pixel_coords, _pixel_corners): see docs/azimuthal-integration.md.
const QUADS: [number, number][] = [[-130, 5], [-130, -125], [5, -125], [5, 5]];
const PX = 236e-3; // mm
const ROW = PX * 1.5 / Math.sqrt(3);
const TILE_W = 256 * PX;
const TILE_H = 128 * ROW;
const MODULE_W = 2 * TILE_W + 2;
const QUAD_H = 4 * TILE_H + 3 * 4;

/** Expected first-pixel corner (mm) of module m, tile t, for QUADS. */
function expectedCorner(m: number, t: number): [number, number] {
  const q = Math.floor(m / 4);
  const k = m % 4;
  const [qx, qy] = QUADS[q];
  if (q < 2) return [qx + MODULE_W - t * (TILE_W + 2), qy + k * (TILE_H + 4)];
  return [qx + t * (TILE_W + 2), qy + QUAD_H - k * (TILE_H + 4)];
}

function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
}

describe('DSSC_1MGeometry', () => {
  const geom = DSSC_1MGeometry.fromQuadPositions(QUADS);

  it('lays out 16 modules of 2 tiles as EXtra-geom does for the example quadrant positions', () => {
    assert.deepEqual(geom.expectedDataShape, [16, 128, 512]);
    for (let m = 0; m < 16; m++) {
      for (let t = 0; t < 2; t++) {
        const tile = geom.modules[m][t];
        const [ex, ey] = expectedCorner(m, t);
        close(tile.cornerPos[0] * 1e3, ex, 1e-9, `M${m} T${t} x`);
        close(tile.cornerPos[1] * 1e3, ey, 1e-9, `M${m} T${t} y`);
        const q = Math.floor(m / 4);
        assert.equal(Math.sign(tile.fsVec[0]), [-1, -1, 1, 1][q]);
        assert.equal(Math.sign(tile.ssVec[1]), [1, 1, -1, -1][q]);
        close(Math.abs(tile.fsVec[0]), 236e-6, 1e-15, 'fs step');
        close(Math.abs(tile.ssVec[1]), 236e-6 * 1.5 / Math.sqrt(3), 1e-15, 'ss step');
      }
    }
    assert.deepEqual(DSSC_1MGeometry.example().modules, geom.modules);
  });

  it('gives the quadrant positions back', () => {
    geom.quadPositions().forEach((p, q) => { close(p[0], QUADS[q][0], 1e-9, 'x'); close(p[1], QUADS[q][1], 1e-9, 'y'); });
  });

  it('puts pixel centres 2/3 of a row and half a pixel from the first corner, odd rows shifted by half a pixel', () => {
    const c = geom.getPixelPositions();
    const f = geom.getPixelPositions({ centre: false });
    assert.equal(c.length, 16 * 128 * 512 * 3);
    const at = (a: Float64Array, m: number, r: number, j: number, d: number) => a[((m * 128 + r) * 512 + j) * 3 + d];
    // Q1 M1: first pixel's corner is the tile corner; x decreases along fs, y increases along ss.
    close(at(f, 0, 0, 0, 0) * 1e3, expectedCorner(0, 0)[0], 1e-9, 'corner x');
    close(at(c, 0, 0, 0, 0) - at(f, 0, 0, 0, 0), -118e-6, 1e-12, 'centre x');
    close(at(c, 0, 0, 0, 1) - at(f, 0, 0, 0, 1), (2 / 3) * 236e-6 * 1.5 / Math.sqrt(3), 1e-12, 'centre y');
    for (let r = 1; r < 128; r += 2) close(at(c, 0, r, 0, 0) - at(c, 0, r - 1, 0, 0), -118e-6, 1e-12, `odd row ${r}`);
    // Tile 2 starts 256 pixels + the 2 mm gap further along fs.
    close(at(f, 0, 0, 256, 0) - at(f, 0, 0, 0, 0), -(256 * 236e-6 + 2e-3), 1e-12, 'tile 2');
    // Q3: fs along +x, ss along −y.
    close(at(c, 8, 2, 1, 0) - at(c, 8, 2, 0, 0), 236e-6, 1e-12, 'Q3 fs');
    close(at(c, 8, 2, 0, 1) - at(c, 8, 0, 0, 1), -2 * 236e-6 * 1.5 / Math.sqrt(3), 1e-12, 'Q3 ss');
    let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < c.length; i += 3) {
      minX = Math.min(minX, c[i]); maxX = Math.max(maxX, c[i]); minY = Math.min(minY, c[i + 1]); maxY = Math.max(maxY, c[i + 1]);
    }
    assert.ok(minX > -0.15 && minX < -0.1 && maxX > 0.1 && maxX < 0.15 && minY > -0.2 && minY < -0.12 && maxY > 0.12 && maxY < 0.2);
  });

  it('gives hexagon corners around the centre and pyFAI corners as (z, y, x)', () => {
    const c = geom.getPixelPositions();
    const h = geom.pixelCorners();
    const d = geom.toDistortionArray({ allowNegativeXy: true });
    assert.equal(d.length, 2048 * 512 * 6 * 3);
    for (const p of [0, 777, 5 * 65536 + 12345, 16 * 65536 - 1]) {
      let [sx, sy] = [0, 0];
      for (let k = 0; k < 6; k++) { sx += h[(p * 6 + k) * 3]; sy += h[(p * 6 + k) * 3 + 1]; }
      close(sx / 6, c[p * 3], 1e-12, 'mean corner x');
      close(sy / 6, c[p * 3 + 1], 1e-12, 'mean corner y');
      for (let k = 0; k < 6; k++) {
        close(d[(p * 6 + k) * 3 + 2], h[(p * 6 + k) * 3], 1e-7, 'dim2 = x');
        close(d[(p * 6 + k) * 3 + 1], h[(p * 6 + k) * 3 + 1], 1e-7, 'dim1 = y');
        assert.equal(d[(p * 6 + k) * 3], 0);
      }
    }
    // Default: shifted so x and y start at 0 (EXtra-geom's default offset).
    const d0 = geom.toDistortionArray();
    let [mx, my] = [Infinity, Infinity];
    for (let i = 0; i < d0.length; i += 3) { my = Math.min(my, d0[i + 1]); mx = Math.min(mx, d0[i + 2]); }
    assert.equal(mx, 0);
    assert.equal(my, 0);
  });

  it('modulePixels keeps the module size with fewer, larger pixels', () => {
    const small = DSSC_1MGeometry.fromQuadPositions(QUADS, { modulePixels: [16, 32] });
    assert.deepEqual(small.expectedDataShape, [16, 16, 32]);
    assert.equal(small.getPixelPositions().length, 16 * 16 * 32 * 3);
    small.quadPositions().forEach((p, q) => { close(p[0], QUADS[q][0], 1e-9, 'x'); close(p[1], QUADS[q][1], 1e-9, 'y'); });
    for (let m = 0; m < 16; m++) {
      for (let t = 0; t < 2; t++) {
        assert.deepEqual(small.modules[m][t].cornerPos.map((v) => Math.round(v * 1e12)), geom.modules[m][t].cornerPos.map((v) => Math.round(v * 1e12)));
        close(small.modules[m][t].fsVec[0], geom.modules[m][t].fsVec[0] * 16, 1e-15, 'fs');
        close(small.modules[m][t].ssVec[1], geom.modules[m][t].ssVec[1] * 8, 1e-15, 'ss');
      }
    }
    assert.throws(() => DSSC_1MGeometry.fromQuadPositions(QUADS, { modulePixels: [16, 31] }), /modulePixels/);
    assert.throws(() => DSSC_1MGeometry.fromQuadPositions(QUADS.slice(0, 3)), /quadPos/);
    assert.throws(() => DSSC_1MGeometry.fromQuadPositions(QUADS, { quad_pos: 1 } as never), /quad_pos/);
  });

  describe('geometry files', () => {
    let dir = '';
    before(async () => { dir = await mkdtemp(join(tmpdir(), 'dssc-geom-')); });
    after(async () => { await rm(dir, { recursive: true, force: true }); });

    it('round-trips through a file, with and without quadrant positions', async () => {
      const shifted = DSSC_1MGeometry.fromQuadPositions([[-131, 4.5], [-129.2, -126], [6, -124], [4.8, 5.5]], { asicGap: 2.5, panelGap: 3 });
      const path = join(dir, 'g.h5');
      const quads = await shifted.writeH5File(path);
      assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('.')), []);
      for (const back of [await DSSC_1MGeometry.fromH5FileAndQuadPositions(path, quads), await DSSC_1MGeometry.fromH5File(path)]) {
        for (let m = 0; m < 16; m++) {
          for (let t = 0; t < 2; t++) {
            for (let d = 0; d < 3; d++) close(back.modules[m][t].cornerPos[d], shifted.modules[m][t].cornerPos[d], 1e-12, `M${m}T${t}`);
            assert.deepEqual(back.modules[m][t].fsVec, shifted.modules[m][t].fsVec);
          }
        }
        assert.equal(back.filename, path);
      }
      // Quadrant positions for an existing file: those the file was read with.
      const fromOther = await DSSC_1MGeometry.fromH5FileAndQuadPositions(path, QUADS);
      (await fromOther.quadPositionsForFile(path)).forEach((p, q) => { close(p[0], QUADS[q][0], 1e-9, 'x'); close(p[1], QUADS[q][1], 1e-9, 'y'); });
    });

    it('writes the layout h5py reads: Q<q>/Position, Q<q>/M<m>/Position, Q<q>/M<m>/T0<t>/Position', async function () {
      await requirePython(this);
      const path = join(dir, 'g2.h5');
      await geom.writeH5File(path);
      const got = await runPython<Record<string, number[]>>(`
import h5py
f = h5py.File(sys.argv[1], 'r')
out = {}
f.visititems(lambda n, o: out.__setitem__(n, o[()].tolist()) if isinstance(o, h5py.Dataset) else None)
emit(out)`, [path]);
      assert.equal(Object.keys(got).length, 4 + 16 + 32);
      close(got['Q1/Position'][0], -130, 1e-9, 'Q1 x');
      close(got['Q3/M2/Position'][1], QUAD_H - 2 * TILE_H - 4, 1e-9, 'Q3 M2 y offset');
      close(got['Q1/M1/T02/Position'][0], 0, 1e-9, 'Q1 M1 T2 x');
      close(got['Q1/M1/T01/Position'][0], TILE_W + 2, 1e-9, 'Q1 M1 T1 x');
    });

    it('names the file and the group of a file missing a module or a tile', async function () {
      await requirePython(this);
      for (const [drop, group] of [['Q2/M3', 'Q2/M3'], ['Q4/M1/T02', 'Q4/M1/T02'], ['Q3', 'Q3']]) {
        const path = join(dir, `bad-${group.replace(/\//g, '_')}.h5`);
        await geom.writeH5File(path);
        await runPython(`
import h5py
with h5py.File(sys.argv[1], 'a') as f:
    del f[sys.argv[2]]
emit(0)`, [path, drop]);
        await assert.rejects(DSSC_1MGeometry.fromH5FileAndQuadPositions(path, QUADS), (e: Error) => {
          assert.ok(e instanceof ToolBoxFileError, String(e));
          assert.ok(e.message.includes(path) && e.message.includes(group), e.message);
          return true;
        });
      }
      await assert.rejects(DSSC_1MGeometry.fromH5FileAndQuadPositions(join(dir, 'none.h5'), QUADS), ToolBoxError);
    });
  });
});
