/**
 * load()'s digitizer extraction (Python: load(…, extract_digitizers=True)):
 * raw traces (MCP2raw, FastADC5raw, FastADC2_9raw) are integrated and the
 * devices' own integrals (MCP2apd, FastADC5peaks, FastADC2_9peaks) put on
 * their pulse axis, each as `<channel>peaks` with dims (trainId, sa3_pId |
 * sa1_pId | ol_pId), as the Python toolbox names them. Raw traces are read
 * straight from the run while integrating: 100k-sample traces are never held
 * whole.
 */
import { merge } from '../arrays/combine.js';
import { Dataset } from '../arrays/dataset.js';
import { ParameterError } from '../errors.js';
import type { MnemonicLike } from '../mnemonics/lookup.js';
import { MNEMONICS } from '../mnemonics/table.js';
import type { PulseLocation } from '../misc/bunch-pattern-bits.js';
import type { DataCollection } from '../run/data-collection.js';
import { checkPeakNameClashes, isDigitizerMnemonic } from '../detectors/digitizers/names.js';
import { peaksOf } from '../detectors/digitizers/peaks.js';

/**
 * The fields load() extracts: digitizer mnemonics given by name. Throws, before
 * anything is read, when two of them would become the same variable, or when a
 * field is a `<channel>peaks` name that is only a result name (MCP2peaks).
 */
export function digitizerFields(fields: ReadonlyMap<string, MnemonicLike>): string[] {
  const names = [...fields].filter(([n, m]) => typeof m === 'string' && isDigitizerMnemonic(n)).map(([n]) => n);
  checkPeakNameClashes('load', names);
  for (const n of fields.keys()) {
    const channel = /^(MCP\d+)peaks$/.exec(n);
    if (channel && !(n in MNEMONICS)) {
      throw new ParameterError(`load: '${n}' is not a mnemonic but the variable load() makes of ${channel[1]}raw (the integrated raw trace) or ${channel[1]}apd (the device's own integrals); ask for one of those`,
        { parameter: 'fields', value: n, expected: [`${channel[1]}raw`, `${channel[1]}apd`] });
    }
  }
  return names;
}

/** `ds` merged (inner join on trainId) with the peaks of each digitizer field, on the pulses of locOf(field). */
export async function addDigitizerPeaks(run: DataCollection, ds: Dataset | null, names: readonly string[], locOf: (name: string) => string): Promise<Dataset | null> {
  for (const name of names) {
    const peaks = await peaksOf(run, name, { bunchPattern: locOf(name) as PulseLocation });
    ds = ds ? merge([ds, peaks], { join: 'inner' }) : new Dataset({ [peaks.name ?? name]: peaks });
  }
  return ds;
}
