/** Mnemonics of the fastccd device (issue 21); spread into the table by table.ts. */
import type { MnemonicEntry } from './table.js';

export const FASTCCD_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {};
