/**
 * Where a dataset's raw bytes lie in its HDF5 file: a minimal, read-only
 * parser of the few on-disk structures that say so (superblock, object
 * header, dataspace, datatype, data layout v3, filter pipeline, v1 B-tree of
 * raw-data chunks). It answers only for plain storage — little-endian integer
 * or float elements, contiguous or chunked without filters, every chunk
 * allocated — and returns null for anything else, so the caller reads through
 * HDF5 instead. docs/run-format.md ("Direct reads") describes the structures.
 *
 * The object header address comes from HDF5 itself (an object reference is
 * that address), so links, groups and name lookup are never parsed here.
 */
import { fstatSync, readSync } from 'node:fs';

/** Contiguous storage: `size` bytes at absolute file offset `address`. */
export interface ContiguousLayout {
  kind: 'contiguous';
  address: number;
  size: number;
}

/** Chunked storage: the absolute file offset of each chunk, C order over the chunk grid. */
export interface ChunkedLayout {
  kind: 'chunked';
  /** chunk shape in elements (the dataset's rank) */
  chunk: number[];
  /** chunks per axis */
  grid: number[];
  /** offset of each chunk (grid C order); NaN where a chunk is not allocated */
  addresses: Float64Array;
}

export interface Layout {
  shape: number[];
  itemSize: number;
  storage: ContiguousLayout | ChunkedLayout;
}

/** Past this many chunks the table costs more than HDF5's own lookup saves. */
const MAX_CHUNKS = 4_000_000;
const UNDEFINED_ADDRESS = 2 ** 64 - 1;

/** A small positioned reader over an open file descriptor. */
class FileBytes {
  readonly size: number;
  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }
  /** `n` bytes at absolute `pos`; null when the file is shorter. */
  read(pos: number, n: number): DataView | null {
    if (!Number.isSafeInteger(pos) || pos < 0 || pos + n > this.size) return null;
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const k = readSync(this.fd, buf, got, n - got, pos + got);
      if (k === 0) return null;
      got += k;
    }
    return new DataView(buf.buffer, buf.byteOffset, n);
  }
}

/** Unsigned little-endian integer of `size` bytes (addresses and lengths); may exceed 2^53 only for the undefined address. */
function uint(v: DataView, at: number, size: number): number {
  let x = 0;
  for (let i = size - 1; i >= 0; i--) x = x * 256 + v.getUint8(at + i);
  return x;
}

