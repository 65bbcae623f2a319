/**
 * Kernelspec lookup for the runner: the protocol package's discovery (the
 * same data path `jupyter kernelspec list` and `scs kernel install` use),
 * with its errors turned into the runner's, which carry `scs run`'s exit code.
 */
import {
  KernelSpecError, NoSuchKernelError as MissingKernelSpec, findKernelSpec as findSpec, listKernelSpecs as listSpecs,
  type Env, type KernelSpec,
} from '../../protocol/index.js';
import { NoSuchKernelError, RunnerError } from '../errors.js';
import { type Warn, defaultWarn } from '../warnings.js';

export type { KernelSpec };

/** The kernelspec called `name`; NoSuchKernelError (listing the installed names) when there is none. */
export function findKernelSpec(name: string, env: Env = process.env): KernelSpec {
  try {
    return findSpec(name, { env });
  } catch (err) {
    if (err instanceof MissingKernelSpec) throw new NoSuchKernelError(err.kernelName, err.available, { cause: err });
    if (err instanceof KernelSpecError) throw new RunnerError(err.message, { cause: err });
    throw err;
  }
}

/** All installed kernelspecs, sorted by name; `warn` hears of each spec skipped because its kernel.json is broken. */
export function listKernelSpecs(env: Env = process.env, warn: Warn = defaultWarn): KernelSpec[] {
  return listSpecs({ env, warn });
}
