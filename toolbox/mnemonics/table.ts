/**
 * The SCS mnemonic table: short names scientists use (`SCS_SA3`, `nrj`,
 * `PP800_DelayLine`, ...) → (source, key, dims). Names and dims follow the
 * Python toolbox; no public copy of its table exists, so each entry records
 * where its (source, key) pair comes from (see docs/run-format.md, SCS sources and Mnemonics):
 *   'verified'  the pair is used by public EuXFEL code reading real SCS data;
 *   'mock'      layout from EuXFEL's mock generators, names verified elsewhere;
 *   'project'   the device name comes from the project's own source list only.
 * A mnemonic may have alternatives (older/newer devices); the first one the
 * run has is used.
 */

import { FASTCCD_MNEMONICS } from './fastccd.js';
import { HRIXS_MNEMONICS } from './hrixs.js';
import { PES_MNEMONICS } from './pes.js';
import { VIKING_MNEMONICS } from './viking.js';

export type Provenance = 'verified' | 'mock' | 'project';

export interface Mnemonic {
  source: string;
  key: string;
  /** Names of the per-train entry dims; null for one scalar per train. */
  dim: string[] | null;
  provenance?: Provenance;
}

export type MnemonicEntry = Mnemonic | readonly Mnemonic[];

const XGM = 'SCS_BLU_XGM/XGM/DOOCS';
const XTD10_XGM = 'SA3_XTD10_XGM/XGM/DOOCS';
const DECODER = 'SCS_RR_UTC/MDL/BUNCH_DECODER';
const TIMESERVER = 'SCS_RR_UTC/TSYS/TIMESERVER';
const ADQ = 'SCS_UTC1_ADQ/ADC/1:network';
const FASTADC = 'SCS_UTC1_MCP/ADC/1';
const FASTADC2 = 'SCS_UTC2_FADC/ADC/1';

function xgmPulses(source: string, key: string, dim: string): Mnemonic {
  return { source: `${source}:output`, key: `data.${key}`, dim: [dim], provenance: 'verified' };
}

function slow(source: string, key: string, provenance: Provenance = 'verified'): Mnemonic {
  return { source, key, dim: null, provenance };
}

function decoder(destination: string): Record<string, Mnemonic> {
  return {
    [destination]: { source: DECODER, key: `${destination}.pulseIds.value`, dim: ['bunchId'], provenance: 'verified' },
    [`npulses_${destination}`]: slow(DECODER, `${destination}.nPulses.value`),
  };
}

/** ADQ412 channels as the XAS-TIM setup maps them: MCP1..4 = channels D, C, B, A. */
function adqChannels(): Record<string, Mnemonic> {
  const out: Record<string, Mnemonic> = {};
  ['D', 'C', 'B', 'A'].forEach((ch, i) => {
    out[`MCP${i + 1}raw`] = { source: ADQ, key: `digitizers.channel_1_${ch}.raw.samples`, dim: ['samplesId'], provenance: 'verified' };
    out[`MCP${i + 1}apd`] = { source: ADQ, key: `digitizers.channel_1_${ch}.apd.pulseIntegral`, dim: ['apdId'], provenance: 'verified' };
  });
  return out;
}

/** FastADC: one pipeline per channel; the device name is from the project's source list. */
function fastAdcChannels(): Record<string, Mnemonic> {
  const out: Record<string, Mnemonic> = {};
  for (let n = 0; n < 10; n++) {
    const source = `${FASTADC}:channel_${n}.output`;
    out[`FastADC${n}raw`] = { source, key: 'data.rawData', dim: ['fadc_samplesId'], provenance: 'project' };
    out[`FastADC${n}peaks`] = { source, key: 'data.peaks', dim: ['peakId'], provenance: 'project' };
  }
  return out;
}

/**
 * The second FastADC (Python: FastADC2_<n>raw / FastADC2_<n>peaks): mnemonic names
 * from public user code, the device name unverified (docs/run-format.md, Digitizers).
 */
function fastAdc2Channels(): Record<string, Mnemonic> {
  const out: Record<string, Mnemonic> = {};
  for (let n = 0; n < 10; n++) {
    const source = `${FASTADC2}:channel_${n}.output`;
    out[`FastADC2_${n}raw`] = { source, key: 'data.rawData', dim: ['fadc2_samplesId'], provenance: 'project' };
    out[`FastADC2_${n}peaks`] = { source, key: 'data.peaks', dim: ['peakId'], provenance: 'project' };
  }
  return out;
}

