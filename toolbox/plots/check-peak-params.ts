/**
 * checkPeakParams with its plot, as the Python toolbox's check_peak_params
 * (plot=True) shows it. Detectors may not import plots, so the plot is added
 * here and the public entry point exports this version.
 */
import { CHECK_PEAK_PARAMS_OPTIONS, type CheckPeakParamsOptions, type PeakParamsCheck, peakParamsCheck } from '../detectors/digitizers/check.js';
import type { ChannelSpec } from '../detectors/digitizers/channels.js';
import { type DisplayOutput, MIME_BUNDLE } from '../display/mime.js';
import type { DataCollection } from '../run/data-collection.js';
import { peakParamsPlot } from './peak-params.js';
import type { Plot } from './plot.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';

/** checkPeakParams' options, plus whether to attach the plot. */
export interface CheckPeakParamsPlotOptions extends CheckPeakParamsOptions {
  /** Attach the plot (default true); the result then shows as that plot in a notebook. */
  plot?: boolean;
}
const CHECK_PEAK_PARAMS_PLOT_OPTIONS = mergeOptionNames<CheckPeakParamsPlotOptions>(CHECK_PEAK_PARAMS_OPTIONS, optionNames<{ plot?: boolean }>({ plot: true }));

/** checkPeakParams' result with its plot. */
export interface PeakParamsCheckWithPlot extends PeakParamsCheck {
  /** The trace with the windows (absent with `plot: false`). */
  plot?: Plot;
}

function describe(check: PeakParamsCheck): string {
  const lines = [`${check.autoFind ? 'found' : 'given'} integration parameters: ${JSON.stringify(check.params)}`];
  for (const w of check.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/**
 * Python's check_peak_params: the pulse integration parameters of a
 * digitizer channel (given or found from the bunch pattern) with warnings and,
 * unless `plot: false`, the plot of the average trace with the windows.
 */
export async function checkPeakParams(run: DataCollection, mnemonic: ChannelSpec, options: CheckPeakParamsPlotOptions = {}): Promise<PeakParamsCheckWithPlot> {
  const { plot: wanted = true, ...rest } = checkOptions('checkPeakParams', options, CHECK_PEAK_PARAMS_PLOT_OPTIONS);
  const check = await peakParamsCheck(run, mnemonic, rest);
  if (!wanted) return check;
  const plot = peakParamsPlot(check);
  const result: PeakParamsCheckWithPlot = { ...check, plot };
  // Not enumerable: printing or JSON of the result shows the data, not the method.
  Object.defineProperty(result, MIME_BUNDLE, {
    enumerable: false,
    value: async (): Promise<DisplayOutput> => {
      const out = await plot[MIME_BUNDLE]();
      return { ...out, data: { ...out.data, 'text/plain': describe(check) } };
    },
  });
  return result;
}
