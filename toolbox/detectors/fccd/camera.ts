/**
 * Where a run keeps its FastCCD frames: the raw files, or the corrected ones
 * of its proc folder (FastCCD(…, {raw})). A run without the camera is an
 * error listing what the run has instead.
 */
import { SourceNameError } from '../../errors.js';
import { FASTCCD_KEY, FASTCCD_SOURCE } from '../../mnemonics/fastccd.js';
import type { DataCollection } from '../../run/data-collection.js';
import type { KeyData } from '../../run/key-data.js';

/** The FastCCD frames of `run` ([rows, columns] per train), or a SourceNameError naming the sources there are. */
export function cameraKey(run: DataCollection, runNr: number, raw: boolean): KeyData {
  const where = raw ? 'raw' : 'corrected (proc)';
  if (!run.instrumentSources.includes(FASTCCD_SOURCE)) {
    const available = run.instrumentSources;
    throw new SourceNameError(
      `run ${runNr} has no FastCCD in its ${where} data: source ${FASTCCD_SOURCE} is absent; its instrument sources are: ${available.join(', ') || '(none)'}`,
      { source: FASTCCD_SOURCE, available, mnemonic: 'fastccd' },
    );
  }
  const keys = run.keysForSource(FASTCCD_SOURCE);
  if (!keys.includes(FASTCCD_KEY)) {
    throw new SourceNameError(`run ${runNr}: the FastCCD source ${FASTCCD_SOURCE} has no key ${FASTCCD_KEY} in its ${where} data; its keys: ${keys.join(', ')}`, { source: FASTCCD_SOURCE, available: keys, mnemonic: 'fastccd' });
  }
  const kd = run.get(FASTCCD_SOURCE, FASTCCD_KEY);
  if (kd.entryShape.length !== 2) {
    throw new SourceNameError(`run ${runNr}: FastCCD ${FASTCCD_KEY} has entries of shape [${kd.entryShape}], expected [rows, columns]`, { source: FASTCCD_SOURCE, available: keys });
  }
  return kd;
}
