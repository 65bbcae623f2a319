/**
 * tslab's second step for every cell: its watch program emits the cell as an
 * ES module, which it then turns into CommonJS with `ts.transpileModule`. That
 * call builds a program and a type checker and checks the file on each use:
 * 1–2 ms per cell, the largest single cost of a trivial cell (docs/kernel.md,
 * "Cell conversion"). This module does the step in two ways:
 *
 * - **plain cells** — const declarations, classes, statements, the
 *   `export const tsLastExpr = …` and `export { … }` tslab adds — are rewritten
 *   in the text, exactly as TypeScript would (`exports.x = void 0` up front,
 *   `exports.x = x;` after each declaration), keeping every line and column, so
 *   positions map back by a line offset;
 * - everything else (imports, let/var/function/enum exports, top-level `this`,
 *   dynamic `import()`) goes through `ts.transpileModule` as before, without an
 *   inline source map; the map from its output to the ES module is made from the
 *   recorded input only when a stack through the cell is mapped.
 *
 * cell-scripts.ts asks `takePositionMap` for the map of the script it runs.
 */
import { SourceMap } from 'node:module';
import type * as TS from '@tslab/typescript-for-tslab';

/** A position in the CommonJS text (0-based) → the same position in the ES module tslab emitted. */
export type PositionMap = (line: number, column: number) => { line: number; column: number } | undefined;

/** The CommonJS prologue's lines before the cell's own: positions below shift by this many lines. */
const PROLOGUE_LINES = 1;
/** TypeScript initialises exports in statements of at most this many names. */
const EXPORTS_PER_STATEMENT = 50;
/** Conversions waiting for their script to run; side modules never run as cell scripts, so the oldest are dropped. */
const MAX_PENDING = 16;

const pending = new Map<string, PositionMap>();

function remember(output: string, map: PositionMap): void {
  pending.delete(output);
  pending.set(output, map);
  if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
}

/** The position map of a CommonJS text this module produced (once; later calls get undefined). */
export function takePositionMap(output: string): PositionMap | undefined {
  const map = pending.get(output);
  pending.delete(output);
  return map;
}

/** tslab's `esModuleToCommonJSModule(js)`: the same CommonJS, through the plain-cell rewrite where it applies. */
export function esModuleToCommonJs(ts: typeof TS, input: string, options: TS.TranspileOptions): TS.TranspileOutput {
  // tslab transpiles at the target its watch program emitted at; below ES2022 TypeScript would also lower syntax
  const target = options.compilerOptions?.target ?? ts.ScriptTarget.ES5;
  const plain = target >= ts.ScriptTarget.ES2022 ? plainCellToCommonJs(ts, input) : undefined;
  if (plain !== undefined) {
    remember(plain, (line, column) => (line < PROLOGUE_LINES ? undefined : { line: line - PROLOGUE_LINES, column }));
    return { outputText: plain, diagnostics: [] };
  }
  const result = ts.transpileModule(input, options);
  remember(result.outputText, lazySourceMap(ts, input, options));
  return result;
}

/** The map of transpileModule's output, made by transpiling the same input again with a source map when first asked. */
function lazySourceMap(ts: typeof TS, input: string, options: TS.TranspileOptions): PositionMap {
  let map: SourceMap | null | undefined;
  return (line, column) => {
    if (map === undefined) {
      try {
        const again = ts.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, inlineSourceMap: false, sourceMap: true } });
        map = again.sourceMapText ? new SourceMap(JSON.parse(again.sourceMapText)) : null;
      } catch {
        map = null;
      }
    }
    const entry = map?.findEntry(line, column) as { originalLine?: number; originalColumn?: number } | undefined;
    return entry?.originalLine === undefined ? undefined : { line: entry.originalLine, column: entry.originalColumn ?? 0 };
  };
}

/** One text edit: replace [start, end) by `text`. */
interface Edit { start: number; end: number; text: string }

/**
 * The CommonJS of a plain cell's ES module, or undefined when the cell needs
 * TypeScript's transform. Edits never change a line's length before its end.
 */
