/** The package version for `scs --version`: the toolbox's one lookup (its own module: the toolbox's entry loads everything). */
export { toolboxVersion } from '../../toolbox/version.js';
