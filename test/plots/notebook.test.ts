/**
 * Output notebooks show the plots without vega: a notebook holding the
 * bundles as display_data outputs is valid nbformat, and Debian's nbconvert
 * HTML export contains the static fallbacks (the SVG, the PNG).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataArray, mimeBundleOf, plot } from '../../toolbox/index.js';
import { SYSTEM_PYTHON } from '../helpers/python.js';

const CONVERT = String.raw`
import sys
try:
    import nbformat, nbconvert
except ImportError:
    print('missing'); sys.exit(0)
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
open(sys.argv[2], 'w').write(body)
print('ok')
`;

describe('plots in an output notebook', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-plot-nb-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validates as nbformat 4 and nbconvert HTML shows the PNG fallbacks', async function () {
    const big = new DataArray(Float64Array.from({ length: 6000 }, (_, i) => i % 100), { dims: ['y', 'x'], shape: [60, 100], name: 'frame' });
    const outputs = [];
    for (const p of [plot.line([1, 3, 2], { title: 'a line' }), plot.image(big)]) {
      const { data, metadata } = await mimeBundleOf(p);
      outputs.push({ output_type: 'display_data', data, metadata: metadata ?? {} });
    }
    const nb = {
      nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'toolbox', display_name: 'SCS ToolBox (TypeScript)', language: 'typescript' } },
      cells: [{ cell_type: 'code', id: 'plots', execution_count: 1, metadata: {}, source: 'tb.plot.line([1, 3, 2])', outputs }],
    };
    const file = join(dir, 'plots.ipynb');
    writeFileSync(file, JSON.stringify(nb));
    if (!existsSync(SYSTEM_PYTHON)) {
      if (process.env.CI) throw new Error(`${SYSTEM_PYTHON} is missing`);
      this.skip();
    }
    const html = join(dir, 'plots.html');
    const status = execFileSync(SYSTEM_PYTHON, ['-c', CONVERT, file, html], { encoding: 'utf8' }).trim();
    if (status === 'missing') {
      if (process.env.CI) throw new Error('nbformat/nbconvert are missing for /usr/bin/python3');
      this.skip();
    }
    assert.equal(status, 'ok');
    const body = readFileSync(html, 'utf8');
    // The static PNGs were chosen (nbconvert has no vega): both plots as <img>, the line plot at its display size.
    for (const [i, o] of outputs.entries()) {
      const png = (o.data['image/png'] as string).slice(0, 200);
      assert.ok(body.includes(`src="data:image/png;base64,${png}`), `the PNG of plot ${i} is in the HTML`);
    }
    assert.doesNotMatch(body, /data-mime-type="image\/svg\+xml"/);
  });
});
