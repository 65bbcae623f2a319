/**
 * The notebook runner's library API: `runNotebook(input, output, options)`
 * (papermill's execute_notebook), the execution manager and engines it is
 * built from, the parameter translators, and what `scs run` needs besides.
 */
export { runNotebook, type RunOptions, type RunSummary } from './execute.js';
export { NotebookExecutionManager, isExecuted, type ExecutionObserver, type ExecutionManagerOptions } from './execution-manager.js';
export {
  engineByName, executeManagedNotebook, LocalEngine, ServerEngine,
  type NotebookEngine, type KernelChoice, type KernelRequest, type ManagedExecuteOptions, type LocalEngineOptions,
} from './engine/index.js';
export { prepareNotebook, notebookDeclarations, notebookLanguage, type PrepareOptions } from './prepare.js';
export { readNotebook, parseNotebook, writeNotebook } from './notebook/io.js';
export type * from './notebook/types.js';
export type { DeclaredParameter, ParameterKind } from './parameters/declared.js';
export { mergeParameters, type ParameterInputs, type GivenParameter } from './parameters/merge.js';
export { typeParameters } from './parameters/typed.js';
export { resolvePapermillValue } from './parameters/resolve.js';
export {
  findTranslator, registerTranslator, declaredParameters, renderParameters, PYTHON, TYPESCRIPT, JAVASCRIPT,
  type Translator, type Declaration,
} from './parameters/translators.js';
export { formatNotebookHelp, HELP_USAGE } from './parameters/help.js';
export { parametersCellIndex } from './parameters/inject.js';
export { builtinPathValues, formatPath } from './paths.js';
export { chooseProgressMode, type ProgressMode } from './progress.js';
export { defaultWarn, type Warn } from './warnings.js';
export type { ExecuteOptions, ExecuteReply, ExecuteTimings, ExecutionEngine, IopubContent, IopubMessage, KernelInfo, KernelSession, StartOptions } from './engine/types.js';
export type { ParameterSource } from './parameters/merge.js';
export type { TypingOptions } from './parameters/typed.js';
export type { Prepared } from './prepare.js';
export type { Placement } from './parameters/inject.js';
export * from './errors.js';
