/** SCS mnemonics: names for (source, key, dims) as the Python toolbox uses them. */
export { MNEMONICS } from './table.js';
export type { Mnemonic, MnemonicEntry, Provenance } from './table.js';
export { mnemonicKeyData, mnemonicsForRun, resolveMnemonic } from './lookup.js';
export type { MnemonicLike, RunSources } from './lookup.js';
