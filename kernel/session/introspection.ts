/** complete, inspect and is_complete replies, from tslab's compiler services. */
import { type Completeness, isComplete } from './completeness.js';
import type { Executor, Tslab } from './tslab.js';

interface CompletionEntry {
  name: string;
  kind?: string;
}

export function completeReply(executor: Executor, code: string, cursorPos: number): Record<string, unknown> {
  const info = executor.complete(code, cursorPos);
  const kinds = new Map<string, string>();
  for (const entry of (info.original?.entries ?? []) as CompletionEntry[]) if (entry.kind) kinds.set(entry.name, entry.kind);
  return {
    status: 'ok',
    matches: info.candidates,
    cursor_start: info.start,
    cursor_end: info.end,
    metadata: {
      _jupyter_types_experimental: info.candidates.map((text) => ({ start: info.start, end: info.end, text, type: kinds.get(text) ?? '' })),
    },
  };
}

export function inspectReply(tslab: Tslab, executor: Executor, code: string, cursorPos: number): Record<string, unknown> {
  const info = executor.inspect(code, cursorPos) as QuickInfo | undefined;
  if (!info) return { status: 'ok', found: false, data: {}, metadata: {} };
  const signature = (info.displayParts ?? []).map((p) => p.text).join('');
  const docs = (info.documentation ?? []).map((p) => p.text).join('');
  const tags = (info.tags ?? []).map((t) => `*@${t.name}* ${(t.text ?? []).map((p) => p.text).join('')}`);
  const markdown = ['```typescript', signature, '```', ...(docs ? ['', docs] : []), ...(tags.length ? ['', ...tags] : [])].join('\n');
  return {
    status: 'ok',
    found: true,
    data: { 'text/plain': tslab.printQuickInfo(info), 'text/markdown': markdown },
    metadata: {},
  };
}

interface QuickInfo {
  displayParts?: { text: string }[];
  documentation?: { text: string }[];
  tags?: { name: string; text?: { text: string }[] }[];
}

export function isCompleteReply(tslab: Tslab, code: string): Completeness {
  return isComplete(tslab.compiler, code);
}
