/** Transient reflectivity (Python: toolbox_scs.routines.Reflectivity). */
export { reflectivity } from './reflectivity.js';
export type { ReflectivityOptions, ReflectivityResult } from './reflectivity.js';
export { FIT_PARAMETERS, gaussExp } from './models.js';
export type { ReflectivityFitModel } from './models.js';
