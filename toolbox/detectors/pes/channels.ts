/**
 * PES channels: '2A' or its mnemonic 'PES_2Araw' → the digitizer trace,
 * checked against the run (the digitizer present, the channel recorded),
 * and the digitizer's sampling (docs/pes.md, Channels).
 */
import { ParameterError, ToolBoxValueError } from '../../errors.js';
import { BUCKET_RATE_KHZ } from '../../misc/bunch-pattern-bits.js';
import { PES_CHANNELS, PES_DIGITIZER, pesChannelKey } from '../../mnemonics/pes.js';
import type { DataCollection } from '../../run/data-collection.js';
import { traceChannel } from '../digitizers/channels.js';

export interface PesChannel {
  /** '2A' */
  channel: string;
  /** 'PES_2Araw' */
  mnemonic: string;
  source: string;
  key: string;
  /** Samples per 4.5 MHz bunch slot (440, 880 interleaved). */
  samplesPerBucket: number;
  /** Samples per ns: samplesPerBucket × the bunch-slot rate (4.514 MHz). */
  samplingRateGHz: number;
}

/** '2A', '2a', 'PES_2Araw' → '2A'; null when it names no PES channel. */
export function pesChannelName(spec: unknown): string | null {
  if (typeof spec !== 'string') return null;
  const m = /^(?:PES_)?([1-4][A-D])(?:raw)?$/i.exec(spec.trim());
  if (!m) return null;
  const ch = m[1].toUpperCase();
  return PES_CHANNELS.includes(ch) ? ch : null;
}

/** The PES channels the run recorded, as '2A'. */
export function pesChannelsInRun(run: DataCollection): string[] {
  if (!run.allSources.includes(PES_DIGITIZER)) return [];
  const keys = new Set(run.keysForSource(PES_DIGITIZER));
  return PES_CHANNELS.filter((ch) => keys.has(pesChannelKey(ch)));
}

/** Throws when the run has no PES digitizer at all. */
export function requirePesDigitizer(run: DataCollection, what: string): void {
  if (!run.allSources.includes(PES_DIGITIZER)) {
    throw new ToolBoxValueError(`${what} has no PES digitizer (${PES_DIGITIZER} is not among its ${run.allSources.length} sources)`);
  }
}

/** Resolve one channel against the run; `what` names the run in messages ('run 30 of proposal 2212'). */
export function pesChannel(run: DataCollection, spec: unknown, what: string): PesChannel {
  const channel = pesChannelName(spec);
  if (!channel) {
    throw new ParameterError(`'${String(spec)}' is not a PES channel: use a name '1A'…'4D' or a mnemonic 'PES_1Araw'…'PES_4Draw'`, { parameter: 'mnemonic', value: spec });
  }
  requirePesDigitizer(run, what);
  const have = pesChannelsInRun(run);
  if (!have.includes(channel)) {
    throw new ToolBoxValueError(`${what} has no PES channel ${channel} (PES_${channel}raw, ${PES_DIGITIZER} ${pesChannelKey(channel)}); channels it has: ${have.join(', ') || '(none)'}`);
  }
  const key = pesChannelKey(channel);
  const tc = traceChannel(run, { source: PES_DIGITIZER, key });
  return { channel, mnemonic: `PES_${channel}raw`, source: PES_DIGITIZER, key, samplesPerBucket: tc.samplesPerBucket, samplingRateGHz: (tc.samplesPerBucket * BUCKET_RATE_KHZ) / 1e6 };
}

/** Channels given as one name or a list ('2A', ['2A', 'PES_3Craw']) → '2A' names, each checked; default: all in the run. */
export function pesChannelList(run: DataCollection, channels: unknown, what: string): PesChannel[] {
  if (channels === undefined || channels === null) {
    requirePesDigitizer(run, what);
    const have = pesChannelsInRun(run);
    if (!have.length) throw new ToolBoxValueError(`${what}: the PES digitizer ${PES_DIGITIZER} recorded no channel`);
    return have.map((c) => pesChannel(run, c, what));
  }
  const list = typeof channels === 'string' ? [channels] : channels;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ParameterError(`channels must be a PES channel or a non-empty list of them, e.g. '2A' or ['2A', 'PES_3Craw'], got ${JSON.stringify(channels)}`, { parameter: 'channels', value: channels });
  }
  const out = list.map((c) => pesChannel(run, c, what));
  return out.filter((c, i) => out.findIndex((d) => d.channel === c.channel) === i);
}
