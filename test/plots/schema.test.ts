/**
 * Every builder's spec is valid vega-lite: checked against the JSON schema
 * vega-lite ships, with Debian's python3-jsonschema (installed with Jupyter).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { DataArray, type PeakParamsCheck, plot } from '../../toolbox/index.js';
import { SYSTEM_PYTHON } from '../helpers/python.js';

// vega-lite exports its schema file, so it resolves from CommonJS.
const SCHEMA = require.resolve('vega-lite/vega-lite-schema.json');

const VALIDATE = String.raw`
import json, sys
try:
    import jsonschema
except ImportError:
    print(json.dumps('missing')); sys.exit(0)
validator = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
print(json.dumps([[list(map(str, e.absolute_path)) + [e.message[:300]] for e in validator.iter_errors(s)][:3] for s in json.load(sys.stdin)]))
`;

const x = Float64Array.from([1, 2, 3, 4]);
const small = new DataArray(Float64Array.from({ length: 12 }, (_, i) => i + 1), { dims: ['y', 'x'], shape: [3, 4] });
const large = new DataArray(Float64Array.from({ length: 6000 }, (_, i) => i + 1), { dims: ['y', 'x'], shape: [60, 100] });
const view = { pulse: 0, start: 0, segment: x, pulseWindow: [1, 2] as [number, number], baseWindow: [0, 1] as [number, number] };
const check: PeakParamsCheck = { params: { pulseStart: 1, pulseStop: 2, baseStart: 0, baseStop: 1, period: 4, npulses: 1 }, autoFind: true, first: view, last: view, warnings: [] };

describe('vega-lite schema', () => {
  it('accepts the spec of every builder', async function () {
    const plots = [
      plot.line({ a: { y: x, err: x }, b: x }, { title: 'two', yLog: true, points: true }),
      plot.scatter(x, x, { color: x, xLog: true }),
      plot.histogram(x, { bins: 3 }),
      plot.histogram(x, { log: true }),
      plot.image(small, { log: true, scheme: 'magma' }),
      plot.image(large, { percentiles: [1, 99], origin: 'lower' }),
      plot.peakParamsPlot(check),
    ];
    const specs = await Promise.all(plots.map((p) => p.toSpec()));
    if (!existsSync(SYSTEM_PYTHON)) {
      if (process.env.CI) throw new Error(`${SYSTEM_PYTHON} is missing`);
      this.skip();
    }
    const out = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', VALIDATE, SCHEMA], { input: JSON.stringify(specs), encoding: 'utf8' }));
    if (out === 'missing') {
      if (process.env.CI) throw new Error('python3-jsonschema is missing');
      this.skip();
    }
    assert.deepEqual(out, specs.map(() => []));
  });
});
