/** Mnemonics of the viking device (issue 21); spread into the table by table.ts. */
import type { MnemonicEntry } from './table.js';

export const VIKING_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {};
