/**
 * DSSC 1M detector geometry, with EXtra-geom's conventions (class name,
 * module order, quadrant orientation, tile layout, hexagonal pixels): 16
 * modules in 4 quadrants of 4, each module 2 tiles side by side along the
 * fast-scan axis. Coordinates are lab (x, y, z) in metres, origin at the
 * detector centre, x increasing to the left and y upwards looking along the
 * beam. The facts and where they were checked are in
 * docs/azimuthal-integration.md (DSSC geometry).
 *
 * `modulePixels` is our extension: a module keeps its physical size but has
 * fewer, larger pixels, so that small synthetic runs have a consistent geometry.
 */
import { ParameterError, ToolBoxFileError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import {
  add, CENTRE_FS, CENTRE_SS, checkModulePixels, checkPositive, checkQuadPositions, HEX_CORNERS_FS, HEX_CORNERS_SS,
  PIXEL_SIZE, pixelSteps, QUAD_X_ORIENTATION, QUAD_Y_ORIENTATION, REAL_MODULE_PIXELS, tileVectors,
  type GeometryFragment, type Vec3,
} from './geometry-layout.js';
import { readFirstTileOffsets, readGeometryFile, readQuadPositions, writeGeometryFile } from './geometry-file.js';

export type { GeometryFragment, Vec3 } from './geometry-layout.js';

export interface DsscGeometryOptions {
  /** Metres per unit of the quadrant positions (default 1e-3: millimetres). */
  unit?: number;
  /** Gap between the two tiles of a module, in `unit` (default 2 mm). */
  asicGap?: number;
  /** Gap between modules of a quadrant, in `unit` (default 4 mm). */
  panelGap?: number;
  /** Pixels per module [slow scan, fast scan] (default [128, 512]); the module keeps its physical size. */
  modulePixels?: [number, number];
}

export interface PixelPositionOptions {
  /** Pixel centres (default) or each pixel's first corner (EXtra-geom's `centre=False`). */
  centre?: boolean;
}

export interface GeometryConstructorOptions {
  /** Pixels per module [slow scan, fast scan] (default [128, 512]). */
  modulePixels?: [number, number];
  /** Where the geometry came from (default 'No file'). */
  filename?: string;
}

const CONSTRUCTOR_OPTIONS = optionNames<GeometryConstructorOptions>({ modulePixels: true, filename: true });
const MODULE_PIXELS_OPTION = optionNames<Pick<DsscGeometryOptions, 'modulePixels'>>({ modulePixels: true });
const GEOMETRY_OPTIONS = optionNames<DsscGeometryOptions>({ unit: true, asicGap: true, panelGap: true, modulePixels: true });
const FILE_OPTIONS = optionNames<Pick<DsscGeometryOptions, 'unit' | 'modulePixels'>>({ unit: true, modulePixels: true });
const POSITION_OPTIONS = optionNames<PixelPositionOptions>({ centre: true });

/** A DSSC 1M geometry: 16 modules × 2 tiles (EXtra-geom's DSSC_1MGeometry). */
export class DSSC_1MGeometry {
  /** Fast-scan step of the real detector's pixels (m). */
  static readonly pixelSize = PIXEL_SIZE;
  static readonly nQuads = 4;
  static readonly nModules = 16;
  static readonly nTilesPerModule = 2;
  /** Corners per pixel (hexagons). */
  static readonly nCorners = 6;

  /** Tiles by module: modules[m][t]. */
  readonly modules: readonly (readonly GeometryFragment[])[];
  /** Pixels per module [slow scan, fast scan]. */
  readonly modulePixels: [number, number];
  /** Where the geometry came from ('No file' for an idealised layout). */
  readonly filename: string;

  constructor(modules: GeometryFragment[][], options: GeometryConstructorOptions = {}) {
    options = checkOptions('DSSC_1MGeometry', options, CONSTRUCTOR_OPTIONS);
    this.modulePixels = checkModulePixels(options.modulePixels ?? REAL_MODULE_PIXELS);
    if (modules.length !== DSSC_1MGeometry.nModules || modules.some((m) => m.length !== DSSC_1MGeometry.nTilesPerModule)) {
      throw new ParameterError(`modules must be 16 modules of 2 tiles, got ${modules.length} modules`, { parameter: 'modules', value: modules.length });
    }
    this.modules = modules.map((m) => m.map((t) => ({ ...t })));
    this.filename = options.filename ?? 'No file';
  }

  /** Shape of the data this geometry describes: [16, slow scan, fast scan]. */
  get expectedDataShape(): [number, number, number] {
    return [DSSC_1MGeometry.nModules, this.modulePixels[0], this.modulePixels[1]];
  }

  /** Pixel steps [slow scan, fast scan] in metres. */
  get pixelSteps(): [number, number] {
    return pixelSteps(this.modulePixels);
  }

  /**
   * An idealised geometry from the 4 quadrant positions (x, y): each the
   * low-x, low-y corner (bottom right looking along the beam) of its
   * quadrant, in `unit` (default mm). Modules are flat, aligned and equally
   * spaced in their quadrant.
   */
  static fromQuadPositions(quadPos: [number, number][], options: DsscGeometryOptions = {}): DSSC_1MGeometry {
    options = checkOptions('DSSC_1MGeometry.fromQuadPositions', options, GEOMETRY_OPTIONS);
    const quads = checkQuadPositions(quadPos);
    const unit = checkPositive('unit', options.unit, 1e-3);
    const asicGap = checkPositive('asicGap', options.asicGap, 2e-3 / unit) * unit;
    const panelGap = checkPositive('panelGap', options.panelGap, 4e-3 / unit) * unit;
    const modulePixels = checkModulePixels(options.modulePixels ?? REAL_MODULE_PIXELS);
    const tileFs = modulePixels[1] / 2;
    const [ssStep, fsStep] = pixelSteps(modulePixels);
    const tileWidth = fsStep * tileFs;
    const tileHeight = ssStep * modulePixels[0];
    const moduleWidth = 2 * tileWidth + asicGap;
    const quadHeight = 4 * tileHeight + 3 * panelGap;
    const modules: GeometryFragment[][] = [];
    for (let m = 0; m < DSSC_1MGeometry.nModules; m++) {
      const q = Math.floor(m / 4);
      const xo = QUAD_X_ORIENTATION[q];
      const yo = QUAD_Y_ORIENTATION[q];
      const [qx, qy] = [quads[q][0] * unit, quads[q][1] * unit];
      // The first pixel of a quadrant is at its high-x, low-y corner (x axis
      // reversed) or its low-x, high-y corner (y axis reversed).
      const start: Vec3 = xo === -1 ? [qx + moduleWidth, qy, 0] : [qx, qy + quadHeight, 0];
      const moduleStart = add(start, [0, tileHeight + panelGap, 0], yo * (m % 4));
      const { ssVec, fsVec } = tileVectors(q, modulePixels);
      modules.push([0, 1].map((t) => ({
        cornerPos: add(moduleStart, [tileWidth + asicGap, 0, 0], xo * t),
        ssVec, fsVec, ssPixels: modulePixels[0], fsPixels: tileFs,
      })));
    }
    return new DSSC_1MGeometry(modules, { modulePixels });
  }

  /**
   * A geometry from a European XFEL HDF5 geometry file and the 4 quadrant
   * positions (low-x, low-y corners, in `unit`, default mm), which override
   * any the file holds. A file missing a quadrant, module or tile is a
   * ToolBoxFileError naming the file and the group.
   */
  static async fromH5FileAndQuadPositions(path: string, quadPos: [number, number][], options: Pick<DsscGeometryOptions, 'unit' | 'modulePixels'> = {}): Promise<DSSC_1MGeometry> {
    options = checkOptions('DSSC_1MGeometry.fromH5FileAndQuadPositions', options, FILE_OPTIONS);
    const quads = checkQuadPositions(quadPos);
    const unit = checkPositive('unit', options.unit, 1e-3);
    const modulePixels = checkModulePixels(options.modulePixels ?? REAL_MODULE_PIXELS);
    const modules = await readGeometryFile(path, quads, unit, modulePixels);
    return new DSSC_1MGeometry(modules, { modulePixels, filename: path });
  }

  /** A geometry from a geometry file that holds its quadrant positions (`Q<q>/Position`, mm). */
  static async fromH5File(path: string, options: Pick<DsscGeometryOptions, 'modulePixels'> = {}): Promise<DSSC_1MGeometry> {
    options = checkOptions('DSSC_1MGeometry.fromH5File', options, MODULE_PIXELS_OPTION);
    const quads = await readQuadPositions(path);
    if (!quads) {
      throw new ToolBoxFileError(`DSSC geometry file ${path} has no quadrant positions (Q1..Q4/Position): use DSSC_1MGeometry.fromH5FileAndQuadPositions(path, quadPos)`, path);
    }
    return DSSC_1MGeometry.fromH5FileAndQuadPositions(path, quads, options);
  }

  /**
   * Write this geometry as a European XFEL HDF5 geometry file (mm), quadrant
   * positions included; returns them. The file read back with those
   * positions gives this geometry (tiles are axis-aligned in the format).
   */
  async writeH5File(path: string): Promise<[number, number][]> {
    const quadPositions = this.quadPositions();
    const moduleOffsets: [number, number][] = [];
    const tileOffsets: [number, number][][] = [];
    this.modules.forEach((mod, m) => {
      const tilePos = mod.map((t) => {
        const cs = DSSC_1MGeometry.tileCorners(t);
        return [Math.min(...cs.map((c) => c[0])) * 1000, Math.min(...cs.map((c) => c[1])) * 1000] as [number, number];
      });
      const modPos: [number, number] = [Math.min(...tilePos.map((p) => p[0])), Math.min(...tilePos.map((p) => p[1]))];
      tileOffsets.push(tilePos.map((p) => [p[0] - modPos[0], p[1] - modPos[1]]));
      const qp = quadPositions[Math.floor(m / 4)];
      moduleOffsets.push([modPos[0] - qp[0], modPos[1] - qp[1]]);
    });
    await writeGeometryFile(path, { quadPositions, moduleOffsets, tileOffsets });
    return quadPositions;
  }

  /** EXtra-geom's example layout: quadrants at (−130, 5), (−130, −125), (5, −125), (5, 5) mm. */
  static example(options: Pick<DsscGeometryOptions, 'modulePixels'> = {}): DSSC_1MGeometry {
    options = checkOptions('DSSC_1MGeometry.example', options, MODULE_PIXELS_OPTION);
    return DSSC_1MGeometry.fromQuadPositions([[-130, 5], [-130, -125], [5, -125], [5, 5]], options);
  }

  /** The 4 corners (x, y, z) of a tile's rectangle. */
  static tileCorners(t: GeometryFragment): Vec3[] {
    const ssAll: Vec3 = [t.ssVec[0] * t.ssPixels, t.ssVec[1] * t.ssPixels, t.ssVec[2] * t.ssPixels];
    const fsAll: Vec3 = [t.fsVec[0] * t.fsPixels, t.fsVec[1] * t.fsPixels, t.fsVec[2] * t.fsPixels];
    return [t.cornerPos, add(t.cornerPos, fsAll), add(add(t.cornerPos, ssAll), fsAll), add(t.cornerPos, ssAll)];
  }

  /** Quadrant positions (x, y) in mm: the low-x, low-y corner of each quadrant's tiles. */
  quadPositions(): [number, number][] {
    const out: [number, number][] = [];
    for (let q = 0; q < DSSC_1MGeometry.nQuads; q++) {
      let [mx, my] = [Infinity, Infinity];
      for (const mod of this.modules.slice(q * 4, q * 4 + 4)) {
        for (const c of mod.flatMap((t) => DSSC_1MGeometry.tileCorners(t))) {
          mx = Math.min(mx, c[0]);
          my = Math.min(my, c[1]);
        }
      }
      out.push([mx * 1000, my * 1000]);
    }
    return out;
  }

  /**
   * Quadrant positions (mm) to use this geometry with an existing geometry
   * file: each quadrant's Q1..Q4/M1/T01 corner here, minus that tile's and
   * module's offsets in the file (EXtra-geom's `quad_positions(h5_file)`).
   * The file is not otherwise compared with this geometry.
   */
  async quadPositionsForFile(path: string): Promise<[number, number][]> {
    const offsets = await readFirstTileOffsets(path);
    return offsets.map(({ module, tile }, q) => {
      const cs = DSSC_1MGeometry.tileCorners(this.modules[q * 4][0]);
      const x = Math.min(...cs.map((c) => c[0])) * 1000;
      const y = Math.min(...cs.map((c) => c[1])) * 1000;
      return [x - tile[0] - module[0], y - tile[1] - module[1]];
    });
  }

  /** This geometry moved by `shift` (x, y[, z]) metres. */
  offset(shift: [number, number] | Vec3): DSSC_1MGeometry {
    const s: Vec3 = [shift[0], shift[1], shift[2] ?? 0];
    const modules = this.modules.map((m) => m.map((t) => ({ ...t, cornerPos: add(t.cornerPos, s) })));
    return new DSSC_1MGeometry(modules, { modulePixels: this.modulePixels, filename: this.filename });
  }

  /**
   * Pixel positions, shape (16, slow scan, fast scan, 3) row-major, (x, y, z)
   * in metres: hexagon centres by default, else each pixel's first corner.
   * Odd rows are shifted by half a pixel along the fast-scan axis.
   */
  getPixelPositions(options: PixelPositionOptions = {}): Float64Array {
    options = checkOptions('DSSC_1MGeometry.getPixelPositions', options, POSITION_OPTIONS);
    const centre = options.centre ?? true;
    return this.pointsPerPixel(centre ? [CENTRE_SS] : [0], centre ? [CENTRE_FS] : [0]);
  }

  /**
   * Hexagon corners of every pixel, shape (16, slow scan, fast scan, 6, 3),
   * (x, y, z) in metres, clockwise as EXtra-geom lists them.
   */
  pixelCorners(): Float64Array {
    return this.pointsPerPixel(HEX_CORNERS_SS, HEX_CORNERS_FS);
  }

  /** Points at (ss, fs) offsets (in pixel steps) from every pixel's first corner: (16, ss, fs, k, 3). */
  private pointsPerPixel(ssOff: readonly number[], fsOff: readonly number[]): Float64Array {
    const [nss, nfs] = this.modulePixels;
    const k = ssOff.length;
    const out = new Float64Array(DSSC_1MGeometry.nModules * nss * nfs * k * 3);
    this.modules.forEach((mod, m) => mod.forEach((tile, t) => {
      const { cornerPos: c, ssVec: sv, fsVec: fv } = tile;
      for (let r = 0; r < tile.ssPixels; r++) {
        const rowShift = r % 2 === 1 ? 0.5 : 0;
        for (let j = 0; j < tile.fsPixels; j++) {
          let o = ((m * nss + r) * nfs + t * tile.fsPixels + j) * k * 3;
          for (let i = 0; i < k; i++, o += 3) {
            const a = r + ssOff[i];
            const b = j + rowShift + fsOff[i];
            out[o] = c[0] + a * sv[0] + b * fv[0];
            out[o + 1] = c[1] + a * sv[1] + b * fv[1];
            out[o + 2] = c[2] + a * sv[2] + b * fv[2];
          }
        }
      }
    }));
    return out;
  }

  /**
   * pyFAI's per-pixel corners, shape (16·slow scan, fast scan, 6, 3) as
   * (z, dim1, dim2) = (z, y, x), like EXtra-geom's to_distortion_array.
   * Unless `allowNegativeXy`, y and x are shifted so their minimum is 0
   * (EXtra-geom's default); its pyFAI detector uses the centred origin.
   */
  toDistortionArray(options: { allowNegativeXy?: boolean } = {}): Float32Array {
    options = checkOptions('DSSC_1MGeometry.toDistortionArray', options, optionNames<{ allowNegativeXy?: boolean }>({ allowNegativeXy: true }));
    const xyz = this.pixelCorners();
    const out = new Float32Array(xyz.length);
    let [minY, minX] = [0, 0];
    if (!options.allowNegativeXy) {
      [minY, minX] = [Infinity, Infinity];
      for (let i = 0; i < xyz.length; i += 3) {
        minX = Math.min(minX, xyz[i]);
        minY = Math.min(minY, xyz[i + 1]);
      }
    }
    for (let i = 0; i < xyz.length; i += 3) {
      out[i] = xyz[i + 2];
      out[i + 1] = xyz[i + 1] - minY;
      out[i + 2] = xyz[i] - minX;
    }
    return out;
  }
}
