/**
 * The parameters a notebook declares: the assignments in its `parameters`
 * cell, with their type (from an annotation, else from the default's
 * literal), default and comment. This is what typed parameters check against
 * and what --help-notebook prints. Each language's translator finds the
 * assignments; this module turns one into a DeclaredParameter.
 */
import type { Evaluated } from './literal-eval.js';
import type { Statement } from './statements.js';

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
  /**
   * The type --help-notebook shows, papermill's `inferred_type_name`: the annotation (or
   * Python's `# type:` comment), for TypeScript and JavaScript else the literal's type;
   * "None" when unknown (a Python default without annotation, as papermill does). A
   * translator of your own may leave it out: the annotation is shown, else "Unknown type".
   */
  inferredTypeName?: string;
  /**
   * papermill's inspection cannot read this definition (Python: a second `=` in it, as in
   * `flag = gain == 2` or `opts = dict(a=1)`), so --help-notebook leaves it out; it is still
   * declared for typing and for the unknown-name check.
   */
  notInspected?: boolean;
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

export interface KindFromAnnotation { kind: ParameterKind; nullable: boolean; choices?: string[] }

export interface InferredKind { kind: ParameterKind; nullable: boolean; typeText: string }

/** How a language names types: from an annotation, and (optionally) for a kind inferred from a literal. */
export interface TypeRules {
  fromAnnotation(annotation: string): KindFromAnnotation;
  /** rewrites what inferKind found (Python's type names) in the language's own terms */
  fromLiteral?(inferred: InferredKind): InferredKind;
  /** --help-notebook shows the literal's type when there is no annotation (TypeScript: what the compiler infers) */
  showsLiteralType?: boolean;
}

/** One declaration: `name[: annotation] = init` found in statement `st`, whose default evaluated to `value`. */
export function describeDeclaration(
  name: string, annotation: string | undefined, init: string, value: Evaluated, st: Statement, rules: TypeRules,
): DeclaredParameter {
  const base = { name, defaultText: init.trim(), comment: st.comment, declaration: st.text };
  const withValue = value.ok ? { defaultValue: value.value } : {};
  if (annotation) {
    return { ...base, ...withValue, ...rules.fromAnnotation(annotation), typeText: annotation, inferredTypeName: annotation, annotation };
  }
  if (!value.ok) return { ...base, kind: 'any', nullable: true, typeText: 'unknown', inferredTypeName: 'None' };
  const inferred = rules.fromLiteral?.(inferKind(value.value, init)) ?? inferKind(value.value, init);
  return { ...base, ...withValue, ...inferred, inferredTypeName: rules.showsLiteralType ? inferred.typeText : 'None' };
}

/** The kind of a literal default, named as Python names it. */
function inferKind(v: unknown, text: string): InferredKind {
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
export function splitUnion(t: string, sep: string): string[] {
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
