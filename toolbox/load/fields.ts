/**
 * The `fields` argument of load() and checkDataRate() as the Python toolbox
 * takes it: a mnemonic name, a list of names and/or `{name: {source, key,
 * dim}}` objects for custom mnemonics. Normalised to name → mnemonic.
 */
import { ParameterError, ToolBoxTypeError } from '../errors.js';
import type { Mnemonic } from '../mnemonics/table.js';
import { type MnemonicLike, type RunSources, resolveMnemonic } from '../mnemonics/lookup.js';

export type FieldSpec = string | Record<string, Mnemonic>;
export type Fields = FieldSpec | FieldSpec[];

/** name → what it stands for (not yet resolved against a run). */
export function normalizeFields(fields: Fields): Map<string, MnemonicLike> {
  const out = new Map<string, MnemonicLike>();
  const add = (name: string, m: MnemonicLike) => {
    if (out.has(name)) throw new ParameterError(`field '${name}' is given twice`, { parameter: 'fields', value: name });
    out.set(name, m);
  };
  for (const f of Array.isArray(fields) ? fields : [fields]) {
    if (typeof f === 'string') add(f, f);
    else if (f && typeof f === 'object') for (const [name, m] of Object.entries(f)) add(name, m);
    else throw new ToolBoxTypeError(`fields must be mnemonic names or {name: {source, key, dim}} objects, got ${String(f)}`);
  }
  return out;
}

/** Resolve every field against the run; errors name the field and list what the run has. */
export function resolveFields(fields: Fields, run: RunSources): Map<string, Mnemonic> {
  const out = new Map<string, Mnemonic>();
  for (const [name, m] of normalizeFields(fields)) out.set(name, resolveMnemonic(m, run));
  return out;
}
