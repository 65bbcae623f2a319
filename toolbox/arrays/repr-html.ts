/**
 * HTML summaries of DataArray and Dataset for notebook output areas: one
 * self-contained <div> with inline styles only (no <style>, no scripts), so it
 * survives JupyterLab's sanitizer for untrusted output and follows the
 * JupyterLab theme through its CSS variables. <details> gives collapsible
 * sections without JavaScript. Every piece of text is escaped.
 */
import type { AttrValue, Attrs, DataArray } from './dataarray.js';
import type { Dataset } from './dataset.js';
import { formatArrayFlat, formatItem, numpyRepr, pyStr } from './format-values.js';
import { indexCoordOf, isIndexCoord } from './common.js';

const FG = 'var(--jp-content-font-color0, inherit)';
const MUTED = 'var(--jp-content-font-color2, #666)';
const BORDER = 'var(--jp-border-color2, #ddd)';
const ROOT = `font-family: var(--jp-code-font-family, Menlo, Consolas, monospace); font-size: 12px; line-height: 1.5; color: ${FG}; max-width: 100%; overflow-x: auto;`;
const TABLE = 'border-collapse: collapse; margin: 2px 0 6px 12px; font-size: 12px;';
const TD_WRAP = 'padding: 1px 10px 1px 0; text-align: left; vertical-align: top; border: none;';
const TD = `${TD_WRAP} white-space: nowrap;`;
// Preview cells carry short inline styles: they are many, and JupyterLab's own
// table rules (padding 0.5em, right alignment) apply unless overridden per cell.
const TD_NUM = 'padding: 1px 6px;';
const TH_NUM = `padding: 1px 6px; color: ${MUTED};`;
const PREVIEW_TABLE = `${TABLE} white-space: nowrap; text-align: right; border: 1px solid ${BORDER};`;
const SUMMARY = 'cursor: pointer; font-weight: 600; margin: 2px 0;';
const PREVIEW_WIDTH = 60;
const EDGE = 5;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function dimsText(dims: readonly string[], shape: readonly number[]): string {
  return `(${dims.map((d, i) => `${d}: ${shape[i]}`).join(', ')})`;
}

function section(title: string, count: number, body: string, open = true): string {
  return `<details${open ? ' open' : ''} style="margin: 2px 0;"><summary style="${SUMMARY}">${escapeHtml(title)} <span style="color: ${MUTED}; font-weight: normal;">(${count})</span></summary>${body}</details>`;
}

function variableRows(entries: [string, DataArray][], indexOf: (n: string, v: DataArray) => boolean): string {
  const rows = entries.map(([n, v]) => {
    const mark = indexOf(n, v) ? '<b>*</b> ' : '&nbsp;&nbsp;';
    const dims = v.dims.length ? `(${v.dims.join(', ')})` : '';
    return `<tr><td style="${TD}">${mark}<b>${escapeHtml(n)}</b></td><td style="${TD} color: ${MUTED};">${escapeHtml(dims)}</td>`
      + `<td style="${TD} color: ${MUTED};">${escapeHtml(v.dtype)}</td><td style="${TD}">${escapeHtml(formatArrayFlat(v.values, v.dtype, PREVIEW_WIDTH))}</td></tr>`;
  });
  return `<table style="${TABLE}">${rows.join('')}</table>`;
}

function attrsBlock(attrs: Attrs): string {
  const rows = Object.entries(attrs).map(([k, v]: [string, AttrValue]) => {
    let text = pyStr(v);
    if (text.length > 500) text = `${text.slice(0, 497)}...`;
    return `<tr><td style="${TD} color: ${MUTED};">${escapeHtml(k)}:</td><td style="${TD_WRAP} white-space: pre-wrap;">${escapeHtml(text)}</td></tr>`;
  });
  return `<table style="${TABLE}">${rows.join('')}</table>`;
}

