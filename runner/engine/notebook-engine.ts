/**
 * What the runner core asks of an engine (papermill's Engine): which kernel
 * runs a notebook, and running the notebook under an execution manager. The
 * engines implement ExecutionEngine's start() for the kernel itself and hand
 * execute() to the shared execution path.
 */
import type { NotebookExecutionManager } from '../execution-manager.js';
import type { Notebook } from '../notebook/types.js';
import type { Warn } from '../warnings.js';
import type { ManagedExecuteOptions } from './managed.js';
import type { ExecutionEngine } from './types.js';

export interface KernelRequest {
  /** -k: overrides the notebook's kernelspec */
  kernelName?: string;
  /** --language: overrides the notebook's language */
  language?: string;
  /** the kernel's extra environment (it may move the Jupyter data path) */
  env?: Record<string, string>;
  /** the notebook is only parameterized: a kernel that is not installed is no error yet */
  prepareOnly?: boolean;
}

/** The kernel that runs the notebook, and the language its parameters are written in (when the kernel decides it). */
export interface KernelChoice {
  name?: string;
  language?: string;
}

export interface NotebookEngine extends ExecutionEngine {
  /** Throws NoSuchKernelError when no kernel of the engine fits. */
  chooseKernel(nb: Notebook, request: KernelRequest, warn: Warn): KernelChoice;
  execute(manager: NotebookExecutionManager, options: ManagedExecuteOptions): Promise<void>;
}
