/**
 * RadialIntegrator: pyFAI-grade integrate1d / integrate2d over an
 * IntegrationGeometry, with pyFAI 0.21's integrate*_ng semantics (signal,
 * variance, normalisation and count sums; intensity = Σc·s / Σc·n). The
 * sparse matrix of each (unit, bins, ranges, split, mask) is built once and
 * cached; so is its static normalisation, so a frame costs one sparse pass
 * (two with the azimuthal error model). Stacks run in worker threads
 * (stack.ts).
 */
import { buildCsr } from './csr-build.js';
import { type FrameParams, type PreparedMatrix, finishFrame, frameSums, integrateFrame, prepareMatrix } from './csr-dot.js';
import { type ImageInput, imageValues, stackValues } from './frames.js';
import { INTEGRATE_OPTION_NAMES, type IntegrateOptions, type ResolvedOptions, checkBins, resolveOptions } from './integrate-options.js';
import { checkOptions, mergeOptionNames, optionNames } from '../../options.js';
import { contentHash, maskArray, pixelArray, staticNormalization } from './preprocess.js';
import { Integrate1dResult, Integrate2dResult, IntegrateStackResult } from './results.js';
import { type StackRunOptions, runStack } from './stack.js';
import type { CsrMatrix, IntegrationGeometry, RadialUnit } from './types.js';

/** Everything a frame needs: the prepared matrix, per-frame parameters, axes. Shared with the stack workers. */
export interface IntegrationPlan {
  matrix: PreparedMatrix;
  params: FrameParams;
  radial: Float64Array;
  azimuthal?: Float64Array;
  unit: RadialUnit;
  withSigma: boolean;
  /** Value of empty bins: the dummy, else 0. */
  empty: number;
}

/** Options of integrate1dStack / integrate2dStack: integration options plus how the stack is run. */
export type IntegrateStackOptions = IntegrateOptions & StackRunOptions;

const STACK_OPTION_NAMES = mergeOptionNames<IntegrateStackOptions>(
  INTEGRATE_OPTION_NAMES, optionNames<StackRunOptions>({ workers: true, signal: true, progress: true }),
);

/** Matrices and prepared matrices kept per integrator (least recently used dropped beyond this). */
const CACHE_SIZE = 4;

function remember<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else cache.delete(key);
  cache.set(key, v);
  return v;
}

export class RadialIntegrator {
  readonly geometry: IntegrationGeometry;
  private readonly matrices = new Map<string, CsrMatrix>();
  private readonly prepared = new Map<string, PreparedMatrix>();

  constructor(geometry: IntegrationGeometry) {
    this.geometry = geometry;
  }

  /** Azimuthal integration of one image into npt radial bins (pyFAI's integrate1d_ng). */
  integrate1d(image: ImageInput, npt: number, options?: IntegrateOptions): Integrate1dResult {
    const o = checkOptions<IntegrateOptions>('integrate1d', options, INTEGRATE_OPTION_NAMES);
    checkBins('npt', npt);
    const raw = imageValues(image, this.geometry.shape);
    const plan = this.plan(npt, undefined, o);
    return new Integrate1dResult({ ...integrateOne(plan, raw), radial: plan.radial, unit: plan.unit });
  }

  /** Integration into nptAzim × nptRad (χ, radial) bins (pyFAI's integrate2d_ng); arrays are nptAzim × nptRad row-major. */
  integrate2d(image: ImageInput, nptRad: number, nptAzim = 360, options?: IntegrateOptions): Integrate2dResult {
    const o = checkOptions<IntegrateOptions>('integrate2d', options, INTEGRATE_OPTION_NAMES);
    checkBins('nptRad', nptRad);
    checkBins('nptAzim', nptAzim);
    const raw = imageValues(image, this.geometry.shape);
    const plan = this.plan(nptRad, nptAzim, o);
    return new Integrate2dResult({ ...integrateOne(plan, raw), radial: plan.radial, azimuthal: plan.azimuthal!, unit: plan.unit });
  }

  /**
   * integrate1d of every frame of a stack (typed array of N·ny·nx values, or a
   * DataArray whose trailing dims flatten to the geometry's shape), in worker threads.
   */
  integrate1dStack(frames: ImageInput, npt: number, options?: IntegrateStackOptions): Promise<IntegrateStackResult> {
    const o = checkOptions<IntegrateStackOptions>('integrate1dStack', options, STACK_OPTION_NAMES);
    return this.stack(frames, npt, undefined, o);
  }

