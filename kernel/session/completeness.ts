/**
 * is_complete as a TypeScript parser sees the code (tslab's TypeScript fork):
 *
 * - `complete`: the parser reports no error;
 * - `incomplete`: every error is at the end of the code, so more lines can
 *   still make it valid: an unterminated string, template literal or block
 *   comment, an open bracket, brace or parenthesis, an operator waiting for
 *   its operand;
 * - `invalid`: an error before the end (`let x = )`), which no further line
 *   can repair.
 *
 * The indent of an incomplete answer is the indent of the line that opened
 * the innermost open bracket plus two spaces; inside an unterminated literal
 * it is empty (spaces would become part of the text).
 */
import type * as TS from '@tslab/typescript-for-tslab';

type TypeScript = typeof TS;

/** Parse errors TypeScript keeps internal (not in its public typings). */
type ParsedSourceFile = TS.SourceFile & { parseDiagnostics?: TS.DiagnosticWithLocation[] };

export type Completeness = { status: 'complete' } | { status: 'invalid' } | { status: 'incomplete'; indent: string };

/** Unterminated string literal, '*' + '/' expected, unterminated template literal. */
const INSIDE_LITERAL = new Set([1002, 1010, 1160]);

const INDENT_STEP = '  ';

export function isComplete(ts: TypeScript, code: string): Completeness {
  const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as ParsedSourceFile;
  const diagnostics = file.parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  if (diagnostics.some((d) => d.start < end)) return { status: 'invalid' };
  if (diagnostics.some((d) => INSIDE_LITERAL.has(d.code))) return { status: 'incomplete', indent: '' };
  return { status: 'incomplete', indent: indentAfter(ts, code) };
}

/** Indent for the next line: inside the innermost open bracket, else that of the last non-blank line. */
function indentAfter(ts: TypeScript, code: string): string {
  const open = openBrackets(ts, code);
  const innermost = open[open.length - 1];
  if (innermost !== undefined) return indentOfLineAt(code, innermost) + INDENT_STEP;
  const lines = code.split('\n').filter((line) => line.trim() !== '');
  return /^[ \t]*/.exec(lines[lines.length - 1] ?? '')![0];
}

/**
 * Positions of the brackets, braces, parentheses and template `${` still open
 * at the end. Template literals are followed through their `${ … }` parts, and
 * a `/` where an expression starts is scanned as a regular expression, so
 * brackets inside literals do not count.
 */
function openBrackets(ts: TypeScript, code: string): number[] {
  const K = ts.SyntaxKind;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const stack: { kind: TS.SyntaxKind; pos: number }[] = [];
  const closing = new Map([[K.CloseBraceToken, K.OpenBraceToken], [K.CloseParenToken, K.OpenParenToken], [K.CloseBracketToken, K.OpenBracketToken]]);
  let previous: TS.SyntaxKind | undefined;
  for (let token = scanner.scan(); token !== K.EndOfFileToken; token = scanner.scan()) {
    if ((token === K.SlashToken || token === K.SlashEqualsToken) && !endsOperand(ts, previous)) token = scanner.reScanSlashToken();
    const top = stack[stack.length - 1];
    if (token === K.CloseBraceToken && top?.kind === K.TemplateHead) {
      // the `}` of a `${ … }`: the template literal goes on
      if (scanner.reScanTemplateToken(false) === K.TemplateTail) stack.pop();
      token = K.TemplateTail;
    } else if (token === K.OpenBraceToken || token === K.OpenParenToken || token === K.OpenBracketToken || token === K.TemplateHead) {
      stack.push({ kind: token, pos: scanner.getTokenPos() });
    } else if (closing.has(token) && top?.kind === closing.get(token)) {
      stack.pop();
    }
    previous = token;
  }
  return stack.map((open) => open.pos);
}

/** Whether a token can end an operand, so that a following `/` divides (else it starts a regular expression). */
function endsOperand(ts: TypeScript, token: TS.SyntaxKind | undefined): boolean {
  const K = ts.SyntaxKind;
  if (token === undefined) return false;
  if (token === K.Identifier || token === K.ThisKeyword || token === K.SuperKeyword || token === K.TrueKeyword
    || token === K.FalseKeyword || token === K.NullKeyword) return true;
  return [K.NumericLiteral, K.BigIntLiteral, K.StringLiteral, K.NoSubstitutionTemplateLiteral, K.TemplateTail,
    K.RegularExpressionLiteral, K.CloseParenToken, K.CloseBracketToken, K.CloseBraceToken, K.PlusPlusToken, K.MinusMinusToken].includes(token);
}

function indentOfLineAt(code: string, pos: number): string {
  const lineStart = code.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(code.slice(lineStart))![0];
}
