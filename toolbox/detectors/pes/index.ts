/** Photo-electron spectrometer: time-of-flight spectra, parameters, average traces (issue 21). */
export {};
