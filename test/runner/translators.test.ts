import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { jsLiteral } from '../../runner/parameters/js-literal.js';
import { pythonLiteral } from '../../runner/parameters/languages/python.js';
import type { Notebook } from '../../runner/notebook/types.js';
import { prepareNotebook } from '../../runner/prepare.js';
import {
  JAVASCRIPT, PYTHON, TYPESCRIPT, type Translator, declaredParameters, findTranslator, registerTranslator, renderParameters,
} from '../../runner/parameters/translators.js';

describe('runner translators: TypeScript/JavaScript', () => {
  it('writes const declarations with exact literals', () => {
    const params = {
      run: 179, label: 'dark "x"\n\\', nan: NaN, inf: Infinity, ninf: -Infinity, nothing: null, flag: true,
      nested: { a: [1, 'b', null, { c: -0.5 }], 'odd key': 2 },
    };
    const code = renderParameters(TYPESCRIPT, params);
    assert.equal(code.split('\n')[0], '// Parameters');
    assert.match(code, /^const run: number = 179;$/m);
    assert.match(code, /^const label: string = "dark \\"x\\"\\n\\\\";$/m);
    assert.match(code, /^const nan: number = NaN;$/m);
    assert.match(code, /^const nothing = null;$/m);
    assert.match(code, /^const nested = \{"a": \[1, "b", null, \{"c": -0.5\}\], "odd key": 2\};$/m);
    // it evaluates back to the same values
    const js = renderParameters(JAVASCRIPT, params);
    assert.match(js, /^const run = 179;$/m);
    const back = runInNewContext(`${js.replace(/^const /gm, 'var ')}; ({ run, label, nan, inf, ninf, nothing, flag, nested })`);
    assert.equal(back.label, params.label);
    assert.ok(Number.isNaN(back.nan));
    assert.equal(back.inf, Infinity);
    assert.equal(back.ninf, -Infinity);
    assert.equal(back.nothing, null);
    assert.deepEqual(JSON.parse(JSON.stringify(back.nested)), params.nested);
  });
  it('keeps the declared annotation so later comparisons still compile', () => {
    assert.equal(renderParameters(TYPESCRIPT, { mode: 'slow', bins: [1], label: 'x' }, {
      mode: { annotation: "'fast' | 'slow'", binding: 'const', kind: 'string' }, label: { binding: 'let', kind: 'string' },
    }), `// Parameters\nconst mode: 'fast' | 'slow' = "slow";\nconst bins = [1];\nlet label: string = "x";\n`);
  });

  it('keeps -0 and rejects names that are not identifiers', () => {
    assert.equal(jsLiteral(-0), '-0');
    assert.throws(() => TYPESCRIPT.assign('my-run', 1), /'my-run' is not a valid TypeScript identifier/);
  });
});

describe('runner translators: Python (papermill rules)', () => {
  it('renders None/bools/numbers/strings/lists/dicts as papermill does', () => {
    assert.equal(pythonLiteral(null), 'None');
    assert.equal(pythonLiteral(true), 'True');
    assert.equal(pythonLiteral(179), '179');
    assert.equal(pythonLiteral(0.001), '0.001');
    assert.equal(pythonLiteral(NaN), "float('nan')");
    assert.equal(pythonLiteral(-Infinity), "float('-inf')");
    assert.equal(pythonLiteral('say "hi"\n'), String.raw`"say \"hi\"\n"`);
    assert.equal(pythonLiteral('é€😀\t'), String.raw`"\xe9\u20ac\U0001f600\t"`);
    assert.equal(pythonLiteral("it's \\"), String.raw`"it's \\"`);
    assert.equal(pythonLiteral([1, 'a', [true, null]]), '[1, "a", [True, None]]');
    assert.equal(pythonLiteral({ k: 1, 'j"': { x: [] } }), '{"k": 1, "j\\"": {"x": []}}');
    assert.equal(renderParameters(PYTHON, { run: 179, name: 'dark' }), '# Parameters\nrun = 179\nname = "dark"\n');
    // a parameter declared a float stays a float
    assert.equal(PYTHON.assign('threshold', 2, { kind: 'number' }), 'threshold = 2.0');
    assert.equal(PYTHON.assign('threshold', 1e21, { kind: 'number' }), 'threshold = 1e+21');
  });
});

describe('runner translators: lookup', () => {
  it('tries the kernel name, then the language', () => {
    assert.equal(findTranslator('python3', undefined), PYTHON);
    assert.equal(findTranslator('toolbox_2719', 'typescript'), TYPESCRIPT);
    assert.equal(findTranslator('tslab', 'whatever'), TYPESCRIPT);
    assert.equal(findTranslator('jslab', undefined), JAVASCRIPT);
    assert.throws(() => findTranslator('ir', 'R'), /no parameter translator for kernel 'ir' with language 'R'/);
  });
});

describe('runner translators: one object per language, in a registry', () => {
  it('reads declarations with the same object that writes assignments', () => {
    const py = findTranslator('python3', undefined).declarations('run = 179  # the run\nlabel: str = "dark"');
    assert.deepEqual(py.map((d) => [d.name, d.kind, d.defaultValue, d.comment]), [['run', 'integer', 179, 'the run'], ['label', 'string', 'dark', undefined]]);
    const ts = findTranslator('tslab', undefined).declarations('let bins = [1, 2]; // edges');
    assert.deepEqual(ts.map((d) => [d.name, d.kind, d.binding, d.defaultValue, d.comment]), [['bins', 'list', 'let', [1, 2], 'edges']]);
    assert.deepEqual(declaredParameters('run = 3', 'python').map((d) => d.typeText), ['int']);
    assert.deepEqual(declaredParameters('const run = 3;', 'javascript').map((d) => d.typeText), ['number']);
  });

  it('finds a registered language by kernel name and language, for prepareNotebook and the declarations', () => {
    // a toy language: `name <- value` lines, as R writes them
    const toy: Translator = {
      language: 'toylang',
      names: ['toy-kernel'],
      comment: (t) => `## ${t}`,
      assign: (name, value) => `${name} <- ${JSON.stringify(value)}`,
      declarations: (source) => source.split('\n').filter((l) => l.includes('<-')).map((l) => {
        const [name, init] = l.split('<-').map((p) => p.trim());
        return { name, kind: 'any', nullable: true, typeText: 'any', defaultText: init, defaultValue: JSON.parse(init), declaration: l };
      }),
    };
    registerTranslator(toy);
    assert.equal(findTranslator('toy-kernel', undefined), toy);
    assert.equal(findTranslator('unknown-kernel', 'TOYLANG'), toy);
    assert.match(String((() => { try { findTranslator('ir', 'R'); } catch (e) { return e; } })()), /supported languages: python, typescript, javascript, toylang/);
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'toy-kernel', display_name: 'Toy' } },
      cells: [{ id: 'p', cell_type: 'code', source: 'run <- 1\nlabel <- "x"', metadata: { tags: ['parameters'] }, outputs: [], execution_count: null }],
    };
    const prepared = prepareNotebook(nb, { parameters: { cli: [['run', '179']] }, inputPath: 'in', outputPath: 'out', warn: () => undefined });
    assert.equal(prepared.translator, toy);
    assert.deepEqual(nb.metadata.papermill?.default_parameters, { run: 1, label: 'x' });
    assert.equal(nb.cells[1].source, '## Parameters\nrun <- 179\n');
  });
});
