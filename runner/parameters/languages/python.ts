/**
 * Python, papermill's own language: parameters are written by papermill's
 * rules (`name = literal`, strings escaped as str.encode('unicode_escape')
 * gives them), and the parameters cell is read for `name[: annotation] =
 * default` statements.
 */
import { RunnerError } from '../../errors.js';
import { type DeclaredParameter, type KindFromAnnotation, type ParameterKind, describeDeclaration, splitUnion } from '../declared.js';
import { evaluateLiteral } from '../literal-eval.js';
import { type Syntax, splitStatements } from '../statements.js';
import type { Translator } from '../translators.js';

const PYTHON_SYNTAX: Syntax = { lineComment: '#', quotes: ['"""', "'''", '"', "'"], semicolons: true };
const PY_IDENT = /^[A-Za-z_]\w*$/;

/** Python's str.encode('unicode_escape') then `"` escaped, in double quotes: papermill's string rule. */
function pythonString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '"') out += '\\"';
    else if (c < 0x20 || (c >= 0x7f && c < 0x100)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x100 && c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0x10000) out += `\\U${c.toString(16).padStart(8, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** `float`: an integral value is written `2.0`, so a parameter declared a float stays one. */
export function pythonLiteral(value: unknown, float = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    return float && Number.isInteger(value) && !/e/.test(String(value)) ? `${value}.0` : String(value);
  }
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonLiteral(v)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as object).map(([k, v]) => `${pythonString(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  }
  throw new RunnerError(`cannot translate a ${typeof value} parameter value to Python`);
}

// name, optional annotation, value; not `==`, and not augmented assignment (`+=`)
const PY_DECL = /^([A-Za-z_][\w]*)\s*(?::\s*([^=]+?))?\s*=(?!=)\s*([\s\S]+)$/;
// `# type: List[str] help text`: a type comment, then the help
const TYPE_COMMENT = /^type:\s*(\S*)\s*([\s\S]*)$/;
// statements that start with a keyword (`else: x = 1`) are not declarations
const PY_KEYWORDS = new Set(['if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally', 'def', 'class', 'lambda', 'return', 'async']);
const PY_STRINGS = /[rRbBuUfF]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g;

function pythonDeclarations(source: string): DeclaredParameter[] {
  const scope: Record<string, unknown> = {};
  const out: DeclaredParameter[] = [];
  for (const st of splitStatements(source, PYTHON_SYNTAX)) {
    const m = PY_DECL.exec(st.text);
    if (!m || PY_KEYWORDS.has(m[1])) continue;
    const [, name, written, init] = m;
    const typed = TYPE_COMMENT.exec(st.comment ?? '');
    const annotation = written?.trim().replace(/^(['"])(.*)\1$/, '$2') || typed?.[1] || undefined;
    const value = evaluateLiteral(pythonLiteralToJs(init), scope);
    if (value.ok) scope[name] = value.value;
    const statement = typed ? { ...st, comment: typed[2].trim() || undefined } : st;
    const declared = describeDeclaration(name, annotation, init, value, statement, { fromAnnotation: pyKind });
    // papermill's inspection gives up on a second `=` (`d = a == 3`, `f(x=1)`); one inside a string does not count here
    out.push(init.replace(PY_STRINGS, '').includes('=') ? { ...declared, notInspected: true } : declared);
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

function pyKind(annotation: string): KindFromAnnotation {
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

export const PYTHON: Translator = {
  language: 'python',
  names: ['python', 'python3', 'python2', 'pysparkkernel'],
  comment: (t) => `# ${t}`,
  assign: (name, value, declared) => {
    if (!PY_IDENT.test(name)) throw new RunnerError(`parameter name '${name}' is not a valid Python identifier`);
    return `${name} = ${pythonLiteral(value, declared?.kind === 'number')}`;
  },
  declarations: pythonDeclarations,
};
