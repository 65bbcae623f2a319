/** hRIXS spectrometer and its MaranaX camera: curvature, centroiding, integration (issue 21). */
export {};
