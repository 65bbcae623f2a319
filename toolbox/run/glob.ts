/**
 * fnmatch-style globs as EXtra-data uses them for source and key selection:
 * '*' and '?' cross '/' and '.', [abc] and [!abc] are character classes.
 * Also "did you mean" suggestions for messages about unknown names.
 */
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

export function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
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
