/**
 * Stacks in worker threads give exactly the single-frame results; DataArray
 * stacks keep their leading dims and coords; abort and progress work; bad
 * input is a ToolBoxError naming the parameter and the value. A flat,
 * untilted stand-in geometry in r_mm (no pyFAI needed here).
 */
import { strict as assert } from 'node:assert';
import { DataArray } from '../../toolbox/arrays/dataarray.js';
import { ToolBoxError, ToolBoxValueError } from '../../toolbox/errors.js';
import { RadialIntegrator } from '../../toolbox/routines/azint/radial-integrator.js';
import type { Integrate1dResult, Integrate2dResult } from '../../toolbox/routines/azint/results.js';
import type { IntegrationGeometry, PixelPositions, RadialUnit } from '../../toolbox/routines/azint/types.js';

const NY = 48, NX = 64, PIX = 0.1, CY = 20.3, CX = 30.7; // mm, PONI in pixels

class Flat implements IntegrationGeometry {
  readonly shape: [number, number] = [NY, NX];
  constructor(readonly wavelength?: number) {}
  positions(unit: RadialUnit, o?: { corners?: boolean }): PixelPositions {
    const n = NY * NX;
    const radial = new Float64Array(n), chi = new Float64Array(n);
    const rc = new Float64Array(4 * n), cc = new Float64Array(4 * n);
    for (let i = 0; i < NY; i++) for (let j = 0; j < NX; j++) {
      const k = i * NX + j;
      radial[k] = Math.hypot(i + 0.5 - CY, j + 0.5 - CX) * PIX;
      chi[k] = Math.atan2(i + 0.5 - CY, j + 0.5 - CX);
      [[0, 0], [1, 0], [1, 1], [0, 1]].forEach(([a, b], c) => {
        rc[4 * k + c] = Math.hypot(i + a - CY, j + b - CX) * PIX;
        cc[4 * k + c] = Math.atan2(i + a - CY, j + b - CX);
      });
    }
    return o?.corners ? { shape: this.shape, unit, radial, chi, nCorners: 4, radialCorners: rc, chiCorners: cc } : { shape: this.shape, unit, radial, chi, nCorners: 0 };
  }
  solidAngle(): Float64Array { return new Float64Array(NY * NX).fill(1); }
  polarization(): Float64Array { return new Float64Array(NY * NX).fill(1); }
  cacheKey(): string { return `flat-${this.wavelength}`; }
}

function frames(n: number): Float32Array {
  const out = new Float32Array(n * NY * NX);
  for (let f = 0; f < n; f++) for (let k = 0; k < NY * NX; k++) out[f * NY * NX + k] = 50 + 20 * Math.sin(k * 0.013 + f) + f;
  out[3 * NY * NX + 77] = NaN;
  return out;
}

function sameAs(a: Integrate1dResult | Integrate2dResult, b: Integrate1dResult | Integrate2dResult): void {
  assert.deepEqual(Array.from(a.intensity), Array.from(b.intensity));
  assert.deepEqual(Array.from(a.sigma), Array.from(b.sigma));
  assert.deepEqual(Array.from(a.count), Array.from(b.count));
  assert.deepEqual(Array.from(a.sumSignal), Array.from(b.sumSignal));
}

