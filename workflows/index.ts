/**
 * Workflows: analyses that span several notebooks and batch jobs, built on
 * the runner's and the toolbox's public entries. `scs bin-dssc` and `scs
 * demo` are command lines over these.
 */
export {
  BINNING_NOTEBOOK, SUMMARY_NOTEBOOK, defaultOutputDir, describeTask, dryRunDsscWorkflow, planDsscWorkflow, submitDsscWorkflow,
  waitDsscWorkflow, type DsscWorkflowJobs, type DsscWorkflowPlan, type DsscWorkflowRequest,
} from './dssc-binning.js';
export { DsscWorkflowCheckError, checkDsscWorkflow, type DsscCheckRequest } from './dssc-checks.js';
export { DEMO_BIN_WIDTH, DEMO_KERNEL_NAME, clusterAnswers, runDemo, type DemoOptions } from './demo.js';