export function plainCellToCommonJs(ts: typeof TS, input: string): string | undefined {
  const file = ts.createSourceFile('custom.js', input, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  if (!ts.isExternalModule(file) || !isPlain(ts, file)) return undefined;
  const declared = new Map<string, TS.Statement>();
  const exported: string[] = [];
  const edits: Edit[] = [];
  for (const stmt of file.statements) {
    if (ts.isExportDeclaration(stmt)) {
      // only `export { a, b }` of local names (isPlain checked the form)
      for (const el of (stmt.exportClause as TS.NamedExports).elements) exported.push(el.name.text);
      edits.push({ start: stmt.getStart(file), end: stmt.end, text: '' });
      continue;
    }
    if (ts.isVariableStatement(stmt) && hasExportModifier(ts, stmt)) {
      // `export const name = value` → `exports.name = value` (isPlain: one declarator, an identifier, not referenced)
      const decl = stmt.declarationList.declarations[0]!;
      const name = (decl.name as TS.Identifier).text;
      exported.push(name);
      const start = stmt.getStart(file), end = decl.initializer!.pos;
      edits.push({ start, end, text: pad(`exports.${name} =`, end - start) });
      continue;
    }
    for (const name of declaredNames(ts, stmt)) declared.set(name, stmt);
  }
  // a top-level `exports` of the cell's own would shadow the CommonJS one TypeScript renames around
  if (declared.has('exports')) return undefined;
  const after = new Map<TS.Statement, string[]>();
  for (const name of exported) {
    if (isLastExprName(name) && !declared.has(name)) continue;
    const stmt = declared.get(name);
    if (!stmt) return undefined; // exported but not a const or class of this cell: TypeScript's transform decides
    after.set(stmt, [...(after.get(stmt) ?? []), name]);
  }
  for (const [stmt, names] of after) {
    // TypeScript assigns in declaration order, not export-list order
    const ordered = declaredNames(ts, stmt).filter((n) => names.includes(n));
    edits.push({ start: stmt.end, end: stmt.end, text: ordered.map((n) => ` exports.${n} = ${n};`).join('') });
  }
  return prologue(exported) + applyEdits(input, edits);
}

function prologue(exported: string[]): string {
  let head = 'Object.defineProperty(exports, "__esModule", { value: true });';
  // TypeScript builds `exports.c = exports.b = exports.a = void 0` from the names in reverse
  const names = [...new Set(exported)];
  for (let i = 0; i < names.length; i += EXPORTS_PER_STATEMENT) {
    const chunk = names.slice(i, i + EXPORTS_PER_STATEMENT);
    head += ` ${chunk.reverse().map((n) => `exports.${n} = `).join('')}void 0;`;
  }
  return `${head}\n`;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** `text` followed by spaces up to `length`, and at least one space (so the value after it keeps its column). */
function pad(text: string, length: number): string {
  return text + ' '.repeat(Math.max(1, length - text.length));
}

function isLastExprName(name: string): boolean {
  return /^tsLastExpr\d*$/.test(name);
}

function hasExportModifier(ts: typeof TS, node: TS.Node): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Names a top-level const declaration or class binds, in source order (nothing for other statements). */
function declaredNames(ts: typeof TS, stmt: TS.Statement): string[] {
  if (ts.isClassDeclaration(stmt)) return stmt.name ? [stmt.name.text] : [];
  if (!ts.isVariableStatement(stmt) || !(stmt.declarationList.flags & ts.NodeFlags.Const)) return [];
  const names: string[] = [];
  const bind = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  for (const d of stmt.declarationList.declarations) bind(d.name);
  return names;
}

/**
 * Whether the module is one the text rewrite handles exactly: no imports, no
 * module syntax but `export { local names }` and `export const name = value`
 * of a name used nowhere else, no let/var/function/enum at the top level
 * (their exports would need assignments rewritten), no `import()` or
 * `import.meta`, no `this` outside functions and classes.
 */
function isPlain(ts: typeof TS, file: TS.SourceFile): boolean {
  const uses = new Map<string, number>();
  let ok = true;
  const visit = (node: TS.Node, topThis: boolean): void => {
    if (!ok) return;
    if (node.kind === ts.SyntaxKind.ImportKeyword || ts.isImportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isExportAssignment(node)) ok = false;
    else if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) ok = false;
    else if (node.kind === ts.SyntaxKind.ThisKeyword && topThis) ok = false;
    else if (ts.isIdentifier(node)) uses.set(node.text, (uses.get(node.text) ?? 0) + 1);
    const scoped = ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassLike(node) || ts.isMethodDeclaration(node) || ts.isAccessor(node) || ts.isConstructorDeclaration(node);
    ts.forEachChild(node, (child) => visit(child, topThis && !scoped));
  };
  for (const stmt of file.statements) {
    if (!plainStatement(ts, stmt)) return false;
    visit(stmt, true);
  }
  if (!ok) return false;
  // an exported const's name must appear only in its declaration and export list
  for (const stmt of file.statements) {
    if (ts.isVariableStatement(stmt) && hasExportModifier(ts, stmt)) {
      const name = (stmt.declarationList.declarations[0]!.name as TS.Identifier).text;
      if ((uses.get(name) ?? 0) !== 1) return false;
    }
  }
  return true;
}

function plainStatement(ts: typeof TS, stmt: TS.Statement): boolean {
  if (ts.isExportDeclaration(stmt)) {
    const clause = stmt.exportClause;
    return !stmt.moduleSpecifier && !stmt.isTypeOnly && !!clause && ts.isNamedExports(clause) && clause.elements.every((el) => !el.propertyName && !el.isTypeOnly);
  }
  if (ts.isFunctionDeclaration(stmt) || ts.isModuleDeclaration(stmt) || ts.isEnumDeclaration(stmt)) return false;
  if (ts.isClassDeclaration(stmt)) return !hasExportModifier(ts, stmt) && !(ts.getDecorators(stmt)?.length);
  if (ts.isVariableStatement(stmt)) {
    const list = stmt.declarationList;
    if (!(list.flags & ts.NodeFlags.Const)) return false;
    if (!hasExportModifier(ts, stmt)) return true;
    const [decl, more] = list.declarations;
    return !more && !!decl && ts.isIdentifier(decl.name) && !!decl.initializer;
  }
  return !hasExportModifier(ts, stmt);
}
