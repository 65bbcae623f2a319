/** Engine selection for `scs run --engine` and the library API. */
import { RunnerError } from '../errors.js';
import { LocalEngine, type LocalEngineOptions } from './local.js';
import { ServerEngine } from './server.js';
import type { NotebookEngine } from './notebook-engine.js';

const ENGINE_NAMES = ['local', 'server'] as const;

/** `local` takes LocalEngineOptions (e.g. forwarding the kernel's own stdout/stderr); `server` ignores them. */
export function engineByName(name: string, options: LocalEngineOptions = {}): NotebookEngine {
  if (name === 'local') return new LocalEngine(options);
  if (name === 'server') return new ServerEngine();
  throw new RunnerError(`unknown execution engine '${name}'; choose one of: ${ENGINE_NAMES.join(', ')}`);
}

export { LocalEngine, type LocalEngineOptions } from './local.js';
export { ServerEngine } from './server.js';
export { findKernelSpec, listKernelSpecs, type KernelSpec } from './kernelspecs.js';
export { jupyterPath } from '../../protocol/index.js';
export type * from './types.js';
export type { NotebookEngine, KernelChoice, KernelRequest } from './notebook-engine.js';
export { executeManagedNotebook, type ManagedExecuteOptions } from './managed.js';
