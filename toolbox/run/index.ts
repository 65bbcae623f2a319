/** Run access (EXtra-data's RunDirectory / open_run / DataCollection / SourceData / KeyData). */
export { DataCollection } from './data-collection.js';
export type { RunFiles, SourceInfo } from './data-collection.js';
export { KeyData } from './key-data.js';
export type { ChunkOptions, EntriesChunkOptions, XarrayOptions } from './key-data.js';
export { SourceData } from './source-data.js';
export type { SingleValueOptions } from './single-value.js';
export { runByPath, openRun } from './open.js';
export type { RunOptions, OpenRunOptions } from './open.js';
export { findRunPath, findProposal, dataRoot, proposalNumber, runNumber } from './paths.js';
export type { RunData } from './paths.js';
export { byId, byIndex } from './train-select.js';
export type { TrainSelection, ById, ByIndex, IdLike, Positional, SplitOptions } from './train-select.js';
export type { ReadOptions, RoiItem } from './key-read.js';
export type { RunValue } from './run-values.js';
export { runTuning } from './tuning.js';
export { validateRun } from './validate.js';
