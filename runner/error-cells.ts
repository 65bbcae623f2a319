/**
 * papermill's two markdown cells marking a failure: a red banner at the top
 * linking to an anchor right before the failing cell. Both carry a tag so a
 * re-run of the output notebook removes them first.
 */
import { hasTag, newMarkdownCell } from './notebook/cells.js';
import type { Notebook } from './notebook/types.js';

const ERROR_CELL_TAG = 'papermill-error-cell-tag';
const ANCHOR = 'papermill-error-cell';

export function removeErrorCells(nb: Notebook): number {
  const before = nb.cells.length;
  nb.cells = nb.cells.filter((c) => !hasTag(c, ERROR_CELL_TAG));
  return before - nb.cells.length;
}

export function addErrorCells(nb: Notebook, failedIndex: number, execCount: number | null): void {
  const banner = newMarkdownCell(nb, `<span style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">`
    + `An Exception was encountered at '<a href="#${ANCHOR}">In [${execCount ?? ' '}]</a>'.</span>`, [ERROR_CELL_TAG]);
  const anchor = newMarkdownCell(nb, `<span id="${ANCHOR}" style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;">`
    + 'Execution using papermill encountered an exception here and stopped:</span>', [ERROR_CELL_TAG]);
  nb.cells.splice(failedIndex, 0, anchor);
  nb.cells.unshift(banner);
}
