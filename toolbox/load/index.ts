/** load(), get_array() and friends: fields of a run merged on trainId. */
export { getArray, load, loadFromRun } from './load.js';
export { concatenateRuns } from './concatenate.js';
export { checkDataRate, loadRunValues } from './run-checks.js';
export type { RateRun, RunValuesOptions, RunValuesRun } from './run-checks.js';
export type { GetArrayOptions, LoadableRun, LoadOptions, LoadRunOptions, RoiSpec } from './load.js';
export type { FieldSpec, Fields } from './fields.js';
