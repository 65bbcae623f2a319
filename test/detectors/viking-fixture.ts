/**
 * The synthetic Viking experiment the Viking tests share: a dark, a
 * reference, a sample and five calibration runs of proposal 2953 under a
 * temporary EXFEL_DATA_ROOT (small frames: 16 × 512, 30 trains).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type VikingRuns, type VikingRunsOptions, writeVikingRuns } from '../../toolbox/synthetic/run/viking-run.js';

export const PROPOSAL = 2953;

export interface VikingFixture {
  root: string;
  /** The proposal's raw folder (runs are r0001, r0002, ...). */
  raw: string;
  truth: VikingRuns;
  restore(): void;
}

export async function vikingFixture(prefix: string, o: VikingRunsOptions = {}): Promise<VikingFixture> {
  const saved = process.env.EXFEL_DATA_ROOT;
  const root = mkdtempSync(join(tmpdir(), prefix));
  process.env.EXFEL_DATA_ROOT = root;
  const raw = join(root, 'SCS', '202601', `p00${PROPOSAL}`, 'raw');
  const restore = () => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const truth = await writeVikingRuns(raw, { proposal: PROPOSAL, ny: 16, nx: 512, trains: 30, ...o });
    return { root, raw, truth, restore };
  } catch (e) {
    restore();
    throw e;
  }
}

/** A DataArray's values as numbers. */
export const nums = (v: ArrayLike<number | bigint>): number[] => Array.from(v, Number);
