/**
 * PoniGeometry: a detector placed by pyFAI's PONI parameters, giving the
 * per-pixel positions (radial unit and χ, centres and corners), solid angle
 * and polarisation the integrator needs, computed as pyFAI 0.21 computes them
 * (docs/azimuthal-integration.md, Geometry). Arrays are computed once and
 * cached; they are shared, so callers must not modify them.
 */
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { polarizationArray, solidAngleFlat, solidAngleNonFlat } from './corrections.js';
import { type CentreArrays, LabFrame, centreArrays, nodeValues } from './lab-frame.js';
import { type CornerCentres, CornerLayout, type PixelLayout, RegularLayout } from './pixel-layout.js';
import { PONI_GEOMETRY_OPTIONS, type PoniGeometryConfig, type PoniGeometryOptions, checkGeometryOptions } from './poni-options.js';
import { PONI_TEXT_OPTIONS, type PoniTextOptions, formatPoni, parsePoni, readPoniFile, writePoniFile } from './poni-file.js';
import type { IntegrationGeometry, PixelPositions, RadialUnit } from './types.js';
import { type RadialSpace, qFromRt, radialUnitInfo } from './units.js';

export interface PositionsOptions {
  /** Also compute the corner positions (for pixel splitting). */
  corners?: boolean;
}
const POSITIONS_OPTIONS = optionNames<PositionsOptions>({ corners: true });

export class PoniGeometry implements IntegrationGeometry {
  readonly dist: number;
  readonly poni1: number;
  readonly poni2: number;
  readonly rot1: number;
  readonly rot2: number;
  readonly rot3: number;
  readonly pixel1: number;
  readonly pixel2: number;
  readonly wavelength?: number;
  readonly shape: [number, number];
  /** Per-pixel corners (ny, nx, nCorners, 3) as float32, when the detector was given by its corners. */
  readonly corners?: Float32Array;
  readonly nCorners: number;
  /** With corners: how pixel centres are placed ('bilinear' as pyFAI, or 'mean'). */
  readonly cornerCentres?: CornerCentres;

  private readonly layout: PixelLayout;
  private centreCache?: CentreArrays;
  private tthCache?: Float64Array;
  private readonly radialCache = new Map<RadialUnit, Float64Array>();
  private readonly cornerCache = new Map<string, Float64Array>();
  private solidAngleCache?: Float64Array;
  private readonly polarizationCache = new Map<number, Float64Array>();
  private key?: string;

  constructor(options: PoniGeometryOptions) {
    const { config, corners } = checkGeometryOptions(checkOptions('PoniGeometry', options, PONI_GEOMETRY_OPTIONS));
    this.dist = config.dist; this.poni1 = config.poni1; this.poni2 = config.poni2;
    this.rot1 = config.rot1; this.rot2 = config.rot2; this.rot3 = config.rot3;
    this.pixel1 = config.pixel1; this.pixel2 = config.pixel2;
    if (config.wavelength !== undefined) this.wavelength = config.wavelength;
    this.shape = config.shape;
    this.nCorners = config.nCorners ?? 4;
    if (corners) {
      this.corners = corners;
      this.cornerCentres = config.cornerCentres;
      this.layout = new CornerLayout(this.shape, this.nCorners, corners, config.cornerCentres);
    } else {
      this.layout = new RegularLayout(this.shape, this.pixel1, this.pixel2);
    }
  }

  /** Reads a pyFAI .poni file (version 2, or 1 with `shape`). */
  static async read(path: string, options?: PoniTextOptions): Promise<PoniGeometry> {
    return new PoniGeometry(await readPoniFile(path, checkOptions('PoniGeometry.read', options, PONI_TEXT_OPTIONS)));
  }

  /** A geometry from the text of a .poni file; `shape` is needed when the file has no max_shape. */
  static fromPoniText(text: string, options?: PoniTextOptions): PoniGeometry {
    return new PoniGeometry(parsePoni(text, checkOptions('PoniGeometry.fromPoniText', options, PONI_TEXT_OPTIONS)));
  }

  /** The .poni text (version 2) of this geometry, as pyFAI writes it. */
  toPoniText(): string {
    this.checkPoniWritable();
    return formatPoni(this.config());
  }

  /** Writes a .poni file (version 2) atomically: under a temporary name, then renamed. */
  async write(path: string): Promise<void> {
    this.checkPoniWritable();
    await writePoniFile(path, this.config());
  }

  /** The parameters (JSON-compatible; the corners are not included). */
  config(): PoniGeometryConfig {
    const c: PoniGeometryConfig = {
      dist: this.dist, poni1: this.poni1, poni2: this.poni2, rot1: this.rot1, rot2: this.rot2, rot3: this.rot3,
      pixel1: this.pixel1, pixel2: this.pixel2, shape: [this.shape[0], this.shape[1]],
    };
    if (this.wavelength !== undefined) c.wavelength = this.wavelength;
    if (this.corners) {
      c.nCorners = this.nCorners;
      c.cornerCentres = this.cornerCentres;
    }
    return c;
  }

  toJSON(): PoniGeometryConfig {
    return this.config();
  }

  /** Equal for geometries with equal parameters and corners. */
  cacheKey(): string {
    this.key ??= `poni:${JSON.stringify(this.config())}${this.corners ? `:corners#${hashFloat32(this.corners)}` : ''}`;
    return this.key;
  }

