import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParameterError } from '../../runner/errors.js';
import { mergeParameters } from '../../runner/parameters/merge.js';
import { parsePythonFloat, resolvePapermillValue } from '../../runner/parameters/resolve.js';
import { parseYamlParameters } from '../../runner/parameters/yaml.js';
import { builtinPathValues, formatPath } from '../../runner/paths.js';

describe('runner parameters: papermill -p resolver', () => {
  it('resolves True/False/None, then int, then float, else keeps the text', () => {
    assert.equal(resolvePapermillValue('True'), true);
    assert.equal(resolvePapermillValue('False'), false);
    assert.equal(resolvePapermillValue('None'), null);
    assert.equal(resolvePapermillValue('true'), 'true'); // only the exact Python words
    assert.equal(resolvePapermillValue('179'), 179);
    assert.equal(resolvePapermillValue('0179'), 179);
    assert.equal(resolvePapermillValue('-12'), -12);
    assert.equal(resolvePapermillValue('1_000'), 1000);
    assert.equal(resolvePapermillValue('2.5'), 2.5);
    assert.equal(resolvePapermillValue('1e-3'), 0.001);
    assert.equal(resolvePapermillValue('.5'), 0.5);
    assert.equal(resolvePapermillValue('-inf'), -Infinity);
    assert.ok(Number.isNaN(resolvePapermillValue('nan') as number));
    assert.equal(resolvePapermillValue('[1, 2]'), '[1, 2]'); // papermill does not parse lists (#396)
    assert.equal(resolvePapermillValue('r0179'), 'r0179');
    assert.equal(resolvePapermillValue('1__0'), '1__0');
    assert.equal(parsePythonFloat('Infinity'), Infinity);
  });
});

describe('runner parameters: YAML sources', () => {
  it('keeps dates as strings and parses JSON-compatible values', () => {
    assert.deepEqual(parseYamlParameters('day: 2026-11-21\nrun: 179\nname: dark\nbins: [1, 2.5]\nopt: null\nok: true', 'test'), {
      day: '2026-11-21', run: 179, name: 'dark', bins: [1, 2.5], opt: null, ok: true,
    });
  });
  it('reads an empty document as no parameters', () => {
    assert.deepEqual(parseYamlParameters('', 'test'), {});
  });
  it('rejects YAML that does not parse, naming the source', () => {
    assert.throws(() => parseYamlParameters('a: [1, 2', '--parameters_yaml value'), (e: Error) =>
      e instanceof ParameterError && /--parameters_yaml value is not valid YAML/.test(e.message));
  });
  it('rejects a YAML list where a mapping is needed', () => {
    assert.throws(() => parseYamlParameters('- 1\n- 2', 'parameters file x.yaml'), /must be a YAML mapping.*got a list/);
  });
});

describe('runner parameters: merge order', () => {
  it('applies paths, -b, -f, -y, -p, -r in that order, later winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-params-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'a: file\nb: file\nc: file\nd: file\n');
    let merged: ReturnType<typeof mergeParameters>;
    try {
      merged = mergeParameters({
        injectInputPath: 'in.ipynb',
        base64: [Buffer.from('a: b64\nz: b64').toString('base64')],
        files: [file],
        yaml: ['b: yaml\nc: yaml'],
        cli: [['c', 'cli'], ['d', '7']],
        raw: [['d', '8']],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(Object.fromEntries([...merged].map(([k, v]) => [k, v.value])), {
      PAPERMILL_INPUT_PATH: 'in.ipynb', a: 'file', z: 'b64', b: 'yaml', c: 'cli', d: '8',
    });
    assert.equal(merged.get('d')!.source, 'raw');
    assert.equal(merged.get('d')!.text, '8');
    // Python dict order: a replaced key keeps its first position
    assert.deepEqual([...merged.keys()], ['PAPERMILL_INPUT_PATH', 'a', 'z', 'b', 'c', 'd']);
  });
  it('lets the last value win, whatever its type (papermill: dict.update)', () => {
    const b64 = Buffer.from('run: r179').toString('base64');
    const value = (inputs: Parameters<typeof mergeParameters>[0], name: string) => mergeParameters(inputs).get(name)!.value;
    // -y comes after -b in the merge order, whatever the order on the command line
    assert.equal(value({ yaml: ['run: 179'], base64: [b64] }, 'run'), 179);
    assert.equal(value({ cli: [['run', '179'], ['run', 'abc']] }, 'run'), 'abc');
    assert.deepEqual(value({ yaml: ['{"foo": "bar"}', '{"foo": ["baz"]}'] }, 'foo'), ['baz']);
    // a key repeated inside one YAML document: PyYAML keeps the last one too
    assert.equal(value({ yaml: ['{foo: 1, foo: two}'] }, 'foo'), 'two');
    // -r after -p, so a raw text replaces a resolved number
    assert.deepEqual(mergeParameters({ cli: [['run', '5']], raw: [['run', 'x']] }).get('run'), { value: 'x', source: 'raw', text: 'x' });
    // a command-line text over a YAML value is typed later, against the parameters cell
    assert.equal(mergeParameters({ yaml: ['tag: abc'], cli: [['tag', '0179']] }).get('tag')!.text, '0179');
  });
  it('names a missing parameters file', () => {
    assert.throws(() => mergeParameters({ files: ['/nonexistent/p.yaml'] }), /cannot read parameters file \/nonexistent\/p\.yaml: it does not exist/);
  });
});

describe('runner path templates (papermill parameterize_path)', () => {
  it('fills {name} and {pm[...]} and keeps doubled braces', () => {
    const values = { run: 179, label: 'dark', ...builtinPathValues(Date.parse('2026-01-02T03:04:05Z') * 1000) };
    assert.equal(formatPath('out/r{run}_{label}.ipynb', values), 'out/r179_dark.ipynb');
    // str() of Python's datetime: a space, an offset, no fraction for 0 microseconds
    assert.equal(formatPath('{{x}}-{pm[current_datetime_utc]}.ipynb', values), '{x}-2026-01-02 03:04:05+00:00.ipynb');
    assert.match(formatPath('{pm[run_uuid]}', values), /^[0-9a-f-]{36}$/);
    assert.equal(formatPath('plain.ipynb', {}), 'plain.ipynb');
    assert.throws(() => formatPath('r{runn}.ipynb', values), /path r\{runn\}\.ipynb uses '\{runn\}' but no parameter 'runn' is given/);
  });
});
