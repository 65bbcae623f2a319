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

/**
 * Where to ask the compiler, best first: the cursor; the character before it (the cursor
 * right after a name); the callee of the innermost call whose arguments hold the cursor.
 * Frontends ask with the cursor where the user stands: the classic Notebook sends Shift+Tab
 * typed just after `tb.getXgm(` (often `tb.getXgm(|)` with the bracket auto-closed), where
 * the compiler knows nothing, and users expect the function's signature there, as IPython
 * gives it.
 */
export function inspectPositions(code: string, cursorPos: number): number[] {
  const positions = [cursorPos];
  if (cursorPos > 0) positions.push(cursorPos - 1);
  let depth = 0;
  for (let i = Math.min(cursorPos, code.length) - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ')') depth++;
    else if (c === '(' && depth > 0) depth--;
    else if (c === '(') {
      let end = i;
      while (end > 0 && /\s/.test(code[end - 1]!)) end--;
      if (end > 0) positions.push(end - 1);
      break;
    }
  }
  return positions;
}

export function inspectReply(tslab: Tslab, executor: Executor, code: string, cursorPos: number): Record<string, unknown> {
  let info: QuickInfo | undefined;
  for (const pos of inspectPositions(code, cursorPos)) {
    info = executor.inspect(code, pos) as QuickInfo | undefined;
    if (info) break;
  }
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
