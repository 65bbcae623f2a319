/**
 * European XFEL HDF5 geometry files for the DSSC: `Q<q>/M<m>/Position` (the
 * module's offset from its quadrant) and `Q<q>/M<m>/T0<t>/Position` (the
 * tile's offset from its module), optionally `Q<q>/Position`, in mm. Each
 * position is the low-x, low-y corner of the tiles it covers, so a file plus
 * 4 quadrant positions gives every tile's corner.
 */
import { ToolBoxFileError } from '../../errors.js';
import { resolveTarget, replaceAtomically } from '../../io/atomic.js';
import { objectKind, withH5File, type H5, type H5Dataset, type H5File } from '../../io/h5file.js';
import { add, tileVectors, type GeometryFragment, type Vec3 } from './geometry-layout.js';

function readXY(f: H5File, h5: H5, file: string, path: string): [number, number] {
  const kind = objectKind(f, h5, path);
  if (kind !== 'dataset') {
    const group = path.split('/').slice(0, -1).join('/');
    const what = objectKind(f, h5, group) === 'group' ? `no dataset ${path}` : `no group ${group}`;
    throw new ToolBoxFileError(`DSSC geometry file ${file} has ${what}: a geometry file needs Q1..Q4/M1..M4/Position and T01, T02/Position`, file);
  }
  const v = (f.get(path) as H5Dataset).value as ArrayLike<number> | null;
  if (!v || typeof v !== 'object' || v.length < 2 || !Number.isFinite(Number(v[0])) || !Number.isFinite(Number(v[1]))) {
    throw new ToolBoxFileError(`DSSC geometry file ${file}: ${path} must hold at least 2 numbers (x, y in mm)`, file);
  }
  return [Number(v[0]), Number(v[1])];
}

/**
 * Tiles from a geometry file and the 4 quadrant positions (in `unit`). The
 * file gives each tile's low-x, low-y corner; the first stored pixel is at
 * the corner the data axes start from (x axis reversed in Q1, Q2: high x; y
 * axis reversed in Q3, Q4: high y).
 */
export async function readGeometryFile(path: string, quadPos: [number, number][], unit: number, modulePixels: [number, number]): Promise<GeometryFragment[][]> {
  return withH5File(path, 'r', (f, h5) => {
    const modules: GeometryFragment[][] = [];
    for (let m = 0; m < 16; m++) {
      const q = Math.floor(m / 4);
      const base = `Q${q + 1}/M${(m % 4) + 1}`;
      const mod = readXY(f, h5, path, `/${base}/Position`);
      const { ssVec, fsVec } = tileVectors(q, modulePixels);
      const ssPixels = modulePixels[0];
      const fsPixels = modulePixels[1] / 2;
      const tiles: GeometryFragment[] = [];
      for (let t = 0; t < 2; t++) {
        const tile = readXY(f, h5, path, `/${base}/T0${t + 1}/Position`);
        const corner: Vec3 = [(quadPos[q][0] + mod[0] + tile[0]) * unit, (quadPos[q][1] + mod[1] + tile[1]) * unit, 0];
        const cornerPos = fsVec[0] < 0 ? add(corner, fsVec, -fsPixels) : add(corner, ssVec, -ssPixels);
        tiles.push({ cornerPos, ssVec, fsVec, ssPixels, fsPixels });
      }
      modules.push(tiles);
    }
    return modules;
  });
}

/** The 4 `Q<q>/Position` of a file (mm), or null when it has none. */
export async function readQuadPositions(path: string): Promise<[number, number][] | null> {
  return withH5File(path, 'r', (f, h5) => {
    if ([1, 2, 3, 4].some((q) => objectKind(f, h5, `/Q${q}/Position`) !== 'dataset')) return null;
    return [1, 2, 3, 4].map((q) => readXY(f, h5, path, `/Q${q}/Position`));
  });
}

/** Offsets (mm) of Q<q>/M1 and of its tile T01, for the 4 quadrants. */
export async function readFirstTileOffsets(path: string): Promise<{ module: [number, number]; tile: [number, number] }[]> {
  return withH5File(path, 'r', (f, h5) => [1, 2, 3, 4].map((q) => ({
    module: readXY(f, h5, path, `/Q${q}/M1/Position`),
    tile: readXY(f, h5, path, `/Q${q}/M1/T01/Position`),
  })));
}

export interface GeometryFileContent {
  /** Quadrant positions (x, y) in mm. */
  quadPositions: [number, number][];
  /** Module offsets from their quadrant (mm), by module. */
  moduleOffsets: [number, number][];
  /** Tile offsets from their module (mm), by module then tile. */
  tileOffsets: [number, number][][];
}

function writeXY(f: H5File, path: string, xy: [number, number]): void {
  const parts = path.split('/');
  const name = parts.pop() as string;
  let g = f as unknown as import('h5wasm/node').Group;
  for (const p of parts) g = (g.keys().includes(p) ? g.get(p) : g.create_group(p)) as import('h5wasm/node').Group;
  g.create_dataset({ name, data: Float64Array.from(xy), shape: [2], dtype: '<d' });
}

/** Write a geometry file (written under a temporary name, then renamed over `path`). */
export async function writeGeometryFile(path: string, content: GeometryFileContent): Promise<void> {
  const target = await resolveTarget(path);
  await replaceAtomically(target, false, (tmp) => withH5File(tmp, 'w', (f) => {
    for (let q = 0; q < 4; q++) writeXY(f, `Q${q + 1}/Position`, content.quadPositions[q]);
    for (let m = 0; m < 16; m++) {
      const base = `Q${Math.floor(m / 4) + 1}/M${(m % 4) + 1}`;
      writeXY(f, `${base}/Position`, content.moduleOffsets[m]);
      content.tileOffsets[m].forEach((xy, t) => writeXY(f, `${base}/T0${t + 1}/Position`, xy));
    }
  }, path));
}
