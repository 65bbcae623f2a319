/**
 * Mnemonics of the hRIXS spectrometer and its cameras (issue 21); spread into
 * the table by table.ts. The mnemonic names are the Python toolbox's (public
 * user code loads `hRIXS_det`, `hRIXS_exposure`, `hRIXS_delay`; the docs name
 * `hRIXS_norm`, `hRIXS_det` and `MaranaX`). No public source gives their
 * (source, key) pairs: the device names are the project's (provenance
 * 'project'), laid out as EuXFEL cameras are (`<dev>:daqOutput`,
 * `data.image.pixels`). Image dims are ['x', 'y'] as user code reads
 * `ds.x`, `ds.y` (docs/hrixs.md, Mnemonics).
 */
import type { Mnemonic, MnemonicEntry } from './table.js';

/** The older hRIXS camera. */
export const HRIXS_DET_SOURCE = 'SCS_HRIXS_DET/CAM/CAMERA';
/** The MaranaX (Andor Marana) camera. */
export const MARANAX_SOURCE = 'SCS_HRIXS_MARANAX/CAM/CAMERA';
/** The pump-probe delay of hRIXS experiments, and the per-train normalisation. */
export const HRIXS_DELAY_SOURCE = 'SCS_HRIXS_DLY/MDL/PPDELAY';
export const HRIXS_NORM_SOURCE = 'SCS_HRIXS_NORM/MDL/INTENSITY';

const image = (device: string): Mnemonic => ({ source: `${device}:daqOutput`, key: 'data.image.pixels', dim: ['x', 'y'], provenance: 'project' });
const slow = (source: string, key: string): Mnemonic => ({ source, key, dim: null, provenance: 'project' });

export const HRIXS_MNEMONICS: Readonly<Record<string, MnemonicEntry>> = {
  hRIXS_det: image(HRIXS_DET_SOURCE),
  hRIXS_index: { source: `${HRIXS_DET_SOURCE}:daqOutput`, key: 'data.image.frameNumber', dim: null, provenance: 'project' },
  hRIXS_exposure: slow(HRIXS_DET_SOURCE, 'exposureTime.value'),
  MaranaX: image(MARANAX_SOURCE),
  MaranaX_index: { source: `${MARANAX_SOURCE}:daqOutput`, key: 'data.image.frameNumber', dim: null, provenance: 'project' },
  MaranaX_exposure: slow(MARANAX_SOURCE, 'exposureTime.value'),
  hRIXS_delay: slow(HRIXS_DELAY_SOURCE, 'actualDelay.value'),
  hRIXS_norm: slow(HRIXS_NORM_SOURCE, 'value.value'),
};
