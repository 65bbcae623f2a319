/**
 * The per-pixel side of integration that does not change from frame to
 * frame: pyFAI's normalisation n = normalizationFactor · flat · solid angle ·
 * polarisation, and the pixels that are invalid whatever the frame (masked,
 * a flat equal to the dummy, a zero or non-finite normalisation). Frame-wise
 * invalid pixels (dummy values, NaN/Inf) are handled by the sparse dot.
 * Semantics: docs/azimuthal-integration.md, section Integrator.
 */
import { DataArray } from '../../arrays/dataarray.js';
import { ToolBoxValueError } from '../../errors.js';
import type { IntegrationGeometry } from './types.js';

/** A per-pixel array (mask, dark, flat, variance): any numeric array-like or a DataArray, row-major ny × nx. */
export type PixelArray = ArrayLike<number> | DataArray;
/** A mask: non-zero / true = excluded pixel. */
export type MaskInput = ArrayLike<number | boolean> | DataArray;

/** The options that shape the static normalisation. */
export interface CorrectionSpec {
  correctSolidAngle: boolean;
  polarizationFactor: number | null;
  normalizationFactor: number;
  flat: Float64Array | null;
  dummy: number | null;
  deltaDummy: number;
}

/** Static per-pixel normalisation; 0 where the pixel is invalid whatever the frame. */
export interface StaticNormalization {
  norm: Float64Array;
  /** Number of statically invalid pixels. */
  invalid: number;
}

function values(a: PixelArray | MaskInput): ArrayLike<number | boolean> {
  return a instanceof DataArray ? (a.values as ArrayLike<number>) : a;
}

/** A per-pixel array as Float64Array of length `size`, or a ToolBoxValueError naming `name`. */
export function pixelArray(name: string, a: PixelArray | null | undefined, size: number, shape: readonly number[]): Float64Array | null {
  if (a === undefined || a === null) return null;
  const v = values(a) as ArrayLike<number>;
  if (v.length !== size) {
    throw new ToolBoxValueError(`${name} has ${v.length} values (shape ${a instanceof DataArray ? `(${a.shape.join(', ')})` : `[${v.length}]`}); the geometry's shape (${shape.join(', ')}) needs ${size}`, { val: a });
  }
  return v instanceof Float64Array ? v : Float64Array.from(v);
}

/** A mask as Uint8Array (1 = excluded) of length `size`. */
export function maskArray(a: MaskInput | null | undefined, size: number, shape: readonly number[]): Uint8Array | null {
  if (a === undefined || a === null) return null;
  const v = values(a);
  if (v.length !== size) {
    throw new ToolBoxValueError(`mask has ${v.length} values; the geometry's shape (${shape.join(', ')}) needs ${size}`, { val: a });
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = v[i] ? 1 : 0;
  return out;
}

/** pyFAI's dummy test: |x − dummy| ≤ deltaDummy, or x == dummy when deltaDummy is 0. */
export function isDummy(x: number, dummy: number, deltaDummy: number): boolean {
  return deltaDummy === 0 ? x === dummy : Math.abs(x - dummy) <= deltaDummy;
}

/** n per pixel for the given corrections, with mask and static invalidity folded in as 0. */
export function staticNormalization(geometry: IntegrationGeometry, spec: CorrectionSpec, mask: Uint8Array | null): StaticNormalization {
  const [ny, nx] = geometry.shape;
  const size = ny * nx;
  const norm = new Float64Array(size).fill(spec.normalizationFactor);
  if (spec.correctSolidAngle) {
    const sa = geometry.solidAngle();
    for (let i = 0; i < size; i++) norm[i] *= sa[i];
  }
  if (spec.polarizationFactor !== null) {
    const p = geometry.polarization(spec.polarizationFactor);
    for (let i = 0; i < size; i++) norm[i] *= p[i];
  }
  const { flat, dummy, deltaDummy } = spec;
  if (flat) {
    // pyFAI also rejects a flat value equal to the dummy (0 when no dummy is given)
    const d = dummy ?? 0;
    const dd = dummy === null ? 0 : deltaDummy;
    for (let i = 0; i < size; i++) norm[i] = isDummy(flat[i], d, dd) ? 0 : norm[i] * flat[i];
  }
  let invalid = 0;
  for (let i = 0; i < size; i++) {
    const n = norm[i];
    if ((mask && mask[i]) || !(n - n === 0) || n === 0) { norm[i] = 0; invalid++; }
  }
  return { norm, invalid };
}

/** A fast content hash (FNV-1a over 32-bit words) for cache keys of masks and per-pixel arrays. */
export function contentHash(a: ArrayBufferView | null): string {
  if (!a) return '-';
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const words = Math.floor(bytes.length / 4);
  const w = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, words) : new Uint32Array(bytes.slice(0, words * 4).buffer);
  let h1 = 0x811c9dc5, h2 = 0x12345678;
  for (let i = 0; i < words; i++) {
    h1 = Math.imul(h1 ^ w[i], 0x01000193);
    h2 = Math.imul(h2 + w[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  for (let i = words * 4; i < bytes.length; i++) h1 = Math.imul(h1 ^ bytes[i], 0x01000193);
  return `${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}:${bytes.length}`;
}
