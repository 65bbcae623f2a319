/**
 * tslab's compiler and executor (tslab 1.0.22, pinned exactly: these are its
 * internals), loaded with these changes to what tslab hard-codes:
 *
 * - every cell is emitted with an inline source map by tslab's watch program
 *   (cell TS → ES module JS), so a runtime error can be mapped back to the
 *   cell line (see cell-scripts.ts), and its CommonJS step (ES module →
 *   CommonJS, tslab's `transpileModule` of "custom.js") goes through
 *   commonjs.ts, which skips TypeScript's per-call program for plain cells
 *   and keeps each output's position map;
 * - the watch program makes plain programs (light-builder.ts) instead of
 *   TypeScript's builder programs, whose state tslab never reads;
 * - files that cannot change during a session (node_modules, the toolbox's
 *   declarations) get no file watcher (watch-scope.ts);
 * - Node's types are always among the type roots, even when the notebook
 *   folder has no node_modules/@types/node above it and npm hoisted tslab's
 *   own @types/node (tslab only looks in its nested node_modules).
 *
 * tslab reads both functions through the exports of its TypeScript fork,
 * which are read-only getters; so the cached module is swapped for a copy
 * whose two entries wrap the originals. This must run before tslab's
 * converter is first required.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Converter } from 'tslab/dist/converter.js';
import { esModuleToCommonJs } from './commonjs.js';
import { lightBuilderProgram } from './light-builder.js';
import { TOOLBOX_ENTRY } from './toolbox-loader.js';
import { scopedWatchSystem } from './watch-scope.js';
import type { ConsoleInterface, ConverterSet, Executor } from 'tslab/dist/executor.js';
import type * as TS from '@tslab/typescript-for-tslab';
import type { warmTypeScript } from '../snapshot/snapshot.js';

export type { ConsoleInterface, Converter, Executor };

export interface Tslab {
  /** `wrapConverter` may stand between the executor and tslab's converter (see declarations.ts). */
  createExecutor(rootDir: string, console: ConsoleInterface, wrapConverter?: (converter: Converter) => Converter): Executor;
  /** The TypeScript tslab compiles cells with (its fork), for parsing cells as it does. */
  compiler: TypeScript;
  /**
   * `{ name }` → `{ name: name }` in object literals. tslab rewrites references to earlier
   * cells' variables into property reads of its exports object but misses shorthand
   * properties, which then fail with "name is not defined"; the long form is the same code.
   */
  expandShorthandProperties(code: string): string;
  /** tslab's rendering of TypeScript quick info (signature, then docs). */
  printQuickInfo(info: unknown): string;
  /** The TypeScript version tslab compiles cells with (its fork). */
  typescriptVersion: string;
  tslabVersion: string;
}

/** tslab's TypeScript fork, whose exports are swapped for a patched copy (see patchTypeScript). */
type TypeScript = typeof TS;

const tslabRequire = createRequire(require.resolve('tslab/dist/executor.js'));
let loaded: Tslab | undefined;
let startNote = 'tslab not loaded yet';

/** How loadTslab got the compiler: from the startup snapshot or not, and why (for the kernel log). */
export function tslabStart(): string {
  return startNote;
}

/** tslab's version and its TypeScript fork's, from their package.json: known without loading the compiler. */
export function tslabVersions(): { typescriptVersion: string; tslabVersion: string } {
  const version = (request: string) => (tslabRequire(request) as { version: string }).version;
  return { typescriptVersion: version('@tslab/typescript-for-tslab/package.json'), tslabVersion: version('../package.json') };
}

/**
 * `adoptWarm`: snapshot.ts's warmTypeScript, passed in so that the modules the kernel needs
 * before its io thread runs (this one among them) do not load the toolbox.
 */
