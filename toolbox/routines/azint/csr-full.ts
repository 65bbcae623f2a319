/**
 * CSR matrices with full pixel splitting ('full').
 */
import { ToolBoxValueError } from '../../errors.js';
import type { Axis } from './bins.js';
import type { CsrMatrix, PixelPositions } from './types.js';

export interface FullInput {
  pos: PixelPositions;
  scale: number;
  mask?: Uint8Array;
}

export function full1d(_input: FullInput, _axis: Axis, _azim?: [number, number]): CsrMatrix {
  throw new ToolBoxValueError("split 'full' is not available yet");
}

export function full2d(_input: FullInput, _ax0: Axis, _ax1: Axis): CsrMatrix {
  throw new ToolBoxValueError("split 'full' is not available yet");
}
