/** Photo-electron spectrometer: time-of-flight spectra, parameters, average traces (issue 21). */
export { getPesTof } from './tof.js';
export type { PesTofOptions } from './tof.js';
export { getPesParams, PES_GAS_BINDING_ENERGIES } from './params.js';
export type { PesParams, PesParamsOptions } from './params.js';
export { loadPesAvgTraces, pesAvgTracesPath, savePesAvgTraces } from './avg-traces.js';
export type { PesAvgTracesOptions } from './avg-traces.js';
