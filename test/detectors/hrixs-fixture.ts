/**
 * The synthetic hRIXS proposal of the hRIXS tests: a temporary
 * EXFEL_DATA_ROOT with the runs a suite asks for (writeHrixsRun), removed
 * and the environment restored afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HrixsRunOptions, type HrixsRunPhysics, writeHrixsRun } from '../../toolbox/synthetic/run/hrixs-run.js';
import type { SmallRunTruth } from '../../toolbox/synthetic/run/small-run.js';

export const PROPOSAL = 2953;

export interface HrixsProposal {
  root: string;
  /** The folder of run `run`. */
  runDir(run: number): string;
  /** Write run `run` with these options; resolves to its truth. */
  write(run: number, options?: HrixsRunOptions): Promise<SmallRunTruth & { physics: HrixsRunPhysics }>;
  restore(): void;
}

export function hrixsProposal(prefix: string): HrixsProposal {
  const saved = process.env.EXFEL_DATA_ROOT;
  const root = mkdtempSync(join(tmpdir(), prefix));
  process.env.EXFEL_DATA_ROOT = root;
  const runDir = (run: number) => join(root, 'SCS', '202601', `p${String(PROPOSAL).padStart(6, '0')}`, 'raw', `r${String(run).padStart(4, '0')}`);
  return {
    root, runDir,
    write: (run, options = {}) => writeHrixsRun(runDir(run), { proposal: PROPOSAL, run, ...options }),
    restore: () => {
      if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
      else process.env.EXFEL_DATA_ROOT = saved;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Index of the largest value of `v` within [lo, hi]. */
export function argmaxIn(v: ArrayLike<number>, lo: number, hi: number): number {
  let at = Math.max(0, lo);
  for (let k = Math.max(0, lo); k <= Math.min(v.length - 1, hi); k++) if (v[k] > v[at]) at = k;
  return at;
}
