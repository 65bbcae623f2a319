/** The package version for `scs --version`: the toolbox's one lookup. */
export { toolboxVersion } from 'scs-toolbox';
