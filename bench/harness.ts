/**
 * Shared benchmark plumbing: time our code, run the same operation in
 * Debian's python3 (numpy/h5py/xarray) in the same process tree, and print
 * one row per benchmark with the ratio. Benchmarks never assert on time.
 */
import { execFileSync } from 'node:child_process';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface BenchRow {
  name: string;
  ours: number;
  reference: number;
  referenceName: string;
  unit?: string;
  note?: string;
}

/** Best wall time (s) over `repeats` runs, after one warm-up run unless `warmup` is false. */
export async function bestOf(repeats: number, fn: () => unknown | Promise<unknown>, warmup = true): Promise<number> {
  if (warmup) await fn();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/**
 * Run a Python snippet with Debian's python3; the snippet prints one JSON
 * object on its last line (e.g. {"seconds": 0.12}), which is returned.
 */
export function runPython(code: string, args: string[] = []): Record<string, number | string> {
  const out = execFileSync(SYSTEM_PYTHON, ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Python source of a best-of timer, prepended to snippets that call `best(fn, repeats)`. */
export const PY_TIMER = `
import time, json
def best(fn, repeats=3, warmup=True):
    if warmup: fn()
    b = float('inf')
    for _ in range(repeats):
        t = time.perf_counter(); fn(); b = min(b, time.perf_counter() - t)
    return b
`;

export function printRows(title: string, rows: BenchRow[]): void {
  console.log(`\n## ${title}\n`);
  console.log('| benchmark | ours | reference | ratio (ours/ref, <1 is faster) | note |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const u = r.unit ?? 's';
    console.log(`| ${r.name} | ${r.ours.toFixed(3)} ${u} | ${r.reference.toFixed(3)} ${u} (${r.referenceName}) | ${(r.ours / r.reference).toFixed(2)} | ${r.note ?? ''} |`);
  }
}
