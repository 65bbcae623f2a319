/**
 * The parameters a notebook declares: the assignments in its `parameters`
 * cell, with their type (from a TypeScript or Python annotation, else from the
 * default's literal), default and comment. This is what typed parameters
 * check against and what --help-notebook prints.
 */
import { type Evaluated, evaluateLiteral } from './literal-eval.js';
import { PYTHON_SYNTAX, type Statement, TS_SYNTAX, splitStatements } from './statements.js';

export type ParameterKind = 'number' | 'integer' | 'string' | 'boolean' | 'list' | 'mapping' | 'any';

export interface DeclaredParameter {
  name: string;
  kind: ParameterKind;
  /** null is accepted (the default is null, or the annotation allows null/None/undefined) */
  nullable: boolean;
  /** for string-literal unions: the allowed values */
  choices?: string[];
  /** the annotation as written, else the type name inferred from the default */
  typeText: string;
  /** the annotation as written, when there is one */
  annotation?: string;
  /** TypeScript/JavaScript: how it was declared (a `let` parameter may be reassigned later) */
  binding?: 'const' | 'let' | 'var';
  defaultText: string;
  /** the default's value when it is a literal (or computed from earlier parameters) */
  defaultValue?: unknown;
  comment?: string;
  /** the statement as written, for error messages */
  declaration: string;
}

export type ParameterLanguage = 'typescript' | 'python';

export function declaredParameters(source: string, language: ParameterLanguage): DeclaredParameter[] {
  return language === 'python' ? pythonDeclarations(source) : typescriptDeclarations(source);
}

const TS_DECL = /^(?:export\s+)?(const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*([\s\S]+?))?\s*=\s*([\s\S]+?)\s*;?$/;

function typescriptDeclarations(source: string): DeclaredParameter[] {
  const scope: Record<string, unknown> = {};
  const out: DeclaredParameter[] = [];
  for (const st of splitStatements(source, TS_SYNTAX)) {
    const m = TS_DECL.exec(st.text);
    if (!m) continue;
    const [, binding, name, annotation, init] = m;
    const expr = init.replace(/\s+as\s+const$/, '').replace(/\s+satisfies\s+[\s\S]+$/, '');
    const value = evaluateLiteral(expr, scope);
    if (value.ok) scope[name] = value.value;
    out.push({ ...describe(name, annotation?.trim(), init, value, st, tsKind, 'typescript'), binding: binding as 'const' | 'let' | 'var' });
  }
  return out;
}

// name, optional annotation, value; not `==`, and not augmented assignment (`+=`)
const PY_DECL = /^([A-Za-z_][\w]*)\s*(?::\s*([^=]+?))?\s*=(?!=)\s*([\s\S]+)$/;

function pythonDeclarations(source: string): DeclaredParameter[] {
  const scope: Record<string, unknown> = {};
  const out: DeclaredParameter[] = [];
  for (const st of splitStatements(source, PYTHON_SYNTAX)) {
    const m = PY_DECL.exec(st.text);
    if (!m) continue;
    const [, name, annotation, init] = m;
    const value = evaluateLiteral(pythonLiteralToJs(init), scope);
    if (value.ok) scope[name] = value.value;
    out.push(describe(name, annotation?.trim(), init, value, st, pyKind, 'python'));
  }
  return out;
}

