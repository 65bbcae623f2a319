import assert from 'node:assert/strict';
import { ParameterError } from '../../runner/errors.js';
import { declaredParameters } from '../../runner/parameters/translators.js';
import { formatNotebookHelp } from '../../runner/parameters/help.js';
import { mergeParameters } from '../../runner/parameters/merge.js';
import { typeParameters } from '../../runner/parameters/typed.js';

const TS_CELL = `// detector settings
const run: number = 179; // run number
let label = 'dark'; // what the run is
const bins: number[] = [
  1, 2, 3,
];
const mode: 'fast' | 'slow' = 'fast';
const flag = false;
const dark: number | null = null;
const out = \`r\${run}\`;
const when = new Date();
`;

const PY_CELL = `run = 179  # run number
proposal: int = 2719
label = "dark"  # what the run is
threshold = 0.5
subtract = False
bins = [1, 2,
        3]
module: Optional[int] = None
limits = (0, 1e3)
scale = float('nan')
`;

describe('runner typed parameters: declarations', () => {
  it('reads TypeScript declarations with types, defaults and comments', () => {
    const d = declaredParameters(TS_CELL, 'typescript');
    assert.deepEqual(d.map((p) => [p.name, p.kind, p.typeText, p.defaultText, p.comment ?? null]), [
      ['run', 'number', 'number', '179', 'run number'],
      ['label', 'string', 'string', "'dark'", 'what the run is'],
      ['bins', 'list', 'number[]', '[\n  1, 2, 3,\n]', null],
      ['mode', 'string', "'fast' | 'slow'", "'fast'", null],
      ['flag', 'boolean', 'boolean', 'false', null],
      ['dark', 'number', 'number | null', 'null', null],
      ['out', 'string', 'string', '`r${run}`', null],
      ['when', 'any', 'unknown', 'new Date()', null],
    ]);
    assert.deepEqual(d.find((p) => p.name === 'bins')!.defaultValue, [1, 2, 3]);
    assert.deepEqual(d.find((p) => p.name === 'mode')!.choices, ['fast', 'slow']);
    assert.equal(d.find((p) => p.name === 'dark')!.nullable, true);
    // computed from an earlier parameter
    assert.equal(d.find((p) => p.name === 'out')!.defaultValue, 'r179');
  });

  it('takes the help from the comment on the last line only, as papermill', () => {
    const d = declaredParameters('// the proposal\nconst proposal = 2719;\nconst bins = [\n  1, // first\n  2,\n];\nconst edges = [\n  1, // first\n  2]; // edges', 'typescript');
    assert.deepEqual(d.map((p) => p.comment), [undefined, undefined, 'edges']);
  });

  it('reads Python assignments with annotations, inferring int vs float', () => {
    const d = declaredParameters(PY_CELL, 'python');
    assert.deepEqual(d.map((p) => [p.name, p.kind, p.typeText, p.comment ?? null]), [
      ['run', 'integer', 'int', 'run number'],
      ['proposal', 'integer', 'int', null],
      ['label', 'string', 'str', 'what the run is'],
      ['threshold', 'number', 'float', null],
      ['subtract', 'boolean', 'bool', null],
      ['bins', 'list', 'list', null],
      ['module', 'integer', 'Optional[int]', null],
      ['limits', 'list', 'list', null],
      ['scale', 'number', 'float', null],
    ]);
    assert.deepEqual(d.find((p) => p.name === 'bins')!.defaultValue, [1, 2, 3]);
    assert.deepEqual(d.find((p) => p.name === 'limits')!.defaultValue, [0, 1000]);
    assert.ok(Number.isNaN(d.find((p) => p.name === 'scale')!.defaultValue as number));
    assert.equal(d.find((p) => p.name === 'module')!.nullable, true);
  });
});

