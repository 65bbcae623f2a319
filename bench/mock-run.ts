/**
 * Write throughput of synthetic raw DSSC runs: the full generator (photon
 * noise + HDF5 writing, `writeMockRun`), the bare streamed HDF5 write path
 * (`writeRunFile` with a producer that only fills memory), and `dd` from
 * /dev/zero plus `cat` of the written file for the same number of bytes on
 * the same disk. None of them syncs to disk, so all measure the page-cache
 * path. Size: SCS_BENCH_MOCK_MODULES modules (default 2) x 40 trains x 100
 * frames x 128x512 uint16 (~1.0 GiB); folder: SCS_BENCH_DIR or the OS temp
 * folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMockRun, writeRunFile } from 'scs-toolbox/synthetic';
import { type BenchRow, bestOf, printRows } from './harness.js';

const MODULES = Number(process.env.SCS_BENCH_MOCK_MODULES ?? 2);
const TRAINS = 40, FRAMES = 100, SLOW = 128, FAST = 512;

/** Wall time (s) of one run, no warm-up. */
const seconds = (fn: () => unknown): Promise<number> => bestOf(1, fn, false);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.SCS_BENCH_DIR ?? tmpdir(), 'scs-bench-mockrun-'));
  try {
    const bytes = MODULES * TRAINS * FRAMES * SLOW * FAST * 2;
    const gb = bytes / 1e9;
    // dd first and each output removed before the next step: dirty page cache left by one step throttles the next.
    const mib = Math.ceil(bytes / 2 ** 20);
    const dd = await seconds(() => execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'dd.bin')}`, 'bs=1M', `count=${mib}`], { stdio: 'ignore' }));
    rmSync(join(dir, 'dd.bin'));
    const full = await seconds(() => writeMockRun(join(dir, 'run'), { trains: TRAINS, frames: FRAMES, modules: MODULES, pixels: [SLOW, FAST], seed: 1 }));

    rmSync(join(dir, 'run'), { recursive: true });
    const plain = join(dir, 'plain.h5');
    const n = MODULES * TRAINS;
    const write = await seconds(() => writeRunFile({
      path: plain, formatVersion: '1.0', trainIds: Array.from({ length: n }, (_, i) => BigInt(10000 + i)),
      instrument: { 'SCS_DET_DSSC1M-1/DET/0CH0:xtdf': { indexGroups: { image: { counts: new Array<number>(n).fill(FRAMES), keys: {
        data: { dtype: 'uint16', entryShape: [1, SLOW, FAST], values: new Uint16Array(0), produce: (first, _count, out) => { (out as Uint16Array).fill(first & 0xffff); } },
      } } } } },
    }));

    const cat = await seconds(() => execFileSync('sh', ['-c', 'cat "$1" > "$2"', 'sh', plain, join(dir, 'cat.bin')], { stdio: 'ignore' }));
    const catGb = statSync(plain).size / 1e9;

    const rate = (s: number, g = gb) => `${(g / s).toFixed(2)} GB/s`;
    const rows: BenchRow[] = [
      { name: `writeMockRun, ${MODULES} DSSC modules (${gb.toFixed(2)} GB image data)`, ours: full, reference: dd, referenceName: 'dd /dev/zero', note: `${rate(full)} vs ${rate(dd)}; includes photon-noise generation` },
      { name: `writeRunFile streamed image.data (${gb.toFixed(2)} GB)`, ours: write, reference: dd, referenceName: 'dd /dev/zero', note: `${rate(write)} vs ${rate(dd)}` },
      { name: `writeRunFile streamed image.data vs cat of that file`, ours: write, reference: cat * (gb / catGb), referenceName: 'cat', note: `${rate(write)} vs ${rate(cat, catGb)}` },
    ];
    printRows(`Synthetic run writing (node ${process.version}, ${dir})`, rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
