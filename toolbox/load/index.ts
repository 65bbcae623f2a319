/** load(), get_array() and friends: fields of a run merged on trainId. */
export { getArray, loadFromRun } from './load.js';
export { concatenateRuns } from './concatenate.js';
export type { LoadableRun, LoadOptions, RoiSpec } from './load.js';
export { normalizeFields, resolveFields } from './fields.js';
export type { FieldSpec, Fields } from './fields.js';
