/**
 * Options objects checked at run time: one mechanism for every public
 * function. TypeScript rejects unknown option names at compile time, but
 * plain-JS callers (and notebook users who ignore a type error) would
 * otherwise see a misspelt or Python-style name silently ignored. Each public
 * function lists its option names once with `optionNames` (the compiler
 * checks that the list matches the options type) and calls `checkOptions` on
 * entry.
 */
import { OptionsError } from './errors.js';
import { closeMatches } from './names.js';

declare const optionsOf: unique symbol;

/** The option names of options type T, as a run-time list. */
export type OptionNames<T> = readonly string[] & { readonly [optionsOf]?: T };

/**
 * Lists the names of options type T. Every key of T must be there and no
 * other (the object literal's excess-property check), so the list cannot
 * drift from the type.
 */
export function optionNames<T extends object>(names: { readonly [K in keyof Required<T>]: true }): OptionNames<T> {
  return Object.freeze(Object.keys(names)) as OptionNames<T>;
}

/** Merges the names of several options types (a function whose options extend others). */
export function mergeOptionNames<T extends object>(...lists: readonly OptionNames<Partial<T>>[]): OptionNames<T> {
  return Object.freeze([...new Set(lists.flat())]) as OptionNames<T>;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array (${value.length} items)`;
  if (typeof value === 'string') return `the string '${value}'`;
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'non-plain object'}`;
  return `${typeof value} ${String(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks an options argument of public function `fn`: undefined and null mean
 * none; anything but a plain object, or a key not in `names`, is an
 * OptionsError (a ToolBoxTypeError) naming the function, the key and the
 * close matches. Keys whose value is undefined count as absent only if known.
 */
export function checkOptions<T extends object>(fn: string, options: NoInfer<T> | undefined | null, names: OptionNames<T>): T {
  if (options === undefined || options === null) return {} as T;
  const accepted = `{ ${names.join(', ')} }`;
  if (!isPlainObject(options)) {
    throw new OptionsError(`${fn}: options must be an object such as ${accepted}, got ${describe(options)}`, {
      functionName: fn, unknown: [], accepted: names, suggestions: [], dtype: Array.isArray(options) ? 'array' : typeof options,
    });
  }
  const unknown = Object.keys(options).filter((k) => !names.includes(k));
  if (unknown.length === 0) return options;
  const suggestions = closeMatches(unknown[0], names);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
  const what = unknown.length === 1 ? `unknown option '${unknown[0]}'` : `unknown options ${unknown.map((k) => `'${k}'`).join(', ')}`;
  throw new OptionsError(`${fn}: ${what}.${hint} ${fn} accepts ${names.length ? accepted : 'no options'}.`, {
    functionName: fn, unknown, accepted: names, suggestions,
  });
}
