/**
 * Once-per-run values: the RUN section (device configuration at run start)
 * and the METADATA datasets. EXtra-data reads both from a single file (the
 * first one holding the source), so do we.
 */
import type { FileAccess } from './file-access.js';
import type { H5Group } from '../io/h5file.js';

export type RunValue = number | bigint | string | boolean | ArrayLike<number | bigint> | string[];

/** First row of a dataset as a scalar, or the row as an array when entries are arrays. */
function firstRow(fa: FileAccess, path: string): RunValue {
  const { shape } = fa.datasetInfo(path);
  const v = fa.read(path) as unknown;
  const rowLen = shape.slice(1).reduce((a, b) => a * b, 1);
  const scalarEntry = shape.length <= 1;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return scalarEntry ? String(v[0]).trim() : v.slice(0, rowLen).map((x) => String(x).trim());
  const arr = v as ArrayLike<number | bigint> & { subarray(a: number, b: number): ArrayLike<number | bigint> };
  if (scalarEntry) return arr[0];
  return arr.subarray(0, rowLen);
}

/** Datasets below `base` as 'a.b.value'-style keys. */
function walkDatasets(fa: FileAccess, base: string, prefix: string, out: string[]): void {
  if (!fa.isGroup(base)) return;
  const g = fa.file().get(base) as H5Group;
  for (const name of g.keys()) {
    const p = `${base}/${name}`;
    const key = prefix ? `${prefix}.${name}` : name;
    if (fa.isGroup(p)) walkDatasets(fa, p, key, out);
    else out.push(key);
  }
}

export function runKeys(fa: FileAccess, source: string): string[] {
  const keys: string[] = [];
  walkDatasets(fa, `/RUN/${source}`, '', keys);
  return keys.sort();
}

export function runValue(fa: FileAccess, source: string, key: string): RunValue {
  return firstRow(fa, `/RUN/${source}/${key.replace(/\./g, '/')}`);
}

/** Every dataset directly in METADATA/ (format >= 1.0); 0.5 files only get dataFormatVersion. */
export function runMetadata(fa: FileAccess): Record<string, RunValue> {
  const out: Record<string, RunValue> = { dataFormatVersion: fa.formatVersion };
  if (fa.formatVersion === '0.5') return out;
  const g = fa.file().get('/METADATA') as H5Group;
  for (const name of g.keys()) {
    const p = `/METADATA/${name}`;
    if (fa.isGroup(p)) continue;
    const v = firstRow(fa, p);
    out[name] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}
