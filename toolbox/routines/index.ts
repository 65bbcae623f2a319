/** Routines: analyses built on the detectors (Python: toolbox_scs.routines). */
export * from './dssc/index.js';
