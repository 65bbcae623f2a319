/** Test helpers of the BOZ params tests: module frames held in memory, module images with beams. */
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames } from '../../toolbox/routines/boz/types.js';
import { inMemoryModule } from '../../toolbox/routines/boz/load.js';
import { rng } from '../arrays/reduce-helpers.js';

export { rng };

/** ModuleFrames over `trains` × `pulses` frames given flat (train, pulse, row, column), streamed in chunks of `chunkTrains`. */
export function memoryFrames(data: Uint16Array, trains: number, pulses: number, meta: { run?: number; module?: number; chunkTrains?: number } = {}): ModuleFrames {
  const inner = inMemoryModule({
    proposal: 1, run: meta.run ?? 1, module: meta.module ?? 15, pulses, trainIds: BigUint64Array.from({ length: trains }, (_, i) => 1000n + BigInt(i)),
  }, data);
  return { ...inner, chunks: (options = {}) => inner.chunks({ ...options, trains: meta.chunkTrains ?? 2 }) };
}


/** A module image of `background` with rectangles of value `level` at columns [xl, xh), rows [yl, yh). */
export function beamsImage(beams: { xl: number; xh: number; yl: number; yh: number }[], level = 100, background = 0): Float64Array {
  const img = new Float64Array(MODULE_PIXELS).fill(background);
  for (const b of beams) for (let r = b.yl; r < b.yh; r++) for (let c = b.xl; c < b.xh; c++) img[r * MODULE_COLS + c] = level;
  return img;
}

export { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS };
