/**
 * One run file (one aggregator, one sequence): what it covers and where each
 * source's entries are, read once and cached. The HDF5 handle stays open
 * between reads (reopening costs a metadata parse) but a process-wide LRU
 * bounds how many are open at once: a 16-module run has hundreds of files.
 */
import { basename } from 'node:path';
import { ToolBoxFileError } from '../errors.js';
import { runTuning } from './tuning.js';
import type { Metadata } from 'h5wasm/node';
import { checkHdf5File, corruptObject, h5wasm, isCorruption, objectKind, translate, type H5, type H5Dataset, type H5File, type H5Group } from '../io/h5file.js';

/** Per-train entry positions of one index group in one file (length = the file's train count). */
export interface FileIndex {
  first: Float64Array;
  count: Float64Array;
}

const openFiles = new Map<FileAccess, H5File>();

function asStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((s) => String(s));
  if (typeof v === 'string') return [v];
  return [];
}

/**
 * Format 0.5 has no INDEX/flag. Train IDs should only increase, so at each
 * step down the shorter of the two stretches around it is taken as bad
 * (EXtra-data's rule, see docs/run-format.md, INDEX; the exact tie-breaking of
 * EXtra-data is not reproduced: on equal lengths the later stretch is bad).
 */
export function guessValidTrains(ids: BigUint64Array): Uint8Array {
  const valid = new Uint8Array(ids.length).fill(1);
  const starts = [0];
  for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) starts.push(i);
  starts.push(ids.length);
  for (let s = 1; s < starts.length - 1; s++) {
    const before = starts[s] - starts[s - 1];
    const after = starts[s + 1] - starts[s];
    if (after <= before) valid.fill(0, starts[s], starts[s + 1]);
    else valid.fill(0, starts[s - 1], starts[s]);
  }
  return valid;
}

export class FileAccess {
  readonly name: string;
  formatVersion = '0.5';
  /** Non-zero INDEX/trainId, in file order (ascending in practice). */
  trainIds = new BigUint64Array(0);
  /** 1 where the train ID is trusted (INDEX/flag, inverted for format 1.1); all 1 for 0.5. */
  validTrains: Uint8Array = new Uint8Array(0);
  readonly controlSources = new Set<string>();
  /** Instrument source → its index groups. */
  readonly instrumentSources = new Map<string, Set<string>>();
  /**
   * Legacy source names → the source they alias: `INSTRUMENT/<legacy>` is an
   * HDF5 soft link to `INSTRUMENT/<source>` (proc files: `…/DET/<m>CH0:xtdf`
   * → `…/CORR/<m>CH0:output`, docs/run-format.md, INSTRUMENT). Not counted as sources.
   */
  readonly legacySources = new Map<string, string>();
  private readonly indexCache = new Map<string, FileIndex>();
  private readonly keyCache = new Map<string, string[]>();
  private readonly infoCache = new Map<string, { shape: number[]; metadata: Metadata }>();
  private h5!: H5;

  private constructor(readonly path: string) {
    this.name = basename(path);
  }

  /** The wasm module this file is opened in (direct reads need it without an await). */
  get module(): H5['Module'] {
    return this.h5.Module;
  }

  /** Open and read the file's train IDs and source lists; errors name the file. */
  static async open(path: string): Promise<FileAccess> {
    const fa = new FileAccess(path);
    fa.h5 = await h5wasm();
    await checkHdf5File(path);
    try {
      fa.readHeader();
    } catch (err) {
      fa.close();
      translate(err, path, 'reading run file');
    }
    return fa;
  }

  /** The open HDF5 handle, reopening (and evicting the least recently used) as needed. */
  file(): H5File {
    let f = openFiles.get(this);
    if (f) {
      openFiles.delete(this);
      openFiles.set(this, f);
      return f;
    }
    while (openFiles.size >= Math.max(1, runTuning.maxOpenFiles)) openFiles.keys().next().value!.close();
    try {
      f = new this.h5.File(this.path, 'r');
    } catch (err) {
      translate(err, this.path, 'opening');
    }
    openFiles.set(this, f);
    return f;
  }

  close(): void {
    const f = openFiles.get(this);
    if (!f) return;
    openFiles.delete(this);
    try { f.close(); } catch { /* closing a read-only handle cannot lose data */ }
  }

  has(path: string): boolean {
    return objectKind(this.file(), this.h5, path) !== null;
  }

