/**
 * The DSSC 1M as a pyFAI-style geometry: the module stack (16, ss, fs) seen
 * as one (16·ss, fs) image whose pixels are the geometry's hexagons, given
 * by their corners in pyFAI's layout (z, dim1 = y, dim2 = x), with the origin
 * at the geometry's centre (as EXtra-geom's pyFAI detector). The PONI is the
 * beam centre, the detector is untilted (the geometry holds the layout).
 * Pixel centres are the hexagons' own centres by default: pyFAI 0.21 takes
 * the middle of a pixel's first four corners, a quarter pixel off for a
 * hexagon, which moves every ring outwards (the quadrants face away from the
 * beam); 'pyfai' keeps that for comparisons with pyFAI.
 */
import { DSSC_1MGeometry } from '../../detectors/dssc/geometry.js';
import { ParameterError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { PoniGeometry } from './poni-geometry.js';

export interface DsscPoniOptions {
  /** Sample → detector distance, metres. */
  dist: number;
  /** Metres; needed for q units. */
  wavelength?: number;
  /** Beam centre (x, y) in the geometry's lab frame, metres (default [0, 0]); the `dxdy` of AzimuthalIntegratorDSSC. */
  center?: [number, number];
  /** 'hexagon' (default): the hexagons' centres; 'pyfai': the middle of the first four corners, as pyFAI 0.21 places them. */
  pixelCentres?: 'hexagon' | 'pyfai';
}

const OPTIONS = optionNames<DsscPoniOptions>({ dist: true, wavelength: true, center: true, pixelCentres: true });

/** A PoniGeometry of shape (16·ss, fs) with the DSSC's hexagonal pixel corners; images are module stacks flattened. */
export function dsscPoniGeometry(geom: DSSC_1MGeometry, options: DsscPoniOptions): PoniGeometry {
  options = checkOptions('dsscPoniGeometry', options, OPTIONS);
  if (!(geom instanceof DSSC_1MGeometry)) throw new ParameterError('geom must be a DSSC_1MGeometry', { parameter: 'geom', value: typeof geom });
  const center = options.center ?? [0, 0];
  if (!Array.isArray(center) || center.length !== 2 || !center.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new ParameterError(`center must be the beam centre [x, y] in metres, got ${JSON.stringify(center)}`, { parameter: 'center', value: center });
  }
  const pixelCentres = options.pixelCentres ?? 'hexagon';
  if (pixelCentres !== 'hexagon' && pixelCentres !== 'pyfai') {
    throw new ParameterError(`pixelCentres must be 'hexagon' or 'pyfai', got ${JSON.stringify(pixelCentres)}`, { parameter: 'pixelCentres', value: pixelCentres });
  }
  const [n, ss, fs] = geom.expectedDataShape;
  const [ssStep, fsStep] = geom.pixelSteps;
  return new PoniGeometry({
    dist: options.dist, poni1: center[1], poni2: center[0], pixel1: ssStep, pixel2: fsStep,
    wavelength: options.wavelength, shape: [n * ss, fs],
    corners: geom.toDistortionArray({ allowNegativeXy: true }), nCorners: DSSC_1MGeometry.nCorners,
    cornerCentres: pixelCentres === 'hexagon' ? 'mean' : 'bilinear',
  });
}