  /** 2θ of the pixel centres, radians (pyFAI's twoThetaArray). */
  tth(): Float64Array {
    if (!this.tthCache) {
      const { r, t3 } = this.centres();
      const tth = new Float64Array(r.length);
      for (let k = 0; k < tth.length; k++) tth[k] = Math.atan2(r[k], t3[k]);
      this.tthCache = tth;
    }
    return this.tthCache;
  }

  /** χ of the pixel centres, radians in [−π, π] (pyFAI's chiArray). */
  chi(): Float64Array {
    return this.centres().chi;
  }

  /** Positions in `unit`; with `{ corners: true }` also the corners' (pyFAI's corner_array). */
  positions(unit: RadialUnit, options?: PositionsOptions): PixelPositions {
    const o = checkOptions('PoniGeometry.positions', options, POSITIONS_OPTIONS);
    const info = radialUnitInfo(unit, 'PoniGeometry.positions');
    const wavelength = this.wavelengthFor(unit, info.needsWavelength);
    const out: PixelPositions = { shape: this.shape, unit, radial: this.radialCentres(unit, info.space, info.scale, wavelength), chi: this.chi(), nCorners: 0 };
    if (o.corners) {
      out.nCorners = this.nCorners;
      out.radialCorners = this.cornerArray(unit, info.space, info.scale, wavelength);
      out.chiCorners = this.cornerArray('chi', 'chi', 1, wavelength);
    }
    return out;
  }

  /** pyFAI's solidAngleArray: cos³ of the incidence angle, 1 at the PONI. */
  solidAngle(): Float64Array {
    this.solidAngleCache ??= this.layout.flat
      ? solidAngleFlat(this.dist, this.layout.centres(this.poni1, this.poni2))
      : solidAngleNonFlat(this, { centres: (this.layout as CornerLayout).middles(), corners: this.corners as Float32Array, nCorners: this.nCorners });
    return this.solidAngleCache;
  }

  /** pyFAI's polarization(factor) with axis_offset 0, factor in [−1, 1]. */
  polarization(factor: number): Float64Array {
    let p = this.polarizationCache.get(factor);
    if (!p) {
      p = polarizationArray(this.tth(), this.chi(), factor);
      this.polarizationCache.set(factor, p);
    }
    return p;
  }

  private centres(): CentreArrays {
    this.centreCache ??= centreArrays(new LabFrame(this.rot1, this.rot2, this.rot3), this.dist, ...relArgs(this.layout.centres(this.poni1, this.poni2)));
    return this.centreCache;
  }

  private wavelengthFor(unit: RadialUnit, needed: boolean): number {
    if (needed && this.wavelength === undefined) {
      throw new ParameterError(`PoniGeometry.positions: unit '${unit}' needs the wavelength, which this geometry lacks; give wavelength (metres) to PoniGeometry`,
        { parameter: 'wavelength', value: undefined });
    }
    return this.wavelength ?? NaN;
  }

  private radialCentres(unit: RadialUnit, space: RadialSpace, scale: number, wavelength: number): Float64Array {
    let a = this.radialCache.get(unit);
    if (a) return a;
    const { r, t3 } = this.centres();
    a = new Float64Array(r.length);
    if (space === 'q') {
      for (let k = 0; k < a.length; k++) a[k] = qFromRt(r[k], t3[k], wavelength) * scale;
    } else {
      const base = space === 'r' ? r : this.tth();
      for (let k = 0; k < a.length; k++) a[k] = base[k] * scale;
    }
    this.radialCache.set(unit, a);
    return a;
  }

  /** Corner values per pixel; χ is computed with the first radial space asked. */
  private cornerArray(key: RadialUnit | 'chi', space: RadialSpace | 'chi', scale: number, wavelength: number): Float64Array {
    let a = this.cornerCache.get(key);
    if (a) return a;
    const v = nodeValues(new LabFrame(this.rot1, this.rot2, this.rot3), this, this.layout.nodes(), space === 'chi' ? 'r' : space, wavelength);
    a = this.layout.scatter(space === 'chi' ? v.chi : v.radial, scale);
    if (space !== 'chi' && !this.cornerCache.has('chi')) this.cornerCache.set('chi', this.layout.scatter(v.chi, 1));
    this.cornerCache.set(key, a);
    return a;
  }

  private checkPoniWritable(): void {
    if (this.corners) {
      throw new ParameterError('PoniGeometry: a geometry with per-pixel corners cannot be written as a .poni file (pyFAI keeps such detectors in NeXus files); write the PONI parameters of a regular detector instead',
        { parameter: 'corners', value: this.nCorners });
    }
  }
}

function relArgs(c: { rel1: Float32Array; rel2: Float32Array; z: Float32Array | null }): [Float32Array, Float32Array, Float32Array | null] {
  return [c.rel1, c.rel2, c.z];
}

/** An FNV-style hash of the 32-bit words: a cheap fingerprint of the corners for the cache key. */
function hashFloat32(a: Float32Array): string {
  const bytes = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let k = 0; k < bytes.length; k++) {
    h ^= bytes[k];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${a.length}-${h.toString(16)}`;
}
