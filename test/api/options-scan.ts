/**
 * Finds, with the TypeScript compiler, every public function, constructor and
 * method (reachable from the package's entry points) that takes an options
 * object, and whether its body checks that object with checkOptions. The test
 * in options-coverage.test.ts asserts that none is missed.
 */
import { join } from 'node:path';
import ts from 'typescript';

/** The package's public entry points (package.json "exports"). */
export const ENTRIES = ['toolbox/index.ts', 'toolbox/synthetic/index.ts', 'workflows/index.ts'];

/**
 * Calls that count as checking the options, by name and the module declaring
 * them: checkOptions of toolbox/options.ts. A helper that wraps it must be
 * named here, with the reason, to count; a local function that happens to
 * share a name does not.
 */
export const CHECKERS = new Map([
  ['checkOptions', '/toolbox/options.ts'],
  // The reductions (DataArray.sum, Dataset.mean, ...) take options as their first or second argument;
  // reduce/reduceDataset pass both to parseReduceArgs, which checks them with checkOptions under the public name.
  ['reduce', '/toolbox/arrays/reduce.ts'],
  ['reduceDataset', '/toolbox/arrays/reduce.ts'],
]);

export interface OptionsSite {
  /** e.g. 'getSasePId', 'DataArray.sel', 'DSSCBinner.constructor', 'plot.line'. */
  name: string;
  /** The options parameter. */
  parameter: string;
  /** Source file (repo-relative) and line of the declaration. */
  where: string;
  checked: boolean;
}

function compilerOptions(root: string): ts.CompilerOptions {
  const file = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
}

type Callable = ts.FunctionLikeDeclaration & { body?: ts.Node };

/** `param`, also as `(param)`, `param as T` or `param!`. */
function isParam(a: ts.Expression, param: string): boolean {
  while (ts.isParenthesizedExpression(a) || ts.isAsExpression(a) || ts.isNonNullExpression(a)) a = a.expression;
  return ts.isIdentifier(a) && a.text === param;
}


class Scanner {
  readonly sites: OptionsSite[] = [];
  private readonly seen = new Set<ts.Node>();
  private readonly seenModules = new Set<ts.Symbol>();

  constructor(private readonly checker: ts.TypeChecker, private readonly root: string) {}

  module(sym: ts.Symbol, prefix: string): void {
    if (this.seenModules.has(sym)) return;
    this.seenModules.add(sym);
    for (const exp of this.checker.getExportsOfModule(sym)) {
      const target = exp.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(exp) : exp;
      const name = prefix + exp.name;
      if (target.flags & ts.SymbolFlags.ValueModule) this.module(target, `${name}.`);
      else if (target.flags & ts.SymbolFlags.Class) this.klass(target, name);
      else if (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) this.value(target, name);
    }
  }

  private value(sym: ts.Symbol, name: string): void {
    const decls = sym.declarations ?? [];
    const fns = decls.filter(ts.isFunctionDeclaration);
    const impl = fns.find((d) => d.body);
    if (impl) this.callable(impl, name, fns);
    for (const d of decls) {
      if (ts.isVariableDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
        this.callable(d.initializer, name, [d.initializer]);
      }
    }
  }

  private isError(sym: ts.Symbol): boolean {
    const type = this.checker.getDeclaredTypeOfSymbol(sym);
    for (let t: ts.Type | undefined = type; t; t = (t.isClassOrInterface() ? this.checker.getBaseTypes(t)[0] : undefined)) {
      if (t.symbol?.name === 'Error') return true;
    }
    return false;
  }

  private klass(sym: ts.Symbol, name: string): void {
    // The ToolBoxError family's second argument is the error's data (mnemonic, val, dtype, ...), filled in by the toolbox, not options.
    if (this.isError(sym)) return;
    const decl = sym.declarations?.find(ts.isClassDeclaration);
    if (!decl) return;
    const instance = this.checker.getDeclaredTypeOfSymbol(sym);
    const statics = this.checker.getTypeOfSymbolAtLocation(sym, decl);
    const members = [...this.checker.getPropertiesOfType(instance), ...this.checker.getPropertiesOfType(statics)];
    const hidden = (d: ts.Declaration) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
    // The nearest constructor (own or inherited) is the one `new` runs; a private one is not public.
    const ctors = [decl, ...this.bases(instance)].map((c) => c.members.filter(ts.isConstructorDeclaration)).find((c) => c.length) ?? [];
    const ctor = ctors.find((c) => c.body);
    if (ctor && !hidden(ctor)) this.callable(ctor, `${name}.constructor`, ctors);
    for (const m of members) {
      const methods = (m.declarations ?? []).filter(ts.isMethodDeclaration);
      const impl = methods.find((d) => d.body);
      if (!impl || hidden(impl) || ts.isPrivateIdentifier(impl.name) || m.name.startsWith('_')) continue;
      this.callable(impl, `${name}.${m.name}`, methods);
    }
  }

