/**
 * Mnemonics of the photo-electron spectrometer (PES, SA3_XTD10), spread into
 * the table by table.ts. Provenance and the channel mapping: docs/pes.md.
 *
 * - `PES_<b><L>raw` (b = 1…4, L = A…D): raw trace of digitizer channel
 *   `channel_<b>_<L>` of the PES ADQ digitizer. The source and the key form
 *   are used by EXtra-data's public documentation ('verified').
 * - Gas valves `PES_N2`, `PES_Ne`, `PES_Kr`, `PES_Xe`, the MPOD high-voltage
 *   supply's channels `PES_MPOD_U<n>` and the retardation voltage of each
 *   spectrometer channel `PES_RV_<b><L>` (= the MPOD channel that feeds it):
 *   device names from the project's own source list ('project').
 */
import type { Mnemonic, MnemonicEntry } from './table.js';

/** The PES digitizer (ADQ412, 4 boards × 4 channels) and its control device. */
export const PES_DIGITIZER = 'SA3_XTD10_PES/ADC/1:network';
export const PES_DIGITIZER_CONTROL = 'SA3_XTD10_PES/ADC/1';
/** The MPOD power supply: one voltage per channel, key `channels.U<n>.measurementSenseVoltage`. */
export const PES_MPOD = 'SA3_XTD10_PES/MDL/DAQ_MPOD';
/** MPOD channels: U0…U15 are the retardation voltages of PES channels 1A…4D, U16…U23 the MCP and lens supplies. */
export const PES_MPOD_CHANNELS = 24;
/** The 16 spectrometer channels, board 1…4 × letter A…D. */
export const PES_CHANNELS: readonly string[] = [1, 2, 3, 4].flatMap((b) => ['A', 'B', 'C', 'D'].map((l) => `${b}${l}`));
/** Gas injection valves: gas → valve device (key `isOpen`, 1 when the valve is open). */
export const PES_GAS_VALVES: Readonly<Record<string, string>> = {
  N2: 'SA3_XTD10_PES/DCTRL/V30300S_NITROGEN',
  Ne: 'SA3_XTD10_PES/DCTRL/V30310S_NEON',
  Kr: 'SA3_XTD10_PES/DCTRL/V30320S_KRYPTON',
  Xe: 'SA3_XTD10_PES/DCTRL/V30330S_XENON',
};

/** The digitizer key of PES channel '2A': digitizers.channel_2_A.raw.samples. */
export function pesChannelKey(channel: string): string {
  return `digitizers.channel_${channel[0]}_${channel[1]}.raw.samples`;
}

/** The MPOD key of channel n. */
export function pesMpodKey(n: number): string {
  return `channels.U${n}.measurementSenseVoltage.value`;
}

function entries(): Record<string, Mnemonic> {
  const out: Record<string, Mnemonic> = {};
  PES_CHANNELS.forEach((ch, i) => {
    out[`PES_${ch}raw`] = { source: PES_DIGITIZER, key: pesChannelKey(ch), dim: ['PESsampleId'], provenance: 'verified' };
    out[`PES_RV_${ch}`] = { source: PES_MPOD, key: pesMpodKey(i), dim: null, provenance: 'project' };
  });
  for (const [gas, source] of Object.entries(PES_GAS_VALVES)) out[`PES_${gas}`] = { source, key: 'isOpen.value', dim: null, provenance: 'project' };
  for (let n = 0; n < PES_MPOD_CHANNELS; n++) out[`PES_MPOD_U${n}`] = { source: PES_MPOD, key: pesMpodKey(n), dim: null, provenance: 'project' };
  return out;
}

export const PES_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = entries();
