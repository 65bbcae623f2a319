/**
 * The kernel's main-thread side: tslab's compiler and executor with the
 * toolbox preloaded as `tb`, serving shell requests through the transport.
 */
export { Session, type SessionOptions } from './session.js';
export { CellRunner, type CellOutcome } from './cell-runner.js';
export { loadTslab, tslabStart, tslabVersions, type Tslab } from './tslab.js';
export { kernelInfo, toolboxVersion } from './kernel-info.js';
export { preload, preloadSource, TOOLBOX_ENTRY } from './preload.js';
export { installProcessGuards, processExitError, type ProcessExitError, setRejectionSink } from './process-guards.js';
export { maxOutputFromEnv, DEFAULT_MAX_OUTPUT } from './output.js';
export { INTERRUPTED, type ErrorReport } from './error-report.js';
export { RejectionTracker, rejectionPolicyFromEnv, rejectionReport, DEFAULT_REJECTION_SETTLE_MS, type RejectionPolicy } from './rejections.js';
