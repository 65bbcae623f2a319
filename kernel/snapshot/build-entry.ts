/**
 * The entry of `node --build-snapshot` for the kernel's warm start (see
 * snapshot.ts and docs/kernel.md). It runs while V8 builds the startup
 * snapshot, where only Node's built-in modules can be required, so it takes
 * everything else from the JSON in SCS_KERNEL_SNAPSHOT_CONFIG and imports
 * nothing of the project.
 *
 * It evaluates tslab's TypeScript fork, parses and binds the files a kernel's
 * first program reads (lib.es2022, the @types packages, the toolbox's .d.ts)
 * and keeps those SourceFiles. tslab's watch host creates SourceFiles through
 * TypeScript's internal createGetSourceFile, which no host option reaches; so
 * the fork's text is patched at that one call (checked: the build fails when
 * the anchor is not there exactly once) to ask the warm cache first. A cached
 * file is returned only when its text is identical to what the host just read
 * and it was parsed for the same language version and module format: a
 * changed file (a rebuilt toolbox) is parsed again as before.
 *
 * The process started from the snapshot runs the deserialize main below: it
 * records what the snapshot holds on globalThis (the kernel adopts the fork
 * from there when the inputs still match) and requires the kernel's main.js,
 * the first argument (process.argv[1]), as node would have.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { startupSnapshot } from 'node:v8';
import { runInThisContext } from 'node:vm';

/** What the builder gets (from snapshot.ts). */
export interface SnapshotBuildConfig {
  typescriptPath: string;
  /** where tslab's converter would run (only the root files' names depend on it) */
  rootDir: string;
  /** the preload cell's source: its imports pull the toolbox's .d.ts into the warm cache */
  cellSource: string;
  typeRoots: string[];
  /** size and mtime of this file's compiled form: a snapshot of another kernel build is not used */
  builderStamp: string;
  /** the preload cell's conversion, type-checked without errors by the process that builds the snapshot */
  preload?: PreloadConversion;
}

/**
 * tslab's conversion of the preload cell (given no earlier declarations): its source as the
 * converter got it, the stamp of the toolbox .d.ts it was checked against, and the result.
 */
export interface PreloadConversion { source: string; toolboxStamp: string; result: unknown }

/** What a kernel started from the snapshot finds on globalThis[WARM_START_KEY]. */
export interface WarmStart {
  typescriptPath: string;
  /** size and mtime of the fork when the snapshot was built */
  typescriptStamp: string;
  builderStamp: string;
  typescript: unknown;
  files: Map<string, unknown>;
  preload?: PreloadConversion;
  /** files served from the cache, and files parsed again because their text changed */
  hits: number;
  misses: number;
}

export const WARM_START_KEY = 'scs-toolbox.kernel.warmStart';
const CONFIG_ENV = 'SCS_KERNEL_SNAPSHOT_CONFIG';
/** The one statement of createGetSourceFile that creates a SourceFile from the text the host read. */
const ANCHOR = 'return text !== void 0 ? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes) : void 0;';
const HOOKED = 'return text !== void 0 ? (__scsWarmSourceFile(fileName, text, languageVersionOrOptions, setParentNodes) ?? createSourceFile(fileName, text, languageVersionOrOptions, setParentNodes)) : void 0;';

interface SourceFileLike { text: string; languageVersion: number; impliedNodeFormat?: number; fileName: string }
type LanguageVersionOrOptions = number | { languageVersion: number; impliedNodeFormat?: number };

export function stampOf(path: string): string {
  const st = statSync(path);
  return `${st.size}:${st.mtimeMs}`;
}

// The fork is typed by the kernel (tslab.ts); here it is only driven through a few calls.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseTypeScript = Record<string, any>;

