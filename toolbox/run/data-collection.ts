/**
 * A run (or part of one) as EXtra-data's DataCollection: files, the selected
 * trains (ascending) and the selected sources/keys. Selections return new
 * collections sharing the open files, so narrowing is cheap.
 *
 * Train IDs are uint64 in the files. `trainIds` gives numbers (real IDs are
 * ~1e9, far below 2^53); `trainIdsExact` and every `trainId` coordinate keep
 * them as BigUint64Array (dtype uint64, as numpy gives in EXtra-data).
 */
import { DataArray } from '../arrays/dataarray.js';
import { PropertyNameError, SourceNameError, ToolBoxValueError } from '../errors.js';
import type { FileAccess } from './file-access.js';
import { globToRegExp } from './glob.js';
import { suggest } from '../names.js';
import { CHUNK_OPTIONS, KeyData, type ChunkOptions } from './key-data.js';
import { READ_OPTIONS, type KeyLocation, type ReadOptions } from './key-read.js';
import { checkOptions } from '../options.js';
import { runKeys, runMetadata, runValue, type RunValue } from './run-values.js';
import { SourceData } from './source-data.js';
import { SPLIT_OPTIONS, labelledCounts, resolveTrains, trainRanges, type SplitOptions, type TrainSelection } from './train-select.js';
import { summary } from './info.js';

export type { ChunkOptions } from './key-data.js';

export interface SourceInfo {
  section: 'CONTROL' | 'INSTRUMENT';
  /** Files listing the source, by file name (so sequence order). */
  files: FileAccess[];
}

/** State shared by a collection and everything selected from it. */
export interface RunFiles {
  files: FileAccess[];
  sources: Map<string, SourceInfo>;
  incSuspectTrains: boolean;
  /** Files skipped as unreadable (skipBadFiles), with the reason. */
  skipped: { file: string; reason: string }[];
  /** Run folder(s), for messages. */
  where: string;
  /**
   * Legacy source name → the source it aliases (HDF5 soft links in proc
   * files, `…/DET/<m>CH0:xtdf` → `…/CORR/<m>CH0:output`). Accepted wherever a
   * source name is, with a warning, but not listed among the sources: the
   * data are counted once, under the new name.
   */
  legacy?: Map<string, string>;
}

const warnedLegacy = new Set<string>();

const NAT = -(2n ** 63n);

export class DataCollection {
  /** Source → selected keys (null = all keys). */
  private readonly selection: ReadonlyMap<string, ReadonlySet<string> | null>;

  /** `runFiles`: the open files and their sources, shared by every collection selected from this one. */
  constructor(readonly runFiles: RunFiles, readonly trainIdsExact: BigUint64Array, selection?: ReadonlyMap<string, ReadonlySet<string> | null>) {
    this.selection = selection ?? new Map([...runFiles.sources.keys()].map((s) => [s, null]));
  }

  private trainIdNumbers?: readonly number[];

  /** Selected train IDs, ascending, as numbers (frozen: computed once per collection). */
  get trainIds(): readonly number[] {
    this.trainIdNumbers ??= Object.freeze(Array.from(this.trainIdsExact, Number));
    return this.trainIdNumbers;
  }

  get files(): string[] {
    return this.runFiles.files.map((f) => f.path);
  }

  get skippedFiles(): { file: string; reason: string }[] {
    return [...this.runFiles.skipped];
  }

  private sourcesIn(section: SourceInfo['section']): string[] {
    return [...this.selection.keys()].filter((s) => this.runFiles.sources.get(s)?.section === section).sort();
  }

  get controlSources(): string[] {
    return this.sourcesIn('CONTROL');
  }

  get instrumentSources(): string[] {
    return this.sourcesIn('INSTRUMENT');
  }

  get allSources(): string[] {
    return [...this.selection.keys()].sort();
  }

  /** Legacy names (soft links) → the source each stands for, among the selected sources. */
  get legacySources(): Record<string, string> {
    return Object.fromEntries([...(this.runFiles.legacy ?? [])].filter(([, t]) => this.selection.has(t)).sort());
  }

  /** The source a name stands for: itself, or the new name of a legacy alias (warned about once per name). */
  canonicalSource(source: string): string {
    if (this.selection.has(source)) return source;
    const target = this.runFiles.legacy?.get(source);
    if (target === undefined || !this.selection.has(target)) return source;
    if (!warnedLegacy.has(source)) {
      warnedLegacy.add(source);
      process.emitWarning(`${source} is a legacy name for ${target} (a soft link in the proc files); use the new name`, 'ToolBoxWarning');
    }
    return target;
  }

  private sourceInfo(source: string): SourceInfo {
    const info = this.selection.has(source) ? this.runFiles.sources.get(source) : undefined;
    if (!info) {
      const available = this.allSources;
      throw new SourceNameError(`source '${source}' not found in ${this.runFiles.where}.${suggest(source, available, 'sources')}`, { source, available });
    }
    return info;
  }

