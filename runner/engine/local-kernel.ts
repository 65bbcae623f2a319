/**
 * Which installed kernel runs the notebook on the local engine: -k, else the
 * notebook's kernelspec; a notebook kernel that is not installed falls back
 * to an installed kernel of the same language (with a warning), so a
 * notebook saved on another machine still runs.
 */
import { NoSuchKernelError } from '../errors.js';
import type { Notebook } from '../notebook/types.js';
import { notebookLanguage } from '../prepare.js';
import type { Warn } from '../warnings.js';
import { findKernelSpec, listKernelSpecs } from './kernelspecs.js';
import type { KernelChoice, KernelRequest } from './notebook-engine.js';

/** Local engine: the notebook's kernel, or -k; an unknown notebook kernel falls back to an installed one of the same language. */
export function chooseLocalKernel(nb: Notebook, options: KernelRequest, warn: Warn): KernelChoice {
  const env = { ...process.env, ...options.env };
  const name = options.kernelName ?? nb.metadata.kernelspec?.name;
  if (!name) return {};
  try {
    const spec = findKernelSpec(name, env);
    // with -k the kernel's own language decides the parameter syntax, not the notebook's old metadata
    return { name, language: options.kernelName ? spec.language || undefined : undefined };
  } catch (err) {
    if (!(err instanceof NoSuchKernelError) || options.kernelName) {
      if (options.prepareOnly) return { name };
      throw err;
    }
    const language = notebookLanguage(nb, options.language)?.toLowerCase();
    const match = language ? listKernelSpecs(env, warn).find((s) => s.language.toLowerCase() === language) : undefined;
    if (!match) {
      if (options.prepareOnly) return { name };
      throw err;
    }
    warn(`kernel '${name}' of the notebook is not installed; using '${match.name}', which also runs ${language}`);
    return { name: match.name };
  }
}

