import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DSSCFormatter, type DataCollection, OptionsError, ToolBoxTypeError, fluenceCalibration, getSasePId, load, openRun, plot, positionToDelay, saveXarray,
  Dataset,
} from '../../toolbox/index.js';
import { writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

/** Rejects (or throws) an OptionsError with exactly this message. */
async function optionsError(call: () => unknown, message: string): Promise<void> {
  await assert.rejects(async () => { await call(); }, (e: Error) => {
    assert.ok(e instanceof OptionsError && e instanceof ToolBoxTypeError, `${e.constructor.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  });
}

describe('options checked at run time across the toolbox', function () {
  this.timeout(120_000);
  let root: string;
  let run: DataCollection;
  const savedRoot = process.env.EXFEL_DATA_ROOT;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-options-'));
    await writeMockRun(join(root, 'SCS', '202601', 'p002719', 'raw', 'r0179'), { proposal: 2719, run: 179, trains: 8, frames: 4, modules: [0], seed: 4, pixels: [8, 16] });
    process.env.EXFEL_DATA_ROOT = root;
    run = await openRun(2719, 179);
  });
  after(() => {
    run?.close();
    if (savedRoot === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = savedRoot;
    rmSync(root, { recursive: true, force: true });
  });

  it("getSasePId(run, 'scs_ppl'), Python's positional loc, is an OptionsError naming loc first", async () => {
    await optionsError(() => getSasePId(run, 'scs_ppl' as never),
      "getSasePId: options must be an object such as { loc, runMnemonics, bpt, mergeWith }, got the string 'scs_ppl'");
    assert.ok((await getSasePId(run, { loc: 'scs_ppl' }))?.length);
  });

  it('Python-style (snake_case) and misspelt names in load, openRun, KeyData and DataCollection methods', async () => {
    await optionsError(() => load(2719, 179, ['SCS_SA3'], { extract_xgm: false } as never), loadMessage());
    await optionsError(() => openRun(2719, 179, { Data: 'raw' } as never),
      "openRun: unknown option 'Data'. Did you mean 'data' or 'dataRoot'? openRun accepts { include, skipBadFiles, incSuspectTrains, data, subset, dataRoot }.");
    const xgm = run.instrumentSources.find((s) => s.startsWith('SCS_BLU_XGM'))!;
    await optionsError(() => run.get(xgm, 'data.intensitySa3TD').xarray({ extra_dims: ['pulse'] } as never),
      "KeyData.xarray: unknown option 'extra_dims'. Did you mean 'extraDims'? KeyData.xarray accepts { extraDims, roi, name }.");
    await optionsError(() => [...run.splitTrains({ part: 2 } as never)],
      "DataCollection.splitTrains: unknown option 'part'. Did you mean 'parts' or 'trainsPerPart'? DataCollection.splitTrains accepts { parts, trainsPerPart }.");
    assert.equal([...run.splitTrains({ parts: 2 })].length, 2);
    await optionsError(() => run.getArray(xgm, 'data.intensitySa3TD', { extraDim: ['pulse'] } as never),
      "DataCollection.getArray: unknown option 'extraDim'. Did you mean 'extraDims'? DataCollection.getArray accepts { extraDims, roi }.");
  });

  it('plots, laser helpers, netCDF files and the DSSC formatter', async () => {
    await optionsError(() => plot.line([1, 2], { xlabel: 'x' } as never),
      "plot.line: unknown option 'xlabel'. Did you mean 'x' or 'xLabel' or 'yLabel'? plot.line accepts { title, width, height, xLabel, yLabel, x, err, hue, xLog, yLog, points }.");
    await optionsError(() => fluenceCalibration([0, 1], [1, 2], 1, 1e-4, { fit_order: 1 } as never),
      "fluenceCalibration: unknown option 'fit_order'. Did you mean 'fitOrder'? fluenceCalibration accepts { w0y, trainRepRate, fitOrder, plot, xlabel }.");
    await optionsError(() => positionToDelay(1, 5 as never),
      'positionToDelay: options must be an object such as { origin, invert, reflections }, got number 5');
    await optionsError(() => saveXarray(join(root, 'x.h5'), new Dataset({ a: ['t', [1]] }), 'w' as never),
      "saveXarray: options must be an object such as { group, mode }, got the string 'w'");
    await optionsError(() => new DSSCFormatter(root, { prefx: 'RUN' } as never),
      "DSSCFormatter: unknown option 'prefx'. Did you mean 'prefix'? DSSCFormatter accepts { prefix, suffix }.");
  });
});

function loadMessage(): string {
  return "load: unknown option 'extract_xgm'. Did you mean 'extractXgm' or 'extractBam'? load accepts { rois, include, skipBadFiles, incSuspectTrains, subset, dataRoot, "
    + 'extractXgm, extractDigitizers, extractBam, bunchPattern, data, display, validate, parallelize }.';
}
