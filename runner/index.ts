/**
 * The notebook runner's library API: `runNotebook(input, output, options)`
 * (papermill's execute_notebook) and the pieces `scs run` is built from.
 */
export { runNotebook, type RunOptions, type RunSummary } from './execute.js';
export { prepareNotebook, notebookDeclarations, type PrepareOptions } from './prepare.js';
export { readNotebook, parseNotebook, writeNotebook } from './notebook/io.js';
export type * from './notebook/types.js';
export { declaredParameters, type DeclaredParameter, type ParameterKind } from './parameters/declared.js';
export { mergeParameters, type ParameterInputs, type GivenParameter } from './parameters/merge.js';
export { typeParameters } from './parameters/typed.js';
export { resolvePapermillValue } from './parameters/resolve.js';
export { findTranslator, renderParameters, PYTHON, TYPESCRIPT, JAVASCRIPT } from './parameters/translators.js';
export { formatNotebookHelp } from './parameters/help.js';
export * from './errors.js';
