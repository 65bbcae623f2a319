/** Viking spectrometer (Andor Newton camera): spectra, XAS, energy calibration (issue 21). */
export {};
