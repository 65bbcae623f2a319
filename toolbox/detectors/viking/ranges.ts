/**
 * X_RANGE and Y_RANGE checked against the camera frame: Python slices clip
 * silently; here a range reaching outside the frame, empty or strided is an
 * error naming the range and the frame (docs/viking.md, Bad input).
 */
import { Slice, sliceIndices } from '../../arrays/slice.js';
import { ParameterError } from '../../errors.js';

/** [start, stop) of a range over an axis of n pixels (Python's negative positions count from the end). */
export function frameRange(s: unknown, n: number, name: string, dim: string): { start: number; stop: number } {
  if (!(s instanceof Slice)) {
    throw new ParameterError(`Viking: ${name} must be a slice (tb.slice(start, stop)), got ${JSON.stringify(s)}`, { parameter: name, value: s });
  }
  const r = s as Slice<number | null>;
  const bad = (v: number | null) => v !== null && (!Number.isInteger(v) || v > n || v < -n);
  if (bad(r.start) || bad(r.stop) || (r.step !== null && r.step !== 1)) {
    throw new ParameterError(`Viking: ${name} ${r.toString()} is outside the frame: ${dim} has ${n} pixels (0 to ${n - 1}), and the step must be 1`, { parameter: name, value: r.toString() });
  }
  const { start, stop, length } = sliceIndices(r, n);
  if (length === 0) throw new ParameterError(`Viking: ${name} ${r.toString()} selects no pixel of ${dim} (${n} pixels)`, { parameter: name, value: r.toString() });
  return { start, stop };
}
