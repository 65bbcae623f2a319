import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('package contract', () => {
  it('is importable by name from plain Node ESM with the public names', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
      import { loadXarray, saveXarray, DataArray, Dataset, ToolBoxError, ToolBoxValueError, ToolBoxTypeError,
               ToolBoxFileError, ToolBoxPathError, saveAttributesH5, concat, merge, align, slice } from 'scs-toolbox';
      const da = new DataArray(new Float32Array([1, 2, 3]), { dims: ['trainId'] });
      const ds = new Dataset({ da });
      console.log(JSON.stringify({
        fns: [loadXarray, saveXarray, saveAttributesH5, concat, merge, align, slice].map((f) => typeof f),
        errs: [ToolBoxValueError, ToolBoxTypeError, ToolBoxFileError, ToolBoxPathError].map((E) => new E('x') instanceof ToolBoxError),
        dims: da.dims, shape: da.shape, dtype: da.dtype, vars: ds.dataVars,
      }));
    `], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out);
    assert.deepEqual(r.fns, Array(7).fill('function'));
    assert.deepEqual(r.errs, [true, true, true, true]);
    assert.deepEqual(r.dims, ['trainId']);
    assert.deepEqual(r.shape, [3]);
    assert.equal(r.dtype, 'float32');
    assert.deepEqual(r.vars, ['da']);
  });

  it('is requirable from CommonJS (the kernel compiles cells to CommonJS)', () => {
    const out = execFileSync(process.execPath, ['-e', `
      const tb = require('scs-toolbox');
      console.log(typeof tb.DataArray, typeof tb.loadXarray);
    `], { cwd: root, encoding: 'utf8' });
    assert.equal(out.trim(), 'function function');
  });

  it('exports the synthetic-data generator as the subpath scs-toolbox/synthetic, and keeps internals out of the main entry', () => {
    const out = execFileSync(process.execPath, ['-e', `
      const synthetic = require('scs-toolbox/synthetic');
      const tb = require('scs-toolbox');
      const internal = ['castData', 'promoteTypes', 'displaySink', 'progressSink', 'TextProgressSink', 'normalizeFields', 'closeMatches', 'runTuning', 'moduleFileName', 'writeMockRun'];
      console.log(JSON.stringify({
        synthetic: Object.keys(synthetic).sort(),
        leaked: internal.filter((name) => name in tb),
        plot: Object.keys(tb.plot).sort(),
        quickmask: [typeof tb.quickmaskDsscAsic, 'quickmaskDSSC_ASIC' in tb],
      }));
    `], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out);
    assert.deepEqual(r.synthetic, ['ROUTINE_RUN_KINDS', 'VIKING_RUN_KINDS', 'matchTruth', 'truthSignal', 'vikingModel', 'writeBozRuns', 'writeDemoProposal', 'writeFastccdRun', 'writeHrixsRun', 'writeMockRun', 'writePesRun', 'writeRoutineRun', 'writeRunFile', 'writeSmallRun', 'writeVikingRun', 'writeVikingRuns']);
    assert.deepEqual(r.leaked, []);
    assert.deepEqual(r.plot, ['Plot', 'colourLimits', 'heatmap', 'histogram', 'histogramCounts', 'image', 'line', 'peakParamsPlot', 'scatter', 'vegaLite']);
    assert.deepEqual(r.quickmask, ['function', false]);
  });
});
