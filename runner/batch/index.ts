/** Batch submission of notebooks: SLURM (sbatch/squeue/scancel) or a local background run. */
export { BatchOptionError, SlurmError } from './errors.js';
export { type ArraySpec, parseArraySpec, validateMailType, validateTimeLimit } from './options.js';
export type { BatchSpec } from './spec.js';
export { type JobRecord, allRecords, outputDirRegistry, saveRecord, userRegistry } from './records.js';
export { batchScript, shellQuote } from './script.js';
export type { SqueueJob } from './slurm.js';
export { TERMINAL_STATES, type TaskState, squeueEntryOf, taskStateText, taskStates } from './state.js';
export { type Submission, type SubmitRequest, dryRun, submitNotebook } from './submit.js';
export { allSucceeded, waitForJobs } from './wait.js';
export { cancelJobs } from './cancel.js';
