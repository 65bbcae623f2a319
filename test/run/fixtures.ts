/**
 * Small runs with known content for the run-reader tests, written with the
 * project's synthetic run writer. Every value is a function of (train,
 * entry), so a test can say exactly what a read must return.
 *
 * Layout of `writeStandardRun` (trains 10000..10019):
 *  - DA01 S00000 (10000..10009) and S00001 (10010..10019), zero-padded INDEX:
 *    CONTROL  SCS_ILH_LAS/MOTOR/LT3  AActualPosition = trainId / 2 (float64), RUN classId 'Motor', speed 2.5
 *    INSTRUMENT SCS_BLU_XGM/XGM/DOOCS:output  data.intensityTD float32 (5,) = (tid-10000) + k/10,
 *      no data at trains 10001, 10004 and 10013
 *  - DSSC00 S00000 (all trains): SCS_DET_DSSC1M-1/DET/0CH0:xtdf
 *      image.data uint16 (1,4,6) = (tid-10000)*100 + frame*10 + flat%10, 2 frames per train, none at 10005
 *      image.pulseId uint64 (1,) = 2^60 + tid*10 + frame (exactness check)
 *      header.pulseCount int32 = 2 every train (differs from image counts at 10005)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunFile } from '../../toolbox/synthetic/run/run-file.js';
import type { FormatVersion, RunFileSpec } from '../../toolbox/synthetic/run/spec.js';

export const LT3 = 'SCS_ILH_LAS/MOTOR/LT3';
export const XGM = 'SCS_BLU_XGM/XGM/DOOCS:output';
export const DSSC = 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf';
export const XGM_MISSING = [10001n, 10004n, 10013n];
export const DSSC_MISSING = 10005n;
export const BIG = 2n ** 60n;

export async function tempDir(prefix = 'scs-run-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function range(a: number, b: number): bigint[] {
  return Array.from({ length: b - a }, (_, i) => BigInt(a + i));
}

function daSpec(path: string, v: FormatVersion, tids: bigint[], seq: number): RunFileSpec {
  const xgmCounts = tids.map((t) => (XGM_MISSING.includes(t) ? 0 : 1));
  const xgmVals: number[] = [];
  tids.forEach((t, i) => { if (xgmCounts[i]) for (let k = 0; k < 5; k++) xgmVals.push(Number(t - 10000n) + k / 10); });
  return {
    path, formatVersion: v, trainIds: tids, zeroPadding: 3,
    metadata: { proposal: 2719, run: 17, sequence: seq, sample: 'FeCo' },
    control: {
      [LT3]: {
        keys: { AActualPosition: { dtype: 'float64', entryShape: [], values: Float64Array.from(tids, (t) => Number(t) / 2) } },
        run: {
          classId: { dtype: 'string', entryShape: [], values: ['Motor'] },
          speed: { dtype: 'float64', entryShape: [], values: Float64Array.of(2.5 + seq) },
        },
      },
    },
    instrument: {
      [XGM]: { indexGroups: { data: { counts: xgmCounts, keys: { intensityTD: { dtype: 'float32', entryShape: [5], values: Float32Array.from(xgmVals) } } } } },
    },
  };
}

export function dsscValue(tid: bigint, frame: number, flat: number): number {
  return Number(tid - 10000n) * 100 + frame * 10 + (flat % 10);
}

function dsscSpec(path: string, v: FormatVersion, tids: bigint[]): RunFileSpec {
  const counts = tids.map((t) => (t === DSSC_MISSING ? 0 : 2));
  const data: number[] = [];
  const pulse: bigint[] = [];
  tids.forEach((t, i) => {
    for (let f = 0; f < counts[i]; f++) {
      for (let e = 0; e < 24; e++) data.push(dsscValue(t, f, e));
      pulse.push(BIG + t * 10n + BigInt(f));
    }
  });
  return {
    path, formatVersion: v, trainIds: tids,
    instrument: {
      [DSSC]: {
        indexGroups: {
          image: {
            counts,
            keys: {
              data: { dtype: 'uint16', entryShape: [1, 4, 6], values: Uint16Array.from(data) },
              pulseId: { dtype: 'uint64', entryShape: [1], values: BigUint64Array.from(pulse) },
            },
          },
          header: { counts: tids.map(() => 1), keys: { pulseCount: { dtype: 'int32', entryShape: [], values: new Int32Array(tids.length).fill(2) } } },
        },
      },
    },
  };
}

/** The standard two-sequence run in `dir` (format `v`). */
export async function writeStandardRun(dir: string, v: FormatVersion = '1.0'): Promise<void> {
  await writeRunFile(daSpec(join(dir, 'RAW-R0017-DA01-S00000.h5'), v, range(10000, 10010), 0));
  await writeRunFile(daSpec(join(dir, 'RAW-R0017-DA01-S00001.h5'), v, range(10010, 10020), 1));
  await writeRunFile(dsscSpec(join(dir, 'RAW-R0017-DSSC00-S00000.h5'), v, range(10000, 10020)));
}

/** A single DA01 file with the given trains (for conflicts and flags). */
export async function writeDaFile(path: string, v: FormatVersion, tids: bigint[], flags?: number[]): Promise<void> {
  await writeRunFile({ ...daSpec(path, v, tids, 0), flags });
}
