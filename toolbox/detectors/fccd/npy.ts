/**
 * numpy's .npy format (version 1.0/2.0, C order, little-endian), enough for
 * the FastCCD gain maps and masks the Python class keeps as .npy files
 * (docs/fastccd.md, Files): float, integer and bool arrays.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ToolBoxFileError } from '../../errors.js';
import { replaceAtomically, resolveTarget } from '../../io/atomic.js';

export interface NpyArray {
  shape: number[];
  /** numpy's dtype string without byte order, e.g. 'f8', 'u1', 'b1'. */
  dtype: string;
  /** The values as float64 (bools as 0/1). */
  values: Float64Array;
}

const READERS: Record<string, [number, (v: DataView, o: number) => number]> = {
  f8: [8, (v, o) => v.getFloat64(o, true)], f4: [4, (v, o) => v.getFloat32(o, true)],
  i8: [8, (v, o) => Number(v.getBigInt64(o, true))], u8: [8, (v, o) => Number(v.getBigUint64(o, true))],
  i4: [4, (v, o) => v.getInt32(o, true)], u4: [4, (v, o) => v.getUint32(o, true)],
  i2: [2, (v, o) => v.getInt16(o, true)], u2: [2, (v, o) => v.getUint16(o, true)],
  i1: [1, (v, o) => v.getInt8(o)], u1: [1, (v, o) => v.getUint8(o)], b1: [1, (v, o) => v.getUint8(o)],
};

function header(file: string, buf: Buffer): { descr: string; fortran: boolean; shape: number[]; offset: number } {
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new ToolBoxFileError(`${file} is not a .npy file (no \\x93NUMPY magic)`, file);
  const major = buf[6];
  const len = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const text = buf.toString('latin1', start, start + len);
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*True/.test(text);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || shapeText === undefined) throw new ToolBoxFileError(`${file}: unreadable .npy header ${text.trim()}`, file);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  return { descr, fortran, shape, offset: start + len };
}

/** Read a .npy file; big-endian, Fortran-ordered and object arrays are ToolBoxFileErrors naming the file. */
export async function readNpy(file: string): Promise<NpyArray> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw new ToolBoxFileError(`cannot read ${file}: ${(err as Error).message}`, file, { cause: err });
  }
  const h = header(file, buf);
  const dtype = h.descr.replace(/^[<|=]/, '');
  const reader = READERS[dtype];
  if (!reader || h.descr.startsWith('>')) throw new ToolBoxFileError(`${file}: dtype '${h.descr}' is not supported (little-endian float, int, uint or bool)`, file);
  if (h.fortran && h.shape.length > 1) throw new ToolBoxFileError(`${file}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray`, file);
  const n = h.shape.reduce((a, b) => a * b, 1);
  const [size, read] = reader;
  if (buf.length < h.offset + n * size) throw new ToolBoxFileError(`${file} is truncated: ${n} values of ${size} bytes need ${h.offset + n * size} bytes, it has ${buf.length}`, file);
  const view = new DataView(buf.buffer, buf.byteOffset + h.offset, n * size);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = read(view, i * size);
  return { shape: h.shape, dtype, values };
}

/** Write a float64 ('f8') or bool ('b1') .npy file, atomically (temporary name, then rename). */
export async function writeNpy(file: string, values: ArrayLike<number>, shape: number[], dtype: 'f8' | 'b1' = 'f8'): Promise<void> {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let text = `{'descr': '${dtype === 'f8' ? '<f8' : '|b1'}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + text.length + 1) % 64);
  text += ' '.repeat(pad % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(text.length, 8);
  const body = dtype === 'f8' ? Buffer.from(Float64Array.from(values).buffer) : Buffer.from(Uint8Array.from(values, (v) => (v ? 1 : 0)));
  const target = await resolveTarget(file);
  await replaceAtomically(target, false, (tmp) => writeFile(tmp, Buffer.concat([head, Buffer.from(text, 'latin1'), body])));
}
