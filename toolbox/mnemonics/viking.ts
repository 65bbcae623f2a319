/**
 * Mnemonics of the Viking spectrometer's Andor Newton camera (issue 21);
 * spread into the table by table.ts. Where each (source, key) comes from:
 * docs/viking.md, Mnemonics.
 */
import type { Mnemonic, MnemonicEntry, Provenance } from './table.js';

/** The camera's control device; public code reading real SCS runs reads its gain and mode here. */
export const NEWTON_DEVICE = 'SCS_EXP_NEWTON/CAM/CAMERA';
/** Its image pipeline, laid out as EuXFEL camera pipelines are (`<device>:daqOutput`, `data.image.pixels`). */
export const NEWTON_OUTPUT = `${NEWTON_DEVICE}:daqOutput`;

const ctl = (key: string, provenance: Provenance): Mnemonic => ({ source: NEWTON_DEVICE, key, dim: null, provenance });

export const VIKING_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {
  // the image: newt_y across the slit (non-dispersive), newt_x along the dispersion
  newton: { source: NEWTON_OUTPUT, key: 'data.image.pixels', dim: ['newt_y', 'newt_x'], provenance: 'mock' },
  // camera settings getCameraParams reads (0/1/2 → preamp gain 1/2/4; HighCapacity 0 = high sensitivity)
  newton_preampGain: ctl('preampGain.value', 'verified'),
  newton_highCapacity: ctl('HighCapacity.value', 'verified'),
  newton_exposureTime: ctl('exposureTime.value', 'project'),
  newton_temperature: ctl('CoolerActual.temperature.value', 'project'),
  newton_hbin: ctl('imageSpecifications.horizontalBinning.value', 'project'),
  newton_vbin: ctl('imageSpecifications.verticalBinning.value', 'project'),
};