function loadPatchedTypeScript(path: string, lookup: (...args: unknown[]) => unknown): LooseTypeScript {
  const source = readFileSync(path, 'utf8');
  const at = source.indexOf(ANCHOR);
  if (at < 0 || source.indexOf(ANCHOR, at + 1) >= 0) {
    throw new Error(`${path}: createGetSourceFile's return statement is not there exactly once; the warm start supports tslab's TypeScript fork 5.0.4 only`);
  }
  const patched = source.slice(0, at) + HOOKED + source.slice(at + ANCHOR.length);
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname, __scsWarmSourceFile) {${patched}\n})`, { filename: path });
  const module = { exports: {} as LooseTypeScript };
  wrapper(module.exports, require, module, path, dirname(path), lookup);
  return module.exports;
}

function build(config: SnapshotBuildConfig): WarmStart {
  const warm: WarmStart = { typescriptPath: config.typescriptPath, typescriptStamp: stampOf(config.typescriptPath), builderStamp: config.builderStamp, typescript: undefined, files: new Map(), preload: config.preload, hits: 0, misses: 0 };
  const lookup = (fileName: unknown, text: unknown, languageVersionOrOptions: unknown, setParentNodes: unknown) => {
    const file = warm.files.get(fileName as string) as SourceFileLike | undefined;
    if (!file) return undefined;
    const lv = languageVersionOrOptions as LanguageVersionOrOptions;
    const languageVersion = typeof lv === 'object' ? lv.languageVersion : lv;
    const format = typeof lv === 'object' ? lv.impliedNodeFormat : undefined;
    if (file.text !== text || file.languageVersion !== languageVersion || file.impliedNodeFormat !== format || setParentNodes) {
      warm.misses++;
      return undefined;
    }
    warm.hits++;
    return file;
  };
  const ts = loadPatchedTypeScript(config.typescriptPath, lookup);
  warm.typescript = ts;
  // tslab's converter options (tslab 1.0.22, Node >= 18), as far as they decide how files are parsed and bound.
  const options = {
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'], declaration: true, newLine: ts.NewLineKind.LineFeed, noImplicitUseStrict: true, experimentalDecorators: true,
    resolveJsonModule: true, jsx: ts.JsxEmit.React, typeRoots: config.typeRoots, allowJs: true, checkJs: true, disableTopLevelAwait: true,
    skipLibCheck: true, rootDir: config.rootDir, outDir: 'outDir', inlineSourceMap: true,
  };
  const prefix = 'export {};\n';
  const cell = join(config.rootDir, '__tslab__.ts');
  const decls = join(config.rootDir, '__prev__.d.ts');
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (name: string) => (name === cell ? prefix + config.cellSource : name === decls ? prefix : readFile.call(host, name));
  host.fileExists = ((exists) => (name: string) => name === cell || name === decls || exists.call(host, name))(host.fileExists);
  const program = ts.createProgram([decls, cell], options, host);
  // Creating the checker binds every file; bound files are what a later program reuses.
  program.getTypeChecker();
  for (const file of program.getSourceFiles() as SourceFileLike[]) {
    if (file.fileName !== cell && file.fileName !== decls) warm.files.set(file.fileName, file);
  }
  return warm;
}

function main(): void {
  const text = process.env[CONFIG_ENV];
  if (!text) throw new Error(`${CONFIG_ENV} is not set: this file is the entry of 'node --build-snapshot', run by the kernel's snapshot builder`);
  const warm = build(JSON.parse(text) as SnapshotBuildConfig);
  startupSnapshot.setDeserializeMainFunction(() => {
    // Node removes Error.stackTraceLimit while it builds a snapshot and does not put it back:
    // without it errors have no stack, and cell tracebacks no cell line. 10 is V8's default.
    if (typeof Error.stackTraceLimit !== 'number') Error.stackTraceLimit = 10;
    (globalThis as Record<string, unknown>)[WARM_START_KEY] = warm;
    if (!process.argv[1]) throw new Error('started from the kernel snapshot without the kernel entry (main.js) as first argument');
    const entry = resolve(process.argv[1]);
    createRequire(entry)(entry);
  });
}

if (startupSnapshot.isBuildingSnapshot()) main();
