/**
 * Text representations of DataArray and Dataset, laid out like xarray's repr
 * (header with dims, numpy-style data block, Coordinates with `*` marking
 * index coordinates, dims without coordinates, Attributes) so output in a
 * notebook or terminal reads like the Python toolbox's. HTML lives in
 * repr-html.ts.
 */
import type { Attrs, DataArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
import { formatArrayFlat, limitLines, numpyRepr, pyRepr, pyStr } from './format-values.js';
import { isIndexCoord } from './common.js';

export { htmlDataArray, htmlDataset } from './repr-html.js';

const DISPLAY_WIDTH = 80;
const MAX_ROWS = 12;

function maybeTruncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

function prettyPrint(s: string, n: number): string {
  const t = maybeTruncate(s, n);
  return t + ' '.repeat(Math.max(n - t.length, 0));
}

function colWidth(names: Iterable<string>): number {
  let max = 0;
  for (const n of names) max = Math.max(max, n.length);
  return Math.max(max, 7) + 6;
}

/** Join items with ', ', wrapping to lines indented by `indent` (xarray's _element_formatter). */
function wrapElements(items: string[], indent: number, maxRows = MAX_ROWS): string {
  const rows = [''];
  let len = 0;
  items.forEach((v, i) => {
    const piece = v + (i < items.length - 1 ? ', ' : '');
    len += piece.length;
    if (indent + len > DISPLAY_WIDTH) {
      rows[rows.length - 1] = rows[rows.length - 1].trimEnd();
      rows.push(`\n${' '.repeat(indent)}${piece}`);
      len = piece.length;
    } else {
      rows[rows.length - 1] += piece;
    }
  });
  if (rows.length > maxRows) {
    const first = Math.ceil(maxRows / 2), last = Math.floor(maxRows / 2);
    return [...rows.slice(0, first), `\n${' '.repeat(indent)}...`, ...rows.slice(-last)].join('');
  }
  return rows.join('');
}

/** One row of Coordinates / Data variables: name, dims, dtype and leading values. */
export function summarizeVariable(name: string, v: DataArray, width: number, index: boolean): string {
  const first = prettyPrint(`  ${index ? '*' : ' '} ${name} `, width);
  const dims = v.dims.length ? `(${v.dims.join(', ')}) ` : '';
  const front = `${first}${dims}${v.dtype} `;
  return front + formatArrayFlat(v.values, v.dtype, DISPLAY_WIDTH - front.length);
}

function mappingRepr<T>(title: string, entries: [string, T][], width: number, row: (name: string, v: T) => string, emptyText?: string): string {
  const out = [`${title}:`];
  if (entries.length === 0) {
    if (emptyText !== undefined) out.push(emptyText);
  } else if (entries.length > MAX_ROWS) {
    const first = Math.ceil(MAX_ROWS / 2), last = Math.floor(MAX_ROWS / 2);
    out[0] = `${title}: (${MAX_ROWS}/${entries.length})`;
    out.push(...entries.slice(0, first).map(([n, v]) => row(n, v)));
    out.push(`${prettyPrint('    ...', width)} ...`);
    out.push(...entries.slice(-last).map(([n, v]) => row(n, v)));
  } else {
    out.push(...entries.map(([n, v]) => row(n, v)));
  }
  return out.join('\n');
}

function coordsRepr(coords: [string, DataArray][], width: number): string {
  return mappingRepr('Coordinates', coords, width, (n, v) => summarizeVariable(n, v, width, isIndexCoord(n, v)));
}

function attrsRepr(attrs: Attrs): string {
  const entries = Object.entries(attrs);
  const width = colWidth(Object.keys(attrs));
  return mappingRepr('Attributes', entries, width, (k, v) => {
    const key = prettyPrint(`    ${k}:`, width);
    const value = pyStr(v).replace(/\t/g, '\\t').replace(/\n/g, '\\n');
    return maybeTruncate(`${key} ${value}`, DISPLAY_WIDTH);
  });
}

function unindexedDims(dims: readonly string[], coords: Record<string, DataArray>): string | null {
  const missing = dims.filter((d) => !(d in coords));
  if (missing.length === 0) return null;
  const start = 'Dimensions without coordinates: ';
  return start + wrapElements(missing, start.length);
}

/** xarray's DataArray repr with the header `<DataArray 'name' (dim: n, ...)>`. */
export function formatDataArray(da: DataArray): string {
  const start = `<DataArray ${da.name !== null ? `${pyRepr(da.name)} ` : ''}`;
  const dims = wrapElements(da.dims.map((d, i) => `${d}: ${da.shape[i]}`), start.length + 1);
  const out = [`${start}(${dims})>`, limitLines(numpyRepr(da.values, da.shape, da.dtype), 40)];
  const coords = Object.entries(da.coords);
  if (coords.length) out.push(coordsRepr(coords, colWidth(coords.map(([n]) => n))));
  const unindexed = unindexedDims(da.dims, da.coords);
  if (unindexed) out.push(unindexed);
  if (Object.keys(da.attrs).length) out.push(attrsRepr(da.attrs));
  return out.join('\n');
}

/** xarray's Dataset repr with the header `<Dataset>`. */
export function formatDataset(ds: Dataset): string {
  const coords = Object.entries(ds.coords);
  const vars = ds.dataVars.map((n) => [n, ds.variable(n)] as [string, DataArray]);
  const width = colWidth([...coords.map(([n]) => n), ...vars.map(([n]) => n)]);
  const sizes = Object.entries(ds.sizes);
  const out = ['<Dataset>', `${prettyPrint('Dimensions:', width)}(${wrapElements(sizes.map(([d, n]) => `${d}: ${n}`), width + 1)})`];
  if (coords.length) out.push(coordsRepr(coords, width));
  const unindexed = unindexedDims(sizes.map(([d]) => d), ds.coords);
  if (unindexed) out.push(unindexed);
  out.push(mappingRepr('Data variables', vars, width, (n, v) => summarizeVariable(n, v, width, false), '    *empty*'));
  if (Object.keys(ds.attrs).length) out.push(attrsRepr(ds.attrs));
  return out.join('\n');
}
