/**
 * papermill fills the input and output paths like Python format strings from
 * the parameters and a `pm` dict: `out/r{run}.ipynb`, `{pm[run_uuid]}.ipynb`.
 * `{{` and `}}` are literal braces; a name that is not a parameter is an error.
 */
import { randomUUID } from 'node:crypto';
import { type Micros, nowMicros, strLocal, strUtc } from './clock.js';
import { ParameterError } from './errors.js';

/** papermill's `pm` values; its datetimes go into a path as str() writes them (`2026-01-02 03:04:05.123456+00:00`). */
export function builtinPathValues(now: Micros = nowMicros()): Record<string, unknown> {
  return { pm: { run_uuid: randomUUID(), current_datetime_local: strLocal(now), current_datetime_utc: strUtc(now) } };
}

export function formatPath(path: string, values: Record<string, unknown>): string {
  if (path === '-' || !/[{}]/.test(path)) return path;
  return path.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const m = /^([A-Za-z_]\w*)((?:\[[^\]]+\])*)$/.exec(field ?? '');
    if (!m) throw new ParameterError(`path ${path}: cannot fill '{${field}}' (use {name} or {pm[run_uuid]}; {{ and }} for braces)`);
    let value: unknown = values[m[1]];
    if (!(m[1] in values)) throw new ParameterError(`path ${path} uses '{${field}}' but no parameter '${m[1]}' is given`, m[1]);
    for (const [, key] of m[2].matchAll(/\[([^\]]+)\]/g)) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined) throw new ParameterError(`path ${path}: '{${field}}' has no value`);
    return String(value);
  });
}
