import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type * as TS from '@tslab/typescript-for-tslab';
import { esModuleToCommonJs, plainCellToCommonJs, takePositionMap } from '../../../kernel/session/commonjs.js';

// tslab's TypeScript fork and the options its ES module → CommonJS step passes (tslab 1.0.22, Node ≥ 18)
const ts = createRequire(require.resolve('tslab/dist/executor.js'))('@tslab/typescript-for-tslab') as typeof TS;
const options = (target = ts.ScriptTarget.ES2022): TS.TranspileOptions => ({
  fileName: 'custom.js',
  compilerOptions: { module: ts.ModuleKind.CommonJS, esModuleInterop: true, target, newLine: ts.NewLineKind.LineFeed, noImplicitUseStrict: true },
});
const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: true });
const printed = (js: string) => printer.printFile(ts.createSourceFile('x.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));

// ES modules as tslab's watch program emits them for cells
const PLAIN = [
  'export const tsLastExpr = 1 + 1;\nexport {};\n',
  'const a = 1;\nexport const tsLastExpr = a * 2;\nexport { a };\n',
  'export const tsLastExpr = exports.f(3);\nexport {};\n',
  'const { x, y } = { x: 1, y: 2 };\nexport const tsLastExpr = x + y;\nexport { x, y };\n',
  'const [p, , q = 3, ...rest] = [1, 2];\nconst { r: { s }, ...t } = {};\nexport { p, q, rest, s, t };\n',
  'const a = 1, b = 2;\nexport { b, a };\n',
  'class K {\n    v = 1;\n    m() { return this.v; }\n    static #n = 2;\n}\nexport { K };\n',
  'const z = await Promise.resolve(6);\nexport { z };\n',
  'export const tsLastExpr = exports.b = 10;\nexport {};\n',
  'for (let i = 0; i < 2; i++) { }\nconsole.log(function () { return this; });\nexport {};\n',
  'const a = 1; // note\nexport const tsLastExpr = /* c */ a;\nexport { a };\n',
  `${Array.from({ length: 60 }, (_, i) => `const v${i} = ${i};`).join('\n')}\nexport { ${Array.from({ length: 60 }, (_, i) => `v${i}`).join(', ')} };\n`,
];
// shapes whose CommonJS needs TypeScript's transform (assignments to exports rewritten, helpers, renames)
const NOT_PLAIN = [
  'let b = 2;\nexport const tsLastExpr = b++;\nexport { b };\n',
  'var w = 3;\nexport { w };\n',
  'function f(x) { return x + exports.a; }\nexport { f };\n',
  'import * as path from "node:path";\nexport { path };\n',
  'var E;\n(function (E) {\n    E[E["A"] = 0] = "A";\n})(E || (E = {}));\nexport { E };\n',
  'const k = () => this;\nexport { k };\n',
  'const u = import.meta.url;\nexport { u };\n',
  'const v = import("node:path");\nexport { v };\n',
  'export const tsLastExpr = tsLastExpr + 1;\nexport {};\n',
  'const a = 1;\nexport { a as b };\n',
  'export default 1;\n',
  'export * from "node:path";\n',
  '1 + 1;\n',
  'const exports = {};\nexport { exports };\n',
];

describe('kernel session: the CommonJS step of a cell (commonjs.ts)', () => {
  it('rewrites plain cells to exactly what TypeScript emits', () => {
    for (const esm of PLAIN) {
      const plain = plainCellToCommonJs(ts, esm);
      assert.ok(plain !== undefined, `not taken as plain:\n${esm}`);
      assert.equal(printed(plain), printed(ts.transpileModule(esm, options()).outputText), esm);
    }
  });

  it('leaves every other shape to TypeScript', () => {
    for (const esm of NOT_PLAIN) assert.equal(plainCellToCommonJs(ts, esm), undefined, esm);
  });

  it('keeps every line and column of a plain cell, one line down', () => {
    const esm = 'const a = 1; // note\nexport const tsLastExpr = a * missing;\nexport { a };\n';
    const out = esModuleToCommonJs(ts, esm, options());
    const map = takePositionMap(out.outputText)!;
    const lines = out.outputText.split('\n');
    const col = esm.split('\n')[1]!.indexOf('missing');
    assert.equal(lines[2]!.indexOf('missing'), col);
    assert.deepEqual(map(2, col), { line: 1, column: col });
    assert.equal(map(0, 5), undefined);
    assert.equal(takePositionMap(out.outputText), undefined, 'taken once');
  });

  it('maps TypeScript\'s output back through a source map made on first use', () => {
    const esm = 'let b = 2;\nexport const tsLastExpr = b + missing;\nexport { b };\n';
    const out = esModuleToCommonJs(ts, esm, options());
    assert.equal(out.outputText, ts.transpileModule(esm, options()).outputText);
    const map = takePositionMap(out.outputText)!;
    const lines = out.outputText.split('\n');
    const line = lines.findIndex((l) => l.includes('missing'));
    assert.deepEqual(map(line, lines[line]!.indexOf('missing')), { line: 1, column: esm.split('\n')[1]!.indexOf('missing') });
  });

  it('uses TypeScript below ES2022, where it also lowers syntax', () => {
    const esm = 'class K {\n    v = 1;\n}\nexport { K };\n';
    const out = esModuleToCommonJs(ts, esm, options(ts.ScriptTarget.ES2020));
    assert.match(out.outputText, /this\.v = 1/);
  });
});
