/**
 * TypeScript and JavaScript (which papermill lacks), for tslab-based kernels:
 * parameters are written `const name = <literal>;`, which those kernels
 * accept as a redeclaration of the parameters cell's const; the parameters
 * cell is read for `const|let|var name[: type] = default` statements.
 */
import { RunnerError } from '../../errors.js';
import { type DeclaredParameter, type InferredKind, type KindFromAnnotation, describeDeclaration, splitUnion } from '../declared.js';
import { jsLiteral } from '../js-literal.js';
import { evaluateLiteral } from '../literal-eval.js';
import { type Syntax, splitStatements } from '../statements.js';
import type { Translator } from '../translators.js';

const TS_SYNTAX: Syntax = { lineComment: '//', blockComment: ['/*', '*/'], quotes: ['`', "'", '"'], semicolons: true };
const JS_IDENT = /^[A-Za-z_$][\w$]*$/;

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
    out.push({ ...describeDeclaration(name, annotation?.trim(), init, value, st, TS_TYPES), binding: binding as 'const' | 'let' | 'var' });
  }
  return out;
}

const TS_TYPE_NAMES: Record<string, string> = {
  None: 'null', int: 'number', float: 'number', str: 'string', bool: 'boolean', list: 'array', dict: 'object',
};

/** TypeScript has one number type; the literal's type is what the kernel will infer. */
function tsLiteralKind(inferred: InferredKind): InferredKind {
  return { ...inferred, kind: inferred.kind === 'integer' ? 'number' : inferred.kind, typeText: TS_TYPE_NAMES[inferred.typeText] ?? inferred.typeText };
}

function tsKind(annotation: string): KindFromAnnotation {
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

const TS_TYPES = { fromAnnotation: tsKind, fromLiteral: tsLiteralKind, showsLiteralType: true };

function ensureIdentifier(name: string, language: string): void {
  if (!JS_IDENT.test(name)) throw new RunnerError(`parameter name '${name}' is not a valid ${language} identifier`);
}

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
  names: ['typescript', 'tslab', 'ts'],
  comment: (t) => `// ${t}`,
  assign: (name, value, declared) => {
    ensureIdentifier(name, 'TypeScript');
    const t = tsType(value, declared?.annotation);
    return `${declared?.binding ?? 'const'} ${name}${t ? `: ${t}` : ''} = ${jsLiteral(value)};`;
  },
  declarations: typescriptDeclarations,
};

/** JavaScript reads declarations as TypeScript does (annotations simply never occur). */
export const JAVASCRIPT: Translator = {
  language: 'javascript',
  names: ['javascript', 'jslab', 'js', 'node', 'nodejs'],
  comment: (t) => `// ${t}`,
  assign: (name, value, declared) => {
    ensureIdentifier(name, 'JavaScript');
    return `${declared?.binding ?? 'const'} ${name} = ${jsLiteral(value)};`;
  },
  declarations: typescriptDeclarations,
};
