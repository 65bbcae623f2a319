/**
 * An isotropic scattering ring drawn on the DSSC through its geometry, for
 * the azimuthal-integration notebooks to recover: each pixel's q follows from
 * its lab position (the DSSC 1M geometry built from quadrant positions), the
 * sample–detector distance and the wavelength of the run's photon energy; the
 * ring is a Gaussian in q at q0 with σ = width, over a flat background. Frames
 * scale it as the default per-module ring (pulse energy, pump factor per scan
 * point, intra-darks 0). Conventions: docs/azimuthal-integration.md,
 * "Notebooks and synthetic rings".
 */
import { ToolBoxValueError } from '../../errors.js';
import { checkOptions, optionNames } from '../../options.js';
import { DSSC_1MGeometry } from '../../detectors/dssc/geometry.js';
import type { MockPhysics } from './mock-physics.js';

/** Photon energy (eV) × wavelength (m). */
export const HC_EV_M = 1.239841984e-6;

export interface MockScatteringOptions {
  /** Ring position in nm⁻¹ (default 0.5). */
  q0?: number;
  /** Gaussian σ of the ring in nm⁻¹ (default q0 / 15). */
  width?: number;
  /** Sample–detector distance in m (default: the one putting q0 at 55 % of the largest beam–pixel distance). */
  distance?: number;
  /** Quadrant corner positions (mm, Q1…Q4, EXtra-geom's convention); default EXtra-geom's example layout. */
  quadPositions?: [number, number][];
  /** Where the beam hits, in the geometry's lab frame (mm, [x, y]); the refinement should find it (default [0, 0]). */
  centerOffset?: [number, number];
  /** Photons per pixel on the ring's crest at mean pulse energy, unpumped (default 10). */
  peakPhotons?: number;
  /** Flat background photons per pixel at mean pulse energy (default 0.2). */
  backgroundPhotons?: number;
}
const SCATTERING_OPTIONS = optionNames<MockScatteringOptions>({
  q0: true, width: true, distance: true, quadPositions: true, centerOffset: true, peakPhotons: true, backgroundPhotons: true,
});

/** What a notebook must recover, as written to truth.json (`scattering`). */
export interface MockScatteringTruth {
  /** Ring position and Gaussian σ, nm⁻¹ (q = 4π sin(2θ/2) / λ). */
  q0: number;
  width: number;
  qUnit: 'q_nm^-1';
  /** Sample–detector distance, m. */
  distance: number;
  /** Photon energy (eV) the ring was drawn for: the mono setpoint of the delay scan. */
  photonEnergy: number;
  /** Wavelength, m (hc / photonEnergy). */
  wavelength: number;
  quadPositions: [number, number][];
  /** Beam position in the lab frame, mm [x, y]. */
  centerOffset: [number, number];
  /** Module image [slow, fast] the geometry was built for. */
  modulePixels: [number, number];
  peakPhotons: number;
  backgroundPhotons: number;
  /** Pumped / unpumped ring intensity per scan point (= physics.scan.pumpFactor): the pump-induced change is 1 − pumpFactor. */
  pumpFactor: number[];
  /** Delay (ps) per scan point (= physics.scan.delayPs). */
  delayPs: number[];
}

/** EXtra-geom's example quadrant positions (mm); small synthetic modules keep the real module size (DSSC_1MGeometry's modulePixels). */
export const EXAMPLE_QUAD_POSITIONS: readonly [number, number][] = [[-130, 5], [-130, -125], [5, -125], [5, 5]];

function finitePositive(name: string, v: number): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ToolBoxValueError(`mock run option scattering.${name} must be a positive number, got ${String(v)}`);
  return v;
}

