/**
 * Resolving mnemonics against a run: the first alternative the run has wins;
 * unknown names fail with the closest known names and with what the run has,
 * so a typo or a device missing from this run is obvious from the message.
 */
import { distance } from 'fastest-levenshtein';
import { MnemonicError, ParameterError, PropertyNameError, SourceNameError } from '../errors.js';
import type { DataCollection } from '../run/data-collection.js';
import { openRun } from '../run/open.js';
import type { KeyData } from '../run/key-data.js';
import { MNEMONICS, type Mnemonic, type MnemonicEntry } from './table.js';

/** The part of a run that mnemonic lookup needs (a DataCollection has it). */
export interface RunSources {
  readonly allSources: Iterable<string>;
  keysForSource(source: string): Iterable<string>;
}

/** A mnemonic name from the table, or a custom `{source, key, dim}`. */
export type MnemonicLike = string | Mnemonic;

function alternatives(entry: MnemonicEntry): readonly Mnemonic[] {
  return Array.isArray(entry) ? (entry as readonly Mnemonic[]) : [entry as Mnemonic];
}

/**
 * Whether the run has a mnemonic's data. CONTROL keys are listed as
 * 'x.value' / 'x.timestamp'; accept 'x' and 'x.value' alike. The run's
 * source list and each source's keys are read once per checker.
 */
function keyChecker(run: RunSources): (m: Mnemonic) => boolean {
  const sources = new Set(run.allSources);
  const keysOf = new Map<string, Set<string>>();
  return (m) => {
    if (!sources.has(m.source)) return false;
    let keys = keysOf.get(m.source);
    if (!keys) keysOf.set(m.source, (keys = new Set(run.keysForSource(m.source))));
    const bare = m.key.endsWith('.value') ? m.key.slice(0, -'.value'.length) : m.key;
    return keys.has(m.key) || keys.has(bare) || keys.has(`${bare}.value`);
  };
}

/** Up to `n` names from `pool` closest to `name` (edit distance, then alphabetical). */
export function closeMatches(name: string, pool: Iterable<string>, n = 3): string[] {
  const lower = name.toLowerCase();
  return [...new Set(pool)]
    .map((c) => [c, distance(lower, c.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([c]) => c);
}

/**
 * The (source, key, dim) a mnemonic stands for. With a run, the first
 * alternative present in the run is chosen and absence is an error; without
 * one, the first alternative is returned.
 */
export function resolveMnemonic(m: MnemonicLike, run?: RunSources): Mnemonic {
  if (typeof m !== 'string') {
    if (!m || typeof m.source !== 'string' || typeof m.key !== 'string') {
      throw new ParameterError(`a custom mnemonic needs string 'source' and 'key' (and 'dim': string[] or null), got ${JSON.stringify(m)}`, { parameter: 'mnemonic', value: m });
    }
    const custom: Mnemonic = { source: m.source, key: m.key, dim: m.dim ?? null };
    if (run && !keyChecker(run)(custom)) throw notInRun(`{source: '${m.source}', key: '${m.key}'}`, [custom], run);
    return custom;
  }
  const entry = MNEMONICS[m];
  if (!entry) {
    const near = closeMatches(m, Object.keys(MNEMONICS));
    const inRun = run ? Object.keys(mnemonicsForRun(run)) : [];
    throw new MnemonicError(
      `unknown mnemonic '${m}'; closest known: ${near.join(', ')}` +
      (run ? `; mnemonics this run has: ${inRun.join(', ') || '(none)'}` : '') +
      `; or give a custom {source, key, dim}`,
      { mnemonic: m, suggestions: near },
    );
  }
  const alts = alternatives(entry);
  if (!run) return alts[0];
  const found = alts.find(keyChecker(run));
  if (!found) throw notInRun(`'${m}'`, alts, run, m);
  return found;
}

/**
 * A known mnemonic (or a custom one) whose data the run lacks: a
 * SourceNameError when no alternative's source is there, else a
 * PropertyNameError for the source that is there without the key.
 */
function notInRun(what: string, alts: readonly Mnemonic[], run: RunSources, mnemonic?: string): SourceNameError | PropertyNameError {
  const sources = [...run.allSources];
  const wanted = alts.map((a) => `${a.source} / ${a.key}`).join(' or ');
  const present = alts.filter((a) => sources.includes(a.source));
  if (present.length) {
    const keys = [...run.keysForSource(present[0].source)];
    const detail = `source ${present[0].source} is there but lacks the key; its keys include: ${keys.slice(0, 12).join(', ')}`;
    return new PropertyNameError(`mnemonic ${what} (${wanted}) is not in this run: ${detail}`, { source: present[0].source, key: present[0].key, available: keys, mnemonic });
  }
  const detail = `no such source; closest sources in this run: ${closeMatches(alts[0].source, sources).join(', ') || '(none)'}`;
  return new SourceNameError(`mnemonic ${what} (${wanted}) is not in this run: ${detail}`, { source: alts[0].source, available: sources, mnemonic });
}

/**
 * The mnemonics whose data this run has, resolved to the alternative present.
 * Given (proposal, run) numbers, as the Python toolbox accepts, the run's raw
 * data is opened first and the answer is a Promise.
 */
export function mnemonicsForRun(run: RunSources): Record<string, Mnemonic>;
export function mnemonicsForRun(proposal: number | string, runNB: number | string): Promise<Record<string, Mnemonic>>;
export function mnemonicsForRun(propOrRun: RunSources | number | string, runNB?: number | string): Record<string, Mnemonic> | Promise<Record<string, Mnemonic>> {
  if (typeof propOrRun === 'number' || typeof propOrRun === 'string') {
    if (runNB === undefined) throw new ParameterError(`mnemonicsForRun(${JSON.stringify(propOrRun)}) needs the run number too: mnemonicsForRun(proposal, run), or an opened run`, { parameter: 'runNB', value: runNB });
    return openRun(propOrRun, runNB).then((run) => mnemonicsForRun(run));
  }
  const out: Record<string, Mnemonic> = {};
  const has = keyChecker(propOrRun);
  for (const [name, entry] of Object.entries(MNEMONICS)) {
    const found = alternatives(entry).find(has);
    if (found) out[name] = found;
  }
  return out;
}

/**
 * The KeyData of a mnemonic in this run (the first alternative the run has):
 * `mnemonicKeyData(run, 'SCS_SA3').shape`, `.dataCounts()`, `.xarray()`.
 */
export function mnemonicKeyData(run: DataCollection, m: MnemonicLike): KeyData {
  const found = resolveMnemonic(m, run);
  return run.get(found.source, found.key);
}
