/**
 * "Did you mean" for messages about unknown names (sources, keys, options):
 * the closest names by case-insensitive edit distance, substrings first.
 */
import { distance } from 'fastest-levenshtein';

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
