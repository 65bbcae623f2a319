/** Test helpers of the BOZ params tests: module frames held in memory, module images with beams. */
import { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS, type ModuleFrames, type RawChunk } from '../../toolbox/routines/boz/types.js';
import { rng } from '../arrays/reduce-helpers.js';

export { rng };

/** ModuleFrames over `trains` × `pulses` frames given flat (train, pulse, row, column), streamed in chunks of `chunkTrains`. */
export function memoryFrames(data: Uint16Array, trains: number, pulses: number, meta: { run?: number; module?: number; chunkTrains?: number } = {}): ModuleFrames {
  if (data.length !== trains * pulses * MODULE_PIXELS) throw new Error('memoryFrames: wrong data length');
  const step = meta.chunkTrains ?? 2;
  return {
    proposal: 1, run: meta.run ?? 1, module: meta.module ?? 15, pulses,
    trainIds: BigUint64Array.from({ length: trains }, (_, i) => 1000n + BigInt(i)),
    async *chunks(): AsyncIterable<RawChunk> {
      for (let t = 0; t < trains; t += step) {
        const n = Math.min(step, trains - t);
        yield { firstTrain: t, trains: n, pulses, data: data.subarray(t * pulses * MODULE_PIXELS, (t + n) * pulses * MODULE_PIXELS) };
      }
    },
  };
}


/** A module image of `background` with rectangles of value `level` at columns [xl, xh), rows [yl, yh). */
export function beamsImage(beams: { xl: number; xh: number; yl: number; yh: number }[], level = 100, background = 0): Float64Array {
  const img = new Float64Array(MODULE_PIXELS).fill(background);
  for (const b of beams) for (let r = b.yl; r < b.yh; r++) for (let c = b.xl; c < b.xh; c++) img[r * MODULE_COLS + c] = level;
  return img;
}

export { MODULE_COLS, MODULE_PIXELS, MODULE_ROWS };
