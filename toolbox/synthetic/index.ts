/**
 * scs-toolbox/synthetic: synthetic EuXFEL runs with known truth, for tests,
 * benchmarks, the demo and anyone trying the toolbox without beamtime data.
 * A subpath of its own (package.json "exports") because it is a generator,
 * not analysis: the main entry stays the toolbox users analyse data with.
 */
export { writeMockRun } from './run/mock-run.js';
export type { MockProcTruth, MockRunFile, MockRunOptions, MockRunTruth } from './run/mock-run.js';
export type { FrameKind, MockPhysics, ScanKind } from './run/mock-physics.js';
export type { MockUndulatorOptions, MockUndulatorTruth } from './run/mock-undulator.js';
export type { MockScatteringOptions, MockScatteringTruth } from './run/mock-scattering.js';
export { writeRunFile } from './run/run-file.js';
export type { ControlSourceSpec, FormatVersion, InstrumentSourceSpec, KeyArray, RunFileSpec } from './run/spec.js';
export { matchTruth, truthSignal, writeDemoProposal } from './demo.js';
export type { DemoProposal, DemoProposalOptions, RecoveredPoint, TruthPoint } from './demo.js';
export { writeSmallRun } from './run/small-run.js';
export type { SmallRunSpec, SmallRunTruth, SourceDescriptions } from './run/small-run.js';
export { ROUTINE_RUN_KINDS, writeRoutineRun } from './run/routine-runs.js';
export type { RoutineRunKind, RoutineRunOptions } from './run/routine-runs.js';
export { writeBozRuns } from './run/boz-run.js';
export type { BozRunTruth, BozRuns, BozRunsOptions } from './run/boz-run.js';
export type { BozModel, BozModelOptions } from './run/boz-physics.js';
// spectrometers and cameras (issue 21)
export * from './run/hrixs-run.js';
export * from './run/viking-run.js';
export * from './run/pes-run.js';
export * from './run/fastccd-run.js';
