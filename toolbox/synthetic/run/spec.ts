/**
 * What one EuXFEL run file holds, as plain data: the contract between the
 * low-level file writer (run-file.ts) and everything that makes synthetic
 * runs (mock-run.ts) or test fixtures. Layout and rules: docs/run-format.md.
 */
import type { ArrayData, DType, TypedData } from '../../arrays/dtype.js';

export type FormatVersion = '0.5' | '1.0' | '1.1' | '1.2';

/** A key's data: entries stacked along the first axis, each of shape `entryShape`. */
export interface KeyArray {
  dtype: DType;
  /** Shape of one entry (e.g. [1, 128, 512] for raw DSSC image.data); [] for scalars. */
  entryShape: number[];
  /** Flat C-order values of all entries (ignored, and may be empty, when `produce` is set). */
  values: ArrayData;
  /**
   * Streams big keys instead of `values`: fill `out` (C order, exactly
   * `count` entries) with entries `first … first+count-1`. Called in
   * ascending, non-overlapping blocks, so a generator can keep state.
   */
  produce?: (first: number, count: number, out: TypedData) => void;
  /** Attributes (units, descriptions): on the dataset for INSTRUMENT, on the property group for CONTROL/RUN. */
  attrs?: Record<string, string | number>;
  /** Deflate (gzip) level 0–9 for this dataset, as proc files compress image.mask/gain (docs/run-format.md, DSSC and HDF5 features). Default uncompressed. Not for strings. */
  gzip?: number;
}

/** A slow (CONTROL) source: one row per train of the file for every key. */
export interface ControlSourceSpec {
  /** Key path with '.' separators, e.g. 'actualPosition' → CONTROL/<src>/actualPosition/{value,timestamp}. */
  keys: Record<string, KeyArray>;
  /** RUN section values of this source (one row), same key naming. */
  run?: Record<string, KeyArray>;
  /** Rows per train (0 or 1; 0 = no data for that train). Default one row for every train. */
  counts?: number[];
}

/**
 * A fast (INSTRUMENT) source, e.g. 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf'. Keys are
 * grouped by their index group (first key component: 'image', 'header',
 * 'data', ...); each index group has its own entry count per train.
 */
export interface InstrumentSourceSpec {
  indexGroups: Record<string, {
    /** Entries per train of the file (0 = no data for that train). */
    counts: number[];
    /** Keys below the index group, e.g. { data: ..., pulseId: ... } for group 'image'. */
    keys: Record<string, KeyArray>;
  }>;
}

export interface RunFileSpec {
  path: string;
  formatVersion: FormatVersion;
  /** Train IDs of the file, ascending. */
  trainIds: bigint[];
  /**
   * Extra zero entries appended to INDEX/trainId, timestamp, flag and origin, as
   * the DAQ pads files. Per-source first/count stay one per train (docs/run-format.md, INDEX).
   */
  zeroPadding?: number;
  /** INDEX/flag per train (format >= 1.0); 1.1 writes it inverted as the real 1.1 files do. Default all good. */
  flags?: number[];
  /** INDEX/timestamp per train, ns since epoch (format >= 1.0). */
  timestamps?: bigint[];
  control?: Record<string, ControlSourceSpec>;
  instrument?: Record<string, InstrumentSourceSpec>;
  /** METADATA: creationDate, daqLibrary, karaboFramework, proposalNumber, runNumber, sequenceNumber, dataFormatVersion, ... */
  metadata?: {
    proposal?: number; run?: number; sequence?: number; creationDate?: string; updateDate?: string;
    daqLibrary?: string; karaboFramework?: string; runType?: string; sample?: string;
  };
  /**
   * Per-source index style. 'count' = first/count; 'last-status' = the old
   * pre-1.0 first/last/status. Default: 'last-status' for 0.5, else 'count'.
   */
  indexStyle?: 'count' | 'last-status';
  /**
   * Raw `dataSourceId` entries appended to the METADATA source lists (root and
   * deviceId split at the first '/'), with no data behind them: e.g.
   * 'Karabo_TimerServer/…' as some 1.1 files list, or a bad root for error tests.
   */
  extraSourceListEntries?: string[];
  /** Empty strings appended to the METADATA source lists (real files pad them to the chunk size). */
  sourceListPadding?: number;
  /** Unwritten (fill value 0) entries appended to every INSTRUMENT dataset, as EXtra-data's mock pads them; readers must go by INDEX. Default 0. */
  instrumentPadding?: number;
  /** Write `<group>/trainId` (uint64, one per entry) into INSTRUMENT index groups lacking one, as the DAQ does. Default true. */
  instrumentTrainIds?: boolean;
  /**
   * Legacy INSTRUMENT source names as HDF5 soft links: legacy name → a source
   * of `instrument` (docs/run-format.md, INSTRUMENT: in proc files `INSTRUMENT/<old>:xtdf` and
   * `INDEX/<old>:xtdf` link to the CORR source group). Both links are
   * written; the legacy name is not listed in METADATA (whether real files
   * list it is not known; readers find the links in INSTRUMENT).
   */
  softLinks?: Record<string, string>;
}