export const MNEMONICS: Readonly<Record<string, MnemonicEntry>> = Object.freeze({
  // XGM after the SASE3 mono (SCS) and in the SASE3 tunnel (XTD10), pulse-resolved (1000 slots)
  SCS_XGM: xgmPulses(XGM, 'intensityTD', 'XGMbunchId'),
  SCS_SA1: xgmPulses(XGM, 'intensitySa1TD', 'XGMbunchId'),
  SCS_SA3: xgmPulses(XGM, 'intensitySa3TD', 'XGMbunchId'),
  SCS_XGM_AUX: xgmPulses(XGM, 'intensityAUXTD', 'XGMbunchId'),
  XTD10_XGM: xgmPulses(XTD10_XGM, 'intensityTD', 'XGMbunchId'),
  XTD10_SA1: xgmPulses(XTD10_XGM, 'intensitySa1TD', 'XGMbunchId'),
  XTD10_SA3: xgmPulses(XTD10_XGM, 'intensitySa3TD', 'XGMbunchId'),
  // XGM slow data (train averages)
  SCS_photonFlux: slow(XGM, 'pulseEnergy.photonFlux.value'),
  XTD10_photonFlux: slow(XTD10_XGM, 'pulseEnergy.photonFlux.value'),
  SCS_XGM_SLOW: slow(XGM, 'controlData.slowTrain.value'),
  XTD10_XGM_SLOW: slow(XTD10_XGM, 'controlData.slowTrain.value'),

  // bunch pattern: newer timeservers publish the table as a pipeline, older ones as slow data
  bunchPatternTable: [
    { source: `${TIMESERVER}:outputBunchPattern`, key: 'data.bunchPatternTable', dim: ['pulse_slot'], provenance: 'verified' },
    { source: TIMESERVER, key: 'bunchPatternTable.value', dim: ['pulse_slot'], provenance: 'verified' },
  ],
  ...decoder('sase1'),
  ...decoder('sase2'),
  ...decoder('sase3'),
  ...decoder('laser'),
  maindump: { source: DECODER, key: 'maindump.pulseIds.value', dim: ['bunchId'], provenance: 'verified' },
  npulses_maindump: slow(DECODER, 'maindump.nPulses.value'),

  // pump-probe laser and photon energy
  PP800_DelayLine: slow('SCS_ILH_LAS/MOTOR/LT3', 'AActualPosition.value'),
  PP800_PhaseShifter: [
    slow('SCS_ILH_LAS/DOOCS/PP800_PHASESHIFTER', 'actualPosition.value'),
    slow('SCS_ILH_LAS/PHASESHIFTER/DOOCS', 'actualPosition.value'),
  ],
  nrj: slow('SA3_XTD10_MONO/MDL/PHOTON_ENERGY', 'actualEnergy.value'),

  // knife-edge motors of the sample chamber (routines knifeEdge): device names are the project's guess,
  // unverified (docs/routines.md, Knife-edge)
  scannerX: slow('SCS_CDIFFT_SAM/LMOTOR/SCANNERX', 'actualPosition.value', 'project'),
  scannerY: slow('SCS_CDIFFT_SAM/LMOTOR/SCANNERY', 'actualPosition.value', 'project'),

  // beam arrival monitors: arrival time per pulse at 9 MHz (pulse ID p at index 2p), in ps.
  // BAM414's device name is from the Python toolbox's documentation, the 1932 BAMs from
  // EXtra's defaults for other instruments; the pipeline and key names are EXtra's.
  BAM414: { source: 'SCS_ILH_LAS/DOOCS/BAM_414_B2:output', key: 'data.lowChargeArrivalTime', dim: ['BAMbunchId'], provenance: 'project' },
  BAM1932M: { source: 'XFEL_SDIAG_BAM/DOOCS/1932M_TL:output', key: 'data.lowChargeArrivalTime', dim: ['BAMbunchId'], provenance: 'project' },
  BAM1932S: { source: 'XFEL_SDIAG_BAM/DOOCS/1932S_TL:output', key: 'data.lowChargeArrivalTime', dim: ['BAMbunchId'], provenance: 'project' },

  // digitizers
  ...adqChannels(),
  ...fastAdcChannels(),
  ...fastAdc2Channels(),

  // spectrometers and cameras
  ...HRIXS_MNEMONICS,
  ...VIKING_MNEMONICS,
  ...PES_MNEMONICS,
  ...FASTCCD_MNEMONICS,
});
