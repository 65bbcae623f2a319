/**
 * Typed parameters: given values are checked against the parameters cell's
 * declarations and converted where the command line could not know the type
 * (`-p run 0179` is 179 for a number, "0179" for a string; `-p bins [1,2]`
 * a list for a list). `-r` values stay strings, as papermill's raw parameters. A value of the wrong type is a ParameterError naming
 * the parameter; names the notebook does not declare warn like papermill, or
 * fail under strictParameters.
 */
import { ParameterError } from '../errors.js';
import type { DeclaredParameter } from './declared.js';
import { type GivenParameter, describeGiven } from './merge.js';
import { parsePythonFloat, parsePythonInt } from './resolve.js';
import { yamlParse } from './yaml.js';
import { type Warn, defaultWarn } from '../warnings.js';

export interface TypingOptions {
  strictParameters?: boolean;
  /** called for unknown names when not strict (default: the runner's default warning channel) */
  warn?: Warn;
}

// papermill's injected paths are never declared
const ALWAYS_KNOWN = new Set(['PAPERMILL_INPUT_PATH', 'PAPERMILL_OUTPUT_PATH']);

export function typeParameters(
  given: Map<string, GivenParameter>, declared: DeclaredParameter[] | undefined, options: TypingOptions = {},
): Record<string, unknown> {
  const warn = options.warn ?? defaultWarn;
  const byName = new Map((declared ?? []).map((d) => [d.name, d]));
  const out: Record<string, unknown> = {};
  for (const [name, p] of given) {
    const decl = byName.get(name);
    if (!decl) {
      if (declared && !ALWAYS_KNOWN.has(name)) {
        const known = declared.map((d) => d.name).join(', ') || 'none';
        const msg = `parameter '${name}' is not declared in the parameters cell (declared: ${known})`;
        if (options.strictParameters) throw new ParameterError(`${msg}; --strict-parameters forbids unknown parameters`, name);
        warn(`${msg}; injecting it anyway`);
      }
      out[name] = p.value;
      continue;
    }
    if (p.source === 'raw' && decl.kind !== 'string' && decl.kind !== 'any') {
      // papermill's -r is raw text whatever the declaration; -p gives a typed value
      warn(`parameter '${name}' is declared \`${decl.declaration}\`; -r injects the string ${JSON.stringify(p.text)} as given (use -p for a typed value)`);
    }
    out[name] = p.source === 'raw' && decl.kind !== 'string' ? p.value : convert(p, decl);
  }
  return out;
}

const KIND_NAMES = {
  number: 'a number', integer: 'an integer', string: 'a string', boolean: 'a boolean', list: 'a list', mapping: 'a mapping',
} as const;

export function convert(p: GivenParameter, d: DeclaredParameter): unknown {
  const fail = (extra = '') => new ParameterError(
    `parameter '${d.name}' expects ${d.kind === 'any' ? 'a value' : KIND_NAMES[d.kind]}${d.nullable ? ' or null' : ''} `
    + `(declared \`${d.declaration}\`), got ${describeGiven(p)}${extra}`, d.name);
  const text = p.text;
  const { value } = p;
  if (d.kind === 'any') return value;
  if (value === null && d.nullable) return null;
  switch (d.kind) {
    case 'number':
    case 'integer': {
      let n: number | undefined = typeof value === 'number' ? value : undefined;
      if (text !== undefined) n = d.kind === 'integer' ? parsePythonInt(text) : (parsePythonInt(text) ?? parsePythonFloat(text));
      if (n === undefined || (d.kind === 'integer' && !Number.isInteger(n))) throw fail();
      return n;
    }
    case 'string': {
      const s = text ?? value;
      if (typeof s !== 'string') throw fail();
      if (d.choices && !d.choices.includes(s)) throw fail(`; allowed: ${d.choices.map((c) => JSON.stringify(c)).join(', ')}`);
      return s;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (text !== undefined && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      throw fail();
    }
    case 'list':
    case 'mapping': {
      let v = value;
      if (text !== undefined) {
        try {
          v = yamlParse()(text, { schema: 'core' });
        } catch {
          throw fail(' (not a YAML/JSON literal)');
        }
      }
      const ok = d.kind === 'list' ? Array.isArray(v) : v !== null && typeof v === 'object' && !Array.isArray(v);
      if (!ok) throw fail();
      return v;
    }
  }
}
