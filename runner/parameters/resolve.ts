/**
 * papermill's resolver for `-p NAME VALUE`: the exact words True, False and
 * None, then a Python int, then a Python float, else the text itself.
 * Lists and dicts are not parsed here (typed parameters do that when the
 * parameters cell declares a list or dict).
 */

// Python int(): optional sign, digits with single underscores between them, surrounding whitespace allowed
const PY_INT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
// Python float(): decimal/exponent forms, nan, inf, infinity (any case)
const PY_FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:[eE][+-]?\d(?:_?\d)*)?|nan|inf|infinity)\s*$/i;

export function parsePythonInt(text: string): number | undefined {
  if (!PY_INT.test(text)) return undefined;
  return Number(text.trim().replace(/_/g, ''));
}

export function parsePythonFloat(text: string): number | undefined {
  if (!PY_FLOAT.test(text)) return undefined;
  const t = text.trim().replace(/_/g, '').toLowerCase();
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (body === 'nan') return NaN;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  return Number(t);
}

/** The value papermill would inject for `-p name TEXT`. */
export function resolvePapermillValue(text: string): unknown {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  return parsePythonInt(text) ?? parsePythonFloat(text) ?? text;
}
