import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DSSCBinner, DataArray, createDsscBins, getDsscDark, loadXarray } from '../../toolbox/index.js';
import { processModules } from '../../toolbox/routines/dssc/process.js';
import { useMockRun } from '../helpers/mock-run.js';

const F = 8;
const PATTERN = ['pumped', 'intradark', 'unpumped', 'intradark'];

describe('DSSCBinner.plan: the plain data processData hands to the processing step', function () {
  this.timeout(300_000);
  const fixture = useMockRun({ trains: 12, frames: F, modules: [1, 4], pixels: [8, 16], seed: 5, scanPoints: 3 }, 'scs-dssc-plan-');

  async function binner(): Promise<DSSCBinner> {
    const b = await DSSCBinner.create(fixture.run, { binners: { pulse: createDsscBins('pulse', [...Array(F).keys()], PATTERN) } });
    const ids = fixture.run.trainIdsExact;
    b.setPulsemask(new DataArray(Uint8Array.from({ length: ids.length * F }, (_, i) => (i % 5 === 0 ? 0 : 1)), {
      dims: ['trainId', 'pulse'], shape: [ids.length, F], dtype: 'bool', coords: { trainId: ids, pulse: Int32Array.from({ length: F }, (_, f) => f) },
    }));
    return b;
  }

  it('holds modules, files, frame counts, dark, mask and XGM as plain data that survives structuredClone', async () => {
    const b = await binner();
    const dark = await getDsscDark(fixture.run, { modules: [1, 4] });
    const plan = await b.plan({ modules: [4, 1], chunksize: 5, xgmNormalization: true, normevery: 2, darkImage: dark, filepath: '/out' });
    assert.deepEqual(plan.modules.map((m) => m.module), [4, 1]);
    assert.deepEqual(plan.modules.map((m) => m.files.map((f) => f.replace(/.*\//, ''))), [['RAW-R0001-DSSC04-S00000.h5'], ['RAW-R0001-DSSC01-S00000.h5']]);
    assert.deepEqual(Array.from(plan.modules[0].dataCounts), Array(12).fill(F));
    assert.equal(plan.modules[0].dark?.kind, 'per-frame');
    assert.deepEqual([plan.chunksize, plan.normevery, plan.maxframes, plan.xgmNormalization, plan.filepath], [5, 2, null, true, '/out']);
    assert.deepEqual(plan.pixels, [8, 16]);
    assert.equal(plan.setup.mask?.byTrain.size, 12);
    assert.equal(plan.setup.xgm?.size, 12);
    assert.deepEqual(plan.setup.pulseLabels, ['pumped', 'intradark', 'unpumped']);
    assert.deepEqual(structuredClone(plan), plan);
  });

  it('a cloned plan, processed without the binner, writes what processData writes', async () => {
    const b = await binner();
    const out = (name: string) => join(fixture.dir, name);
    const direct = await b.processData({ filepath: out('direct'), nJobs: 2, progress: false });
    const viaClone = await processModules(structuredClone(await b.plan({ filepath: out('clone') })), { nJobs: 2, progress: false });
    const withoutFiles = (s: typeof direct) => ({ ...s, files: [], perModule: s.perModule.map((m) => ({ ...m, file: '' })) });
    assert.deepEqual(withoutFiles(viaClone), withoutFiles(direct));
    assert.deepEqual(viaClone.files, [out('clone/run_1_module1.h5'), out('clone/run_1_module4.h5')]);
    for (const [i, file] of direct.files.entries()) {
      const [a, c] = [await loadXarray(file), await loadXarray(viaClone.files[i])];
      assert.deepEqual(Array.from(c.get('data').values as Float64Array), Array.from(a.get('data').values as Float64Array));
    }
  });

  it('checks before any frame is read, with the same errors as processData', async () => {
    const b = await binner();
    // ParameterErrors (ToolBoxValueErrors) naming the option at fault
    await assert.rejects(b.plan({ modules: [2] }), { name: 'ParameterError', parameter: 'modules', message: 'DSSC module 2 is not in run 1; modules present: 1, 4' });
    await assert.rejects(b.plan({ modules: [1, 1] }), { name: 'ParameterError', parameter: 'modules', message: 'modules lists a module twice: 1, 1' });
    await assert.rejects(b.plan({ chunksize: 0 }), { name: 'ParameterError', parameter: 'chunksize', value: 0, message: 'chunksize must be a positive integer, got 0' });
    await assert.rejects(b.processData({ nJobs: 0, modules: [2] }), { message: 'nJobs must be a positive integer, got 0' });
  });
});
