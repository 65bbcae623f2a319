/**
 * The first cell of every session, run before any request is answered: the
 * toolbox as `tb` (the compiled public entry point, by absolute path, so the
 * kernel's sinks and the cells share one module instance and cells get its
 * .d.ts types), and the typed input()/prompt() helpers.
 */
import type { CellRunner } from './cell-runner.js';
import { INPUT_HOOK } from './input.js';
import { TOOLBOX_ENTRY, installToolboxHook } from './toolbox-loader.js';

export { TOOLBOX_ENTRY };

export function preloadSource(): string {
  const hook = `(globalThis as any)[Symbol.for(${JSON.stringify(INPUT_HOOK)})]`;
  return [
    `import * as tb from ${JSON.stringify(TOOLBOX_ENTRY)};`,
    '/** Reads a line typed in the notebook (needs a frontend that allows stdin). */',
    `function input(prompt?: string): string { return ${hook}(prompt ?? "", false); }`,
    '/** Like input(), for browser habits: the text typed after showing `message`. */',
    `function prompt(message?: string): string { return ${hook}(message ?? "", false); }`,
    '/** Reads a line without echoing it (passwords). */',
    `function getpass(prompt?: string): string { return ${hook}(prompt ?? "Password: ", true); }`,
  ].join('\n');
}

/** Runs the preload cell; its `tb` loads the toolbox on first use (toolbox-loader.ts). */
export async function preload(runner: CellRunner): Promise<void> {
  installToolboxHook();
  let outcome = await runner.run(preloadSource(), 'the preload cell');
  // An early interrupt (nothing for the user runs yet) may break the preload's import: run it again.
  for (let attempt = 1; attempt < 3 && !outcome.ok && outcome.error.ename === 'Interrupted'; attempt++) {
    outcome = await runner.run(preloadSource(), 'the preload cell');
  }
  if (!outcome.ok) {
    throw new Error(`the preload cell (import of the toolbox from ${TOOLBOX_ENTRY}) failed: `
      + `${outcome.error.ename}: ${outcome.error.evalue}\n${outcome.error.traceback.join('\n')}`);
  }
}