  isGroup(path: string): boolean {
    try {
      return objectKind(this.file(), this.h5, path) === 'group';
    } catch (err) {
      // A corrupt object is reported as such, never taken for a missing group.
      if (err instanceof ToolBoxFileError) throw err;
      return false;
    }
  }

  dataset(path: string): H5Dataset {
    const kind = objectKind(this.file(), this.h5, path);
    if (kind === null) throw new ToolBoxFileError(`${this.path} has no dataset ${path}`, this.path);
    let obj: unknown;
    try {
      obj = this.file().get(path);
    } catch (err) {
      if (isCorruption(err)) throw corruptObject(err, this.path, path);
      translate(err, this.path, `reading ${path} from`);
    }
    if (!(obj instanceof this.h5.Dataset)) throw new ToolBoxFileError(`${this.path}: ${path} is a ${kind === 'dataset' ? 'dataset HDF5 cannot open' : kind}, not a dataset`, this.path);
    return obj;
  }

  /** Shape and HDF5 type of a dataset, read once: run files are opened read-only. */
  datasetInfo(path: string): { shape: number[]; metadata: Metadata } {
    let info = this.infoCache.get(path);
    if (!info) {
      const ds = this.dataset(path);
      info = { shape: ds.shape ?? [], metadata: ds.metadata };
      this.infoCache.set(path, info);
    }
    return info;
  }

  /** Small whole-dataset read (metadata, index arrays, RUN values). */
  read(path: string): unknown {
    try {
      return this.dataset(path).value;
    } catch (err) {
      translate(err, this.path, `reading ${path} from`);
    }
  }

  private readHeader(): void {
    if (this.has('METADATA/dataFormatVersion')) {
      this.formatVersion = asStrings(this.read('METADATA/dataFormatVersion'))[0]?.trim() || '1.0';
    }
    if (!this.has('INDEX/trainId')) {
      throw new ToolBoxFileError(`${this.path} has no INDEX/trainId: an HDF5 file, but not a EuXFEL run file`, this.path);
    }
    const tid = this.read('INDEX/trainId');
    if (!(tid instanceof BigUint64Array || tid instanceof BigInt64Array)) {
      throw new ToolBoxFileError(`${this.path}: INDEX/trainId is not a 64-bit integer array`, this.path);
    }
    // The DAQ preallocates INDEX in chunks: trailing zeros are not trains.
    let n = tid.length;
    while (n > 0 && tid[n - 1] === 0n) n--;
    this.trainIds = new BigUint64Array(n);
    for (let i = 0; i < n; i++) this.trainIds[i] = BigInt.asUintN(64, tid[i]);
    this.validTrains = this.formatVersion === '0.5' ? guessValidTrains(this.trainIds) : new Uint8Array(n).fill(1);
    if (this.formatVersion !== '0.5' && this.has('INDEX/flag')) {
      const flag = this.read('INDEX/flag') as ArrayLike<number>;
      const inverted = this.formatVersion === '1.1';
      for (let i = 0; i < n && i < flag.length; i++) this.validTrains[i] = (flag[i] !== 0) !== inverted ? 1 : 0;
    }
    const base = this.formatVersion === '0.5' ? 'METADATA' : 'METADATA/dataSources';
    if (!this.has(`${base}/dataSourceId`)) {
      throw new ToolBoxFileError(`${this.path} has no ${base}/dataSourceId (format ${this.formatVersion}): not a EuXFEL run file?`, this.path);
    }
    for (const entry of asStrings(this.read(`${base}/dataSourceId`))) {
      const s = entry.trim();
      if (!s) continue; // the source list is padded with empty strings
      const slash = s.indexOf('/');
      const root = s.slice(0, slash);
      const rest = s.slice(slash + 1);
      if (root === 'CONTROL') this.controlSources.add(rest);
      else if (root === 'INSTRUMENT') {
        // '<device>:<channel>/<group>': the channel may not contain '/', the group may.
        const colon = rest.indexOf(':');
        const cut = rest.indexOf('/', colon);
        const src = cut < 0 ? rest : rest.slice(0, cut);
        const group = cut < 0 ? '' : rest.slice(cut + 1);
        let groups = this.instrumentSources.get(src);
        if (!groups) this.instrumentSources.set(src, (groups = new Set()));
        if (group) groups.add(group);
      } else if (root !== 'Karabo_TimerServer') {
        throw new ToolBoxFileError(`${this.path}: unknown data source root '${root}' in '${s}'`, this.path);
      }
    }
    this.findLegacySources();
  }

