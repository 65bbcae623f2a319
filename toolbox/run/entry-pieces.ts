/**
 * A key's rows cut into pieces of a fixed number of entries, whatever the
 * trains: the index (TrainRows) is rewritten so that a train whose entries
 * cross a piece boundary appears once per piece, with the same trainId and
 * the part of its rows that piece holds. readKey then reads each piece as it
 * reads a range of trains, trainId coordinate included.
 */
import type { TrainRows } from './key-read.js';
import { positiveInteger } from './train-select.js';

export interface EntryPieces {
  /** The selection's trains with data, cut at piece boundaries. */
  rows: TrainRows;
  /** Per piece, its [start, stop) range of `rows`. */
  ranges: [number, number][];
  /** Per piece, how many entries come before it; one more at the end: the total. */
  firstEntry: number[];
}

/** Pieces of `entries` entries each (the last may be shorter); `entries` must be a positive integer, else a ParameterError naming it. */
export function entryPieces(rows: TrainRows, entries: number): EntryPieces {
  positiveInteger('entries', entries);
  const trainIds: bigint[] = [];
  const owner: TrainRows['owner'] = [];
  const first: number[] = [];
  const counts: number[] = [];
  const ranges: [number, number][] = [];
  const firstEntry: number[] = [];
  let filled = 0; // entries in the piece being built
  let seen = 0;
  for (let p = 0; p < rows.trainIds.length; p++) {
    const fa = rows.owner[p];
    let left = rows.counts[p];
    let at = rows.first[p];
    while (fa && left > 0) {
      if (filled === 0) {
        ranges.push([trainIds.length, trainIds.length]);
        firstEntry.push(seen);
      }
      const take = Math.min(left, entries - filled);
      trainIds.push(rows.trainIds[p]);
      owner.push(fa);
      first.push(at);
      counts.push(take);
      ranges[ranges.length - 1][1] = trainIds.length;
      at += take;
      left -= take;
      seen += take;
      filled = (filled + take) % entries;
    }
  }
  firstEntry.push(seen);
  return {
    rows: { trainIds: BigUint64Array.from(trainIds), owner, first: Float64Array.from(first), counts: Float64Array.from(counts) },
    ranges,
    firstEntry,
  };
}