function pair(name: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ToolBoxValueError(`mock run option scattering.${name} must be two finite numbers [x, y] (mm), got ${JSON.stringify(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

/** The geometry of the run's DSSC for modules of `pixels`. */
function dsscGeometry(quads: [number, number][], pixels: [number, number]): DSSC_1MGeometry {
  return DSSC_1MGeometry.fromQuadPositions(quads, { modulePixels: pixels });
}

/** Lab positions of all pixel centres (16 modules × slow × fast × [x, y, z], m) minus the beam offset, as [x, y] pairs in m. */
function beamRelativePositions(geom: DSSC_1MGeometry, offsetMm: [number, number]): Float64Array {
  const values = geom.getPixelPositions();
  const n = values.length / 3;
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = values[3 * i] - offsetMm[0] * 1e-3;
    xy[2 * i + 1] = values[3 * i + 1] - offsetMm[1] * 1e-3;
  }
  return xy;
}

/** The scattering set-up of a run; `phys` gives the photon energy and the pump factors. */
export function resolveScattering(o: true | MockScatteringOptions, phys: MockPhysics, pixels: [number, number]): { truth: MockScatteringTruth; xy: Float64Array } {
  const opts: MockScatteringOptions = o === true ? {} : o;
  if (typeof opts !== 'object' || opts === null) throw new ToolBoxValueError(`mock run option scattering must be true or an options object, got ${String(o)}`);
  checkOptions('writeMockRun scattering', opts, SCATTERING_OPTIONS);
  if (phys.scan.kind !== 'delay') {
    throw new ToolBoxValueError(`mock run option scattering needs scan 'delay' (one photon energy, so one q per pixel), got scan '${phys.scan.kind}'`);
  }
  const q0 = finitePositive('q0', opts.q0 ?? 0.5);
  const width = finitePositive('width', opts.width ?? q0 / 15);
  const photonEnergy = phys.mono.fixedEnergy;
  const wavelength = HC_EV_M / photonEnergy;
  const quadPositions = opts.quadPositions ?? EXAMPLE_QUAD_POSITIONS.map(([x, y]): [number, number] => [x, y]);
  if (!Array.isArray(quadPositions) || quadPositions.length !== 4) {
    throw new ToolBoxValueError(`mock run option scattering.quadPositions must be 4 [x, y] positions (mm), got ${JSON.stringify(quadPositions)}`);
  }
  quadPositions.forEach((q, i) => pair(`quadPositions[${i}]`, q));
  const centerOffset = pair('centerOffset', opts.centerOffset ?? [0, 0]);
  const xy = beamRelativePositions(dsscGeometry(quadPositions, pixels), centerOffset);
  const kMax = (4 * Math.PI) / (wavelength * 1e9);
  if (q0 >= kMax) throw new ToolBoxValueError(`mock run option scattering.q0 ${q0} nm⁻¹ is beyond 4π/λ = ${kMax.toPrecision(4)} nm⁻¹ at ${photonEnergy} eV`);
  const distance = opts.distance === undefined ? defaultDistance(xy, q0, wavelength) : finitePositive('distance', opts.distance);
  const truth: MockScatteringTruth = {
    q0, width, qUnit: 'q_nm^-1', distance, photonEnergy, wavelength, quadPositions: quadPositions.map(([x, y]) => [x, y]), centerOffset,
    modulePixels: [pixels[0], pixels[1]], peakPhotons: finitePositive('peakPhotons', opts.peakPhotons ?? 10),
    backgroundPhotons: opts.backgroundPhotons ?? 0.2, pumpFactor: [...phys.scan.pumpFactor], delayPs: [...phys.scan.delayPs],
  };
  if (!(truth.backgroundPhotons >= 0)) throw new ToolBoxValueError(`mock run option scattering.backgroundPhotons must be >= 0, got ${truth.backgroundPhotons}`);
  return { truth, xy };
}

/** The distance (m) that puts q0 at 55 % of the largest beam–pixel distance, so the whole ring crosses the modules. */
function defaultDistance(xy: Float64Array, q0: number, wavelength: number): number {
  let rMax = 0;
  for (let i = 0; i < xy.length; i += 2) rMax = Math.max(rMax, Math.hypot(xy[i], xy[i + 1]));
  const tth = 2 * Math.asin((q0 * wavelength * 1e9) / (4 * Math.PI));
  return (0.55 * rMax) / Math.tan(tth);
}

/** q (nm⁻¹) of a pixel at beam-relative lab position (x, y) (m). */
export function pixelQ(x: number, y: number, distance: number, wavelength: number): number {
  const tth = Math.atan2(Math.hypot(x, y), distance);
  return (4 * Math.PI * Math.sin(tth / 2)) / (wavelength * 1e9);
}

/** Expected photons per pixel of `module` at mean pulse energy, unpumped: the ring in q plus the flat background. */
export function scatteringMap(s: { truth: MockScatteringTruth; xy: Float64Array }, module: number): Float32Array {
  const { q0, width, distance, wavelength, peakPhotons, backgroundPhotons, modulePixels } = s.truth;
  const P = modulePixels[0] * modulePixels[1];
  const map = new Float32Array(P);
  for (let p = 0; p < P; p++) {
    const i = 2 * (module * P + p);
    const d = pixelQ(s.xy[i], s.xy[i + 1], distance, wavelength) - q0;
    map[p] = backgroundPhotons + peakPhotons * Math.exp(-(d * d) / (2 * width * width));
  }
  return map;
}
