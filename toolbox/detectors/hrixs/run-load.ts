/**
 * Opening the runs of an hRIXS analysis: the camera must be in the run (else
 * an error naming the cameras and sources the run has), then the fields are
 * read with load()'s reader (docs/hrixs.md, Loading).
 */
import type { Dataset } from '../../arrays/dataset.js';
import { slice } from '../../arrays/slice.js';
import { SourceNameError } from '../../errors.js';
import { loadFromRun } from '../../load/load.js';
import { HRIXS_MNEMONICS } from '../../mnemonics/hrixs.js';
import { mnemonicKeyData, mnemonicsForRun, resolveMnemonic } from '../../mnemonics/lookup.js';
import type { DataCollection } from '../../run/data-collection.js';
import { openRun } from '../../run/open.js';
import { byIndex, type TrainSelection } from '../../run/train-select.js';

const CAMERAS = ['MaranaX', 'hRIXS_det'];

/** Open run `runNB` of `proposal` and check that it has the `detector` camera. */
export async function openCameraRun(proposal: number | string, runNB: number | string, detector: string, subset?: TrainSelection): Promise<DataCollection> {
  let run = await openRun(proposal, runNB, { data: 'default' });
  if (subset !== undefined) run = run.selectTrains(subset);
  const present = mnemonicsForRun(run);
  if (!(detector in present)) {
    const m = resolveMnemonic(detector);
    const cams = CAMERAS.filter((c) => c in present);
    const mine = Object.keys(HRIXS_MNEMONICS).filter((c) => c in present);
    throw new SourceNameError(
      `run ${String(runNB)} of proposal ${String(proposal)} has no ${detector} camera (${m.source} ${m.key}); ` +
      `cameras in the run: ${cams.join(', ') || 'none'}; hRIXS mnemonics it has: ${mine.join(', ') || 'none'}; its sources: ${run.allSources.join(', ')}`,
      { source: m.source, available: run.allSources, mnemonic: detector });
  }
  return run;
}

/** Read `fields` of an opened run (one entry per train each), dropping the first train when asked. */
export async function readFields(run: DataCollection, fields: string[], dropFirst: boolean): Promise<Dataset> {
  const ds = await loadFromRun(run, [...new Set(fields)]);
  return dropFirst ? ds.isel({ trainId: slice(1, null) }) : ds;
}

/** The camera frames of a run as a key (for streaming), with the shape of one frame. */
export function cameraKey(run: DataCollection, detector: string): { key: ReturnType<typeof mnemonicKeyData>; fx: number; fy: number } {
  const key = mnemonicKeyData(run, detector);
  const [fx, fy] = key.entryShape;
  return { key, fx, fy };
}

export { byIndex };
