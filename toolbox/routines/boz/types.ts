/**
 * Shared vocabulary of the BOZ routines (Python: toolbox_scs.routines.boz):
 * module geometry, ROIs, the 9-bit lookup table and the streamed raw
 * frames. Definitions and conventions: docs/boz.md.
 */

/** A DSSC module image: 128 rows (slow scan; the DataArray dim 'x') × 512 columns (fast scan; dim 'y'). */
export const MODULE_ROWS = 128;
export const MODULE_COLS = 512;
export const MODULE_PIXELS = MODULE_ROWS * MODULE_COLS;
/** The DSSC ADC is 9-bit: raw values 0…511; a lookup table has one entry per value. */
export const ADC_LEVELS = 512;

/** The three beams of the zone plate: orders −1 ('n'), 0 ('0') and +1 ('p'). */
export type BeamName = 'n' | '0' | 'p';
export const BEAMS: readonly BeamName[] = ['n', '0', 'p'];

/**
 * A rectangle of module pixels as the Python toolbox's roi dict: columns
 * [xl, xh) along the 512-pixel fast-scan axis (horizontal in a module
 * image), rows [yl, yh) along the 128-pixel slow-scan axis. The pixels of
 * a ROI in a row-major (128, 512) image are img[yl:yh, xl:xh].
 */
export interface Roi { xl: number; xh: number; yl: number; yh: number }

/** ROIs by name: 'n', '0', 'p' (the beams, same size), 'sat' (where saturation is checked), plus extended ASIC ROIs. */
export type Rois = Record<string, Roi>;

/** A plane a·x + b·y + c·z + d = 0 (z = −(a·x + b·y + d)/c over ROI-relative pixel positions): Python's flat-field plane. */
export type Plane = [number, number, number, number];

/**
 * One chunk of raw module frames: `trains` trains × `pulses` frames of
 * MODULE_ROWS × MODULE_COLS uint16 values (9-bit, 0…511), row-major
 * (train, pulse, row, column). `firstTrain` is the index of its first train in
 * the run's selection.
 */
export interface RawChunk { firstTrain: number; trains: number; pulses: number; data: Uint16Array }

/**
 * Raw 9-bit frames of one module (Python: load_dssc_module's dask array
 * (trainId, pulseId, x, y) and tid), streamed in train chunks so a long run
 * is never held whole (docs/boz.md, Memory).
 */
export interface ModuleFrames {
  proposal: number;
  run: number;
  module: number;
  trainIds: BigUint64Array;
  /** Frames per train kept (X-ray frames only when intra-darks are dropped). */
  pulses: number;
  /** Chunks of at most `trains` trains (default: ~16 MiB of frames), in train order. */
  chunks(options?: { trains?: number; signal?: AbortSignal }): AsyncIterable<RawChunk>;
}
