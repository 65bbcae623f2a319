/** Knobs of the run reader (tests shrink them to exercise the limits on small files). */
export const runTuning = {
  /** HDF5 handles kept open at once across all collections (least recently used closed first). */
  maxOpenFiles: 64,
  /** Bytes per hyperslab read: bounds the copy through h5wasm's heap for huge keys. */
  slabBytes: 64 * 2 ** 20,
};
