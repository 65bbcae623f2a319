/** Knife-edge scans (Python: toolbox_scs.routines.knife_edge and toolbox_scs.base.knife_edge). */
export { knifeEdgeBase } from './base.js';
export type { KnifeEdgeBaseOptions, KnifeEdgeFit } from './base.js';
export type { KnifeEdgeFitFields } from './fit.js';
export { knifeEdge } from './knife-edge.js';
export type { KnifeEdgeFullFit, KnifeEdgeOptions, KnifeEdgeRoutineFields } from './knife-edge.js';
export type { KnifeEdgeFunction } from './model.js';
export type { KnifeEdgeAxisRange, KnifeEdgeIntensities, KnifeEdgePositions } from './prepare.js';
