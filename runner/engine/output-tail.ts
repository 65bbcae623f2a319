/**
 * The last few kilobytes a kernel wrote to stdout/stderr, for error messages: a kernel that dies
 * or never starts usually said why on stderr.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = 64 * 1024) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) this.size -= this.chunks.shift()!.length;
  }

  /** The last `lines` lines (default 20), trimmed. */
  text(lines = 20): string {
    const all = Buffer.concat(this.chunks).toString('utf8');
    return all.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
