/**
 * JSON as Python's json module writes it: non-finite floats appear as the
 * bare words Infinity, -Infinity and NaN (json.dump's default
 * allow_nan=True). The BOZ parameters hold infinite thresholds (e.g. a
 * product threshold (5, inf)), so files written by either toolbox must be
 * readable by the other; standard JSON.stringify would turn them into null.
 */
import { ToolBoxFileError } from '../../errors.js';

const TOKENS: Record<string, string> = { Infinity: '"\u0000inf"', '-Infinity': '"\u0000-inf"', NaN: '"\u0000nan"' };
const VALUES: Record<string, number> = { '\u0000inf': Infinity, '\u0000-inf': -Infinity, '\u0000nan': NaN };

/** JSON text with non-finite numbers written as Infinity / -Infinity / NaN (Python's json.dumps). */
export function pythonJsonStringify(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '\u0000nan' : v > 0 ? '\u0000inf' : '\u0000-inf';
    return v;
  }, indent);
  // The sentinels contain U+0000, which JSON.stringify writes as \u0000: no real string can produce them.
  return text.replace(/"\\u0000(-inf|inf|nan)"/g, (_m, w: string) => (w === 'inf' ? 'Infinity' : w === '-inf' ? '-Infinity' : 'NaN'));
}

/** Replaces the bare words Infinity, -Infinity and NaN outside strings with sentinel strings. */
function quoteNonFinite(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const word = ['-Infinity', 'Infinity', 'NaN'].find((w) => text.startsWith(w, i));
    if (word !== undefined) {
      out += TOKENS[word].replace('\u0000', '\\u0000');
      i += word.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Parses JSON that may hold Python's Infinity / -Infinity / NaN; a syntax error is a ToolBoxFileError naming `file`. */
export function pythonJsonParse(text: string, file: string): unknown {
  try {
    return JSON.parse(quoteNonFinite(text), (_k, v: unknown) => (typeof v === 'string' && v in VALUES ? VALUES[v] : v));
  } catch (err) {
    throw new ToolBoxFileError(`${file}: not a JSON file (${(err as Error).message})`, file, { cause: err });
  }
}