  /** Soft-link target of `path` below INSTRUMENT as a source name, or null. */
  private linkedSource(path: string): string | null {
    let target: string | null;
    try { target = this.file().get_link(path); } catch { return null; }
    if (!target) return null;
    const m = /^\/?INSTRUMENT\/(.+?)\/?$/.exec(target);
    return m ? m[1] : null;
  }

  /**
   * Legacy names: listed sources whose INSTRUMENT group is a soft link, and
   * soft links in INSTRUMENT not listed at all (found by walking the device
   * groups down to the '<member>:<channel>' level). Links to sources the file
   * does not list are ignored.
   */
  private findLegacySources(): void {
    for (const src of [...this.instrumentSources.keys()]) {
      const target = this.linkedSource(`/INSTRUMENT/${src}`);
      if (target === null) continue;
      this.instrumentSources.delete(src);
      this.legacySources.set(src, target);
    }
    const f = this.file();
    const visit = (path: string, depth: number) => {
      if (depth > 6 || !this.isGroup(path)) return;
      for (const name of (f.get(path) as H5Group).keys()) {
        const child = `${path}/${name}`;
        if (name.includes(':')) {
          const target = this.linkedSource(child);
          if (target !== null) this.legacySources.set(child.slice('/INSTRUMENT/'.length), target);
        } else if (this.linkedSource(child) === null) visit(child, depth + 1);
      }
    };
    visit('/INSTRUMENT', 0);
    for (const [legacy, target] of [...this.legacySources]) if (!this.instrumentSources.has(target)) this.legacySources.delete(legacy);
  }

  /** first/count of an index group ('' for a CONTROL source), cut to the file's train count. */
  index(source: string, group: string): FileIndex {
    const id = group ? `${source}/${group}` : source;
    let idx = this.indexCache.get(id);
    if (idx) return idx;
    const n = this.trainIds.length;
    const at = `INDEX/${id}`;
    const num = (name: string): Float64Array => {
      const v = this.read(`${at}/${name}`) as ArrayLike<number | bigint>;
      if (v.length < n) throw new ToolBoxFileError(`${this.path}: ${at}/${name} has ${v.length} entries for ${n} trains`, this.path);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(v[i]);
      return out;
    };
    if (!this.isGroup(at)) throw new ToolBoxFileError(`${this.path} has no index ${at} for source ${source}`, this.path);
    const first = num('first');
    let count: Float64Array;
    if (this.has(`${at}/count`)) count = num('count');
    else if (!this.has(`${at}/last`)) {
      // Name the dataset the file's format calls for, not the fallback of another format.
      const want = this.formatVersion === '0.5' ? 'last' : 'count';
      throw new ToolBoxFileError(`${this.path} has no dataset ${at}/${want} (format ${this.formatVersion})`, this.path);
    } else {
      // Pre-1.0 index: last/status instead of count.
      const last = num('last');
      const status = num('status');
      count = new Float64Array(n);
      for (let i = 0; i < n; i++) count[i] = status[i] ? last[i] - first[i] + 1 : 0;
    }
    idx = { first, count };
    this.indexCache.set(id, idx);
    return idx;
  }

  /** Keys of a source in EXtra-data naming ('a.b.value' for CONTROL, 'group.x.y' for INSTRUMENT). */
  keys(source: string): string[] {
    let keys = this.keyCache.get(source);
    if (keys) return keys;
    keys = [];
    if (this.controlSources.has(source)) this.walk(`/CONTROL/${source}`, '', keys);
    else for (const g of this.instrumentSources.get(source) ?? []) this.walk(`/INSTRUMENT/${source}/${g}`, g.replace(/\//g, '.'), keys);
    keys.sort();
    this.keyCache.set(source, keys);
    return keys;
  }

  private walk(path: string, prefix: string, out: string[]): void {
    if (!this.isGroup(path)) return;
    const f = this.file();
    const g = f.get(path) as H5Group;
    for (const name of g.keys()) {
      const child = `${path}/${name}`;
      const key = prefix ? `${prefix}.${name}` : name;
      let t: number;
      try {
        t = f.get_type(child);
      } catch (err) {
        if (isCorruption(err)) throw corruptObject(err, this.path, child);
        throw err;
      }
      if (t === this.h5.Module.H5G_GROUP) this.walk(child, key, out);
      else if (t === this.h5.Module.H5G_DATASET) out.push(key);
    }
  }
}