  private bases(type: ts.Type): ts.ClassDeclaration[] {
    const out: ts.ClassDeclaration[] = [];
    for (let t = type.isClassOrInterface() ? this.checker.getBaseTypes(type)[0] : undefined; t; t = t.isClassOrInterface() ? this.checker.getBaseTypes(t)[0] : undefined) {
      const d = t.symbol?.declarations?.find(ts.isClassDeclaration);
      if (d) out.push(d);
    }
    return out;
  }

  /** An options object: a type named ...Options, or an object type whose properties are all optional. */
  private isOptions(p: ts.ParameterDeclaration): boolean {
    if (p.dotDotDotToken) return false;
    if (p.type && ts.isTypeReferenceNode(p.type) && /Options$/.test(p.type.typeName.getText())) return true;
    const type = this.checker.getTypeAtLocation(p);
    const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (!parts.length) return false;
    // Some member: `split: number | SplitOptions` takes options too (checked when it is an object).
    return parts.some((t) => {
      if (!(t.flags & ts.TypeFlags.Object) || t.getCallSignatures().length || this.checker.isArrayLikeType(t)) return false;
      const props = this.checker.getPropertiesOfType(t);
      return props.length > 0 && props.every((s) => (s.flags & ts.SymbolFlags.Optional) !== 0);
    });
  }

  /**
   * The options parameters of a function, from its implementation and its
   * overload signatures. An implementation parameter of the same name must be
   * passed to a checker; an implementation taking `...args` (overloads with
   * different argument positions) must call a checker at all.
   */
  private callable(d: Callable, name: string, signatures: readonly ts.SignatureDeclaration[]): void {
    if (this.seen.has(d) || !d.body) return;
    this.seen.add(d);
    const sf = d.getSourceFile();
    const where = `${sf.fileName.slice(this.root.length + 1)}:${sf.getLineAndCharacterOfPosition(d.getStart()).line + 1}`;
    const found = new Set<string>();
    for (const sig of signatures) {
      for (const p of sig.parameters) {
        const parameter = p.name.getText();
        if (found.has(parameter) || !this.isOptions(p)) continue;
        found.add(parameter);
        const own = d.parameters.find((q) => q.name.getText() === parameter);
        const rest = d.parameters.some((q) => q.dotDotDotToken);
        const checked = own ? ts.isIdentifier(own.name) && this.checks(d.body, own.name.text) : rest && this.checks(d.body, null);
        this.sites.push({ name, parameter, where, checked });
      }
    }
  }

  /**
   * Whether `body` calls a checker with `param` as an argument (null: with any
   * argument). The callee must resolve to toolbox/options.ts, so a local
   * function of the same name does not count.
   */
  private checks(body: ts.Node, param: string | null): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && this.isChecker(n.expression) && (param === null || n.arguments.some((a) => isParam(a, param)))) {
        found = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return found;
  }

  private isChecker(callee: ts.Expression): boolean {
    const id = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : null;
    if (!id || !CHECKERS.has(id.text)) return false;
    let sym = this.checker.getSymbolAtLocation(id);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    return (sym?.declarations ?? []).some((d) => d.getSourceFile().fileName.endsWith(CHECKERS.get(id.text)!));
  }
}

/** Every public options-taking function of the package at `root`, with whether it checks its options. */
export function optionsSites(root: string): OptionsSite[] {
  const program = ts.createProgram(ENTRIES.map((e) => join(root, e)), compilerOptions(root));
  const checker = program.getTypeChecker();
  const scanner = new Scanner(checker, root);
  for (const e of ENTRIES) {
    const sf = program.getSourceFile(join(root, e));
    const sym = sf && checker.getSymbolAtLocation(sf);
    if (!sym) throw new Error(`cannot read the exports of ${e}`);
    scanner.module(sym, '');
  }
  return scanner.sites;
}
