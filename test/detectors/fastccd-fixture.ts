/**
 * A proposal tree with synthetic FastCCD runs for the FastCCD tests: written
 * once in before(), removed in after(). EXFEL_DATA_ROOT is not touched; the
 * tests pass `dataRoot`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FastccdRunOptions, writeFastccdRun } from '../../toolbox/synthetic/run/fastccd-run.js';

export const PROPOSAL = 2830;

export interface FccdFixture {
  root: string;
  out: string;
  truth: Record<number, Awaited<ReturnType<typeof writeFastccdRun>>>;
}

/** Runs by number with their generator options; `proc: true` also writes corrected frames. */
export function useFccdProposal(runs: Record<number, FastccdRunOptions & { proc?: boolean }>): FccdFixture {
  const fx = { truth: {} } as FccdFixture;
  before(async () => {
    fx.root = mkdtempSync(join(tmpdir(), 'scs-fccd-'));
    fx.out = join(fx.root, 'binned');
    const p = join(fx.root, 'SCS', '202601', `p00${PROPOSAL}`);
    for (const [nr, { proc, ...o }] of Object.entries(runs)) {
      const r = `r${nr.padStart(4, '0')}`;
      fx.truth[Number(nr)] = await writeFastccdRun(join(p, 'raw', r), { ...o, run: Number(nr), proposal: PROPOSAL, ...(proc ? { procDir: join(p, 'proc', r) } : {}) });
    }
  });
  after(() => { if (fx.root) rmSync(fx.root, { recursive: true, force: true }); });
  return fx;
}

/** Σ_ring(pumped − unpumped) / Σ_ring unpumped per scan bin, ring = pixels where `ring` > threshold. */
export function relativeSignal(pumped: ArrayLike<number>, unpumped: ArrayLike<number>, ring: ArrayLike<number>, threshold: number): number[] {
  const pixels = ring.length, bins = pumped.length / pixels, out: number[] = [];
  for (let s = 0; s < bins; s++) {
    let num = 0, den = 0;
    for (let k = 0; k < pixels; k++) {
      if (ring[k] <= threshold) continue;
      num += pumped[s * pixels + k] - unpumped[s * pixels + k];
      den += unpumped[s * pixels + k];
    }
    out.push(num / den);
  }
  return out;
}
