/**
 * Splits the source of a parameters cell into top-level statements, each with
 * the comment on its last line (papermill's help text: a comment on a line
 * of its own, or on an earlier line of a multi-line value, is not the help). Brackets, strings and
 * comments are tracked so a default spanning several lines (a list, an
 * object) is one statement. This is not a parser for the whole language, just
 * enough to find `name = literal` declarations, which is all papermill's own
 * regex-based inspection does too.
 */
export interface Statement { text: string; comment?: string; line: number }

export interface Syntax {
  lineComment: string;
  blockComment?: [string, string];
  quotes: string[];
  /** statements also end at ';' (TS/JS) */
  semicolons: boolean;
}

export function splitStatements(source: string, syntax: Syntax): Statement[] {
  const out: Statement[] = [];
  let text = '';
  let depth = 0;
  let line = 0;
  let startLine = 0;
  let pendingComment: string | undefined;
  let commentLine = -1;
  const flush = () => {
    const t = text.trim();
    if (t) out.push({ text: t, comment: pendingComment, line: startLine });
    text = '';
    pendingComment = undefined;
  };
  // code on a later line of the statement: the comment seen so far was not on its last line
  const code = () => { if (line > commentLine) pendingComment = undefined; };
  for (let i = 0; i < source.length;) {
    const rest = source.slice(i);
    if (rest.startsWith(syntax.lineComment)) {
      const end = source.indexOf('\n', i);
      const comment = source.slice(i + syntax.lineComment.length, end < 0 ? source.length : end).trim();
      if (text.trim()) {
        pendingComment = comment;
        commentLine = line;
      }
      i = end < 0 ? source.length : end;
      continue;
    }
    if (syntax.blockComment && rest.startsWith(syntax.blockComment[0])) {
      const stop = endOf(source, syntax.blockComment[1], i + 2);
      line += (source.slice(i, stop).match(/\n/g) ?? []).length;
      i = stop;
      continue;
    }
    const quote = syntax.quotes.find((q) => rest.startsWith(q));
    if (quote) {
      if (!text.trim()) startLine = line;
      code();
      const j = endOfString(source, i, quote);
      const lit = source.slice(i, j);
      line += (lit.match(/\n/g) ?? []).length;
      text += lit;
      i = j;
      continue;
    }
    const ch = source[i];
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === '\n') {
      line++;
      if (depth === 0 && !/[\\,=+\-*/|&:]\s*$/.test(text)) {
        flush();
        i++;
        continue;
      }
    }
    if (ch === ';' && depth === 0 && syntax.semicolons) {
      // a comment after `;` on the same line still belongs to this statement
      const eol = source.indexOf('\n', i);
      const tail = source.slice(i + 1, eol < 0 ? source.length : eol).trim();
      if (tail.startsWith(syntax.lineComment)) pendingComment = tail.slice(syntax.lineComment.length).trim();
      if (tail.startsWith(syntax.lineComment) || !tail) {
        flush();
        i = eol < 0 ? source.length : eol + 1;
        line++;
        continue;
      }
      flush();
      i++;
      continue;
    }
    if (!text.trim() && ch.trim()) startLine = line;
    if (ch.trim()) code();
    text += ch;
    i++;
  }
  flush();
  return out;
}

/** Where the string literal opened by `quote` at `start` ends (just past its closing quote, or the source's end). */
function endOfString(source: string, start: number, quote: string): number {
  let j = start + quote.length;
  while (j < source.length && !source.startsWith(quote, j)) j += source[j] === '\\' ? 2 : 1;
  return Math.min(source.length, j + quote.length);
}

/** Just past the next `closing` from `from`, or the source's end. */
function endOf(source: string, closing: string, from: number): number {
  const end = source.indexOf(closing, from);
  return end < 0 ? source.length : end + closing.length;
}
