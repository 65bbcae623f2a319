/**
 * The program tslab's watch program makes for every new cell text, without
 * TypeScript's builder state. tslab asks the watch program for an
 * EmitAndSemanticDiagnosticsBuilderProgram but uses only its program, its
 * source files, `emit` of one file and `getAllDependencies` (the local .ts/.js
 * modules a cell imports); its diagnostics come from the program itself. The
 * builder state TypeScript creates with each program — versions, signatures
 * and a map of every file's references, resolved through a type checker for
 * all ~330 lib, @types and toolbox files — is half of a new cell's conversion
 * and of the watch program's creation at start (docs/kernel.md, "Cell
 * conversion"). This program keeps TypeScript's structure reuse (unchanged
 * files are not parsed or bound again) and answers the dependencies from the
 * resolved imports.
 */
import type * as TS from '@tslab/typescript-for-tslab';

type BuilderProgram = TS.EmitAndSemanticDiagnosticsBuilderProgram;
type CreateBuilder = TS.CreateProgram<BuilderProgram>;

/** What a source file records of its resolved imports (TypeScript internals, 5.0). */
interface ResolvedImports {
  resolvedModules?: { forEach(cb: (resolution: { resolvedModule?: { resolvedFileName?: string } } | undefined) => void): void };
}

/** The createProgram argument of createWatchCompilerHost. */
export function lightBuilderProgram(ts: typeof TS): CreateBuilder {
  return (rootNames, options, host, old, configFileParsingDiagnostics, projectReferences) => {
    // no root names: the watch program only refreshes configuration diagnostics (tslab has none) of the program it has
    if (!rootNames) return old!;
    const program = ts.createProgram({ rootNames, options: options ?? {}, host, oldProgram: old?.getProgram(), configFileParsingDiagnostics, projectReferences });
    return builderOf(ts, program);
  };
}

function builderOf(ts: typeof TS, program: TS.Program): BuilderProgram {
  // As TypeScript's builder does on creation: the checker binds every file (parent pointers)
  // before tslab re-parents the cell's file to the declarations file and asks for diagnostics.
  program.getTypeChecker();
  const builder = {
    getProgram: () => program,
    getProgramOrUndefined: () => program,
    releaseProgram: () => undefined,
    getCompilerOptions: () => program.getCompilerOptions(),
    getCurrentDirectory: () => program.getCurrentDirectory(),
    getSourceFile: (fileName: string) => program.getSourceFile(fileName),
    getSourceFiles: () => program.getSourceFiles(),
    getOptionsDiagnostics: (token?: TS.CancellationToken) => program.getOptionsDiagnostics(token),
    getGlobalDiagnostics: (token?: TS.CancellationToken) => program.getGlobalDiagnostics(token),
    getConfigFileParsingDiagnostics: () => program.getConfigFileParsingDiagnostics(),
    getSyntacticDiagnostics: (file?: TS.SourceFile, token?: TS.CancellationToken) => program.getSyntacticDiagnostics(file, token),
    getDeclarationDiagnostics: (file?: TS.SourceFile, token?: TS.CancellationToken) => program.getDeclarationDiagnostics(file, token),
    getSemanticDiagnostics: (file?: TS.SourceFile, token?: TS.CancellationToken) => program.getSemanticDiagnostics(file, token),
    emit: (file?: TS.SourceFile, write?: TS.WriteFileCallback, token?: TS.CancellationToken, onlyDts?: boolean, transformers?: TS.CustomTransformers) =>
      program.emit(file, write, token, onlyDts, transformers),
    getAllDependencies: (file: TS.SourceFile) => dependencies(ts, program, file),
  };
  return builder as unknown as BuilderProgram;
}

/**
 * `file` and the files it imports, transitively (TypeScript's BuilderState.getAllDependencies
 * for a module; a script affects the global scope, so every file is a dependency of it).
 */
function dependencies(ts: typeof TS, program: TS.Program, file: TS.SourceFile): string[] {
  if (!ts.isExternalModule(file)) return program.getSourceFiles().map((f) => f.fileName);
  const seen = new Set<string>();
  const queue: TS.SourceFile[] = [file];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next.fileName)) continue;
    seen.add(next.fileName);
    (next as unknown as ResolvedImports).resolvedModules?.forEach((resolution) => {
      const resolved = resolution?.resolvedModule?.resolvedFileName;
      const target = resolved ? program.getSourceFile(resolved) : undefined;
      if (target && !seen.has(target.fileName)) queue.push(target);
    });
    for (const ref of next.referencedFiles) {
      const target = program.getSourceFile(ts.resolveTripleslashReference(ref.fileName, next.fileName));
      if (target && !seen.has(target.fileName)) queue.push(target);
    }
  }
  return [...seen];
}
