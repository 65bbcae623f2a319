/**
 * A small synthetic run: one DA01 sequence file with the sources a routine
 * needs (no DSSC), and its truth.json. The runs of the everyday routines
 * (reflectivity, XAS/XMCD, knife-edge; routine-runs.ts) are written with it,
 * each putting the physics it drew into `truth`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { writeRunFile } from './run-file.js';
import type { ControlSourceSpec, FormatVersion, InstrumentSourceSpec, RunFileSpec } from './spec.js';

/** Sources as truth.json lists them: section, aggregator, keys with dtype and per-entry shape. */
export type SourceDescriptions = Record<string, {
  section: 'CONTROL' | 'INSTRUMENT'; aggregator: string; keys: Record<string, { dtype: string; entryShape: number[] }>; runKeys?: string[];
}>;

/** Add the sources of a raw file to truth.json's sources; the first file naming a source describes it. */
export function describeSources(spec: RunFileSpec, aggregator: string, into: SourceDescriptions): void {
  for (const [src, c] of Object.entries(spec.control ?? {})) {
    into[src] ??= {
      section: 'CONTROL', aggregator,
      keys: Object.fromEntries(Object.entries(c.keys).map(([k, v]) => [k, { dtype: v.dtype, entryShape: v.entryShape }])),
      runKeys: Object.keys(c.run ?? {}),
    };
  }
  for (const [src, s] of Object.entries(spec.instrument ?? {})) {
    const keys: Record<string, { dtype: string; entryShape: number[] }> = {};
    for (const [g, grp] of Object.entries(s.indexGroups)) {
      for (const [k, v] of Object.entries(grp.keys)) keys[`${g}.${k}`] = { dtype: v.dtype, entryShape: v.entryShape };
      keys[`${g}.trainId`] ??= { dtype: 'uint64', entryShape: [] };
    }
    into[src] ??= { section: 'INSTRUMENT', aggregator, keys };
  }
}

export interface SmallRunSpec {
  /** Who wrote it, e.g. 'scs-toolbox writeReflectivityRun'. */
  generator: string;
  proposal: number;
  run: number;
  seed: number;
  trainIds: bigint[];
  formatVersion?: FormatVersion;
  control?: Record<string, ControlSourceSpec>;
  instrument?: Record<string, InstrumentSourceSpec>;
}

/** What every small run's truth.json holds, next to the routine's own physics. */
export interface SmallRunTruth {
  generator: string;
  proposal: number;
  run: number;
  seed: number;
  formatVersion: FormatVersion;
  trainIds: number[];
  /** Files written, relative to the run folder. */
  files: string[];
  sources: SourceDescriptions;
}

/**
 * Write `outDir` (created) with `RAW-R<run>-DA01-S00000.h5` and truth.json =
 * the common fields plus `physics`. Both files are written under a temporary
 * name and renamed, so a folder never holds half a run.
 */
export async function writeSmallRun<P>(outDir: string, spec: SmallRunSpec, physics: P): Promise<SmallRunTruth & { physics: P }> {
  if (spec.trainIds.length === 0) throw new ToolBoxValueError(`${spec.generator}: a run needs at least one train`);
  const dir = resolve(outDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot create run folder ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
  const formatVersion = spec.formatVersion ?? '1.0';
  const name = `RAW-R${String(spec.run).padStart(4, '0')}-DA01-S00000.h5`;
  const file: RunFileSpec = {
    path: join(dir, `.${name}.partial`), formatVersion, trainIds: spec.trainIds,
    metadata: { proposal: spec.proposal, run: spec.run, sequence: 0, sample: 'mock sample', runType: 'mock' },
    control: spec.control ?? {}, instrument: spec.instrument ?? {},
  };
  await writeRunFile(file);
  await rename(file.path, join(dir, name));
  const sources: SourceDescriptions = {};
  describeSources(file, 'DA01', sources);
  const truth = {
    generator: spec.generator, proposal: spec.proposal, run: spec.run, seed: spec.seed, formatVersion,
    trainIds: spec.trainIds.map(Number), files: [name], sources, physics,
  };
  const tmp = join(dir, '.truth.json.partial');
  await writeFile(tmp, JSON.stringify(truth, null, 1) + '\n');
  await rename(tmp, join(dir, 'truth.json'));
  return truth;
}
