/** XAS and XMCD (Python: toolbox_scs.routines.XAS). */
export { xas } from './xas.js';
export type { XasOptions, XasResult } from './xas.js';
export type { XasBins } from './bins.js';
export { xasxmcd } from './xmcd.js';
export type { XasXmcdOptions, XasXmcdResult } from './xmcd.js';
