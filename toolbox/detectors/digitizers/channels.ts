/**
 * Which digitizer a mnemonic (or source/key pair) belongs to, and the
 * per-digitizer constants the peak integration needs: the polarity and the
 * number of samples per 4.5 MHz bunch slot (docs/run-format.md,
 * Digitizers).
 */
import { isAbsent, ParameterError, ToolBoxValueError } from '../../errors.js';
import { resolveMnemonic } from '../../mnemonics/lookup.js';
import type { DataCollection } from '../../run/data-collection.js';
import { isOnboardPeaks, rawName } from './names.js';

export type DigitizerKind = 'ADQ412' | 'FastADC';

export interface TraceChannel {
  /** The mnemonic, or `source/key` when given as a pair. */
  name: string;
  source: string;
  key: string;
  kind: DigitizerKind;
  /**
   * -1 for the ADQ412, whose MCP/photodiode signals are negative-going: the
   * integral is negated so that bigger pulses give bigger positive areas
   * (the Python XAS code does the same). +1 for the FastADC, whose on-board
   * peaks are already positive.
   */
  sign: number;
  /** Samples per 4.5 MHz bunch slot: 440 (ADQ412, 880 interleaved), 24 (FastADC). */
  samplesPerBucket: number;
}

export type ChannelSpec = string | { source: string; key: string };

/** ADQ board clock ratio: 440 samples per bunch slot, doubled in interleaved mode. */
const ADQ_SAMPLES_PER_BUCKET = 440;
/** FastADC: 96 samples per 1.1 MHz period = 24 per slot. */
const FASTADC_SAMPLES_PER_BUCKET = 24;

/** Whether the ADQ board records interleaved (RUN `board1.interleavedMode` of the control device); false when not recorded. */
function adqInterleaved(run: DataCollection, source: string): boolean {
  const control = source.split(':')[0];
  try {
    const v = run.getRunValue(control, 'board1.interleavedMode');
    return typeof v === 'bigint' ? v !== 0n : Boolean(v);
  } catch (err) {
    if (isAbsent(err)) return false;
    throw err;
  }
}

/** Resolve a raw-trace channel, or throw a ParameterError naming it when it is not a digitizer trace. */
export function traceChannel(run: DataCollection, spec: ChannelSpec): TraceChannel {
  // An on-board mnemonic names its channel too (Python's check_peak_params(run, 'MCP2apd')): its trace is the raw one.
  if (typeof spec === 'string' && isOnboardPeaks(spec)) spec = rawName(spec);
  // Classify on the mnemonic table first, so a non-digitizer mnemonic is named as such even when the run lacks it.
  const m = typeof spec === 'string' ? resolveMnemonic(spec) : { ...spec };
  const name = typeof spec === 'string' ? spec : `${spec.source}/${spec.key}`;
  const kindOk = /\.raw\.samples$/.test(m.key) || m.key === 'data.rawData';
  if (kindOk && typeof spec === 'string') Object.assign(m, resolveMnemonic(spec, run));
  if (/\.raw\.samples$/.test(m.key)) {
    const spb = ADQ_SAMPLES_PER_BUCKET * (adqInterleaved(run, m.source) ? 2 : 1);
    return { name, source: m.source, key: m.key, kind: 'ADQ412', sign: -1, samplesPerBucket: spb };
  }
  if (m.key === 'data.rawData') {
    return { name, source: m.source, key: m.key, kind: 'FastADC', sign: 1, samplesPerBucket: FASTADC_SAMPLES_PER_BUCKET };
  }
  throw new ParameterError(`'${name}' (${m.source} ${m.key}) is not a digitizer raw trace; use an ADQ412 '…raw.samples' or FastADC 'data.rawData' channel such as MCP1raw or FastADC2raw`, { parameter: 'mnemonic', value: spec });
}

/** Trace length and trains with data; throws when the channel recorded nothing. */
export function traceInfo(run: DataCollection, ch: TraceChannel): { nsamples: number; trains: number } {
  const info = run.keyInfo(ch.source, ch.key);
  if (info.trainsWithData === 0 || info.shape.length < 2 || info.shape[1] === 0) {
    throw new ToolBoxValueError(`${ch.name}: the digitizer channel recorded no trace in the selected trains (${ch.source} ${ch.key})`);
  }
  return { nsamples: info.shape[1], trains: info.trainsWithData };
}

