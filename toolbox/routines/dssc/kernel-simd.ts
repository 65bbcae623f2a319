/**
 * DSSC binning's accumulator, with the kernel in WebAssembly SIMD when it
 * can run (kernel-simd.wat): the bin sums and the frame buffers the module
 * is read into share one WebAssembly memory, so frames go from the file
 * straight to where the SIMD kernel reads them (no copy), and the kernel
 * adds ~130,000 raw 128×512 frames per second on one core where the
 * JavaScript loop (kernel.ts) adds ~35,000. Results are bit-identical to the
 * JavaScript kernel's: the same groups, the same float operations in the
 * same order.
 *
 * The JavaScript kernel runs instead for float32 (corrected) frames, a frame
 * size that is not a multiple of 8 pixels, frames outside the memory (a
 * chunk larger than the buffers), sums over 4 GiB (WebAssembly's 32-bit
 * addresses), and when `simdTuning.enabled` is false.
 */
import { KERNEL_SIMD_WASM } from './kernel-simd-wasm.js';
import { type FrameData, accumulateFrames, checkRanges, sameWeights } from './kernel.js';

/** The functions of kernel-simd.wat: byte addresses, then the bytes of a frame, then the weight(s). */
interface SimdKernel {
  sum8(acc: number, p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, p6: number, p7: number, bytes: number, scale: number): void;
  sum4(acc: number, p0: number, p1: number, p2: number, p3: number, bytes: number, scale: number): void;
  weighted8(acc: number, p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, p6: number, p7: number, bytes: number,
    w0: number, w1: number, w2: number, w3: number, w4: number, w5: number, w6: number, w7: number): void;
  weighted4(acc: number, p0: number, p1: number, p2: number, p3: number, bytes: number, w0: number, w1: number, w2: number, w3: number): void;
  frame(acc: number, p0: number, bytes: number, w: number): void;
}

/** What is used of the WebAssembly JS API (TypeScript types it in the DOM lib only, which Node code does not load). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Off switch, to compare both kernels (bench/dssc-binning.ts) and to test the fallback. */
export const simdTuning = { enabled: true };

const PAGE = 65536;
/** 4 GiB, WebAssembly's 32-bit address space, less one page. */
const MAX_PAGES = 65535;
/** Frame buffers start on a cache line. */
const ALIGN = 64;

let compiled: object | null | undefined;

/** The compiled kernel, or null where the engine cannot (no SIMD): the JS kernel then. */
function simdModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(Buffer.from(KERNEL_SIMD_WASM, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled ?? null;
}

const alignUp = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** The sums of a module's bins, and where its frames are read to. */
export class FrameAccumulator {
  private constructor(
    /** Every bin's float64 sums, bin after bin. */
    readonly sums: Float64Array,
    /** Buffers to read frames into (dsscModuleChunks' `buffers`), or none without the SIMD kernel. */
    readonly buffers: Uint8Array[],
    private readonly kernel: SimdKernel | null,
  ) {}

  /** Zeroed sums of `sumsLength` values and `nBuffers` frame buffers of `bufferBytes` each. */
  static create(sumsLength: number, bufferBytes: number, nBuffers: number): FrameAccumulator {
    const module = simdTuning.enabled ? simdModule() : null;
    const buffersAt = alignUp(sumsLength * 8);
    const stride = alignUp(bufferBytes);
    const pages = Math.max(1, Math.ceil((buffersAt + stride * nBuffers) / PAGE));
    if (module && pages <= MAX_PAGES) {
      try {
        const memory = new wasm.Memory({ initial: pages });
        const kernel = new wasm.Instance(module, { env: { memory } }).exports as unknown as SimdKernel;
        const buffers = Array.from({ length: nBuffers }, (_, i) => new Uint8Array(memory.buffer, buffersAt + i * stride, bufferBytes));
        return new FrameAccumulator(new Float64Array(memory.buffer, 0, sumsLength), buffers, kernel);
      } catch {
        // no address space for the memory: the JS kernel on ordinary arrays does the same work
      }
    }
    return new FrameAccumulator(new Float64Array(sumsLength), [], null);
  }

  /** Whether the SIMD kernel runs for frames in this accumulator's buffers. */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** sums[accOffset + p] += Σ_k weights[k] · src[srcOffsets[k] + p], as accumulateFrames. */
  accumulate(accOffset: number, src: FrameData, srcOffsets: ArrayLike<number>, weights: ArrayLike<number>, count: number, pixels: number): void {
    const kernel = this.kernel;
    if (!kernel || !(src instanceof Uint16Array) || src.buffer !== this.sums.buffer || pixels % 8 !== 0) {
      accumulateFrames(this.sums, accOffset, src, srcOffsets, weights, count, pixels);
      return;
    }
    // the wasm kernel has no bounds of its own within its memory: every range is checked here
    checkRanges(this.sums, accOffset, src, srcOffsets, weights, count, pixels);
    const acc = this.sums.byteOffset + accOffset * 8;
    const bytes = pixels * 2;
    const at = (j: number) => src.byteOffset + srcOffsets[j] * 2;
    const w = weights;
    // the groups kernel.ts makes: 8 frames while there are 8, then 4, then one by one
    let k = 0;
    while (k < count) {
      if (count - k >= 8) {
        if (sameWeights(w, k, 8)) kernel.sum8(acc, at(k), at(k + 1), at(k + 2), at(k + 3), at(k + 4), at(k + 5), at(k + 6), at(k + 7), bytes, w[k]);
        else kernel.weighted8(acc, at(k), at(k + 1), at(k + 2), at(k + 3), at(k + 4), at(k + 5), at(k + 6), at(k + 7), bytes, w[k], w[k + 1], w[k + 2], w[k + 3], w[k + 4], w[k + 5], w[k + 6], w[k + 7]);
        k += 8;
      } else if (count - k >= 4) {
        if (sameWeights(w, k, 4)) kernel.sum4(acc, at(k), at(k + 1), at(k + 2), at(k + 3), bytes, w[k]);
        else kernel.weighted4(acc, at(k), at(k + 1), at(k + 2), at(k + 3), bytes, w[k], w[k + 1], w[k + 2], w[k + 3]);
        k += 4;
      } else {
        kernel.frame(acc, at(k), bytes, w[k]);
        k += 1;
      }
    }
  }

  /**
   * The sums. With the SIMD kernel they are a view of its memory, which they
   * keep alive (with the frame buffers) while they are held; not copied, as a
   * copy would be one more array of the size of the sums at the peak.
   */
  result(): Float64Array {
    return this.sums;
  }
}
