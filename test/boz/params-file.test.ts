import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BozParameters, PARAMETERS_FIELDS, PARAMETERS_VERSION, ToolBoxFileError, parameters } from '../../toolbox/index.js';
import { requirePython, runPython } from '../helpers/python.js';
import { rng } from './params-helpers.js';

/** Parameters with every field away from its default, including infinite thresholds and awkward floats. */
function fullParameters(): parameters {
  const p = new parameters(2937, 615, 614, 3, 2.7, { dropIntraDarks: false });
  const r = rng(7);
  p.setMask([[0, 0], [5, 300], [127, 511]]);
  p.meanTh = [12.5, null];
  p.stdTh = [null, 4.25];
  p.rois = { n: { xl: 10, xh: 60, yl: 20, yh: 90 }, 0: { xl: 100, xh: 150, yl: 20, yh: 90 }, p: { xl: 200, xh: 250, yl: 20, yh: 90 }, sat: { xl: 10, xh: 250, yl: 20, yh: 90 } };
  p.roisTh = 1.5;
  p.satLevel = 500;
  p.setFlatField([0.1 / 3, -1e-7, 1.0000000000000002, -0.999], { prodTh: [4, Infinity], ratioTh: [-Infinity, 1.3] });
  p.flatFieldGuess([1, 2, 3, 4, 5, 6, 7, 8]);
  p.useHex = true;
  p.forceMirror = false;
  p.ffAlpha = 0.1;
  p.ffMaxIter = 200;
  p.ffFit = { x: [1, 2.5e-300, -1.5], fun: 1 / 3, nit: 12, success: true, message: 'Optimization terminated: crit -Infinity, NaN "quoted" \\ Infinity', history: [[1, 2], [3, 4]] };
  p.setFnl(Float64Array.from({ length: 512 }, (_, v) => v + (r() - 0.5) * Math.PI));
  p.nlAlpha = 0.5;
  p.nlMaxIter = 1000;
  p.nlDomain = [40, 25, 300];
  p.nlFit = { success: false, message: 'max iterations', nfev: 1001, res: { crit: [3, 2, 1] } };
  return p;
}

