/**
 * check_data_rate and load_run_values of the Python toolbox: what fraction
 * of trains each field has data for, and the RUN-section values (settings at
 * run start) of the mnemonics' devices.
 */
import type { DataArray } from '../arrays/dataarray.js';
import { ParameterError, ToolBoxValueError } from '../errors.js';
import { type RunSources, mnemonicsForRun } from '../mnemonics/lookup.js';
import { type Fields, resolveFields } from './fields.js';
import { checkOptions, optionNames } from '../options.js';
import { openRun } from '../run/open.js';

/** Fraction of trains without data above which checkDataRate warns. */
export const MISSING_TRAINS_WARNING = 0.05;

export interface RateRun extends RunSources {
  readonly trainIds: readonly number[];
  dataCounts(source: string, key?: string): DataArray;
}

/**
 * name → fraction of the run's trains that have data for it (all mnemonics
 * the run has when `fields` is omitted). Warns (ToolBoxWarning) naming each
 * field that misses more than 5% of the trains.
 */
export function checkDataRate(run: RateRun, fields?: Fields): Record<string, number> {
  const resolved = fields === undefined ? new Map(Object.entries(mnemonicsForRun(run))) : resolveFields(fields, run);
  const total = run.trainIds.length;
  if (total === 0) throw new ToolBoxValueError('the run has no trains; cannot compute data rates');
  const rates: Record<string, number> = {};
  const poor: string[] = [];
  for (const [name, m] of resolved) {
    const counts = run.dataCounts(m.source, m.key).values as ArrayLike<number>;
    let withData = 0;
    for (let i = 0; i < counts.length; i++) if (counts[i] > 0) withData++;
    rates[name] = withData / total;
    if (1 - rates[name] > MISSING_TRAINS_WARNING) poor.push(`${name} (${(100 * (1 - rates[name])).toFixed(1)}% of ${total} trains missing)`);
  }
  if (poor.length) process.emitWarning(`fields with more than ${100 * MISSING_TRAINS_WARNING}% of trains without data: ${poor.join(', ')}`, 'ToolBoxWarning');
  return rates;
}

export interface RunValuesRun extends RunSources {
  readonly controlSources: readonly string[];
  getRunValue(source: string, key: string): unknown;
  getRunValues(source: string): Record<string, unknown>;
}

export interface RunValuesOptions {
  /** 'mnemonics' (default): the values of the toolbox's mnemonics; 'all': every control source's values. */
  which?: 'mnemonics' | 'all';
}
const RUN_VALUES_OPTIONS = optionNames<RunValuesOptions>({ which: true });

/**
 * RUN-section values: per mnemonic whose source is a CONTROL source of this
 * run (`which: 'mnemonics'`), or every control source's values keyed by
 * source (`which: 'all'`). Given (proposal, run) numbers, as the Python
 * toolbox accepts, the run's raw data is opened first and the answer is a Promise.
 */
export function loadRunValues(run: RunValuesRun, options?: RunValuesOptions): Record<string, unknown>;
export function loadRunValues(proposal: number | string, runNB: number | string, options?: RunValuesOptions): Promise<Record<string, unknown>>;
export function loadRunValues(...args: unknown[]): Record<string, unknown> | Promise<Record<string, unknown>> {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const [proposal, runNB, options] = args as [number | string, number | string | undefined, RunValuesOptions | undefined];
    checkOptions('loadRunValues', options, RUN_VALUES_OPTIONS);
    if (runNB === undefined) throw new ParameterError(`loadRunValues(${JSON.stringify(proposal)}) needs the run number too: loadRunValues(proposal, run), or an opened run`, { parameter: 'runNB', value: runNB });
    return openRun(proposal, runNB).then((run) => runValues(run, options));
  }
  const [run, options] = args as [RunValuesRun, RunValuesOptions | undefined];
  return runValues(run, checkOptions('loadRunValues', options, RUN_VALUES_OPTIONS));
}

function runValues(run: RunValuesRun, options: RunValuesOptions = {}): Record<string, unknown> {
  const which = options.which ?? 'mnemonics';
  const control = new Set(run.controlSources);
  if (which === 'all') return Object.fromEntries([...control].map((s) => [s, run.getRunValues(s)]));
  if (which !== 'mnemonics') throw new ParameterError(`which must be 'mnemonics' or 'all', got '${String(which)}'`, { parameter: 'which', value: which, expected: ['mnemonics', 'all'] });
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(mnemonicsForRun(run))) {
    if (control.has(m.source)) out[name] = run.getRunValue(m.source, m.key);
  }
  return out;
}
