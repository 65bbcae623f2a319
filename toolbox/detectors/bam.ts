/**
 * Beam arrival monitors (Python: toolbox_scs.detectors.bam_detectors). A BAM
 * records at 9 MHz, so pulse ID p sits at index 2p; values come out per
 * pulse of the chosen bunch pattern, in ps (modern `absoluteTD` arrays are
 * in fs and are converted).
 */
import { merge } from '../arrays/combine.js';
import type { DataArray } from '../arrays/dataarray.js';
import type { Dataset } from '../arrays/dataset.js';
import { ParameterError, SourceNameError, ToolBoxValueError } from '../errors.js';
import { resolveMnemonic } from '../mnemonics/lookup.js';
import { checkOptions, optionNames } from '../options.js';
import { MNEMONICS, type Mnemonic } from '../mnemonics/table.js';
import { type PulseLocation, checkLocation } from '../misc/bunch-pattern-bits.js';
import type { DataCollection } from '../run/data-collection.js';
import { PULSE_DIMS, onPulseAxis, pulsesByTrain } from './pulse-axis.js';

export const BAM_MNEMONICS = Object.keys(MNEMONICS).filter((k) => k.startsWith('BAM'));
const SLOT_DIM = 'BAMbunchId';

export interface GetBamOptions {
  /** BAM mnemonics (default: those the run has, else 'BAM1932M'). */
  mnemonics?: string | string[];
  /** A Dataset whose raw BAM variables are converted and which the result is merged with (inner join on trainId). */
  mergeWith?: Dataset;
  /** Pulses to read: 'sase3' (default), 'sase1' or 'scs_ppl'. */
  bunchPattern?: PulseLocation | string;
  /** Pulse IDs to use for every train instead of the run's bunch pattern. */
  pulseIds?: number[];
}

const GET_BAM_OPTIONS = optionNames<GetBamOptions>({ mnemonics: true, mergeWith: true, bunchPattern: true, pulseIds: true });

/** get_bam: BAM arrival times (ps) on the pulse axis of the bunch pattern. */
export async function getBam(run: DataCollection, options: GetBamOptions = {}): Promise<Dataset> {
  options = checkOptions('getBam', options, GET_BAM_OPTIONS);
  const loc = checkLocation(options.bunchPattern ?? 'sase3');
  const names = options.mnemonics === undefined
    ? (() => { const have = BAM_MNEMONICS.filter((n) => options.mergeWith?.has(n) || run.allSources.includes((MNEMONICS[n] as Mnemonic).source)); return have.length ? have : ['BAM1932M']; })()
    : typeof options.mnemonics === 'string' ? [options.mnemonics] : options.mnemonics;
  let pulses: Map<number, number[]> | null;
  if (options.pulseIds) {
    pulses = new Map(run.trainIds.map((t) => [t, options.pulseIds!]));
  } else {
    pulses = await pulsesByTrain(run, loc);
    if (!pulses) throw new ToolBoxValueError('this run has no bunch pattern: give pulseIds to say which pulses to read from the BAM');
  }
  const out: DataArray[] = [];
  for (const name of names) {
    if (!BAM_MNEMONICS.includes(name)) throw new ParameterError(`'${name}' is not a BAM mnemonic; use one of ${BAM_MNEMONICS.join(', ')}`, { parameter: 'mnemonics', value: name, expected: BAM_MNEMONICS });
    let raw: DataArray;
    let key: string;
    if (options.mergeWith?.has(name) && options.mergeWith.get(name).dims.includes(SLOT_DIM)) {
      raw = options.mergeWith.get(name);
      key = (MNEMONICS[name] as Mnemonic).key;
    } else {
      const m = resolveMnemonic(name, run);
      raw = await run.getArray(m.source, m.key, { extraDims: [SLOT_DIM] });
      key = m.key;
    }
    const scale = key.endsWith('absoluteTD') ? 1e-3 : 1;
    out.push(onPulseAxis(raw, name, PULSE_DIMS[loc], pulses, (_, id) => 2 * id, scale).assignAttrs({ units: 'ps' }));
  }
  const ds = merge(out, { join: 'inner' });
  if (!options.mergeWith) return ds;
  return merge([options.mergeWith.dropVars(names.filter((n) => options.mergeWith!.has(n))), ds], { join: 'inner' });
}

/** get_bam_params: the RUN values of bamStatus1..3 and bamError of a BAM's control device. */
export function getBamParams(run: DataCollection, mnemoOrSource = 'BAM1932S'): Record<string, unknown> {
  const pipeline = MNEMONICS[mnemoOrSource] ? (MNEMONICS[mnemoOrSource] as Mnemonic).source : mnemoOrSource;
  const device = pipeline.split(':')[0];
  if (!run.controlSources.includes(device)) {
    throw new SourceNameError(`BAM device ${device} has no control data in this run; control sources: ${run.controlSources.join(', ') || '(none)'}`, { source: device, available: run.controlSources });
  }
  const keys = new Set(run.keysForSource(device).map((k) => k.replace(/\.(value|timestamp)$/, '')));
  const params: Record<string, unknown> = {};
  for (const k of ['bamStatus1', 'bamStatus2', 'bamStatus3', 'bamError']) if (keys.has(k)) params[k] = run.getRunValue(device, k);
  return params;
}