export function loadTslab(adoptWarm?: typeof warmTypeScript): Tslab {
  if (loaded) return loaded;
  const ts = patchTypeScript(adoptWarm);
  const converter = tslabRequire('./converter.js') as typeof import('tslab/dist/converter.js');
  const executor = tslabRequire('./executor.js') as typeof import('tslab/dist/executor.js');
  const inspect = tslabRequire('./inspect.js') as { printQuickInfo(info: unknown): string };
  const tslabVersion = (tslabRequire('../package.json') as { version: string }).version;
  loaded = {
    createExecutor(rootDir, console, wrapConverter = (c) => c) {
      let node: Converter | undefined;
      const converters: ConverterSet = {
        get node() {
          return (node ??= wrapConverter(converter.createConverter({ isJS: false, isBrowser: false })));
        },
        get browser(): Converter {
          // tslab 1.0.22 ships no bundler: @browser cells are no-ops and never need a converter.
          throw new Error('browser cells are not supported by this kernel');
        },
        close() {
          node?.close();
        },
      };
      return executor.createExecutor(rootDir, converters, console);
    },
    compiler: ts,
    expandShorthandProperties(code) {
      const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      const ends: { end: number; name: string }[] = [];
      const visit = (node: TS.Node): void => {
        if (ts.isShorthandPropertyAssignment(node)) ends.push({ end: node.name.end, name: node.name.text });
        ts.forEachChild(node, visit);
      };
      visit(file);
      // Insert from the back so earlier offsets stay valid; lines never change (source maps keep working).
      return ends.sort((a, b) => b.end - a.end).reduce((text, { end, name }) => `${text.slice(0, end)}: ${name}${text.slice(end)}`, code);
    },
    printQuickInfo: (info) => inspect.printQuickInfo(info),
    typescriptVersion: ts.version,
    tslabVersion,
  };
  return loaded;
}

function patchTypeScript(adoptWarm: typeof warmTypeScript | undefined): TypeScript {
  const path = tslabRequire.resolve('@tslab/typescript-for-tslab');
  // From a startup snapshot, the fork is already evaluated and its first program's files parsed.
  const warm = adoptWarm?.(path) ?? { ok: false, reason: 'no snapshot asked for' };
  startNote = warm.ok ? `warm start: tslab's TypeScript and ${warm.warm.files.size} parsed files from the startup snapshot` : `cold start (${warm.reason})`;
  const ts = tslabRequire(path) as TypeScript;
  const cached = require.cache[path];
  if (!cached) throw new Error(`tslab's TypeScript (${path}) is not in the module cache`);
  const nodeTypes = nodeTypeRoot();
  const overrides: Partial<Record<keyof TypeScript, unknown>> = {
    createWatchCompilerHost(rootFiles: string[], options: TS.CompilerOptions, ...rest: WatchHostRest) {
      const typeRoots: string[] = [...(options.typeRoots ?? [])];
      if (nodeTypes && !typeRoots.some((root) => existsSync(join(root, 'node', 'package.json')))) typeRoots.push(nodeTypes);
      const [system, createProgram, ...reporters] = rest;
      const scoped = system && scopedWatchSystem(system, dirname(TOOLBOX_ENTRY));
      return ts.createWatchCompilerHost(rootFiles, { ...options, typeRoots, inlineSourceMap: true }, scoped, createProgram ?? lightBuilderProgram(ts), ...reporters);
    },
    transpileModule(input: string, options: TS.TranspileOptions) {
      // tslab's ES module → CommonJS step names its input custom.js; other callers are left alone.
      if (options?.fileName !== 'custom.js') return ts.transpileModule(input, options);
      return esModuleToCommonJs(ts, input, options);
    },
  };
  // Plain assignments (defineProperty for ~2,250 keys took ~15 ms), and marked as an ES module so
  // that tslab's three `import * as ts` take it as it is instead of copying it again each.
  const copy: Record<string, unknown> = { __esModule: true };
  for (const key of Object.keys(ts) as (keyof TypeScript)[]) copy[key] = key in overrides ? overrides[key] : ts[key];
  cached.exports = copy;
  return ts;
}

/** The arguments of the root-files overload of createWatchCompilerHost after rootFiles and options. */
type WatchHostRest = Parameters<typeof TS.createWatchCompilerHost<TS.EmitAndSemanticDiagnosticsBuilderProgram>> extends [string[], TS.CompilerOptions, ...infer Rest] ? Rest : never;

/** The @types folder holding the @types/node tslab depends on (hoisted or nested). */
function nodeTypeRoot(): string | undefined {
  try {
    return dirname(dirname(tslabRequire.resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}
