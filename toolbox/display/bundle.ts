/**
 * The mime bundle of any value: what a notebook shows for it. Displayable
 * objects describe themselves; everything else becomes text, shortened so a
 * huge object cannot flood an output area.
 */
import { inspect } from 'node:util';
import { type DisplayOutput, MIME_BUNDLE, isDisplayable } from './mime.js';

/** util.inspect limits for values without a rich representation. */
const INSPECT = { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 } as const;

export function plainText(value: unknown): string {
  return typeof value === 'string' ? value : inspect(value, INSPECT);
}

/** The value's bundle; always carries text/plain (the one format every front end shows). */
export async function mimeBundleOf(value: unknown): Promise<DisplayOutput> {
  if (!isDisplayable(value)) return { data: { 'text/plain': plainText(value) } };
  const out = await value[MIME_BUNDLE]();
  const data = { ...out.data };
  if (typeof data['text/plain'] !== 'string') data['text/plain'] = plainText(value);
  return out.metadata ? { data, metadata: out.metadata } : { data };
}