/** Positions to show along an axis of length n: all, or the first and last EDGE with a gap (-1). */
function shown(n: number): number[] {
  if (n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

function axisLabel(da: DataArray, dim: string, i: number): string {
  const c = indexCoordOf(da.coords, dim);
  if (c) return formatItem(c.values[i], c.dtype);
  return String(i);
}

/** A small table of the values of a 1-D or 2-D array, labelled by its index coordinates. */
function previewTable(da: DataArray): string {
  const [rowsDim, colsDim] = da.dims;
  const nRows = da.shape[0], nCols = da.ndim === 2 ? da.shape[1] : 1;
  const rowPos = shown(nRows), colPos = da.ndim === 2 ? shown(nCols) : [0];
  const cell = (r: number, c: number) => escapeHtml(formatItem(da.values[r * nCols + c], da.dtype));
  const gap = `<td style="${TD_NUM} color: ${MUTED};">&hellip;</td>`;
  const corner = escapeHtml(da.ndim === 2 ? `${rowsDim} \\ ${colsDim}` : rowsDim);
  const head = `<tr style="border-bottom: 1px solid ${BORDER};"><th style="${TH_NUM}">${corner}</th>${da.ndim === 2
    ? colPos.map((c) => (c < 0 ? gap : `<th style="${TH_NUM}">${escapeHtml(axisLabel(da, colsDim, c))}</th>`)).join('')
    : `<th style="${TH_NUM}">${escapeHtml(da.name ?? '')}</th>`}</tr>`;
  const body = rowPos.map((r) => {
    if (r < 0) return `<tr>${gap}${colPos.map(() => gap).join('')}</tr>`;
    const label = `<th style="${TH_NUM}">${escapeHtml(axisLabel(da, rowsDim, r))}</th>`;
    return `<tr>${label}${colPos.map((c) => (c < 0 ? gap : `<td style="${TD_NUM}">${cell(r, c)}</td>`)).join('')}</tr>`;
  });
  return `<table style="${PREVIEW_TABLE}">${head}${body.join('')}</table>`;
}

function dataBlock(da: DataArray): string {
  if ((da.ndim === 1 || da.ndim === 2) && da.size > 0) return previewTable(da);
  return `<pre style="margin: 2px 0 6px 12px; font-size: 12px; color: ${FG}; background: transparent;">${escapeHtml(numpyRepr(da.values, da.shape, da.dtype))}</pre>`;
}

function unindexedLine(dims: readonly string[], coords: Record<string, DataArray>): string {
  const missing = dims.filter((d) => !(d in coords));
  if (missing.length === 0) return '';
  return `<div style="margin: 2px 0;"><b>Dimensions without coordinates:</b> ${escapeHtml(missing.join(', '))}</div>`;
}

function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** HTML summary of a DataArray: header, data preview, coordinates, attributes. */
export function htmlDataArray(da: DataArray): string {
  const name = da.name !== null ? ` <span>&#39;${escapeHtml(da.name)}&#39;</span>` : '';
  const parts = [
    `<div style="font-weight: 600; font-size: 13px;">DataArray${name} <span style="color: ${MUTED}; font-weight: normal;">${escapeHtml(dimsText(da.dims, da.shape))}</span></div>`,
    `<div style="color: ${MUTED};">${escapeHtml(`${da.dtype}, ${formatBytes(da.nbytes)}`)}</div>`,
    dataBlock(da),
  ];
  const coords = Object.entries(da.coords);
  if (coords.length) parts.push(section('Coordinates', coords.length, variableRows(coords, isIndexCoord)));
  parts.push(unindexedLine(da.dims, da.coords));
  const nAttrs = Object.keys(da.attrs).length;
  if (nAttrs) parts.push(section('Attributes', nAttrs, attrsBlock(da.attrs), nAttrs <= 10));
  return `<div style="${ROOT}">${parts.join('')}</div>`;
}

/** HTML summary of a Dataset: dims, coordinates, data variables, attributes. */
export function htmlDataset(ds: Dataset): string {
  const sizes = Object.entries(ds.sizes);
  const coords = Object.entries(ds.coords);
  const vars = ds.dataVars.map((n) => [n, ds.variable(n)] as [string, DataArray]);
  const parts = [
    `<div style="font-weight: 600; font-size: 13px;">Dataset <span style="color: ${MUTED}; font-weight: normal;">${escapeHtml(dimsText(sizes.map(([d]) => d), sizes.map(([, n]) => n)))}</span></div>`,
    `<div style="color: ${MUTED};">${escapeHtml(formatBytes(ds.nbytes))}</div>`,
  ];
  if (coords.length) parts.push(section('Coordinates', coords.length, variableRows(coords, isIndexCoord)));
  parts.push(unindexedLine(sizes.map(([d]) => d), ds.coords));
  parts.push(section('Data variables', vars.length, vars.length ? variableRows(vars, () => false) : `<div style="margin-left: 12px; color: ${MUTED};">(empty)</div>`));
  const nAttrs = Object.keys(ds.attrs).length;
  if (nAttrs) parts.push(section('Attributes', nAttrs, attrsBlock(ds.attrs), nAttrs <= 10));
  return `<div style="${ROOT}">${parts.join('')}</div>`;
}
