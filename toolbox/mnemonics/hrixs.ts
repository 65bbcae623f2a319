/** Mnemonics of the hrixs device (issue 21); spread into the table by table.ts. */
import type { MnemonicEntry } from './table.js';

export const HRIXS_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {};
