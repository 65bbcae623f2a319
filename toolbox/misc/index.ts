/** Bunch pattern helpers (Python: toolbox_scs.misc.bunch_pattern and bunch_pattern_external). */
export { PULSE_LOCATIONS, isPpl, isPulseAt, isSase1, isSase3 } from './bunch-pattern-bits.js';
export type { ExtractedBunchPattern, PulseLocation } from './bunch-pattern-bits.js';
export { extractBunchPattern, getSasePId, npulsesHasChanged, pulseIdsPerTrain, pulsePatternInfo, repRate } from './bunch-pattern.js';
export type { NpulsesOptions, PulseIdsPerTrain, PulsePatternInfo, PulsePatternInfoOptions, RepRateOptions, SasePIdOptions } from './bunch-pattern.js';
export { SPEED_OF_LIGHT_MM_PER_PS, alignOlToFelPId, degToRelPower, delayToPosition, fluenceCalibration, positionToDelay } from './laser.js';
export type { AlignOptions as AlignOlOptions, DelayOptions, FluenceCalibration, FluenceOptions, RelPowerOptions } from './laser.js';
export { UNDULATOR_DEFAULTS, getUndulatorConfig, plotUndulatorConfig, undulatorK, undulatorPhotonEnergy } from './undulator.js';
export type { SourceKey as UndulatorSourceKey, UndulatorConfigOptions } from './undulator.js';