  /** Keys of a source (EXtra-data naming; CONTROL keys end in .value / .timestamp). */
  keysForSource(source: string): string[] {
    source = this.canonicalSource(source);
    const info = this.sourceInfo(source);
    const keys = info.files[0].keys(source);
    const sel = this.selection.get(source);
    return sel ? keys.filter((k) => sel.has(k)) : keys;
  }

  /** Resolve a key, accepting 'prop' for 'prop.value' on CONTROL sources. */
  locate(source: string, key: string): KeyLocation {
    source = this.canonicalSource(source);
    const info = this.sourceInfo(source);
    const keys = this.keysForSource(source);
    let k = key;
    if (!keys.includes(k) && info.section === 'CONTROL' && keys.includes(`${k}.value`)) k = `${k}.value`;
    if (!keys.includes(k)) {
      const shown = info.section === 'CONTROL' ? [...new Set(keys.map((x) => x.replace(/\.(value|timestamp)$/, '')))] : keys;
      throw new PropertyNameError(`key '${key}' not found for source ${source} in ${this.runFiles.where}.${suggest(key, shown, 'keys')}`, { source, key, available: shown });
    }
    let group = '';
    if (info.section === 'INSTRUMENT') {
      const groups = [...(info.files[0].instrumentSources.get(source) ?? [])].sort((a, b) => b.length - a.length);
      group = groups.find((g) => k.startsWith(`${g.replace(/\//g, '.')}.`)) ?? k.split('.')[0];
    }
    const h5path = `/${info.section}/${source}/${k.replace(/\./g, '/')}`;
    return { source, key: k, section: info.section, group, h5path, files: info.files };
  }

  selectTrains(sel: TrainSelection): DataCollection {
    return new DataCollection(this.runFiles, resolveTrains(this.trainIdsExact, sel), this.selection);
  }

  /**
   * Sources matching `sourceGlob` (and their keys matching `keyGlob`), or a
   * list of [sourceGlob, keyGlob] pairs. Nothing matching is an error.
   */
  select(sourceGlob: string | [string, string][], keyGlob = '*'): DataCollection {
    const pairs = typeof sourceGlob === 'string' ? [[sourceGlob, keyGlob] as [string, string]] : sourceGlob;
    const out = new Map<string, Set<string> | null>();
    for (const [given, kg] of pairs) {
      // An exact legacy name selects the source it aliases.
      const sg = this.runFiles.legacy?.has(given) ? this.canonicalSource(given) : given;
      const sre = globToRegExp(sg);
      const matched = this.allSources.filter((s) => sre.test(s));
      if (!matched.length) {
        throw new SourceNameError(`no source matches '${sg}' in ${this.runFiles.where}.${suggest(sg, this.allSources, 'sources')}`, { source: sg, available: this.allSources });
      }
      for (const s of matched) {
        const all = this.keysForSource(s);
        if (kg === '*') {
          if (!out.has(s) || out.get(s) !== null) out.set(s, this.selection.get(s) ? new Set(all) : null);
          continue;
        }
        const kre = globToRegExp(kg);
        const isCtrl = this.runFiles.sources.get(s)?.section === 'CONTROL';
        // Like EXtra-data, a CONTROL property glob selects its .value and .timestamp.
        const keys = all.filter((k) => kre.test(k) || (isCtrl && kre.test(k.replace(/\.(value|timestamp)$/, ''))));
        if (!keys.length) continue;
        const cur = out.get(s);
        if (cur === null) continue;
        out.set(s, new Set([...(cur ?? []), ...keys]));
      }
    }
    if (!out.size) {
      const asked = pairs.map(([sg, kg]) => `'${kg}' in '${sg}'`).join(', ');
      const [sg, kg] = pairs[0];
      const available = this.allSources.filter((x) => globToRegExp(sg).test(x)).flatMap((x) => this.keysForSource(x));
      throw new PropertyNameError(`no key matches ${asked} in ${this.runFiles.where}`, { source: sg, key: kg, available });
    }
    return new DataCollection(this.runFiles, this.trainIdsExact, out);
  }

  /** One source (a legacy name gives the source it stands for), as SourceData; unknown names are a SourceNameError. */
  source(name: string): SourceData {
    const source = this.canonicalSource(name);
    this.sourceInfo(source);
    return new SourceData(new DataCollection(this.runFiles, this.trainIdsExact, new Map([[source, this.selection.get(source) ?? null]])), source);
  }

  /**
   * A source as SourceData, or one key of it as KeyData (EXtra-data's
   * `run[source]` and `run[source, key]`). CONTROL properties may be given
   * without '.value'. Unknown names: SourceNameError, PropertyNameError.
   */
  get(source: string): SourceData;
  get(source: string, key: string): KeyData;
  get(source: string, key?: string): SourceData | KeyData {
    if (key === undefined) return this.source(source);
    return new KeyData(this.runFiles, this.locate(source, key), this.trainIdsExact);
  }