describe('BOZ parameters: save and load', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-boz-params-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is one class under two names', () => {
    assert.equal(BozParameters, parameters);
    assert.ok(new BozParameters(1, 2, 3, 4, 5) instanceof parameters);
  });

  it('round-trips every field exactly, under the Python file name, with nothing else left in the folder', async () => {
    const p = fullParameters();
    const file = await p.save(join(dir, 'rt'));
    assert.equal(file, join(dir, 'rt', 'parameters_p2937_d615_r614.json'));
    assert.deepEqual(readdirSync(join(dir, 'rt')), ['parameters_p2937_d615_r614.json']);
    const q = await parameters.load(file);
    assert.ok(q instanceof parameters);
    for (const field of Object.keys(PARAMETERS_FIELDS) as (keyof typeof PARAMETERS_FIELDS)[]) {
      assert.deepStrictEqual(q[field], p[field], `field ${field}`);
    }
    assert.equal(q.toString(), p.toString());
  });

  it('round-trips the defaults (nulls, empty mask, default thresholds)', async () => {
    const p = new parameters(1, 2, 3, 15, 1);
    const q = await parameters.load(await p.save(join(dir, 'defaults')));
    for (const field of Object.keys(PARAMETERS_FIELDS) as (keyof typeof PARAMETERS_FIELDS)[]) assert.deepStrictEqual(q[field], p[field], `field ${field}`);
    assert.deepEqual(q.ffProdTh, [5, Infinity]);
    assert.deepEqual(q.ffRatioTh, [-Infinity, 1.2]);
  });

  it('writes JSON keys as the Python attribute names, version first', async () => {
    const file = await fullParameters().save(join(dir, 'keys'));
    const text = readFileSync(file, 'utf8');
    const keys = Object.keys(JSON.parse(text.replace(/-?Infinity/g, '0')) as object);
    assert.deepEqual(keys, ['version', ...Object.values(PARAMETERS_FIELDS)]);
    assert.match(text, /"flat_field_prod_th":\[4,Infinity\]/);
    assert.match(text, /"version":"1"/);
  });

  describe('with Python', () => {
    before(async function () { await requirePython(this); });

    it('Python json reads our file (Infinity included) and we read its json.dump', async () => {
      const ours = await fullParameters().save(join(dir, 'py'));
      const pyFile = join(dir, 'py', 'from-python.json');
      const seen = await runPython<{ prod: string; fnl3: number; mask: number[][]; rois: number }>(String.raw`
v = json.load(open(sys.argv[1]))
v['run'] = 700
v['flat_field_ratio_th'] = [-math.inf, 1.25]
json.dump(v, open(sys.argv[2], 'w'))
emit({'prod': repr(v['flat_field_prod_th'][1]), 'fnl3': v['Fnl'][3], 'mask': v['mask'], 'rois': v['rois']['0']['xh']})
`, [ours, pyFile]);
      assert.equal(seen.prod, 'inf');
      assert.equal(seen.fnl3, fullParameters().Fnl![3]);
      assert.deepEqual(seen.mask, [[0, 0], [5, 300], [127, 511]]);
      assert.equal(seen.rois, 150);
      const q = await parameters.load(pyFile);
      assert.equal(q.run, 700);
      assert.deepEqual(q.ffRatioTh, [-Infinity, 1.25]);
      assert.deepStrictEqual(q.Fnl, fullParameters().Fnl);
    });
  });

  describe('bad files', () => {
    const write = (name: string, obj: unknown): string => {
      const f = join(dir, name);
      writeFileSync(f, typeof obj === 'string' ? obj : JSON.stringify(obj));
      return f;
    };
    const good = (): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'rt', 'parameters_p2937_d615_r614.json'), 'utf8').replace(/-Infinity/g, '-1e308').replace(/Infinity/g, '1e308')) as Record<string, unknown>;

    it('another version: a ToolBoxFileError naming the field and both versions', async () => {
      const f = write('v0.json', { ...good(), version: '0.9' });
      await assert.rejects(parameters.load(f), (e: Error) => e instanceof ToolBoxFileError && /version '0\.9'/.test(e.message) && /'version'/.test(e.message) && e.message.includes(`'${PARAMETERS_VERSION}'`) && e.message.includes(f));
    });

    it('no version field', async () => {
      const { version: _v, ...rest } = good();
      void _v;
      await assert.rejects(parameters.load(write('nov.json', rest)), (e: Error) => e instanceof ToolBoxFileError && /field 'version' is missing/.test(e.message));
    });

    for (const key of Object.values(PARAMETERS_FIELDS)) {
      it(`missing field '${key}': a ToolBoxFileError naming it and the version`, async () => {
        const obj = good();
        delete obj[key];
        await assert.rejects(parameters.load(write(`missing-${key}.json`, obj)), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(`field '${key}' is missing`) && e.message.includes(`version ${PARAMETERS_VERSION}`));
      });
    }

    it('mistyped fields name the field', async () => {
      const cases: [string, unknown, RegExp][] = [
        ['proposal', '2937', /field 'proposal' must be a number/],
        ['drop_intra_darks', 1, /field 'drop_intra_darks' must be true or false/],
        ['Fnl', [1, 2, 3], /field 'Fnl' must be a list of 512/],
        ['mask', [[128, 0]], /field 'mask'.*outside the module/],
        ['rois', { n: { xl: 1, xh: 2, yl: 3 } }, /field 'rois' ROI 'n' must have integer/],
        ['rois', { p: { xl: 500, xh: 520, yl: 3, yh: 9 } }, /field 'rois' ROI 'p' x \[500, 520\) y \[3, 9\) is empty or outside the module/],
        ['mean_th', [1], /field 'mean_th' must be a list of 2/],
        ['nl_fit', [1], /field 'nl_fit' must be an object or null/],
      ];
      for (const [key, value, re] of cases) {
        await assert.rejects(parameters.load(write(`bad-${key}.json`, { ...good(), [key]: value })), (e: Error) => e instanceof ToolBoxFileError && re.test(e.message), key);
      }
    });

    it('not JSON, not an object, no file', async () => {
      await assert.rejects(parameters.load(write('text.json', 'not json {')), (e: Error) => e instanceof ToolBoxFileError && /not a JSON file/.test(e.message));
      await assert.rejects(parameters.load(write('list.json', [1, 2])), (e: Error) => e instanceof ToolBoxFileError && /not a BOZ parameters file/.test(e.message));
      await assert.rejects(parameters.load(join(dir, 'nowhere.json')), (e: Error) => e instanceof ToolBoxFileError && /cannot read/.test(e.message));
    });

    it('save into a path that is a file: a ToolBoxFileError, nothing half-written', async () => {
      const f = write('plain-file', 'x');
      await assert.rejects(new parameters(1, 2, 3, 4, 5).save(f), (e: Error) => e instanceof ToolBoxFileError && e.message.includes(f));
      assert.equal(readFileSync(f, 'utf8'), 'x');
      assert.ok(!readdirSync(dir).some((n) => n.endsWith('.tmp')));
    });
  });
});
