/**
 * fnmatch-style globs as EXtra-data uses them for source and key selection:
 * '*' and '?' cross '/' and '.', [abc] and [!abc] are character classes.
 * Also "did you mean" suggestions for messages about unknown names.
 */
import { distance } from 'fastest-levenshtein';

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

/** Up to `n` names closest to `name` (case-insensitive edit distance; substrings first). */
export function closeMatches(name: string, names: Iterable<string>, n = 3): string[] {
  const low = name.toLowerCase();
  const scored = [...names].map((c) => {
    const cl = c.toLowerCase();
    const d = cl.includes(low) || low.includes(cl) ? 0 : distance(low, cl) / Math.max(low.length, cl.length);
    return { c, d };
  });
  return scored.filter((s) => s.d <= 0.5).sort((a, b) => a.d - b.d || a.c.localeCompare(b.c)).slice(0, n).map((s) => s.c);
}

/** "; did you mean X? Available: A, B, ..." for error messages. */
export function suggest(name: string, names: readonly string[], what: string, max = 20): string {
  const close = closeMatches(name, names);
  const hint = close.length ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
  const list = names.length > max ? `${names.slice(0, max).join(', ')}, ... (${names.length} in all)` : names.join(', ');
  return `${hint} Available ${what}: ${list || '(none)'}`;
}