describe('RadialIntegrator stacks', function () {
  const ai = new RadialIntegrator(new Flat());
  const N = 6;
  const stack = frames(N);
  const opts = { unit: 'r_mm' as const, errorModel: 'azimuthal' as const, progress: false as const };

  it('integrate1dStack in 2 workers equals integrate1d frame by frame (bbox, azimuthal errors, a NaN pixel)', async function () {
    const r = await ai.integrate1dStack(stack, 40, { ...opts, workers: 2 });
    assert.equal(r.nFrames, N);
    for (let f = 0; f < N; f++) sameAs(r.frame(f), ai.integrate1d(stack.subarray(f * NY * NX, (f + 1) * NY * NX), 40, { unit: 'r_mm', errorModel: 'azimuthal' }));
  });

  it('runs in the calling thread with workers: 0, and reports progress up to the total', async function () {
    const seen: number[] = [];
    const r = await ai.integrate1dStack(stack, 40, { ...opts, workers: 0, progress: (d, t) => seen.push(d / t) });
    const w = await ai.integrate1dStack(stack, 40, { ...opts, workers: 3 });
    assert.deepEqual(Array.from(r.intensity), Array.from(w.intensity));
    assert.equal(seen[seen.length - 1], 1);
  });

  it('integrate2dStack of a DataArray keeps leading dims and coords; frames equal integrate2d', async function () {
    const da = new DataArray(stack, { dims: ['delay', 'pattern', 'y', 'x'], shape: [3, 2, NY, NX], coords: { delay: [1, 2, 3], pattern: ['a', 'b'] } });
    const r = await ai.integrate2dStack(da, 20, 12, { unit: 'r_mm', split: 'bbox', workers: 2, progress: false });
    const d = r.toDataArray();
    assert.deepEqual(d.dims, ['delay', 'pattern', 'chi_deg', 'r_mm']);
    assert.deepEqual(d.shape, [3, 2, 12, 20]);
    assert.deepEqual(Array.from(d.coords.delay.values as ArrayLike<number>, Number), [1, 2, 3]);
    for (let f = 0; f < N; f++) sameAs(r.frame(f), ai.integrate2d(stack.subarray(f * NY * NX, (f + 1) * NY * NX), 20, 12, { unit: 'r_mm', split: 'bbox' }));
  });

  it('a DataArray image whose dims flatten to the geometry is one frame', function () {
    const one = stack.subarray(0, NY * NX);
    const da = new DataArray(one, { dims: ['module', 'y', 'x'], shape: [4, NY / 4, NX] });
    sameAs(ai.integrate1d(da, 30, { unit: 'r_mm' }), ai.integrate1d(one, 30, { unit: 'r_mm' }));
    const r = ai.integrate1d(one, 30, { unit: 'r_mm' }).toDataArray();
    assert.deepEqual(r.dims, ['r_mm']);
  });

  it('an abort signal stops the workers with a ToolBoxError', async function () {
    const big = frames(40);
    const ac = new AbortController();
    const p = ai.integrate1dStack(big, 40, { ...opts, workers: 2, signal: ac.signal, progress: () => ac.abort() });
    await assert.rejects(p, (e: Error) => e instanceof ToolBoxError && /aborted/.test(e.message));
  });

  it('rejects bad input naming the parameter and the value', function () {
    const img = stack.subarray(0, NY * NX);
    const bad = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: Error) => e instanceof ToolBoxError && re.test(e.message), String(re));
    bad(() => ai.integrate1d(img, 0, { unit: 'r_mm' }), /npt must be a positive integer, got 0/);
    bad(() => ai.integrate2d(img, 10, 0, { unit: 'r_mm' }), /nptAzim .* got 0/);
    bad(() => ai.integrate1d(img, 10, { unit: 'q_pm' as never }), /unit must be one of .* got "q_pm"/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', split: 'pseudo' as never }), /split .* got "pseudo"/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', errorModel: 'hybrid' as never }), /errorModel .* got "hybrid"/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', mask: new Uint8Array(5) }), /mask has 5 values; .*\(48, 64\)/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', dark: new Float64Array(7) }), /dark has 7 values/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', flat: [1, 2] }), /flat has 2 values/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', variance: new Float32Array(3) }), /variance has 3 values/);
    bad(() => ai.integrate1d(new Float32Array(100), 10, { unit: 'r_mm' }), /image has shape \[100\]; the geometry's shape is \(48, 64\)/);
    bad(() => ai.integrate1d(new DataArray(new Float32Array(NY * NX + NX), { dims: ['y', 'x'], shape: [NY + 1, NX] }), 10, { unit: 'r_mm' }), /image has shape \(49, 64\)/);
    bad(() => ai.integrate1d(img, 10), /unit 'q_nm\^-1' needs the geometry's wavelength, which is undefined/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', radialRange: [100, 200] }), /radialRange|radial_range/);
    bad(() => ai.integrate1d(img, 10, { unit: 'r_mm', radial_range: [0, 1] } as never), /unknown option 'radial_range'.*radialRange/);
    assert.throws(() => ai.integrate1d(img, 10, { unit: 'r_mm', mask: new Uint8Array(5) }), ToolBoxValueError);
  });
});
