/**
 * The languages the runner parameterizes notebooks in. Each language is one
 * Translator object that both writes the injected parameters and reads the
 * declarations of the parameters cell; the registry finds it by kernel name,
 * then by language, as papermill's translator lookup does. Python,
 * TypeScript and JavaScript are registered; registerTranslator adds others.
 */
import { RunnerError } from '../errors.js';
import type { DeclaredParameter } from './declared.js';
import { PYTHON } from './languages/python.js';
import { JAVASCRIPT, TYPESCRIPT } from './languages/typescript.js';

/** What the parameters cell says about a parameter, as far as the translation cares. */
export type Declaration = Pick<DeclaredParameter, 'annotation' | 'binding' | 'kind'>;

export interface Translator {
  /** the language's name as kernelspecs and language_info give it */
  readonly language: string;
  /** kernel names and language names (lower case) this translator answers to */
  readonly names: readonly string[];
  comment(text: string): string;
  /** one parameter assignment; `declared`: the parameters cell's declaration of this name, if any */
  assign(name: string, value: unknown, declared?: Declaration): string;
  /** the parameters a parameters cell of this language declares, in order */
  declarations(source: string): DeclaredParameter[];
}

const registry = new Map<string, Translator>();

/** Makes `translator` the one for each of its names (replacing an earlier one with the same name). */
export function registerTranslator(translator: Translator): void {
  for (const name of [translator.language, ...translator.names]) registry.set(name.toLowerCase(), translator);
}

for (const builtin of [PYTHON, TYPESCRIPT, JAVASCRIPT]) registerTranslator(builtin);

/** papermill's lookup: the kernel name first, then the language. */
export function findTranslator(kernelName: string | undefined, language: string | undefined): Translator {
  const t = (kernelName && registry.get(kernelName.toLowerCase())) || (language && registry.get(language.toLowerCase()));
  if (t) return t;
  const languages = [...new Set([...registry.values()].map((r) => r.language))].join(', ');
  throw new RunnerError(`no parameter translator for kernel '${kernelName ?? '?'}' with language '${language ?? '?'}'; `
    + `supported languages: ${languages} (set it with --language)`);
}

/** The parameters a parameters cell in `language` declares. */
export function declaredParameters(source: string, language: string): DeclaredParameter[] {
  return findTranslator(undefined, language).declarations(source);
}

export function renderParameters(
  t: Translator, params: Record<string, unknown>, declared: Record<string, Declaration> = {}, comment = 'Parameters',
): string {
  return [t.comment(comment), ...Object.entries(params).map(([k, v]) => t.assign(k, v, declared[k]))].join('\n') + '\n';
}

export { PYTHON, TYPESCRIPT, JAVASCRIPT };