interface Superblock {
  base: number;
  offsetSize: number;
  lengthSize: number;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The superblock at the start of the file (a user block is not supported: null). */
function superblock(f: FileBytes): Superblock | null {
  const v = f.read(0, 32);
  if (!v || !SIGNATURE.every((b, i) => v.getUint8(i) === b)) return null;
  const version = v.getUint8(8);
  let offsetSize: number, lengthSize: number, baseAt: number;
  if (version === 0 || version === 1) {
    offsetSize = v.getUint8(13);
    lengthSize = v.getUint8(14);
    baseAt = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    offsetSize = v.getUint8(9);
    lengthSize = v.getUint8(10);
    baseAt = 12;
  } else {
    return null;
  }
  if (offsetSize > 8 || lengthSize > 8) return null;
  const head = f.read(baseAt, offsetSize);
  const base = head ? uint(head, 0, offsetSize) : -1;
  return base === 0 ? { base, offsetSize, lengthSize } : null;
}

/** One header message: its type, flags and body. */
interface Message {
  type: number;
  flags: number;
  body: DataView;
}

/** Messages of a version 1 object header block (8-byte aligned, 8-byte message headers). */
function v1Messages(v: DataView, start: number, end: number, out: Message[], cont: [number, number][], sb: Superblock): void {
  for (let p = start; p + 8 <= end;) {
    const type = v.getUint16(p, true), size = v.getUint16(p + 2, true), flags = v.getUint8(p + 4);
    const body = new DataView(v.buffer, v.byteOffset + p + 8, Math.min(size, end - p - 8));
    if (type === 0x10) cont.push([uint(body, 0, sb.offsetSize), uint(body, sb.offsetSize, sb.lengthSize)]);
    else out.push({ type, flags, body });
    p += 8 + size;
  }
}

/** Messages of a version 2 object header block (after its signature; the checksum excluded by the caller). */
function v2Messages(v: DataView, start: number, end: number, orderBytes: number, out: Message[], cont: [number, number][], sb: Superblock): void {
  const headSize = 4 + orderBytes;
  for (let p = start; p + headSize <= end;) {
    const type = v.getUint8(p), size = v.getUint16(p + 1, true), flags = v.getUint8(p + 3);
    if (p + headSize + size > end) return;
    const body = new DataView(v.buffer, v.byteOffset + p + headSize, size);
    if (type === 0x10) cont.push([uint(body, 0, sb.offsetSize), uint(body, sb.offsetSize, sb.lengthSize)]);
    else out.push({ type, flags, body });
    p += headSize + size;
  }
}

/** Every message of the object header at absolute `addr`, continuation blocks followed. */
function headerMessages(f: FileBytes, sb: Superblock, addr: number): Message[] | null {
  const head = f.read(addr, 16);
  if (!head) return null;
  const out: Message[] = [];
  const cont: [number, number][] = [];
  let v2 = false, orderBytes = 0;
  if (head.getUint32(0, true) === 0x5244484f /* OHDR */) {
    v2 = true;
    const flags = head.getUint8(5);
    orderBytes = flags & 0x04 ? 2 : 0;
    let p = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const sizeBytes = 1 << (flags & 3);
    const pre = f.read(addr, p + sizeBytes);
    if (!pre) return null;
    const chunk0 = uint(pre, p, sizeBytes);
    p += sizeBytes;
    const v = f.read(addr, p + chunk0);
    if (!v) return null;
    v2Messages(v, p, p + chunk0, orderBytes, out, cont, sb);
  } else {
    if (head.getUint8(0) !== 1) return null;
    const size = head.getUint32(8, true);
    const v = f.read(addr + 16, size);
    if (!v) return null;
    v1Messages(v, 0, size, out, cont, sb);
  }
  for (let i = 0; i < cont.length; i++) {
    if (i > 64) return null;
    const [at, len] = cont[i];
    const v = f.read(sb.base + at, len);
    if (!v) return null;
    if (!v2) v1Messages(v, 0, len, out, cont, sb);
    else if (v.getUint32(0, true) === 0x4b48434f /* OCHK */) v2Messages(v, 4, len - 4, orderBytes, out, cont, sb);
    else return null;
  }
  return out;
}

/** Dataspace message: the current extent (null for null dataspaces or unknown versions). */
function dataspace(m: Message, sb: Superblock): number[] | null {
  const v = m.body, version = v.getUint8(0), rank = v.getUint8(1);
  let at: number;
  if (version === 1) at = 8;
  else if (version === 2) {
    if (v.getUint8(3) === 2) return null; // null dataspace
    at = 4;
  } else return null;
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(uint(v, at + d * sb.lengthSize, sb.lengthSize));
  return dims;
}

/** Datatype message: element size of a little-endian integer or IEEE float, else null. */
function plainItemSize(m: Message): number | null {
  if (m.flags & 0x02) return null; // a shared (committed) datatype
  const v = m.body, cls = v.getUint8(0) & 0x0f, bits = v.getUint8(1);
  if (cls !== 0 && cls !== 1) return null;
  if (bits & 0x01 || (cls === 1 && bits & 0x40)) return null; // big-endian or VAX order
  return v.getUint32(4, true);
}

/** Data layout message, version 3 only (what HDF5 writes with the earliest format). */
function layoutMessage(m: Message, sb: Superblock): { kind: 'contiguous'; address: number; size: number } | { kind: 'chunked'; btree: number; chunk: number[] } | null {
  const v = m.body;
  if (v.getUint8(0) !== 3) return null;
  const cls = v.getUint8(1);
  if (cls === 1) return { kind: 'contiguous', address: uint(v, 2, sb.offsetSize), size: uint(v, 2 + sb.offsetSize, sb.lengthSize) };
  if (cls !== 2) return null;
  const dims = v.getUint8(2);
  const btree = uint(v, 3, sb.offsetSize);
  const chunk: number[] = [];
  for (let d = 0; d < dims - 1; d++) chunk.push(v.getUint32(3 + sb.offsetSize + 4 * d, true));
  return { kind: 'chunked', btree, chunk };
}

/**
 * Walk the v1 B-tree of raw-data chunks from `addr`, filling `addresses`
 * (grid C order) with each chunk's absolute offset. False when a node is not
 * what the format says or a chunk is stored at an unexpected size.
 */
function walkChunks(f: FileBytes, sb: Superblock, addr: number, rank: number, chunk: number[], grid: number[], chunkBytes: number, addresses: Float64Array, depth = 0): boolean {
  if (depth > 32) return false;
  const O = sb.offsetSize;
  const headSize = 8 + 2 * O;
  const head = f.read(sb.base + addr, headSize);
  if (!head || head.getUint32(0, true) !== 0x45455254 /* TREE */ || head.getUint8(4) !== 1) return false;
  const level = head.getUint8(5), entries = head.getUint16(6, true);
  const keySize = 8 + 8 * (rank + 1);
  const v = f.read(sb.base + addr + headSize, entries * (keySize + O) + keySize);
  if (!v) return false;
  for (let i = 0; i < entries; i++) {
    const k = i * (keySize + O);
    const child = uint(v, k + keySize, O);
    if (level > 0) {
      if (!walkChunks(f, sb, child, rank, chunk, grid, chunkBytes, addresses, depth + 1)) return false;
      continue;
    }
    if (v.getUint32(k, true) !== chunkBytes) return false;
    let cell = 0, inside = true;
    for (let d = 0; d < rank; d++) {
      const g = Number(v.getBigUint64(k + 8 + 8 * d, true)) / chunk[d];
      if (!Number.isInteger(g)) return false;
      if (g >= grid[d]) inside = false; // left beyond a shrunk extent
      cell = cell * grid[d] + g;
    }
    if (inside) addresses[cell] = sb.base + child;
  }
  return true;
}

function chunkedStorage(f: FileBytes, sb: Superblock, btree: number, chunk: number[], shape: number[], itemSize: number): ChunkedLayout | null {
  if (chunk.length !== shape.length || chunk.some((c) => c <= 0)) return null;
  const grid = shape.map((s, d) => Math.ceil(s / chunk[d]));
  const cells = grid.reduce((a, b) => a * b, 1);
  if (cells > MAX_CHUNKS) return null;
  const addresses = new Float64Array(cells).fill(NaN);
  if (cells > 0) {
    if (btree === UNDEFINED_ADDRESS) return null;
    const chunkBytes = chunk.reduce((a, b) => a * b, itemSize);
    if (!walkChunks(f, sb, btree, shape.length, chunk, grid, chunkBytes, addresses)) return null;
    for (const a of addresses) if (a + chunkBytes > f.size) return null;
  }
  return { kind: 'chunked', chunk, grid, addresses };
}

/**
 * The layout of the dataset whose object header is at `headerAddress`
 * (relative to the base, as in an HDF5 object reference), or null when its
 * bytes cannot be read plainly from the file.
 */
export function parseLayout(fd: number, headerAddress: number): Layout | null {
  const f = new FileBytes(fd);
  const sb = superblock(f);
  if (!sb) return null;
  const messages = headerMessages(f, sb, sb.base + headerAddress);
  if (!messages) return null;
  let shape: number[] | null = null, itemSize: number | null = null;
  let layout: ReturnType<typeof layoutMessage> = null;
  for (const m of messages) {
    if (m.type === 0x01) shape = dataspace(m, sb);
    else if (m.type === 0x03) itemSize = plainItemSize(m);
    else if (m.type === 0x08) layout = layoutMessage(m, sb);
    else if (m.type === 0x07) return null; // external raw data files
    else if (m.type === 0x0b && m.body.getUint8(1) > 0) return null; // any filter
  }
  if (!shape || !itemSize || !layout) return null;
  const bytes = shape.reduce((a, b) => a * b, itemSize);
  if (layout.kind === 'contiguous') {
    if (bytes === 0) return { shape, itemSize, storage: { kind: 'contiguous', address: 0, size: 0 } };
    const address = sb.base + layout.address;
    if (layout.address === UNDEFINED_ADDRESS || layout.size < bytes || address + bytes > f.size) return null;
    return { shape, itemSize, storage: { kind: 'contiguous', address, size: layout.size } };
  }
  const storage = chunkedStorage(f, sb, layout.btree, layout.chunk, shape, itemSize);
  return storage && { shape, itemSize, storage };
}
