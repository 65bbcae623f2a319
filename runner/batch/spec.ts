/**
 * Everything one `scs submit` decides, in one value: the sbatch script, the
 * local launcher and the job record are all written from it.
 */
import type { ArraySpec } from './options.js';

export interface BatchSpec {
  /** absolute path of the input notebook */
  notebook: string;
  /** absolute output folder; logs go to its logs/ */
  outputDir: string;
  jobName: string;
  /** output notebook name pattern ({value}, {key}, {task}, {notebook}) */
  outputName: string;
  /** `scs run` options after INPUT OUTPUT (-k, -p NAME VALUE, ...) */
  runArgs: string[];
  array?: ArraySpec;
  partition?: string;
  reservation?: string;
  time?: string;
  mailType?: string;
  mailUser?: string;
  /** upstream job ids; this job starts only when all of them completed */
  after?: string[];
  /** variables exported by the script itself (JUPYTER_PATH, ...), so it is self-contained */
  env: Record<string, string>;
  /** node executable and the compiled `scs` entry the job calls */
  node: string;
  scsCli: string;
}

/** Array tasks use %A_%a (master id, task index); single jobs %j: the log file name pattern. */
export function logPattern(spec: Pick<BatchSpec, 'array'>): string {
  return spec.array ? '%A_%a-%x.out' : '%j-%x.out';
}
