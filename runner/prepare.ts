/**
 * Parameterizing a notebook before it runs (also all of --prepare-only):
 * choose the kernel and language, read the declared parameters, merge and
 * type the given ones, inject them, and fill metadata.papermill.
 */
import { RunnerError } from './errors.js';
import { removeErrorCells } from './error-cells.js';
import { hideInputs, ensureNotebookPapermill } from './metadata.js';
import { joinSource } from './notebook/cells.js';
import type { Notebook } from './notebook/types.js';
import type { DeclaredParameter } from './parameters/declared.js';
import { type Placement, injectParametersCell, parametersCellIndex } from './parameters/inject.js';
import { type ParameterInputs, mergeParameters } from './parameters/merge.js';
import { type Translator, findTranslator, renderParameters } from './parameters/translators.js';
import { typeParameters } from './parameters/typed.js';

export interface PrepareOptions {
  parameters?: ParameterInputs;
  /** overrides metadata.kernelspec.name */
  kernelName?: string;
  /** overrides metadata.language_info.name / kernelspec.language */
  language?: string;
  inputPath: string;
  outputPath: string;
  reportMode?: boolean;
  strictParameters?: boolean;
  warn?: (message: string) => void;
}

export interface Prepared {
  kernelName: string | undefined;
  language: string | undefined;
  translator: Translator;
  declared: DeclaredParameter[] | undefined;
  parameters: Record<string, unknown>;
  placement: Placement;
}

export function notebookLanguage(nb: Notebook, override?: string): string | undefined {
  return override ?? nb.metadata.language_info?.name ?? nb.metadata.kernelspec?.language;
}

/** The declared parameters of the first `parameters` cell; undefined when there is none. */
export function notebookDeclarations(nb: Notebook, translator: Translator): DeclaredParameter[] | undefined {
  const i = parametersCellIndex(nb);
  if (i < 0) return undefined;
  return translator.declarations(joinSource(nb.cells[i].source));
}

export function prepareNotebook(nb: Notebook, o: PrepareOptions): Prepared {
  const kernelName = o.kernelName ?? nb.metadata.kernelspec?.name;
  const language = notebookLanguage(nb, o.language);
  if (!kernelName && !language) {
    throw new RunnerError(`notebook ${o.inputPath} names no kernel (metadata.kernelspec) and no language; give one with -k/--kernel`);
  }
  removeErrorCells(nb);
  const translator = findTranslator(kernelName, language);
  const declared = notebookDeclarations(nb, translator);
  const given = mergeParameters(o.parameters ?? {});
  const parameters = typeParameters(given, declared, { strictParameters: o.strictParameters, warn: o.warn });
  const pm = ensureNotebookPapermill(nb);
  pm.parameters = parameters;
  pm.default_parameters = Object.fromEntries((declared ?? []).map((d) => [d.name, 'defaultValue' in d ? d.defaultValue : d.defaultText]));
  pm.input_path = o.inputPath;
  pm.output_path = o.outputPath;
  // a raw (-r) string is injected without a declaration that would not admit it (`const run: number = "11"` would not compile)
  const byName = Object.fromEntries((declared ?? [])
    .filter((d) => !(given.get(d.name)?.source === 'raw' && typeof parameters[d.name] === 'string' && d.kind !== 'string' && d.kind !== 'any'))
    .map((d) => [d.name, d]));
  const source = Object.keys(parameters).length ? renderParameters(translator, parameters, byName) : undefined;
  const { placement } = injectParametersCell(nb, source, o.warn);
  if (o.reportMode) hideInputs(nb);
  return { kernelName, language, translator, declared, parameters, placement };
}