/** The digitizers digitizerSignalDescription knows, as the Python toolbox names them. */
export const DIGITIZERS = ['FastADC', 'FastADC2', 'ADQ412', 'ADQ412_2'] as const;
export type DigitizerName = typeof DIGITIZERS[number];

/** Known ADQ412 channels at SCS and what they record (XAS-TIM wiring, docs/run-format.md, Digitizers). */
const ADQ_SIGNALS: Record<string, string> = {
  MCP1raw: 'TIM MCP 1 (ADQ412 channel_1_D)',
  MCP2raw: 'TIM MCP 2 (ADQ412 channel_1_C)',
  MCP3raw: 'TIM MCP 3 (ADQ412 channel_1_B)',
  MCP4raw: 'TIM MCP 4 (ADQ412 channel_1_A)',
};

/** Per digitizer: its control device and the channels it may have, mnemonic (or label) → (pipeline source, key, built-in description). */
interface DigitizerChannels {
  control: string;
  channels: { name: string; source: string; key: string; what: string }[];
}

function fastAdcChannels(prefix: string, label: string): DigitizerChannels | null {
  const first = resolveOrNull(`${prefix}0raw`);
  if (!first) return null;
  const channels = Array.from({ length: 10 }, (_, n) => {
    const m = resolveOrNull(`${prefix}${n}raw`)!;
    return { name: `${prefix}${n}raw`, source: m.source, key: m.key, what: `${label} channel ${n} (${m.source})` };
  });
  return { control: first.source.split(':')[0], channels };
}

function resolveOrNull(mnemonic: string): { source: string; key: string } | null {
  try {
    return resolveMnemonic(mnemonic);
  } catch (err) {
    if (isAbsent(err)) return null;
    throw err;
  }
}

function digitizerChannels(d: DigitizerName): DigitizerChannels | null {
  if (d === 'FastADC') return fastAdcChannels('FastADC', 'FastADC');
  if (d === 'FastADC2') return fastAdcChannels('FastADC2_', 'FastADC2');
  if (d === 'ADQ412') {
    return {
      control: 'SCS_UTC1_ADQ/ADC/1',
      channels: Object.entries(ADQ_SIGNALS).map(([name, what]) => ({ name, ...resolveMnemonic(name), what })),
    };
  }
  // The second ADQ412 has no mnemonics: its channels are named by board channel.
  const source = 'SCS_UTC2_ADQ/ADC/1:network';
  return {
    control: 'SCS_UTC2_ADQ/ADC/1',
    channels: ['A', 'B', 'C', 'D'].map((c) => ({ name: `ADQ412_2 channel_1_${c}`, source, key: `digitizers.channel_1_${c}.raw.samples`, what: `ADQ412_2 channel_1_${c} (${source})` })),
  };
}

/** RUN values of a control device whose key mentions 'description' (the devices' own channel descriptions). */
function recordedDescriptions(run: DataCollection, control: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!run.controlSources.includes(control)) return out;
  let values: ReturnType<DataCollection['getRunValues']>;
  try { values = run.getRunValues(control); } catch { return out; }
  for (const [k, v] of Object.entries(values)) {
    if (/description/i.test(k) && typeof v === 'string' && v) out[`${control}.${k}`] = v;
  }
  return out;
}

/**
 * digitizer_signal_description: known channels of the run's digitizers
 * ('FastADC', 'FastADC2', 'ADQ412', 'ADQ412_2'; default all) and what they
 * measure, plus the descriptions the devices recorded themselves (RUN keys
 * containing 'description', listed as `<device>.<key>`).
 */
export function digitizerSignalDescription(run: DataCollection, digitizer?: DigitizerName | DigitizerKind | readonly DigitizerName[]): Record<string, string> {
  const want: readonly string[] = digitizer === undefined ? DIGITIZERS : typeof digitizer === 'string' ? [digitizer] : digitizer;
  const out: Record<string, string> = {};
  for (const d of want) {
    if (!(DIGITIZERS as readonly string[]).includes(d)) {
      throw new ParameterError(`digitizerSignalDescription: unknown digitizer '${String(d)}'; use one of ${DIGITIZERS.join(', ')}`, { parameter: 'digitizer', value: d, expected: [...DIGITIZERS] });
    }
    const spec = digitizerChannels(d as DigitizerName);
    if (!spec) continue;
    for (const ch of spec.channels) {
      if (run.allSources.includes(ch.source) && run.keysForSource(ch.source).includes(ch.key)) out[ch.name] = ch.what;
    }
    Object.assign(out, recordedDescriptions(run, spec.control));
  }
  return out;
}