  /** integrate2d of every frame of a stack, in worker threads. */
  integrate2dStack(frames: ImageInput, nptRad: number, nptAzim = 360, options?: IntegrateStackOptions): Promise<IntegrateStackResult> {
    const o = checkOptions<IntegrateStackOptions>('integrate2dStack', options, STACK_OPTION_NAMES);
    checkBins('nptAzim', nptAzim);
    return this.stack(frames, nptRad, nptAzim, o);
  }

  private async stack(frames: ImageInput, npt: number, nptAzim: number | undefined, checked: IntegrateStackOptions): Promise<IntegrateStackResult> {
    const { workers, signal, progress, ...o } = checked;
    checkBins(nptAzim === undefined ? 'npt' : 'nptRad', npt);
    const [ny, nx] = this.geometry.shape;
    const stack = stackValues(frames, this.geometry.shape);
    const plan = this.plan(npt, nptAzim, o);
    const out = await runStack(plan, stack, ny * nx, { workers, signal, progress });
    return new IntegrateStackResult({
      ...out, radial: plan.radial, azimuthal: plan.azimuthal, unit: plan.unit, nFrames: stack.nFrames,
      layout: { leadDims: stack.leadDims, leadShape: stack.leadShape, source: stack.source },
    });
  }

  /** The plan of one call (options already checked): cached matrix and normalisation, checked per-pixel arrays. */
  private plan(npt: number, nptAzim: number | undefined, o: IntegrateOptions): IntegrationPlan {
    const g = this.geometry;
    const r = resolveOptions(o, g);
    const [ny, nx] = g.shape;
    const size = ny * nx;
    const mask = maskArray(o.mask, size, g.shape);
    const flat = pixelArray('flat', o.flat, size, g.shape);
    const params: FrameParams = {
      dark: pixelArray('dark', o.dark, size, g.shape),
      variance: pixelArray('variance', o.variance, size, g.shape),
      dummy: r.dummy, deltaDummy: r.deltaDummy, errorModel: r.errorModel, poissonFloor: nptAzim === undefined ? 1 : -Infinity,
    };
    const csrKey = [g.cacheKey(), r.unit, r.split, npt, nptAzim ?? '-', r.radialRange ?? '-', r.azimuthRange ?? '-', contentHash(mask)].join('|');
    const csr = remember(this.matrices, csrKey, () => this.build(r, npt, nptAzim, mask));
    const corrKey = [csrKey, r.correctSolidAngle, r.polarizationFactor, r.normalizationFactor, contentHash(flat), flat ? `${r.dummy}/${r.deltaDummy}` : ''].join('|');
    const matrix = remember(this.prepared, corrKey, () => {
      const { norm } = staticNormalization(g, { ...r, flat }, mask);
      return prepareMatrix(csr, norm);
    });
    return {
      matrix, params, radial: csr.radial, azimuthal: csr.azimuthal, unit: r.unit,
      withSigma: params.variance !== null || r.errorModel !== null, empty: r.dummy ?? 0,
    };
  }

  private build(r: ResolvedOptions, npt: number, nptAzim: number | undefined, mask: Uint8Array | null): CsrMatrix {
    const pos = this.geometry.positions(r.unit, { corners: r.split !== 'no' });
    return buildCsr(pos, {
      npt, nptAzim, split: r.split, radialRange: r.radialRange, azimuthRange: r.azimuthRange, mask: mask ?? undefined,
    });
  }
}

/** One frame through a plan: the fields of a result besides the axes. */
function integrateOne(plan: IntegrationPlan, raw: Parameters<typeof integrateFrame>[1]) {
  const rows = plan.matrix.rows;
  const sums = frameSums(rows);
  integrateFrame(plan.matrix, raw, plan.params, sums);
  const intensity = new Float64Array(rows);
  const sigma = new Float64Array(rows);
  finishFrame(sums, plan.withSigma, plan.empty, intensity, sigma);
  return {
    intensity, sigma, count: sums.count, sumSignal: sums.signal, sumNormalization: sums.normalization,
    sumVariance: plan.withSigma ? sums.variance : sums.variance.fill(NaN),
  };
}
