/**
 * papermill's own test cases held through `scs run`: test_cli's
 * test_parameters_yaml_override and test_parameters_base64 (the same
 * parameter sources and the same resulting parameters, here executed for real
 * on Debian's ipykernel, which prints them back), and test_inspect's
 * display_notebook_help expectations, byte for byte, on notebooks of our own
 * built like papermill's (untyped, annotated, `# type:` comment over a
 * multi-line value, a comment above, a comparison, a line with no name, no
 * parameters cell, a language without a translator). Also papermill's
 * timestamps (judged by Debian's Python datetime), its --log-output markers,
 * and the "output notebook" note only when one was written.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SYSTEM_PYTHON } from '../helpers/jupyter.js';
import { fixture, readOut, runSuite, scs } from './helpers.js';

const b64 = (yaml: string) => Buffer.from(yaml).toString('base64');
const usage = 'Usage: scs run [OPTIONS] INPUT [OUTPUT]';
const header = (path: string) => `\nParameters inferred for notebook '${path}':`;
/** the stdout of papermill's echo calls: each line followed by a newline */
const echoed = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('papermill test_cli parameter cases through scs run (ipykernel)', function () {
  const suite = runSuite();
  const { out, run } = suite;

  it('test_parameters_yaml_override: a later -y replaces an earlier one, also with another type', async () => {
    const r = await run([fixture('python-untyped.ipynb'), out('yaml-override.ipynb'), '--parameters_yaml', '{"foo": "bar"}', '-y', '{"foo": ["baz"]}',
      '-k', 'python3', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('yaml-override.ipynb'));
    assert.deepEqual(nb.metadata.papermill.parameters, { foo: ['baz'] });
    assert.equal(nb.cells[1].source, '# Parameters\nfoo = ["baz"]\n');
    assert.deepEqual(nb.cells[2].outputs, [{ output_type: 'stream', name: 'stdout', text: "['baz'] list None NoneType\n" }]);
  });

  it('test_parameters_base64: the second -b wins for foo, bar stays from the first', async () => {
    const r = await run([fixture('python-untyped.ipynb'), out('base64.ipynb'), '--parameters_base64', b64('{"foo": "replaced", "bar": 2}'),
      '-b', b64("{'foo': 1}"), '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    const nb = readOut(out('base64.ipynb'));
    // dict.update order: foo keeps its first place
    assert.deepEqual(Object.entries(nb.metadata.papermill.parameters), [['foo', 1], ['bar', 2]]);
    assert.equal(nb.cells[1].source, '# Parameters\nfoo = 1\nbar = 2\n');
    assert.deepEqual(nb.cells[2].outputs, [{ output_type: 'stream', name: 'stdout', text: '1 int 2 int\n' }]);
  });

  it('types only the final value: -p after -y, -r after -p, whatever the command-line order', async () => {
    const ok = await run([fixture('python-params.ipynb'), out('final.ipynb'), '-p', 'run', '5', '-y', 'run: r1', '--prepare-only']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(readOut(out('final.ipynb')).metadata.papermill.parameters.run, 5);
    const bad = await run([fixture('python-params.ipynb'), out('final-bad.ipynb'), '-p', 'run', 'abc', '-y', 'run: 5']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'scs run: ParameterError: parameter \'run\' expects an integer (declared `run = 179`), got string "abc" (-p)\n');
    assert.equal(existsSync(out('final-bad.ipynb')), false);
    // -r is papermill's raw text: a string whatever the declaration, with a warning
    const raw = await run([fixture('python-params.ipynb'), out('final-raw.ipynb'), '-r', 'run', 'abc', '-p', 'run', '5', '--prepare-only']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(raw.stderr, 'scs run: warning: parameter \'run\' is declared `run = 179`; -r injects the string "abc" as given (use -p for a typed value)\n');
    assert.equal(readOut(out('final-raw.ipynb')).metadata.papermill.parameters.run, 'abc');
  });

  it('says where the output notebook is only when the run wrote one (path template filled)', async () => {
    const r = await run([fixture('python-untyped.ipynb'), out('nokernel-{bar}.ipynb'), '-p', 'bar', '3', '-k', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /NoSuchKernelError: no such kernel 'nope'/);
    assert.ok(r.stderr.endsWith(`scs run: output notebook: ${out('nokernel-3.ipynb')}\n`), r.stderr);
    assert.equal(readOut(out('nokernel-3.ipynb')).metadata.papermill.exception, true);
    const unreadable = await run([out('missing.ipynb'), out('never.ipynb')]);
    assert.equal(unreadable.code, 1);
    assert.doesNotMatch(unreadable.stderr, /output notebook/);
  });

  it("writes papermill's timestamps: Python isoformat in UTC, durations as total_seconds()", async () => {
    const r = await run([fixture('python-untyped.ipynb'), out('times.ipynb'), '-p', 'foo', '1', '--log-output', '--no-progress-bar']);
    assert.equal(r.code, 0, r.stderr);
    // f'{n:-<40}' / f'{n:-<43}': the cell number left in a field of dashes
    assert.ok(r.stderr.includes(`Executing Cell 3${'-'.repeat(39)}\n1 int None NoneType\nEnding Cell 3${'-'.repeat(42)}\n`), r.stderr);
    const judge = String.raw`
import json, sys
from datetime import datetime, timezone
nb = json.load(open(sys.argv[1]))
records = [nb['metadata']['papermill']] + [c['metadata']['papermill'] for c in nb['cells']]
for pm in records:
    start, end = (datetime.fromisoformat(pm[k]) for k in ('start_time', 'end_time'))
    assert start.tzinfo == timezone.utc and end.tzinfo == timezone.utc, pm
    # exactly what isoformat() gives back (+00:00, 6 digits or none)
    assert start.isoformat() == pm['start_time'] and end.isoformat() == pm['end_time'], pm
    assert (end - start).total_seconds() == pm['duration'], pm
# nbclient's protocol times: always six digits and a Z
times = [v for c in nb['cells'] for v in c['metadata'].get('execution', {}).values()]
for v in times:
    assert datetime.strptime(v, '%Y-%m-%dT%H:%M:%S.%fZ').strftime('%Y-%m-%dT%H:%M:%S.%fZ') == v, v
print(len(records), len(times))`;
    assert.equal(execFileSync(SYSTEM_PYTHON, ['-c', judge, out('times.ipynb')], { encoding: 'utf8' }), '4 12\n');
  });
});

describe('papermill test_inspect cases through scs run --help-notebook', () => {
  it('lays out untyped, annotated, type-commented and multi-line parameters, skipping non-assignments', async () => {
    const path = fixture('inspect-complex.ipynb');
    const r = await scs(['run', path, '--help-notebook']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, echoed(
      usage, header(path),
      '  note: Unknown type (default None)',
      '  gain: float (default 1.75)      detector gain',
      "  labels: List[str] (default ['dark','signal'])\n                                  Run labels",
      '  bg: NoneType (default None)     ',
    ));
    assert.equal(r.stderr, '');
  });

  it('shows a single untyped parameter as Unknown type', async () => {
    const path = fixture('inspect-simple.ipynb');
    const r = await scs(['run', path, '--help-notebook']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, echoed(usage, header(path), '  note: Unknown type (default None)'));
    // the path is filled from the parameters to read the notebook, and named as given
    const template = path.replace('simple', '{kind}');
    const filled = await scs(['run', template, '--help-notebook', '-p', 'kind', 'simple']);
    assert.equal(filled.stdout, echoed(usage, header(template), '  note: Unknown type (default None)'));
  });

  it("says there is no cell tagged 'parameters' and exits 1", async () => {
    const path = fixture('inspect-untagged.ipynb');
    const r = await scs(['run', path, '--help-notebook']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, echoed(usage, header(path), "\n  No cell tagged 'parameters'"));
  });

  it('infers nothing for a language without a translator, warning only when asked for warnings', async () => {
    const path = fixture('inspect-r.ipynb');
    const r = await scs(['run', path, '--help-notebook']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, echoed(usage, header(path),
      "\n  Can't infer anything about this notebook's parameters. It may not have any parameter defined."));
    assert.equal(r.stderr, '');
    const loud = await scs(['run', path, '--help-notebook', '--log-level', 'WARNING']);
    assert.equal(loud.stdout, r.stdout);
    assert.match(loud.stderr, /^scs run: warning: no parameter translator for kernel 'ir' with language 'R'/);
  });
});
