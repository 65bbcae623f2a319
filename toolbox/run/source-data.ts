/**
 * SourceData: one source over a train selection, as EXtra-data's SourceData
 * (`run.source(name)` or `run.get(name)`; EXtra-data: `run[source]`). Its
 * keys are KeyData (`.get(key)`); its selections return new SourceData.
 */
import { DataArray } from '../arrays/dataarray.js';
import type { DataCollection } from './data-collection.js';
import type { KeyData } from './key-data.js';
import { trainRows } from './key-read.js';
import type { RunValue } from './run-values.js';
import { checkOptions, optionNames } from '../options.js';
import { SPLIT_OPTIONS, labelledCounts, type SplitOptions, type TrainSelection } from './train-select.js';

const KEYS_OPTIONS = optionNames<{ incTimestamps?: boolean }>({ incTimestamps: true });
const COUNTS_OPTIONS = optionNames<{ labelled?: boolean; indexGroup?: string }>({ labelled: true, indexGroup: true });

export class SourceData {
  /** Made by DataCollection.source(name), which checks the name. `collection` holds this source alone. */
  constructor(private readonly collection: DataCollection, readonly source: string) {}

  get section(): 'CONTROL' | 'INSTRUMENT' {
    return this.collection.runFiles.sources.get(this.source)!.section;
  }

  get isControl(): boolean {
    return this.section === 'CONTROL';
  }

  get isInstrument(): boolean {
    return this.section === 'INSTRUMENT';
  }

  get trainIds(): readonly number[] {
    return this.collection.trainIds;
  }

  get trainIdsExact(): BigUint64Array {
    return this.collection.trainIdsExact;
  }

  /** The run files holding the source, in sequence order. */
  get files(): string[] {
    return this.collection.runFiles.sources.get(this.source)!.files.map((f) => f.path);
  }

  /**
   * The (selected) keys. CONTROL keys come as 'prop.value' and
   * 'prop.timestamp'; `{incTimestamps: false}` gives the property names alone.
   */
  keys(options: { incTimestamps?: boolean } = {}): string[] {
    checkOptions('SourceData.keys', options, KEYS_OPTIONS);
    const keys = this.collection.keysForSource(this.source);
    if (options.incTimestamps !== false || !this.isControl) return keys;
    return keys.filter((k) => k.endsWith('.value')).map((k) => k.slice(0, -'.value'.length));
  }

  /** Whether the source has the key ('prop' stands for 'prop.value' on CONTROL sources). */
  has(key: string): boolean {
    const keys = this.collection.keysForSource(this.source);
    return keys.includes(key) || (this.isControl && keys.includes(`${key}.value`));
  }

  /** One key; an unknown key is a PropertyNameError listing the source's keys. */
  get(key: string): KeyData {
    return this.collection.get(this.source, key);
  }

  /** Index groups ('' for a CONTROL source): the INDEX keeps entry counts per group. */
  get indexGroups(): string[] {
    if (this.isControl) return [''];
    const info = this.collection.runFiles.sources.get(this.source)!;
    return [...(info.files[0].instrumentSources.get(this.source) ?? [])].sort();
  }

  /** Entries per selected train of each index group (0 where absent). */
  countsByIndexGroup(): Map<string, Float64Array> {
    const info = this.collection.runFiles.sources.get(this.source)!;
    const out = new Map<string, Float64Array>();
    for (const group of this.indexGroups) {
      const loc = { source: this.source, key: group, section: info.section, group, h5path: '', files: info.files };
      out.set(group, trainRows(loc, this.trainIdsExact, this.collection.runFiles.incSuspectTrains).counts);
    }
    return out;
  }

  /**
   * Entries per selected train, labelled by trainId: of `indexGroup`, or the
   * largest over the index groups (EXtra-data's rule). `{labelled: false}`:
   * the counts alone.
   */
  dataCounts(options?: { labelled?: true; indexGroup?: string }): DataArray;
  dataCounts(options: { labelled: false; indexGroup?: string }): Int32Array;
  dataCounts(options: { labelled?: boolean; indexGroup?: string } = {}): DataArray | Int32Array {
    checkOptions('SourceData.dataCounts', options, COUNTS_OPTIONS);
    const counts = new Int32Array(this.trainIdsExact.length);
    for (const [group, c] of this.countsByIndexGroup()) {
      if (options.indexGroup !== undefined && group !== options.indexGroup) continue;
      c.forEach((v, i) => { counts[i] = Math.max(counts[i], v); });
    }
    if (options.labelled === false) return counts;
    return labelledCounts(counts, this.trainIdsExact, this.source);
  }

  /** Only the keys matching `keyGlob` (CONTROL: a property glob selects its .value and .timestamp). */
  selectKeys(keyGlob: string): SourceData {
    return new SourceData(this.collection.select(this.source, keyGlob), this.source);
  }

  selectTrains(selection: TrainSelection): SourceData {
    return new SourceData(this.collection.selectTrains(selection), this.source);
  }

  /** Only the trains where the source has data (in any index group, or in `indexGroup`). */
  dropEmptyTrains(indexGroup?: string): SourceData {
    const counts = this.dataCounts({ labelled: false, indexGroup });
    const ids = this.trainIdsExact.filter((_, i) => counts[i] > 0);
    return new SourceData(this.collection.selectTrains({ byId: Array.from(ids) }), this.source);
  }

  /** Parts of the train selection as new SourceData (see KeyData.splitTrains). */
  *splitTrains(split: number | SplitOptions): Generator<SourceData> {
    if (typeof split === 'object') checkOptions('SourceData.splitTrains', split, SPLIT_OPTIONS);
    for (const part of this.collection.splitTrains(split)) yield new SourceData(part, this.source);
  }

  /** All RUN values of the source (device configuration at run start). */
  runValues(): Record<string, RunValue> {
    return this.collection.getRunValues(this.source);
  }

  /** One RUN value ('prop' or 'prop.value'). */
  runValue(key: string): RunValue {
    return this.collection.getRunValue(this.source, key);
  }

  toString(): string {
    return `SourceData(${this.source}, ${this.trainIdsExact.length} trains)`;
  }
}
