/**
 * Node's on-disk compile cache (Node ≥ 22.1, `module.enableCompileCache`): the second and later
 * starts of `scs` reuse V8's compiled code of every module they load. On older Node the call does
 * not exist and this does nothing; NODE_DISABLE_COMPILE_CACHE=1 turns it off as Node documents.
 */
import * as nodeModule from 'node:module';

interface WithCompileCache { enableCompileCache?: (dir?: string) => unknown }

export function enableCompileCache(): void {
  try {
    (nodeModule as WithCompileCache).enableCompileCache?.();
  } catch { /* a cache folder that cannot be made only costs the speed-up */ }
}
