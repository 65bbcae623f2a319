/**
 * Where the injected-parameters cell goes (papermill's rules): it replaces
 * the injected cell of an earlier run in place; otherwise it follows the
 * first cell tagged `parameters`; otherwise it goes at the top, with a
 * warning. No cell is added when there are no parameters.
 */
import { hasTag, newCodeCell } from '../notebook/cells.js';
import type { Cell, CodeCell, Notebook } from '../notebook/types.js';
import { type Warn, defaultWarn } from '../warnings.js';

const PARAMETERS_TAG = 'parameters';
const INJECTED_TAG = 'injected-parameters';

export function parametersCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((c) => hasTag(c, PARAMETERS_TAG));
}

export type Placement = 'replaced' | 'after-parameters' | 'top' | 'none';

export function injectParametersCell(
  nb: Notebook, source: string | undefined, warn: Warn = defaultWarn,
): { placement: Placement; cell?: CodeCell } {
  if (source === undefined) return { placement: 'none' };
  const cell = newCodeCell(nb, source, [INJECTED_TAG]);
  const old = nb.cells.findIndex((c: Cell) => hasTag(c, INJECTED_TAG));
  if (old >= 0) {
    // papermill keeps the new cell; the old id goes with the old cell
    nb.cells[old] = cell;
    return { placement: 'replaced', cell };
  }
  const params = parametersCellIndex(nb);
  if (params >= 0) {
    nb.cells.splice(params + 1, 0, cell);
    return { placement: 'after-parameters', cell };
  }
  warn('input notebook does not contain a cell with tag "parameters"; the injected-parameters cell goes at the top');
  nb.cells.unshift(cell);
  return { placement: 'top', cell };
}
