/**
 * The declarations later cells are type-checked against, kept as Python keeps
 * names: a cell that throws at run time still binds the names it assigned
 * before the throw.
 *
 * tslab keeps the earlier cells' declarations as one `.d.ts` text (its
 * `prevDecl`) and only replaces it when a cell succeeds, although the values
 * a failing cell assigned before the throw stay in its exports object; later
 * cells then fail with "Cannot find name". This ledger sits between tslab's
 * executor and its converter: after a runtime failure it commits the failing
 * cell's declarations of the names that were assigned and, for the names the
 * cell did not reach, the previous value and declaration again (or no name at
 * all if there was none). Until the next cell succeeds, it passes that text to
 * the converter instead of tslab's stale one.
 *
 * Which names were assigned: tslab's CommonJS emit first sets every exported
 * name of the cell to `undefined`, then assigns each where it is declared. A
 * name still `undefined` after the throw counts as not reached, also when the
 * cell assigned `undefined` to it itself (`let x;`).
 */
import type { Converter, ConvertResult } from 'tslab/dist/converter.js';
import type * as TS from '@tslab/typescript-for-tslab';

type TypeScript = typeof TS;
type Exports = Record<string, unknown>;

interface CellState {
  /** the cell's top-level names with a run-time value, and their values before the cell */
  before: Map<string, { had: boolean; value: unknown }>;
  /** the converter call of this cell, if it got that far */
  converted?: { prevDecl: string; result: ConvertResult };
}

export class CellDeclarations {
  /** the declarations to use instead of tslab's own, after a cell failed at run time */
  private override: string | undefined;
  private cell: CellState | undefined;

  constructor(private readonly ts: TypeScript, private readonly exports: () => Exports) {}

  /** tslab's converter, with the committed declarations put in place of tslab's stale ones. */
  wrap(converter: Converter): Converter {
    return {
      convert: (prevDecl, src) => {
        const used = this.override ?? prevDecl;
        const result = converter.convert(used, src);
        if (this.cell) this.cell.converted = { prevDecl: used, result };
        return result;
      },
      inspect: (prevDecl, src, position) => converter.inspect(this.override ?? prevDecl, src, position),
      complete: (prevDecl, src, position) => converter.complete(this.override ?? prevDecl, src, position),
      close: () => converter.close(),
      addModule: (name, content, meta) => converter.addModule(name, content, meta),
    };
  }

  /** Before a cell runs: remember the values of the names it declares. */
  begin(source: string): void {
    const exports = this.exports();
    const before = new Map<string, { had: boolean; value: unknown }>();
    for (const name of declaredValueNames(this.ts, source)) before.set(name, { had: Object.hasOwn(exports, name), value: exports[name] });
    this.cell = { before };
  }

  /** After the cell: `ok` as tslab's execute returned it, `thrown` when the cell's code threw (or was interrupted). */
  end(ok: boolean, thrown: boolean): void {
    const cell = this.cell;
    this.cell = undefined;
    const converted = cell?.converted;
    // No converter call: a module or browser cell, or tslab failed before compiling; tslab's text is unchanged.
    if (!cell || !converted) return;
    // Success: tslab now holds the declarations it built from ours.
    if (ok) this.override = undefined;
    // A compile error leaves tslab's text (and ours) as they were; a run-time failure commits what ran.
    else if (thrown && converted.result.diagnostics.length === 0 && converted.result.declOutput !== undefined) {
      this.override = this.commit(cell.before, converted.prevDecl, converted.result.declOutput);
    }
  }

  private commit(before: CellState['before'], previous: string, failed: string): string {
    const exports = this.exports();
    const unreached = new Set<string>();
    for (const [name, old] of before) {
      if (exports[name] !== undefined) continue;
      unreached.add(name);
      if (old.had) exports[name] = old.value;
      else delete exports[name];
    }
    if (unreached.size === 0) return failed;
    const restored = new Set([...unreached].filter((name) => before.get(name)?.had));
    return [...declarationTexts(this.ts, failed, (name) => !unreached.has(name)), ...declarationTexts(this.ts, previous, (name) => restored.has(name), true)]
      .join('\n') + '\n';
  }
}

/** Top-level names of a cell that get a value when it runs (not imports, types, `declare`, const enums). */
export function declaredValueNames(ts: TypeScript, source: string): string[] {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  const bind = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    else if (ts.isFunctionDeclaration(statement) && statement.body && statement.name) names.push(statement.name.text);
    else if (ts.isClassDeclaration(statement) && statement.name) names.push(statement.name.text);
    else if (ts.isEnumDeclaration(statement) && !modifiers.some((m) => m.kind === ts.SyntaxKind.ConstKeyword)) names.push(statement.name.text);
  }
  return names;
}

/**
 * The statements of a declarations text, each as text, with the value
 * declarations (variables, functions, classes, enums) filtered by `keep`;
 * other statements (types, imports) are kept unless `onlyValues`.
 */
function declarationTexts(ts: TypeScript, text: string, keep: (name: string) => boolean, onlyValues = false): string[] {
  const file = ts.createSourceFile('decls.d.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const statement of file.statements) {
    const whole = text.slice(statement.getFullStart(), statement.end).replace(/^\n+/, '');
    if (ts.isVariableStatement(statement)) {
      const declarations = statement.declarationList.declarations;
      const kept = declarations.filter((d) => !ts.isIdentifier(d.name) || keep(d.name.text));
      if (kept.length === declarations.length) out.push(whole);
      else if (kept.length > 0) {
        const head = text.slice(statement.getStart(file), declarations[0]!.getStart(file));
        out.push(`${head}${kept.map((d) => d.getText(file)).join(', ')};`);
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      if (keep(statement.name.text)) out.push(whole);
    } else if (!onlyValues) {
      out.push(whole);
    }
  }
  return out;
}
