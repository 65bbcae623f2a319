/**
 * The physics of synthetic Viking runs (docs/viking.md, Synthetic runs): an
 * Andor Newton frame of newt_y (across the slit) × newt_x (along the
 * dispersion) counts = dark offset + stray-light baseline (a polynomial of
 * the photon energy) + photoelectrons / (photoelectrons per count) + noise.
 * The beam's spectrum is a Gaussian in energy (SASE band); a sample
 * transmits exp(−μ(E)·d) with an arctan edge; a calibration run instead has
 * a monochromatic Gaussian peak at the pixel whose energy is the mono's.
 */
import { polyval } from '../../routines/fit/polynomial.js';

/** Everything that fixes a Viking run's frames; all of it goes to truth.json. */
export interface VikingModel {
  /** Frame size: rows across the slit (newt_y) and pixels along the dispersion (newt_x). */
  ny: number;
  nx: number;
  /** Pixel → energy (eV): numpy.polyval order, highest power first, of the absolute pixel index. */
  energyCalib: [number, number, number];
  /** Camera: preampGain index (0, 1, 2 → gain 1, 2, 4), HighCapacity (0 = high sensitivity), photoelectrons per count used. */
  camera: { preampGain: 0 | 1 | 2; highCapacity: 0 | 1; ePerCount: number; exposureTime: number; temperature: number; hbin: number; vbin: number };
  /** Dark counts of pixel (y, x): level + pattern·((7x + 13y) mod 5); read noise (counts, Gaussian). */
  dark: { level: number; pattern: number; readNoise: number };
  /** Stray-light baseline (counts per pixel, every row): polynomial of (E − centreEv), numpy.polyval order. */
  baseline: number[];
  /** The beam on the camera: photoelectrons per pixel at the row profile's peak, Gaussian in energy. */
  beam: { photoelectrons: number; centreEv: number; sigmaEv: number };
  /** Row profile across the slit: Gaussian, centre and width as fractions of ny. */
  rows: { centreFraction: number; sigmaFraction: number };
  /** Sample: μ(E) = preEdge + step·(1/2 + atan((E − edgeEv)/widthEv)/π) per unit thickness; transmission exp(−μ·thickness). */
  sample: { preEdge: number; step: number; edgeEv: number; widthEv: number; thickness: number };
  /** Calibration peak: photoelectrons at the peak, Gaussian width in pixels along newt_x. */
  calibrationPeak: { photoelectrons: number; sigmaPx: number };
}

/** The default model over an nx-pixel dispersion: 500 eV at pixel 0 to 580 eV at pixel nx. */
export function vikingModel(ny = 64, nx = 2048): VikingModel {
  return {
    ny, nx,
    energyCalib: [20 / (nx * nx), 60 / nx, 500],
    camera: { preampGain: 1, highCapacity: 0, ePerCount: 2.05, exposureTime: 0.1, temperature: -60, hbin: 1, vbin: 1 },
    dark: { level: 100, pattern: 3, readNoise: 2 },
    baseline: [0.004, 0.3, 20],
    beam: { photoelectrons: 2000, centreEv: 540, sigmaEv: 5 },
    rows: { centreFraction: 0.5, sigmaFraction: 0.25 },
    sample: { preEdge: 0.4, step: 2, edgeEv: 538, widthEv: 0.8, thickness: 0.5 },
    calibrationPeak: { photoelectrons: 800, sigmaPx: Math.max(2, nx / 512) },
  };
}

/** Energy (eV) of absolute pixel x. */
export const pixelEnergy = (m: VikingModel, x: number): number => polyval(m.energyCalib, x);

/** The pixel whose energy is `ev` (the root of the calibration quadratic inside the frame). */
export function energyPixel(m: VikingModel, ev: number): number {
  const [a, b, c] = m.energyCalib;
  if (a === 0) return (ev - c) / b;
  return (-b + Math.sqrt(b * b - 4 * a * (c - ev))) / (2 * a);
}

/** μ(E) per unit thickness of the sample. */
export const sampleMu = (m: VikingModel, ev: number): number =>
  m.sample.preEdge + m.sample.step * (0.5 + Math.atan((ev - m.sample.edgeEv) / m.sample.widthEv) / Math.PI);

/** Dark counts of pixel (y, x). */
export const darkCounts = (m: VikingModel, y: number, x: number): number => m.dark.level + m.dark.pattern * ((7 * x + 13 * y) % 5);

/** Row weight of row y (1 at the centre of the profile). */
export function rowWeight(m: VikingModel, y: number): number {
  const c = m.rows.centreFraction * m.ny, s = m.rows.sigmaFraction * m.ny;
  return Math.exp(-((y - c) ** 2) / (2 * s * s));
}

/** Baseline counts of a pixel at energy ev. */
export const baselineCounts = (m: VikingModel, ev: number): number => polyval(m.baseline, ev - m.beam.centreEv);

/** Photoelectrons per pixel of the beam at energy ev (row peak, mean XGM). */
export const beamPhotoelectrons = (m: VikingModel, ev: number): number =>
  m.beam.photoelectrons * Math.exp(-((ev - m.beam.centreEv) ** 2) / (2 * m.beam.sigmaEv ** 2));

/** Photoelectrons per pixel of a calibration run's peak centred at pixel `centre`. */
export const peakPhotoelectrons = (m: VikingModel, x: number, centre: number): number =>
  m.calibrationPeak.photoelectrons * Math.exp(-((x - centre) ** 2) / (2 * m.calibrationPeak.sigmaPx ** 2));