describe('runner typed parameters: conversion', () => {
  const ts = declaredParameters(TS_CELL, 'typescript');
  const py = declaredParameters(PY_CELL, 'python');
  const typed = (d: typeof ts, cli: [string, string][], yaml: string[] = [], strict = false, warnings: string[] = []) =>
    typeParameters(mergeParameters({ cli, yaml }), d, { strictParameters: strict, warn: (m) => warnings.push(m) });

  it('converts -p text by the declared type', () => {
    assert.deepEqual(typed(ts, [['run', '0179'], ['label', '0179'], ['flag', 'true'], ['bins', '[4, 5.5]'], ['mode', 'slow']]), {
      run: 179, label: '0179', flag: true, bins: [4, 5.5], mode: 'slow',
    });
    assert.deepEqual(typed(py, [['run', '0179'], ['label', 'True'], ['subtract', 'True'], ['threshold', '2'], ['module', 'None']]), {
      run: 179, label: 'True', subtract: true, threshold: 2, module: null,
    });
  });

  it('rejects a string where a number is declared, naming the parameter', () => {
    assert.throws(() => typed(ts, [['run', 'abc']]), (e: Error) => e instanceof ParameterError && (e as ParameterError).parameter === 'run'
      && e.message === 'parameter \'run\' expects a number (declared `const run: number = 179`), got string "abc" (-p)');
    assert.throws(() => typed(py, [['run', '1.5']]), /parameter 'run' expects an integer \(declared `run = 179`\), got number "1.5" \(-p\)/);
    assert.throws(() => typed(py, [], ['run: "179"']), /parameter 'run' expects an integer .* got string "179" \(-y\)/);
    assert.throws(() => typed(ts, [['mode', 'medium']]), /parameter 'mode' expects a string .* allowed: "fast", "slow"/);
    assert.throws(() => typed(ts, [['bins', '{a: 1}']]), /parameter 'bins' expects a list/);
    assert.throws(() => typed(ts, [['flag', 'yes']]), /parameter 'flag' expects a boolean/);
  });

  it('warns about unknown names, or fails under strictParameters', () => {
    const warnings: string[] = [];
    assert.deepEqual(typed(ts, [['runn', '5']], [], false, warnings), { runn: 5 });
    assert.match(warnings[0], /parameter 'runn' is not declared in the parameters cell \(declared: run, label, bins, mode, flag, dark, out, when\)/);
    assert.throws(() => typed(ts, [['runn', '5']], [], true), /--strict-parameters forbids unknown parameters/);
  });

  it('passes values through when the notebook has no parameters cell', () => {
    const warnings: string[] = [];
    assert.deepEqual(typeParameters(mergeParameters({ cli: [['x', '1']] }), undefined, { warn: (m) => warnings.push(m) }), { x: 1 });
    assert.deepEqual(warnings, []);
  });
});

describe('runner --help-notebook text', () => {
  it("lists name, type, default and comment in papermill's layout", () => {
    const text = formatNotebookHelp('t.ipynb', declaredParameters('const run: number = 179; // run number\nlet label = "dark";\nconst when = new Date();', 'typescript'));
    assert.equal(text, [
      'Usage: scs run [OPTIONS] INPUT [OUTPUT]', '', "Parameters inferred for notebook 't.ipynb':",
      // help in the column at 34; a definition longer than 30 keeps it on the next line
      '  run: number (default 179)       run number',
      '  label: string (default "dark")',
      '  when: Unknown type (default new Date())',
    ].join('\n'));
  });
});

describe('runner --help-notebook: what papermill reads of a Python parameters cell', () => {
  const cell = [
    'flag = gain == 2', 'opts = dict(a=1)', 's = "a=b#c"  # text', 'x: int | None = None',
    "# above: not the help\nlabels = [\n  'a',  # inner\n  'b',\n]", 'n = 3  # type: int how many', '= 5',
  ].join('\n');
  it('keeps definitions papermill cannot inspect declared, but leaves them out of the help', () => {
    const d = declaredParameters(cell, 'python');
    assert.deepEqual(d.map((p) => [p.name, p.kind, p.inferredTypeName, p.comment ?? null, p.notInspected ?? false]), [
      ['flag', 'any', 'None', null, true],
      ['opts', 'any', 'None', null, true],
      ['s', 'string', 'None', 'text', false],
      ['x', 'integer', 'int | None', null, false],
      ['labels', 'list', 'None', null, false],
      ['n', 'integer', 'int', 'how many', false],
    ]);
    assert.equal(formatNotebookHelp('p.ipynb', d).split('\n').slice(3).join('\n'), [
      '  s: Unknown type (default "a=b#c")', '                                  text',
      '  x: int | None (default None)    ',
      "  labels: Unknown type (default ['a','b',])",
      '  n: int (default 3)              how many',
    ].join('\n'));
    assert.match(formatNotebookHelp('p.ipynb', declaredParameters('flag = a == 1', 'python')), /Can't infer anything/);
  });
});

describe('runner typed parameters: evaluating defaults safely', () => {
  it('cannot reach this process from a default, and gives up on endless code', () => {
    const d = declaredParameters([
      "const escape = this.constructor.constructor('return typeof process')();",
      'const spin = (() => { while (true) {} })();',
      'const getter = { get a() { while (true) {} return 1; } };',
      'const ok = [1, NaN, -Infinity];',
    ].join('\n'), 'typescript');
    // the classic vm escape: no host object to climb, and no code generation from strings
    assert.equal('defaultValue' in d[0], false);
    assert.equal('defaultValue' in d[1], false);
    assert.equal('defaultValue' in d[2], false);
    assert.deepEqual(d[3].defaultValue, [1, NaN, -Infinity]);
  });
});
