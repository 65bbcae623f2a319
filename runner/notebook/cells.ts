/**
 * Small helpers over cells: source text, tags, fresh nbformat 4.5 cell ids.
 */
import { randomBytes } from 'node:crypto';
import type { Cell, CodeCell, MarkdownCell, MultilineString, Notebook } from './types.js';

/** The text of a multiline string (nbformat allows a string or a list of lines). */
export function joinSource(source: MultilineString | undefined): string {
  return Array.isArray(source) ? source.join('') : (source ?? '');
}

/** A random 8-hex-digit id, as nbformat's own random_cell_id makes. */
export function newCellId(taken?: Set<string>): string {
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken?.has(id)) return id;
  }
}

export function hasTag(cell: Cell, tag: string): boolean {
  return Array.isArray(cell.metadata.tags) && cell.metadata.tags.includes(tag);
}

function cellIds(nb: Notebook): Set<string> {
  return new Set(nb.cells.map((c) => c.id).filter(Boolean));
}

export function newCodeCell(nb: Notebook, source: string, tags: string[] = []): CodeCell {
  return { id: newCellId(cellIds(nb)), cell_type: 'code', source, metadata: { tags }, outputs: [], execution_count: null };
}

export function newMarkdownCell(nb: Notebook, source: string, tags: string[] = []): MarkdownCell {
  return { id: newCellId(cellIds(nb)), cell_type: 'markdown', source, metadata: { tags } };
}
