/**
 * What DSSCBinner.processData hands to the processing step: the binner's
 * state (bins, frame mask, XGM/TIM, modules with their files and darks) and
 * the processing options as plain, structured-cloneable data. Processing
 * (process.ts and the worker threads) works from this alone: it never sees
 * the binner, so what it depends on is written down here.
 */
import { ParameterError } from '../../errors.js';
import type { ModuleDark } from './dark.js';
import type { OutputMeta } from './output.js';
import type { BinningSetup } from './plan.js';

/** One module to bin. */
export interface DsscModuleInput {
  module: number;
  /** The files holding the module's source. */
  files: string[];
  /** The module's frame count for each train of the run (in DsscBinningPlan.trainIds order); 0 = no data. */
  dataCounts: Int32Array;
  /** The dark to subtract from this module, already checked against the frames binned. */
  dark: ModuleDark | null;
}

/** The output metadata (proposal, run, chunksize, maxframes, normalisation, pixels, x/y bins) and the rest of the job. */
export interface DsscBinningPlan extends OutputMeta {
  /** The run's trains in order, and how the run was opened (workers reopen the files the same way). */
  trainIds: BigUint64Array;
  incSuspectTrains: boolean;
  /** Bins, frame mask, XGM/TIM values and per-frame rules shared by all modules. */
  setup: BinningSetup;
  modules: DsscModuleInput[];
  /** Output folder (created). */
  filepath: string;
}

export function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ParameterError(`${name} must be a positive integer, got ${v}`, { parameter: name, value: v });
  return v;
}

/** The modules to bin (default all the run has), each with its source; a module the run lacks or one given twice is an error. */
export function chooseModules<P extends { module: number }>(present: readonly P[], requested: readonly number[] | undefined, run: number | string): P[] {
  const modules = requested?.length ? requested : present.map((p) => p.module);
  for (const m of modules) {
    if (!present.some((p) => p.module === m)) {
      throw new ParameterError(`DSSC module ${m} is not in run ${run}; modules present: ${present.map((p) => p.module).join(', ') || '(none)'}`, { parameter: 'modules', value: requested });
    }
  }
  if (new Set(modules).size !== modules.length) throw new ParameterError(`modules lists a module twice: ${modules.join(', ')}`, { parameter: 'modules', value: requested });
  return modules.map((m) => present.find((p) => p.module === m)!);
}
