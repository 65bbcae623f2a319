/**
 * Refuses a signed message seen before: a captured request replayed on the
 * wire carries a valid signature, so validity alone is not enough (ipykernel
 * keeps the same kind of digest history). Bounded: the oldest half is
 * forgotten when full.
 */
export class ReplayGuard {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 1 << 16) {}

  /** True the first time a signature is offered, false for a repeat. */
  admit(signature: string): boolean {
    if (signature === '') return true;
    if (this.seen.has(signature)) return false;
    if (this.seen.size >= this.capacity) {
      let drop = this.capacity >> 1;
      for (const old of this.seen) {
        if (drop-- <= 0) break;
        this.seen.delete(old);
      }
    }
    this.seen.add(signature);
    return true;
  }
}
