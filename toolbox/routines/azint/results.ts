/**
 * Results of integrate1d / integrate2d, with pyFAI's fields (radial,
 * intensity, sigma, count and the four sums) and a conversion to a labelled
 * DataArray whose dims are pyFAI's unit names ('q_nm^-1', 'chi_deg').
 * sigma is NaN-filled when no error model or variance was given (pyFAI: None).
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { RadialUnit } from './types.js';

/** The per-bin arrays of a result (2D: nAzim × nRad, row-major; stacks: nFrames blocks of those). */
export interface BinArrays {
  intensity: Float64Array;
  sigma: Float64Array;
  count: Float64Array;
  sumSignal: Float64Array;
  sumNormalization: Float64Array;
  sumVariance: Float64Array;
}

/** The shared fields of a 1D or 2D result. */
export interface IntegrateResultFields extends BinArrays {
  radial: Float64Array;
  unit: RadialUnit;
}

/** The fields every result holds, set from the integrator's arrays. */
abstract class BinnedResult implements IntegrateResultFields {
  readonly radial!: Float64Array;
  readonly intensity!: Float64Array;
  readonly sigma!: Float64Array;
  readonly count!: Float64Array;
  readonly sumSignal!: Float64Array;
  readonly sumNormalization!: Float64Array;
  readonly sumVariance!: Float64Array;
  readonly unit!: RadialUnit;

  constructor(fields: IntegrateResultFields) {
    Object.assign(this, fields);
  }
}

/** integrate1d's result: every array has length npt. */
export class Integrate1dResult extends BinnedResult {

  /** The intensity over the radial unit's dim, with sigma and count as coordinates along it. */
  toDataArray(): DataArray {
    const u = this.unit;
    return new DataArray(this.intensity, {
      dims: [u], name: 'intensity',
      coords: { [u]: this.radial, sigma: [u, this.sigma], count: [u, this.count] },
    });
  }
}

/** integrate2d's result: intensity, sigma, count and sums are nAzim × nRad row-major; azimuthal in degrees. */
export class Integrate2dResult extends BinnedResult {
  readonly azimuthal: Float64Array;
  readonly azimuthalUnit = 'chi_deg' as const;

  constructor(fields: IntegrateResultFields & { azimuthal: Float64Array }) {
    super(fields);
    this.azimuthal = fields.azimuthal;
  }

  /** The intensity over ('chi_deg', radial unit), as pyFAI's (npt_azim, npt_rad) array. */
  toDataArray(): DataArray {
    const u = this.unit;
    const dims = ['chi_deg', u];
    const shape = [this.azimuthal.length, this.radial.length];
    return new DataArray(this.intensity, {
      dims, shape, name: 'intensity',
      coords: { [u]: this.radial, chi_deg: this.azimuthal, sigma: new DataArray(this.sigma, { dims, shape }), count: new DataArray(this.count, { dims, shape }) },
    });
  }
}

/** Where a stack's frames came from: leading dims (and coords) kept in the result. */
export interface StackLayout {
  leadDims: string[];
  leadShape: number[];
  source: DataArray | null;
}

/**
 * integrate1dStack / integrate2dStack's result: every per-bin array holds
 * nFrames blocks of the single-frame layout (npt, or nAzim × nRad), frames
 * in the order of the input's leading dims.
 */
export class IntegrateStackResult extends BinnedResult {
  /** χ bin centres in degrees, for 2D stacks. */
  readonly azimuthal?: Float64Array;
  readonly nFrames: number;
  readonly layout: StackLayout;

  constructor(fields: IntegrateResultFields & { azimuthal?: Float64Array; nFrames: number; layout: StackLayout }) {
    super(fields);
    if (fields.azimuthal) this.azimuthal = fields.azimuthal;
    this.nFrames = fields.nFrames;
    this.layout = fields.layout;
  }

  /** Frame k as a single-frame result (views, not copies). */
  frame(k: number): Integrate1dResult | Integrate2dResult {
    const rows = this.intensity.length / this.nFrames;
    const part = (a: Float64Array) => a.subarray(k * rows, (k + 1) * rows);
    const f = {
      radial: this.radial, unit: this.unit, intensity: part(this.intensity), sigma: part(this.sigma), count: part(this.count),
      sumSignal: part(this.sumSignal), sumNormalization: part(this.sumNormalization), sumVariance: part(this.sumVariance),
    };
    return this.azimuthal ? new Integrate2dResult({ ...f, azimuthal: this.azimuthal }) : new Integrate1dResult(f);
  }

  /** The intensity over (leading dims…, ['chi_deg',] radial unit), with the leading coords of the input DataArray. */
  toDataArray(): DataArray {
    const u = this.unit;
    const { leadDims, leadShape, source } = this.layout;
    const binDims = this.azimuthal ? ['chi_deg', u] : [u];
    const binShape = this.azimuthal ? [this.azimuthal.length, this.radial.length] : [this.radial.length];
    const dims = [...leadDims, ...binDims];
    const shape = [...leadShape, ...binShape];
    const coords: Record<string, DataArray | Float64Array> = { [u]: this.radial };
    if (this.azimuthal) coords.chi_deg = this.azimuthal;
    for (const [name, c] of Object.entries(source?.coords ?? {})) {
      if (c.dims.every((d) => leadDims.includes(d))) coords[name] = c;
    }
    coords.sigma = new DataArray(this.sigma, { dims, shape });
    coords.count = new DataArray(this.count, { dims, shape });
    return new DataArray(this.intensity, { dims, shape, name: 'intensity', coords });
  }
}