  /**
   * Entries per selected train (0 where the source has no data), labelled by
   * trainId: of the key's index group, or of the source's only count (an
   * error when its index groups differ: give a key).
   */
  dataCounts(source: string, key?: string): DataArray {
    if (key !== undefined) return this.get(source, key).dataCounts();
    const sd = this.source(source);
    const byGroup = sd.countsByIndexGroup();
    const per = [...byGroup.values()];
    if (per.some((c) => c.some((v, i) => v !== per[0][i]))) {
      throw new ToolBoxValueError(`source ${sd.source} has index groups with different counts (${[...byGroup.keys()].join(', ')}): give a key to choose one`);
    }
    const counts = Int32Array.from(per[0] ?? new Float64Array(this.trainIdsExact.length));
    return labelledCounts(counts, this.trainIdsExact, sd.source);
  }

  /** INDEX/timestamp per selected train as int64 ns since epoch (UTC); NaT (int64 min, numpy's NaT) where absent. */
  trainTimestamps(): DataArray {
    const out = new BigInt64Array(this.trainIdsExact.length).fill(NAT);
    const pos = new Map<bigint, number>();
    this.trainIdsExact.forEach((t, i) => pos.set(t, i));
    for (const fa of this.runFiles.files) {
      if (fa.formatVersion === '0.5' || !fa.has('INDEX/timestamp')) continue;
      const ts = fa.read('INDEX/timestamp') as ArrayLike<bigint>;
      fa.trainIds.forEach((t, i) => {
        const p = pos.get(t);
        if (p !== undefined && i < ts.length && out[p] === NAT) out[p] = BigInt.asIntN(64, BigInt(ts[i]));
      });
    }
    return new DataArray(out, { dims: ['trainId'], coords: { trainId: this.trainIdsExact.slice() }, name: 'timestamp', attrs: { units: 'nanoseconds since 1970-01-01T00:00:00Z' } });
  }

  /** METADATA of the first file (proposal, run, format version, dates...). */
  runMetadata(): Record<string, RunValue> {
    return runMetadata(this.runFiles.files[0]);
  }

  /** All RUN values of a source, from the first file holding it. */
  getRunValues(source: string): Record<string, RunValue> {
    source = this.canonicalSource(source);
    const fa = this.sourceInfo(source).files[0];
    const out: Record<string, RunValue> = {};
    for (const k of runKeys(fa, source)) out[k] = runValue(fa, source, k);
    return out;
  }

  /** One RUN value ('prop' or 'prop.value'). */
  getRunValue(source: string, key: string): RunValue {
    source = this.canonicalSource(source);
    const fa = this.sourceInfo(source).files[0];
    const keys = runKeys(fa, source);
    const k = keys.includes(key) ? key : `${key}.value`;
    if (!keys.includes(k)) {
      const shown = [...new Set(keys.map((x) => x.replace(/\.(value|timestamp)$/, '')))];
      throw new PropertyNameError(`no RUN value '${key}' for source ${source} in ${fa.path}.${suggest(key, shown, 'run keys')}`, { source, key, available: shown });
    }
    return runValue(fa, source, k);
  }

  /** Shape (total over the selected trains) and dtype of a key, without reading data. */
  keyInfo(source: string, key: string): { shape: number[]; dtype: string; trainsWithData: number } {
    const kd = this.get(source, key);
    return { shape: kd.shape, dtype: kd.dtype, trainsWithData: kd.trainsWithData };
  }

  /** A key's data for the selected trains: first dim 'trainId' (one label per entry). */
  async getArray(source: string, key: string, opts: ReadOptions = {}): Promise<DataArray> {
    checkOptions('DataCollection.getArray', opts, READ_OPTIONS);
    return this.get(source, key).xarray(opts);
  }

  /** The key in pieces of `chunksize` trains, so data larger than memory can be streamed. */
  async *trainsChunks(source: string, key: string, opts: ChunkOptions = {}): AsyncGenerator<DataArray> {
    checkOptions('DataCollection.trainsChunks', opts, CHUNK_OPTIONS);
    yield* this.get(source, key).trainsChunks({ ...opts, progress: opts.progress ?? `reading ${source} ${key}` });
  }

  /**
   * Consecutive pieces of at most `trainsPerPart` trains, or with
   * `{parts, trainsPerPart}` parts of even size (EXtra-data's split_trains),
   * for processing a run in parts.
   */
  *splitTrains(split: number | SplitOptions): Generator<DataCollection> {
    if (typeof split === 'object') checkOptions('DataCollection.splitTrains', split, SPLIT_OPTIONS);
    const n = this.trainIdsExact.length;
    for (const [from, to] of trainRanges(n, split)) yield new DataCollection(this.runFiles, this.trainIdsExact.slice(from, to), this.selection);
  }

  /** Text summary like EXtra-data's info(). */
  info(): string {
    return summary(this);
  }

  /** Close every file handle (reads reopen them on demand). */
  close(): void {
    for (const f of this.runFiles.files) f.close();
  }
}
