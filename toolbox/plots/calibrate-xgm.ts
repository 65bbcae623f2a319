/**
 * calibrateXgm with its plot, as the Python toolbox's calibrate_xgm
 * (plot=True) draws it. Detectors may not import plots, so the plot is added
 * here and the public entry point exports this version.
 */
import { merge } from '../arrays/combine.js';
import type { Dataset } from '../arrays/dataset.js';
import { type CalibrateXgmOptions, calibrateXgm as calibrate } from '../detectors/xgm.js';
import { display } from '../display/show.js';
import { resolveMnemonic } from '../mnemonics/lookup.js';
import { checkOptions, optionNames } from '../options.js';
import type { DataCollection } from '../run/data-collection.js';
import { line } from './line.js';
import type { Plot } from './plot.js';

export interface CalibrateXgmPlotOptions extends CalibrateXgmOptions {
  /** Show the slow photon flux and the calibrated fast signal per train (default false, as the Python toolbox). */
  plot?: boolean;
}
const CALIBRATE_XGM_OPTIONS = optionNames<CalibrateXgmPlotOptions>({ xgm: true, plot: true });

/** The slow photon flux and F × the mean fast signal per train, on the trains both have. */
async function calibrationPlot(run: DataCollection, data: Dataset, xgm: 'SCS' | 'XTD10', F: number): Promise<Plot> {
  const m = resolveMnemonic(`${xgm}_photonFlux`, run);
  const fast = data.get(`${xgm}_SA3`);
  const fastMean = fast.mean(fast.dims.filter((d) => d !== 'trainId')).mul(F);
  const both = merge([(await run.getArray(m.source, m.key)).rename('slow'), fastMean.rename('fast')], { join: 'inner' });
  return line({ 'photon flux (slow)': both.get('slow'), 'F × mean fast signal': both.get('fast') }, {
    title: `${xgm} XGM calibration: F = ${F.toPrecision(6)}`, xLabel: 'trainId', yLabel: 'pulse energy [µJ]',
  });
}

/**
 * calibrate_xgm: F such that F × fast signal = pulse energy in µJ (see the
 * detectors' calibrateXgm); `plot: true` also shows the two signals per train.
 */
export async function calibrateXgm(run: DataCollection, data: Dataset, options: CalibrateXgmPlotOptions = {}): Promise<number> {
  const { plot = false, ...rest } = checkOptions('calibrateXgm', options, CALIBRATE_XGM_OPTIONS);
  const F = await calibrate(run, data, rest);
  if (plot) await display(await calibrationPlot(run, data, rest.xgm ?? 'SCS', F));
  return F;
}
