/** Mnemonics of the pes device (issue 21); spread into the table by table.ts. */
import type { MnemonicEntry } from './table.js';

export const PES_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {};