/** Python literals → JS: True/False/None outside strings, tuples as arrays, float('nan') and friends. */
function pythonLiteralToJs(expr: string): string {
  let out = '';
  for (let i = 0; i < expr.length;) {
    const q = /^(?:[rRbBuU]?)("""|'''|"|')/.exec(expr.slice(i));
    if (q) {
      const quote = q[1];
      const raw = /[rR]/.test(q[0][0]);
      let j = i + q[0].length;
      while (j < expr.length && !expr.startsWith(quote, j)) j += expr[j] === '\\' && !raw ? 2 : 1;
      const body = expr.slice(i + q[0].length, j);
      out += JSON.stringify(raw ? body : unescapePython(body));
      i = j + quote.length;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(expr.slice(i));
    if (word) {
      out += ({ True: 'true', False: 'false', None: 'null' } as Record<string, string>)[word[0]] ?? word[0];
      i += word[0].length;
      continue;
    }
    out += expr[i] === '(' ? '[' : expr[i] === ')' ? ']' : expr[i];
    i++;
  }
  // float('nan'), float("inf"), float('-inf') became float["nan"] above
  return out.replace(/float\[\s*"([+-]?)(nan|inf|infinity)"\s*\]/gi, (_, sign, w) => (w.toLowerCase() === 'nan' ? 'NaN' : `${sign}Infinity`));
}

function unescapePython(body: string): string {
  try {
    return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"').replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\n/g, '\\n')}"`);
  } catch {
    return body;
  }
}

type KindOf = (annotation: string) => { kind: ParameterKind; nullable: boolean; choices?: string[] };

function describe(
  name: string, annotation: string | undefined, init: string, value: Evaluated, st: Statement, kindOf: KindOf, lang: ParameterLanguage,
): DeclaredParameter {
  const base = { name, defaultText: init.trim(), comment: st.comment, declaration: st.text };
  const withValue = value.ok ? { defaultValue: value.value } : {};
  if (annotation) return { ...base, ...withValue, ...kindOf(annotation), typeText: annotation, annotation };
  const inferred = value.ok ? inferKind(value.value, init) : { kind: 'any' as const, nullable: true, typeText: 'unknown' };
  if (lang === 'typescript' && value.ok) {
    // TypeScript has one number type; the literal's type is what the kernel will infer
    if (inferred.kind === 'integer') inferred.kind = 'number';
    inferred.typeText = TS_TYPE_NAMES[inferred.typeText] ?? inferred.typeText;
  }
  return { ...base, ...withValue, ...inferred };
}

const TS_TYPE_NAMES: Record<string, string> = {
  None: 'null', int: 'number', float: 'number', str: 'string', bool: 'boolean', list: 'array', dict: 'object',
};

function inferKind(v: unknown, text: string): { kind: ParameterKind; nullable: boolean; typeText: string } {
  if (v === null) return { kind: 'any', nullable: true, typeText: 'None' };
  if (typeof v === 'number') {
    const int = Number.isInteger(v) && /^[+-]?[\d_]+$/.test(text.trim());
    return int ? { kind: 'integer', nullable: false, typeText: 'int' } : { kind: 'number', nullable: false, typeText: 'float' };
  }
  if (typeof v === 'string') return { kind: 'string', nullable: false, typeText: 'str' };
  if (typeof v === 'boolean') return { kind: 'boolean', nullable: false, typeText: 'bool' };
  if (Array.isArray(v)) return { kind: 'list', nullable: false, typeText: 'list' };
  return { kind: 'mapping', nullable: false, typeText: 'dict' };
}

/** Splits `a | b | c` at the top level (not inside <>, [], (), {}). */
function splitUnion(t: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of t) {
    if ('<[({'.includes(ch)) depth++;
    if ('>])}'.includes(ch)) depth--;
    if (ch === sep && depth === 0) { parts.push(cur.trim()); cur = ''; } else cur += ch;
  }
  parts.push(cur.trim());
  return parts.filter(Boolean);
}

function tsKind(annotation: string): { kind: ParameterKind; nullable: boolean; choices?: string[] } {
  const parts = splitUnion(annotation, '|');
  const nonNull = parts.filter((p) => p !== 'null' && p !== 'undefined');
  const nullable = nonNull.length < parts.length;
  const literals = nonNull.filter((p) => /^(['"]).*\1$/.test(p));
  if (literals.length && literals.length === nonNull.length) {
    return { kind: 'string', nullable, choices: literals.map((l) => l.slice(1, -1)) };
  }
  if (nonNull.length !== 1) return { kind: 'any', nullable: true };
  const t = nonNull[0];
  if (t === 'number') return { kind: 'number', nullable };
  if (t === 'string') return { kind: 'string', nullable };
  if (t === 'boolean') return { kind: 'boolean', nullable };
  if (/\[\]$/.test(t) || /^(?:Readonly)?Array</.test(t) || /^\[/.test(t)) return { kind: 'list', nullable };
  if (/^\{/.test(t) || /^Record</.test(t)) return { kind: 'mapping', nullable };
  return { kind: 'any', nullable: true };
}

function pyKind(annotation: string): { kind: ParameterKind; nullable: boolean } {
  let t = annotation.replace(/^typing\./, '');
  let nullable = false;
  const opt = /^Optional\[(.*)\]$/.exec(t);
  if (opt) { t = opt[1]; nullable = true; }
  const parts = splitUnion(t, '|');
  const nonNull = parts.filter((p) => p !== 'None');
  nullable ||= nonNull.length < parts.length;
  if (nonNull.length !== 1) return { kind: 'any', nullable: true };
  const base = nonNull[0].replace(/\[.*$/, '');
  const map: Record<string, ParameterKind> = {
    int: 'integer', float: 'number', str: 'string', bool: 'boolean',
    list: 'list', List: 'list', tuple: 'list', Tuple: 'list', Sequence: 'list',
    dict: 'mapping', Dict: 'mapping', Mapping: 'mapping',
  };
  const kind = map[base];
  return kind ? { kind, nullable } : { kind: 'any', nullable: true };
}
