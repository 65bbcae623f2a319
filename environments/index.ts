/** Proposal environments: a frozen, editable toolbox per proposal with its own kernel (docs/environments.md). */
export { DEFAULT_DATA_ROOT, allProposalPaths, dataRoot, findProposalPath, proposalFolderName, proposalNumber } from './proposal.js';
export { environmentLayout, type EnvironmentLayout } from './layout.js';
export { createEnvironment, type CreateOptions, type CreatedEnvironment } from './create.js';
export { activateKernel, checkoutCli, specBelongsTo, userKernelSpec } from './kernel.js';
export { describeEnvironment, listEnvironments, removeEnvironment, type EnvironmentInfo, type RemovedEnvironment } from './manage.js';
export { EnvironmentCommandError } from './command.js';
export { resolveVersion } from './git.js';
