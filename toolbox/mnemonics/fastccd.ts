/**
 * Mnemonics of the FastCCD (issue 21); spread into the table by table.ts.
 * The source and key are those public EuXFEL online-analysis code reads from
 * SCS files (docs/fastccd.md, Mnemonics): one frame of 1934 × 960 pixels
 * per train. Corrected frames keep the source and key in the run's proc
 * folder (project's choice, docs/fastccd.md); FastCCD(…, {raw}) picks the folder.
 */
import type { MnemonicEntry } from './table.js';

/** The FastCCD's data source (raw and corrected files). */
export const FASTCCD_SOURCE = 'SCS_CDIDET_FCCD2M/DAQ/FCCD:daqOutput';
/** Its image key: [rows, columns] per train. */
export const FASTCCD_KEY = 'data.image.pixels';

export const FASTCCD_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {
  fastccd: { source: FASTCCD_SOURCE, key: FASTCCD_KEY, dim: ['x', 'y'], provenance: 'verified' },
};
