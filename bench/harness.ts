/**
 * Shared benchmark plumbing: time our code, run the same operation in
 * Debian's python3 (numpy/h5py/xarray) in the same process tree, and print
 * one row per benchmark with the ratio. Benchmarks never assert on time.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface BenchRow {
  name: string;
  ours: number;
  reference: number;
  referenceName: string;
  unit?: string;
  note?: string;
}

/**
 * Best wall time (s) over `repeats` runs, after one warm-up run unless
 * `warmup` is false; `before` runs (untimed) ahead of every run, warm-up included.
 */
export async function bestOf(repeats: number, fn: () => unknown | Promise<unknown>, warmup = true, before?: () => void): Promise<number> {
  if (warmup) { before?.(); await fn(); }
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    before?.();
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

/**
 * numpy asks the kernel for transparent huge pages on large arrays; Node's
 * allocator does not unless glibc is told to (GLIBC_TUNABLES, read only at
 * process start). Benchmarks that allocate large results therefore run once
 * as launched and once more in a child with the setting, and print both.
 */
export const HUGEPAGES = 'glibc.malloc.hugetlb=1';
export const IS_HUGEPAGES_RUN = process.env.SCS_BENCH_HUGEPAGES_CHILD === '1';

export function titleWithHugePages(title: string): string {
  return IS_HUGEPAGES_RUN ? `${title} (both with GLIBC_TUNABLES=${HUGEPAGES})` : title;
}

/** Re-run `script` with huge pages for both sides, unless this is that run or the user set GLIBC_TUNABLES. */
export function rerunWithHugePages(script: string): void {
  if (IS_HUGEPAGES_RUN || process.env.GLIBC_TUNABLES) return;
  const env = { ...process.env, GLIBC_TUNABLES: HUGEPAGES, SCS_BENCH_HUGEPAGES_CHILD: '1' };
  const r = spawnSync(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)], { env, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}

/** The q-quantile of `xs` (linear between the two nearest ranks, as numpy's default). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

export const median = (xs: number[]): number => quantile(xs, 0.5);

/** The number after `name` on the command line (e.g. `--trains 1000`), or `dflt`. */
export function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** The word after `name` on the command line, or undefined. */
export function argString(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
