/**
 * The toolbox, loaded on first real need (a cell touching `tb`, a value that is
 * not a primitive, a display, a cell calling process.exit) rather than at start:
 * a first `1+1` does not wait for its JavaScript. Always the compiled public
 * entry by absolute path, so the kernel's sinks and the cells share one module
 * instance.
 */
import { join } from 'node:path';

type Toolbox = typeof import('../../toolbox/index.js');

/** The compiled toolbox entry point, without extension (as a cell would import it). */
export const TOOLBOX_ENTRY = join(__dirname, '..', '..', 'toolbox', 'index');

/** The global through which the preload cell's `tb` asks for the toolbox (see lazyToolbox). */
export const TOOLBOX_HOOK = 'scs-kernel.toolbox';

let loaded: Toolbox | undefined;
const onLoad: ((tb: Toolbox) => void)[] = [];

/** The toolbox module, loading it (and running the whenToolboxLoads hooks) the first time. */
export function toolbox(): Toolbox {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tb = require(TOOLBOX_ENTRY) as Toolbox;
    loaded = tb;
    for (const hook of onLoad.splice(0)) hook(tb);
  }
  return loaded;
}

export function toolboxLoaded(): boolean {
  return loaded !== undefined;
}

/** Runs `hook` when the toolbox is loaded (at once if it is). */
export function whenToolboxLoads(hook: (tb: Toolbox) => void): void {
  if (loaded) hook(loaded);
  else onLoad.push(hook);
}

/**
 * A stand-in for the toolbox's namespace that loads it on first use and forwards
 * everything to it (tslab's exports object evaluates getters when they are defined,
 * so a lazy getter cannot be used). Errors while loading appear in the cell touching `tb`.
 */
export function lazyToolbox(): Toolbox {
  return new Proxy({} as Toolbox, {
    get: (_target, key) => Reflect.get(toolbox(), key),
    set: (_target, key, value) => Reflect.set(toolbox(), key, value),
    has: (_target, key) => Reflect.has(toolbox(), key),
    ownKeys: () => Reflect.ownKeys(toolbox()),
    getOwnPropertyDescriptor: (_target, key) => {
      const desc = Reflect.getOwnPropertyDescriptor(toolbox(), key);
      return desc && { ...desc, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(toolbox()),
  });
}

/** Installs the global the preload cell's converted JavaScript calls for `tb`. */
export function installToolboxHook(): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for(TOOLBOX_HOOK)] = lazyToolbox;
}

/**
 * The preload cell's converted JavaScript with its import of the toolbox made lazy:
 * `tb` becomes lazyToolbox() (the cell's types still come from the toolbox .d.ts).
 * Unchanged when the import is not found in the expected form.
 */
export function lazyPreloadOutput(output: string): string {
  const eager = `__importStar(require(${JSON.stringify(TOOLBOX_ENTRY)}))`;
  return output.includes(eager)
    ? output.replace(eager, `globalThis[Symbol.for(${JSON.stringify(TOOLBOX_HOOK)})]()`)
    : output;
}
