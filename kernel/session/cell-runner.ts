/**
 * Runs one cell through tslab's executor and says what happened: the value of
 * the last expression, or an ErrorReport. tslab reports through the
 * ConsoleInterface given to createExecutor: log(value) for the last
 * expression, error("%s%d:%d - %s", file, line, col, msg) per diagnostic,
 * error(thrown) for a runtime error (user console.log goes to the real console).
 */
import { installCellScriptNames, setCurrentCell } from './cell-scripts.js';
import { CellDeclarations } from './declarations.js';
import {
  compileErrorReport, interruptReport, runtimeErrorReport, type CellDiagnostic, type ErrorReport,
} from './error-report.js';
import { lazyPreloadOutput } from './toolbox-loader.js';
import type { Converter, Executor, Tslab } from './tslab.js';

/** A conversion of one cell done (and type-checked without errors) ahead of time, e.g. the preload's in the startup snapshot. */
export interface AdoptedConversion { source: string; result: unknown }

const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';

export type CellOutcome =
  | { ok: true; hasValue: boolean; value?: unknown }
  | { ok: false; error: ErrorReport };

export class CellRunner {
  readonly executor: Executor;
  private readonly declarations: CellDeclarations;
  private nextId = 0;
  private running = false;
  private interrupted: string | undefined;
  private diagnostics: CellDiagnostic[] = [];
  private thrown: { value: unknown } | undefined;
  private result: { value: unknown } | undefined;

  /**
   * `adopted`: the first cell, when its code is exactly `adopted.source` (after the
   * shorthand expansion) and no declarations precede it, gets that result without the
   * converter type-checking it again. Every other cell is converted and checked as always.
   */
  constructor(private readonly tslab: Tslab, rootDir: string, adopted?: AdoptedConversion) {
    installCellScriptNames();
    this.declarations = new CellDeclarations(tslab.compiler, () => this.executor.locals);
    this.executor = tslab.createExecutor(rootDir, {
      log: (value?: unknown) => {
        this.result = { value };
      },
      error: (first?: unknown, ...rest: unknown[]) => {
        if (first === DIAGNOSTIC_FORMAT && rest.length === 4) {
          const [file, line, column, message] = rest as [string, number, number, string];
          this.diagnostics.push({ file: file ? file.trim() : undefined, line, column, message: String(message) });
        } else {
          this.thrown = { value: first };
        }
      },
    }, (converter) => this.declarations.wrap(lazyToolboxImport(adopted ? adoptOnce(converter, adopted) : converter)));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Stops the running cell's top-level await (tslab rejects the awaited race).
   * Synchronous code is stopped by SIGINT itself (breakOnSigint). Only once per
   * cell: a second executor.interrupt() would pre-reject the next cell's await.
   */
  interrupt(how: string): void {
    if (!this.running || this.interrupted) return;
    this.interrupted = how;
    this.executor.interrupt();
  }

  /**
   * Brings the compiler up to date with the declarations so far (after the
   * preload: the toolbox's types, which enter its program only then) without
   * running anything, by asking it about an empty cell. That is most of what
   * the first cell would otherwise do before its own check (~50 of ~70 ms);
   * the kernel does it while it waits for its first request. Only before any
   * cell but the first (the preload) and never during one.
   */
  warmUp(): boolean {
    if (this.running || this.nextId > 1) return false;
    try {
      this.executor.inspect('', 0);
      return true;
    } catch {
      // nothing is lost: the first cell brings the compiler up to date as it always did
      return false;
    }
  }

  async run(source: string, label: string): Promise<CellOutcome> {
    this.diagnostics = [];
    this.thrown = undefined;
    this.result = undefined;
    this.interrupted = undefined;
    setCurrentCell(++this.nextId, label, source);
    this.running = true;
    let ok: boolean;
    const code = this.tslab.expandShorthandProperties(source);
    this.declarations.begin(code);
    try {
      ok = await this.executor.execute(code);
    } catch (err) {
      // tslab itself failed (compiler internals); report it like a runtime error of the cell.
      this.thrown = { value: err };
      ok = false;
    } finally {
      this.running = false;
    }
    // Set by the ConsoleInterface callbacks during execute (TypeScript's narrowing cannot see that).
    const result = this.result as { value: unknown } | undefined;
    const thrown = this.thrown as { value: unknown } | undefined;
    this.declarations.end(ok, thrown !== undefined && this.diagnostics.length === 0);
    if (ok) return { ok: true, hasValue: result !== undefined, value: result?.value };
    if (this.diagnostics.length > 0) return { ok: false, error: compileErrorReport(label, source, this.diagnostics) };
    if (thrown && isInterruption(thrown.value, this.interrupted)) {
      return { ok: false, error: interruptReport(label, this.interrupted ?? 'SIGINT') };
    }
    if (thrown) return { ok: false, error: runtimeErrorReport(thrown.value) };
    return { ok: false, error: { ename: 'Error', evalue: `${label} failed without an error message`, traceback: [] } };
  }
}

/** `converter`, except that its first conversion returns `adopted.result` when it is that very cell with no earlier declarations. */
function adoptOnce(converter: Converter, adopted: AdoptedConversion): Converter {
  let first = true;
  return {
    convert: (prevDecl, src) => {
      const use = first && prevDecl === '' && src === adopted.source;
      first = false;
      return use ? structuredClone(adopted.result) as ReturnType<Converter['convert']> : converter.convert(prevDecl, src);
    },
    inspect: (prevDecl, src, position) => converter.inspect(prevDecl, src, position),
    complete: (prevDecl, src, position) => converter.complete(prevDecl, src, position),
    close: () => converter.close(),
    addModule: (name, content, meta) => converter.addModule(name, content, meta),
  };
}

/** `converter` with the preload's eager import of the toolbox replaced by the lazy `tb` (toolbox-loader.ts). */
function lazyToolboxImport(converter: Converter): Converter {
  return {
    convert: (prevDecl, src) => {
      const result = converter.convert(prevDecl, src);
      return result.output === undefined ? result : { ...result, output: lazyPreloadOutput(result.output) };
    },
    inspect: (prevDecl, src, position) => converter.inspect(prevDecl, src, position),
    complete: (prevDecl, src, position) => converter.complete(prevDecl, src, position),
    close: () => converter.close(),
    addModule: (name, content, meta) => converter.addModule(name, content, meta),
  };
}

function isInterruption(thrown: unknown, interrupted: string | undefined): boolean {
  const err = thrown as { code?: unknown; message?: unknown } | null;
  if (err?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') return true;
  return interrupted !== undefined && err?.message === 'Interrupted asynchronously';
}
