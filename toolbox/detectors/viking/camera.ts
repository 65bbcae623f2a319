/**
 * The Viking's Andor Newton camera settings (Python: get_camera_gain,
 * e_per_counts, get_camera_params): read from the camera device's RUN
 * values, the run-start settings, through the mnemonic table
 * (docs/viking.md, Camera settings).
 */
import { ParameterError, SourceNameError, ToolBoxValueError } from '../../errors.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import { NEWTON_DEVICE } from '../../mnemonics/viking.js';
import type { RunValue } from '../../run/run-values.js';

/** What the camera functions need of a run (a DataCollection has it). */
export interface VikingCameraRun {
  readonly allSources: string[];
  getRunValue(source: string, key: string): RunValue;
  runMetadata(): Record<string, RunValue>;
}

/** preampGain index of the device → the preamp gain (×1, ×2, ×4). */
export const NEWTON_PREAMP_GAINS: Readonly<Record<number, number>> = { 0: 1, 1: 2, 2: 4 };

/**
 * Photoelectrons per count by output amplifier mode and preamp gain: the
 * Andor Newton datasheet's sensitivities, the high-sensitivity ones as
 * corrected at SCS (docs/viking.md, Photoelectrons per count).
 */
export const NEWTON_E_PER_COUNTS: Readonly<{ highSensitivity: Readonly<Record<number, number>>; highCapacity: Readonly<Record<number, number>> }> = {
  highSensitivity: { 1: 4.0, 2: 2.05, 4: 0.97 },
  highCapacity: { 1: 17.9, 2: 9.0, 4: 4.5 },
};

/** The camera parameters getCameraParams gives (and fromRun puts in attrs). */
export interface VikingCameraParams {
  /** Preamp gain: 1, 2 or 4. */
  gain: number;
  /** 1 in high-capacity mode, 0 in high-sensitivity mode. */
  high_capacity: number;
  photoelectrons_per_count: number;
  exposure_s: number;
  temperature: number;
  hbin: number;
  vbin: number;
}

/** 'run R of proposal P' from the run's METADATA, for messages. */
export function runLabel(run: Pick<VikingCameraRun, 'runMetadata'>): string {
  const md = run.runMetadata();
  return md.runNumber !== undefined ? `run ${String(md.runNumber)} of proposal ${String(md.proposalNumber)}` : 'the run';
}

/** A RUN value of the camera device, by mnemonic; a run without the camera is a SourceNameError listing its sources. */
function cameraValue(run: VikingCameraRun, mnemonic: string, what: string): number {
  const m = resolveMnemonic(mnemonic);
  if (!run.allSources.includes(m.source)) {
    throw new SourceNameError(`${what}: ${runLabel(run)} has no Viking camera (${m.source}); its sources are: ${run.allSources.join(', ')}`, { source: m.source, available: run.allSources, mnemonic });
  }
  const v = run.getRunValue(m.source, m.key);
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n)) throw new ToolBoxValueError(`${what}: ${m.source} ${m.key} of ${runLabel(run)} is ${String(v)}, not a number`);
  return n;
}

/** The camera's preamp gain (1, 2 or 4) in `run` (Python: get_camera_gain). */
export function getCameraGain(run: VikingCameraRun): number {
  const index = cameraValue(run, 'newton_preampGain', 'getCameraGain');
  const gain = NEWTON_PREAMP_GAINS[index];
  if (gain === undefined) throw new ToolBoxValueError(`getCameraGain: ${NEWTON_DEVICE} preampGain of ${runLabel(run)} is ${index}; known settings are 0, 1, 2 (gain 1, 2, 4)`);
  return gain;
}

/** Photoelectrons per count of a preamp gain in one mode (the NEWTON_E_PER_COUNTS table). */
export function ePerCountsOf(gain: number, highCapacity: boolean): number {
  const table = highCapacity ? NEWTON_E_PER_COUNTS.highCapacity : NEWTON_E_PER_COUNTS.highSensitivity;
  const v = table[gain];
  if (v === undefined) throw new ParameterError(`ePerCounts: gain must be 1, 2 or 4, got ${gain}`, { parameter: 'gain', value: gain, expected: ['1', '2', '4'] });
  return v;
}

/**
 * Photoelectrons per count in `run` (Python: e_per_counts): the camera's
 * mode from the run, the gain given or read from the run.
 */
export function ePerCounts(run: VikingCameraRun, gain?: number | null): number {
  const g = gain ?? getCameraGain(run);
  const hc = cameraValue(run, 'newton_highCapacity', 'ePerCounts');
  return ePerCountsOf(g, hc !== 0);
}

/** The camera settings of `run` (Python: get_camera_params). */
export function getCameraParams(run: VikingCameraRun): VikingCameraParams {
  const gain = getCameraGain(run);
  const hc = cameraValue(run, 'newton_highCapacity', 'getCameraParams');
  return {
    gain, high_capacity: hc, photoelectrons_per_count: ePerCountsOf(gain, hc !== 0),
    exposure_s: cameraValue(run, 'newton_exposureTime', 'getCameraParams'),
    temperature: cameraValue(run, 'newton_temperature', 'getCameraParams'),
    hbin: cameraValue(run, 'newton_hbin', 'getCameraParams'),
    vbin: cameraValue(run, 'newton_vbin', 'getCameraParams'),
  };
}
