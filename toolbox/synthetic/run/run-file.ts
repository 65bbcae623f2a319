/**
 * One EuXFEL run file (raw-data layout) from a RunFileSpec:
 * METADATA, INDEX, CONTROL, RUN and INSTRUMENT as described in
 * docs/run-format.md (METADATA to Format versions, HDF5 features), for format versions
 * 0.5, 1.0, 1.1 and 1.2. The spec is checked completely before the file is
 * touched, and the file appears under its name only once complete.
 */
import { ToolBoxValueError } from '../../errors.js';
import { replaceAtomically, resolveTarget } from '../../io/atomic.js';
import { encodeAttr, writeAttr } from '../../io/attrs.js';
import { type H5, type H5Dataset, type H5File, type H5Group, withH5File } from '../../io/h5file.js';
import { ensureGroup, writeEntries, writeSmall } from './h5-write.js';
import type { ControlSourceSpec, InstrumentSourceSpec, KeyArray, RunFileSpec } from './spec.js';

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Train timestamps when the spec gives none: 10 Hz from a fixed epoch, so files are reproducible. */
export function defaultTimestamp(trainId: bigint): bigint {
  return 1_600_000_000_000_000_000n + trainId * 100_000_000n;
}

/** `YYYYMMDDTHHMMSSZ`, the DAQ's date format. */
export function daqDate(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function fail(spec: RunFileSpec, what: string): never {
  throw new ToolBoxValueError(`cannot write run file ${spec.path}: ${what}`);
}

function checkKey(spec: RunFileSpec, where: string, k: KeyArray, entries: number): void {
  if (!k.entryShape.every((d) => Number.isInteger(d) && d >= 0)) fail(spec, `${where} has a bad entry shape [${k.entryShape}]`);
  if (k.gzip !== undefined && (!Number.isInteger(k.gzip) || k.gzip < 0 || k.gzip > 9)) fail(spec, `${where} has gzip level ${k.gzip}; expected an integer 0-9`);
  if (k.gzip !== undefined && k.dtype === 'string') fail(spec, `${where}: string keys cannot be compressed`);
  if (k.produce && k.dtype !== 'string') return;
  const want = entries * product(k.entryShape);
  if (k.values.length !== want) {
    fail(spec, `${where} has ${k.values.length} values; ${entries} entries of shape [${k.entryShape}] need ${want}`);
  }
}

function controlCounts(spec: RunFileSpec, name: string, src: ControlSourceSpec): number[] {
  const counts = src.counts ?? spec.trainIds.map(() => 1);
  if (counts.length !== spec.trainIds.length) fail(spec, `CONTROL source ${name} has ${counts.length} counts for ${spec.trainIds.length} trains`);
  if (!counts.every((c) => c === 0 || c === 1)) fail(spec, `CONTROL source ${name}: counts must be 0 or 1 (one row per train)`);
  return counts;
}

/** Everything that can be checked without a file. */
function validate(spec: RunFileSpec): void {
  const n = spec.trainIds.length;
  spec.trainIds.forEach((t, i) => {
    if (t <= 0n) fail(spec, `train ID ${t} at position ${i} is not positive (0 marks padding)`);
    if (i > 0 && t <= spec.trainIds[i - 1]) fail(spec, `train IDs must ascend (${spec.trainIds[i - 1]} then ${t})`);
  });
  if (spec.flags && spec.flags.length !== n) fail(spec, `${spec.flags.length} flags for ${n} trains`);
  if (spec.timestamps && spec.timestamps.length !== n) fail(spec, `${spec.timestamps.length} timestamps for ${n} trains`);
  if ((spec.zeroPadding ?? 0) < 0) fail(spec, 'zeroPadding must be >= 0');
  if ((spec.instrumentPadding ?? 0) < 0) fail(spec, 'instrumentPadding must be >= 0');
  for (const [name, src] of Object.entries(spec.control ?? {})) {
    const rows = sum(controlCounts(spec, name, src));
    for (const [k, v] of Object.entries(src.keys)) checkKey(spec, `CONTROL key ${name} ${k}`, v, rows);
    for (const [k, v] of Object.entries(src.run ?? {})) checkKey(spec, `RUN key ${name} ${k}`, v, 1);
  }
  for (const [name, src] of Object.entries(spec.instrument ?? {})) {
    if (!name.includes(':')) fail(spec, `INSTRUMENT source ${name} lacks ':<channel>'`);
    for (const [group, g] of Object.entries(src.indexGroups)) {
      if (g.counts.length !== n) fail(spec, `INSTRUMENT source ${name} group ${group} has ${g.counts.length} counts for ${n} trains`);
      if (!g.counts.every((c) => Number.isInteger(c) && c >= 0)) fail(spec, `INSTRUMENT source ${name} group ${group} has a negative or fractional count`);
      const rows = sum(g.counts);
      for (const [k, v] of Object.entries(g.keys)) checkKey(spec, `INSTRUMENT key ${name} ${group}.${k}`, v, rows);
    }
  }
  for (const [legacy, target] of Object.entries(spec.softLinks ?? {})) {
    if (!spec.instrument?.[target]) fail(spec, `soft link ${legacy} points to ${target}, which is not an INSTRUMENT source of the file`);
    if (spec.instrument[legacy] || spec.control?.[legacy]) fail(spec, `soft link ${legacy} has the name of a real source`);
    if (!legacy.includes(':')) fail(spec, `soft link ${legacy} lacks ':<channel>'`);
  }
}

/** Write the file at spec.path (atomically: a temporary name, renamed when complete). */
export async function writeRunFile(spec: RunFileSpec): Promise<void> {
  validate(spec);
  const target = await resolveTarget(spec.path);
  await replaceAtomically(target, false, async (tmp) => {
    await withH5File(tmp, 'w', (f, h5) => writeSections(f, h5, spec), spec.path);
  });
}

async function writeSections(f: H5File, h5: H5, spec: RunFileSpec): Promise<void> {
  const v = spec.formatVersion;
  const n = spec.trainIds.length;
  const stamps = spec.timestamps ?? spec.trainIds.map(defaultTimestamp);
  const style = spec.indexStyle ?? (v === '0.5' ? 'last-status' : 'count');
  const pad = spec.zeroPadding ?? 0;
  const ctx: Ctx = { f, h5, spec, stamps, style };

  // INDEX: base arrays, chunked and zero-padded like the DAQ's pre-allocated ones.
  const index = ensureGroup(f, 'INDEX');
  const tids = new BigUint64Array(n + pad);
  tids.set(spec.trainIds);
  await writeEntries(f, h5, index, 'trainId', 'uint64', n + pad, [], { values: tids }, 'INDEX/trainId');
  if (v !== '0.5') {
    const ts = new BigUint64Array(n + pad);
    ts.set(stamps);
    await writeEntries(f, h5, index, 'timestamp', 'uint64', n + pad, [], { values: ts }, 'INDEX/timestamp');
    const flags = new Int32Array(n + pad);
    // Format 1.1 stored the flag inverted (non-zero = suspect); the spec's flags mean 1 = good.
    (spec.flags ?? spec.trainIds.map(() => 1)).forEach((fl, i) => { flags[i] = v === '1.1' ? (fl ? 0 : 1) : fl; });
    await writeEntries(f, h5, index, 'flag', 'int32', n + pad, [], { values: flags }, 'INDEX/flag');
    if (v === '1.2') {
      await writeEntries(f, h5, index, 'origin', 'int32', n + pad, [], { values: new Int32Array(n + pad).fill(-1) }, 'INDEX/origin');
    }
  }

  const sources: string[] = [];
  for (const [name, src] of Object.entries(spec.control ?? {})) {
    const wrote = await writeControl(ctx, name, src);
    if (wrote) sources.push(`CONTROL/${name}`);
  }
  for (const [name, src] of Object.entries(spec.instrument ?? {})) {
    for (const group of await writeInstrument(ctx, name, src)) sources.push(`INSTRUMENT/${name}/${group}`);
  }
  for (const [legacy, target] of Object.entries(spec.softLinks ?? {})) {
    for (const section of ['INSTRUMENT', 'INDEX']) softLink(f, `${section}/${legacy}`, `/${section}/${target}`);
  }
  ensureGroup(f, 'CONTROL');
  ensureGroup(f, 'RUN');
  ensureGroup(f, 'INSTRUMENT');
  writeMetadata(ctx, sources);
}

/** An HDF5 soft link at `path` (parents created) pointing at the absolute path `target`. */
function softLink(f: H5File, path: string, target: string): void {
  const cut = path.lastIndexOf('/');
  ensureGroup(f, path.slice(0, cut)).create_soft_link(target, path.slice(cut + 1));
}

interface Ctx { f: H5File; h5: H5; spec: RunFileSpec; stamps: bigint[]; style: 'count' | 'last-status' }

/** INDEX/<path>/{first,count} or, in the old style, {first,last,status}. */
async function writeIndex(ctx: Ctx, path: string, counts: readonly number[]): Promise<void> {
  const { f, h5 } = ctx;
  const g = ensureGroup(f, `INDEX/${path}`);
  const n = counts.length;
  const first = new BigUint64Array(n);
  let pos = 0;
  counts.forEach((c, i) => { first[i] = BigInt(pos); pos += c; });
  await writeEntries(f, h5, g, 'first', 'uint64', n, [], { values: first }, `INDEX/${path}/first`);
  if (ctx.style === 'count') {
    await writeEntries(f, h5, g, 'count', 'uint64', n, [], { values: BigUint64Array.from(counts, BigInt) }, `INDEX/${path}/count`);
    return;
  }
  // Old index: count = (last - first + 1) * status. An empty train gets status 0 and last = first
  // (last = first - 1 would underflow uint64 at first = 0).
  const last = BigUint64Array.from(counts, (c, i) => first[i] + BigInt(Math.max(c, 1) - 1));
  const status = BigUint64Array.from(counts, (c) => (c > 0 ? 1n : 0n));
  await writeEntries(f, h5, g, 'last', 'uint64', n, [], { values: last }, `INDEX/${path}/last`);
  await writeEntries(f, h5, g, 'status', 'uint64', n, [], { values: status }, `INDEX/${path}/status`);
}

function writeAttrs(obj: H5Group | H5Dataset, attrs: KeyArray['attrs'], where: string): void {
  for (const [k, val] of Object.entries(attrs ?? {})) writeAttr(obj, k, encodeAttr(val, `attribute ${k} of ${where}`));
}

async function writeControl(ctx: Ctx, name: string, src: ControlSourceSpec): Promise<boolean> {
  const { f, h5, spec } = ctx;
  const counts = controlCounts(spec, name, src);
  const rows = sum(counts);
  const rowStamps = new BigUint64Array(rows);
  let r = 0;
  counts.forEach((c, i) => { if (c) rowStamps[r++] = ctx.stamps[i]; });
  const keys = Object.entries(src.keys);
  for (const [key, k] of keys) {
    const path = `CONTROL/${name}/${key.replace(/\./g, '/')}`;
    const g = ensureGroup(f, path);
    await writeEntries(f, h5, g, 'value', k.dtype, rows, k.entryShape, k, `${path}/value`);
    await writeEntries(f, h5, g, 'timestamp', 'uint64', rows, [], { values: rowStamps }, `${path}/timestamp`);
    writeAttrs(g, k.attrs, path);
  }
  // RUN holds the value at run start: one row, stamped with the first train's time.
  const runStamp = BigUint64Array.of(ctx.stamps[0] ?? 0n);
  for (const [key, k] of Object.entries(src.run ?? {})) {
    const path = `RUN/${name}/${key.replace(/\./g, '/')}`;
    const g = ensureGroup(f, path);
    await writeEntries(f, h5, g, 'value', k.dtype, 1, k.entryShape, k, `${path}/value`);
    await writeEntries(f, h5, g, 'timestamp', 'uint64', 1, [], { values: runStamp }, `${path}/timestamp`);
    writeAttrs(g, k.attrs, path);
  }
  // A RUN-only source has no index and is not listed in METADATA.
  if (keys.length === 0) return false;
  await writeIndex(ctx, name, counts);
  return true;
}

async function writeInstrument(ctx: Ctx, name: string, src: InstrumentSourceSpec): Promise<string[]> {
  const { f, h5, spec } = ctx;
  const groups: string[] = [];
  for (const [group, grp] of Object.entries(src.indexGroups)) {
    const rows = sum(grp.counts);
    const base = `INSTRUMENT/${name}/${group}`;
    for (const [key, k] of Object.entries(grp.keys)) {
      const parts = key.split('.');
      const leaf = parts.pop()!;
      const g = ensureGroup(f, [base, ...parts].join('/'));
      const ds = await writeEntries(f, h5, g, leaf, k.dtype, rows, k.entryShape, k, `${base}/${key.replace(/\./g, '/')}`, spec.instrumentPadding ?? 0);
      writeAttrs(ds, k.attrs, `${base}/${key}`);
    }
    if (spec.instrumentTrainIds !== false && !('trainId' in grp.keys)) {
      // Redundant with INDEX (readers must not use it), but real files have it.
      const tid = new BigUint64Array(rows);
      let r = 0;
      grp.counts.forEach((c, i) => { tid.fill(spec.trainIds[i], r, r + c); r += c; });
      await writeEntries(f, h5, ensureGroup(f, base), 'trainId', 'uint64', rows, [], { values: tid }, `${base}/trainId`, spec.instrumentPadding ?? 0);
    }
    ensureGroup(f, base);
    await writeIndex(ctx, `${name}/${group}`, grp.counts);
    groups.push(group);
  }
  return groups;
}

function writeMetadata(ctx: Ctx, sources: string[]): void {
  const { f, spec, stamps } = ctx;
  const v = spec.formatVersion;
  const meta = ensureGroup(f, 'METADATA');
  const list = v === '0.5' ? meta : ensureGroup(f, 'METADATA/dataSources');
  const padding = new Array<string>(spec.sourceListPadding ?? 0).fill('');
  const listed = [...sources, ...(spec.extraSourceListEntries ?? [])];
  const ids = [...listed, ...padding];
  const roots = [...listed.map((s) => s.slice(0, Math.max(0, s.indexOf('/')))), ...padding];
  const devices = [...listed.map((s) => s.slice(s.indexOf('/') + 1)), ...padding];
  writeSmall(list, 'dataSourceId', 'string', ids, [ids.length]);
  writeSmall(list, 'root', 'string', roots, [roots.length]);
  writeSmall(list, 'deviceId', 'string', devices, [devices.length]);
  if (v === '0.5') return;
  const m = spec.metadata ?? {};
  const created = m.creationDate ?? daqDate(stamps[0] ?? defaultTimestamp(1n));
  const str = (name: string, value: string) => writeSmall(meta, name, 'string', [value], [1]);
  const u32 = (name: string, value: number) => writeSmall(meta, name, 'uint32', Uint32Array.of(value), [1]);
  str('dataFormatVersion', v);
  str('creationDate', created);
  str('updateDate', m.updateDate ?? created);
  str('daqLibrary', m.daqLibrary ?? '1.9.0');
  str('karaboFramework', m.karaboFramework ?? '2.7.0');
  u32('proposalNumber', m.proposal ?? 0);
  u32('runNumber', m.run ?? 0);
  u32('sequenceNumber', m.sequence ?? 0);
  str('runType', m.runType ?? '');
  str('sample', m.sample ?? '');
}
