/**
 * processDsscData in both of its forms: on a DSSCBinner (this toolbox's), or
 * with the Python toolbox's legacy signature process_dssc_data(proposal,
 * run_nr, module, chunksize, info, dssc_binners, path, pulsemask,
 * dark_image, xgm_mnemonic, xgm_normalization, normevery), which opens the
 * run, bins one module, writes its file to `path` and returns the binned
 * data as that function does.
 */
import type { DataArray } from '../../arrays/dataarray.js';
import type { Dataset } from '../../arrays/dataset.js';
import type { DsscInfo } from '../../detectors/dssc/run-view.js';
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { loadXarray } from '../../io/netcdf.js';
import { checkOptions, optionNames } from '../../options.js';
import { DSSCBinner, processDsscData as processModule } from './binner.js';
import type { ProcessDataOptions, ProcessDataSummary } from './process.js';

/** The keyword arguments of Python's process_dssc_data, camelCased. */
export interface LegacyProcessOptions {
  /** Folder of the module file (default './'). */
  path?: string;
  /** (trainId, pulse) booleans, true = frame used (see DSSCBinner.setPulsemask). */
  pulsemask?: DataArray | null;
  /** Dark to subtract (getDsscDark's form). */
  darkImage?: DataArray | null;
  /** XGM mnemonic for the mask and the normalisation (default 'SCS_SA3'). */
  xgmMnemonic?: string;
  xgmNormalization?: boolean;
  /** Normalise one frame in `normevery` (default 1). */
  normevery?: number;
  /** Data root instead of EXFEL_DATA_ROOT. */
  dataRoot?: string;
}
const LEGACY_OPTIONS = optionNames<LegacyProcessOptions>({
  path: true, pulsemask: true, darkImage: true, xgmMnemonic: true, xgmNormalization: true, normevery: true, dataRoot: true,
});

/** Python's info dict (load_dssc_info: frames_per_train, …) or this toolbox's DsscInfo; only its frames per train are compared. */
export type LegacyDsscInfo = Partial<DsscInfo> | { frames_per_train?: number; [key: string]: unknown } | null | undefined;

function checkInfo(info: LegacyDsscInfo, actual: DsscInfo, run: number | string): void {
  if (!info) return;
  const given = (info as { framesPerTrain?: number }).framesPerTrain ?? (info as { frames_per_train?: number }).frames_per_train;
  if (given !== undefined && given !== actual.framesPerTrain) {
    throw new ToolBoxValueError(`processDsscData: info gives ${given} frames per train, run ${run} has ${actual.framesPerTrain} (info should come from loadDsscInfo of the same run)`);
  }
}

async function legacy(
  proposal: number | string, runNr: number | string, module: number, chunksize: number, info: LegacyDsscInfo, dsscBinners: Record<string, DataArray>, options: LegacyProcessOptions,
): Promise<Dataset> {
  if (typeof module !== 'number') throw new ParameterError(`processDsscData(proposal, run, module, chunksize, info, binners): module must be a number, got ${typeof module}`, { parameter: 'module', value: module });
  const binner = await DSSCBinner.create(proposal, runNr, { binners: dsscBinners ?? {}, xgmName: options.xgmMnemonic ?? 'SCS_SA3', dataRoot: options.dataRoot });
  checkInfo(info, binner.info, runNr);
  if (options.pulsemask) binner.setPulsemask(options.pulsemask);
  const summary = await processModule(binner, module, {
    chunksize, filepath: options.path ?? './', darkImage: options.darkImage ?? null, xgmNormalization: options.xgmNormalization ?? false, normevery: options.normevery ?? 1,
  });
  return loadXarray(summary.files[0]);
}

/**
 * process_dssc_data: one module binned in this thread and written to its
 * file. On a DSSCBinner: `processDsscData(binner, module, options)` →
 * summary. With the Python signature: `processDsscData(proposal, run,
 * module, chunksize, info, binners, {path, pulsemask, darkImage, xgmMnemonic,
 * xgmNormalization, normevery})` → the module's binned Dataset.
 */
export function processDsscData(binner: DSSCBinner, module: number, options?: Omit<ProcessDataOptions, 'modules' | 'nJobs'>): Promise<ProcessDataSummary>;
export function processDsscData(
  proposal: number | string, runNr: number | string, module: number, chunksize: number, info: LegacyDsscInfo, dsscBinners: Record<string, DataArray>, options?: LegacyProcessOptions,
): Promise<Dataset>;
export async function processDsscData(...args: unknown[]): Promise<ProcessDataSummary | Dataset> {
  if (args[0] instanceof DSSCBinner) return processModule(args[0], args[1] as number, args[2] as Omit<ProcessDataOptions, 'modules' | 'nJobs'> | undefined);
  const [proposal, runNr, module, chunksize, info, binners, options] = args as Parameters<typeof legacy>;
  const o = checkOptions('processDsscData', options as LegacyProcessOptions | undefined, LEGACY_OPTIONS);
  return legacy(proposal, runNr, module, chunksize, info, binners, o);
}
