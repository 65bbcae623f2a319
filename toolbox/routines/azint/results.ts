/**
 * Results of integrate1d / integrate2d, with pyFAI's fields (radial,
 * intensity, sigma, count and the four sums) and a conversion to a labelled
 * DataArray whose dims are pyFAI's unit names ('q_nm^-1', 'chi_deg').
 * sigma is NaN-filled when no error model or variance was given (pyFAI: None).
 */
import { DataArray } from '../../arrays/dataarray.js';
import type { RadialUnit } from './types.js';

/** The shared fields of a 1D or 2D result (2D arrays: nAzim × nRad, row-major). */
interface ResultFields {
  radial: Float64Array;
  intensity: Float64Array;
  sigma: Float64Array;
  count: Float64Array;
  sumSignal: Float64Array;
  sumNormalization: Float64Array;
  sumVariance: Float64Array;
  unit: RadialUnit;
}

/** integrate1d's result: every array has length npt. */
export class Integrate1dResult implements ResultFields {
  readonly radial!: Float64Array;
  readonly intensity!: Float64Array;
  readonly sigma!: Float64Array;
  readonly count!: Float64Array;
  readonly sumSignal!: Float64Array;
  readonly sumNormalization!: Float64Array;
  readonly sumVariance!: Float64Array;
  readonly unit!: RadialUnit;

  constructor(fields: ResultFields) {
    Object.assign(this, fields);
  }

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
export class Integrate2dResult implements ResultFields {
  readonly radial!: Float64Array;
  readonly azimuthal!: Float64Array;
  readonly intensity!: Float64Array;
  readonly sigma!: Float64Array;
  readonly count!: Float64Array;
  readonly sumSignal!: Float64Array;
  readonly sumNormalization!: Float64Array;
  readonly sumVariance!: Float64Array;
  readonly unit!: RadialUnit;
  readonly azimuthalUnit = 'chi_deg' as const;

  constructor(fields: ResultFields & { azimuthal: Float64Array }) {
    Object.assign(this, fields);
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
