/**
 * Parameter translators: one assignment per parameter in the kernel's
 * language. Python follows papermill's rules; TypeScript/JavaScript (which
 * papermill lacks) use `const name = <literal>;`, which tslab-based kernels
 * accept as a redeclaration of the parameters cell's const.
 */
import { RunnerError } from '../errors.js';
import type { DeclaredParameter } from './declared.js';

/** What the parameters cell says about a parameter, as far as the translation cares. */
export type Declaration = Pick<DeclaredParameter, 'annotation' | 'binding' | 'kind'>;

export interface Translator {
  language: 'python' | 'typescript' | 'javascript';
  comment(text: string): string;
  /** `declared`: the parameters cell's declaration of this name, if any */
  assign(name: string, value: unknown, declared?: Declaration): string;
}

function ensureName(name: string, pattern: RegExp, language: string): void {
  if (!pattern.test(name)) throw new RunnerError(`parameter name '${name}' is not a valid ${language} identifier`);
}

/** A JS/TS literal: JSON plus NaN, ±Infinity, and -0 kept apart from 0. */
export function jsLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as object).map(([k, v]) => `${JSON.stringify(k)}: ${jsLiteral(v)}`).join(', ')}}`;
  }
  throw new RunnerError(`cannot translate a ${typeof value} parameter value to TypeScript`);
}

/** Python's str.encode('unicode_escape') then `"` escaped, in double quotes: papermill's string rule. */
export function pythonString(s: string): string {
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

const PY_IDENT = /^[A-Za-z_]\w*$/;
const JS_IDENT = /^[A-Za-z_$][\w$]*$/;

export const PYTHON: Translator = {
  language: 'python',
  comment: (t) => `# ${t}`,
  assign: (name, value, declared) => {
    ensureName(name, PY_IDENT, 'Python');
    return `${name} = ${pythonLiteral(value, declared?.kind === 'number')}`;
  },
};

/**
 * A bare `const mode = "slow";` would give `mode` the literal type "slow", and
 * a later `mode === 'fast'` would no longer compile; so the declared
 * annotation is kept, and a primitive without one is widened (number, string,
 * boolean) as a `let` would be. A parameter declared with `let` is injected
 * with `let`, since later cells may reassign it.
 */
function tsType(value: unknown, declared?: string): string | undefined {
  if (declared) return declared;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return typeof value;
  return undefined; // arrays and objects already get widened element types
}

export const TYPESCRIPT: Translator = {
  language: 'typescript',
  comment: (t) => `// ${t}`,
  assign: (name, value, declared) => {
    ensureName(name, JS_IDENT, 'TypeScript');
    const t = tsType(value, declared?.annotation);
    return `${declared?.binding ?? 'const'} ${name}${t ? `: ${t}` : ''} = ${jsLiteral(value)};`;
  },
};

export const JAVASCRIPT: Translator = {
  language: 'javascript',
  comment: (t) => `// ${t}`,
  assign: (name, value, declared) => {
    ensureName(name, JS_IDENT, 'JavaScript');
    return `${declared?.binding ?? 'const'} ${name} = ${jsLiteral(value)};`;
  },
};

const BY_KEY: Record<string, Translator> = {
  python: PYTHON, python3: PYTHON, python2: PYTHON, pysparkkernel: PYTHON,
  typescript: TYPESCRIPT, tslab: TYPESCRIPT, ts: TYPESCRIPT,
  javascript: JAVASCRIPT, jslab: JAVASCRIPT, js: JAVASCRIPT, node: JAVASCRIPT, nodejs: JAVASCRIPT,
};

/** papermill's lookup: the kernel name first, then the language. */
export function findTranslator(kernelName: string | undefined, language: string | undefined): Translator {
  const t = (kernelName && BY_KEY[kernelName.toLowerCase()]) || (language && BY_KEY[language.toLowerCase()]);
  if (t) return t;
  throw new RunnerError(`no parameter translator for kernel '${kernelName ?? '?'}' with language '${language ?? '?'}'; `
    + 'supported languages: python, typescript, javascript (set it with --language)');
}

export function renderParameters(
  t: Translator, params: Record<string, unknown>, declared: Record<string, Declaration> = {}, comment = 'Parameters',
): string {
  return [t.comment(comment), ...Object.entries(params).map(([k, v]) => t.assign(k, v, declared[k]))].join('\n') + '\n';
}
