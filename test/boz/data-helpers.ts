/**
 * Small BOZ runs for the data tests: written once per test file into a
 * temporary data root (EXFEL_DATA_ROOT while the file runs), removed after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDsscModule } from '../../toolbox/routines/boz/load.js';
import type { ModuleFrames } from '../../toolbox/routines/boz/types.js';
import { type BozRuns, type BozRunsOptions, writeBozRuns } from '../../toolbox/synthetic/run/boz-run.js';

export interface BozFixture { runs: BozRuns; restore: () => Promise<void> }

export async function bozFixture(options: BozRunsOptions = {}): Promise<BozFixture> {
  const root = await mkdtemp(join(tmpdir(), 'boz-data-'));
  const before = process.env.EXFEL_DATA_ROOT;
  const runs = await writeBozRuns(root, { trains: 12, frames: 8, seed: 3, ...options });
  process.env.EXFEL_DATA_ROOT = root;
  return {
    runs,
    restore: async () => {
      if (before === undefined) delete process.env.EXFEL_DATA_ROOT;
      else process.env.EXFEL_DATA_ROOT = before;
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** All frames of a module in memory, (train, pulse, row, column). */
export async function framesOf(arr: ModuleFrames): Promise<Uint16Array> {
  const out = new Uint16Array(arr.trainIds.length * arr.pulses * 65536);
  for await (const c of arr.chunks({ trains: 5 })) out.set(c.data, c.firstTrain * arr.pulses * 65536);
  return out;
}

export async function loadBoth(f: BozFixture, dropIntraDarks = true): Promise<{ dark: ModuleFrames; run: ModuleFrames; tid: BigUint64Array }> {
  const { runs } = f;
  const dark = await loadDsscModule(runs.proposal, runs.darkRun, { dropIntraDarks });
  const run = await loadDsscModule(runs.proposal, runs.run, { dropIntraDarks });
  return { dark: dark.arr, run: run.arr, tid: run.tid };
}
