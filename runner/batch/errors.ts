/**
 * Errors of batch submission (`scs submit`, `scs jobs`, `scs cancel`). They are
 * runner errors (exit code 1) so the CLI prints them as one readable line;
 * messages name the option, job, partition or folder at fault.
 */
import { RunnerError } from '../errors.js';

/** A submit option is malformed (time limit, array spec, mail type, name pattern, folder). */
export class BatchOptionError extends RunnerError {
  constructor(message: string, readonly option?: string) {
    super(message);
  }
}

/** sbatch/squeue/scancel is missing or SLURM refused the request. */
export class SlurmError extends RunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
