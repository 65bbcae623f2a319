/**
 * Plain data written as JavaScript/TypeScript source: how parameters are
 * injected into tslab-based kernels, and how earlier parameters are
 * re-declared when a later default is evaluated.
 */
import { RunnerError } from '../errors.js';

/** A JS/TS literal: JSON plus NaN, ±Infinity, and -0 kept apart from 0. */
export function jsLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as object).map(([k, v]) => `${JSON.stringify(k)}: ${jsLiteral(v)}`).join(', ')}}`;
  }
  throw new RunnerError(`cannot translate a ${typeof value} parameter value to TypeScript`);
}
