/**
 * Reading one DSSC module's raw image.data through the chunked iterator
 * (RUN issue): ours vs h5py reading the same dataset in the same slabs, vs
 * `cat files > /dev/null`. All three read from the page cache (a warm-up cat
 * runs first), so the comparison is of the readers, not of the disk.
 * Goal: at least 80% of h5py's throughput.
 *   node dist/bench/dssc-read.js [--trains 200] [--frames 100] [--chunk 20]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runByPath } from '../toolbox/run/open.js';
import { dsscRawSource } from '../toolbox/detectors/dssc/run-view.js';
import { writeMockRun } from 'scs-toolbox/synthetic';
import { arg, bestOf, printRows, PY_TIMER, runPython, type BenchRow } from './harness.js';

async function main(): Promise<void> {
  const trains = arg('--trains', 200), frames = arg('--frames', 100), chunk = arg('--chunk', 20);
  const dir = mkdtempSync(join(tmpdir(), 'scs-bench-dssc-'));
  try {
    await writeMockRun(dir, { trains, frames, modules: [0], pixels: [128, 512], seed: 1 });
    const files = readdirSync(dir).filter((f) => f.includes('DSSC00')).sort().map((f) => join(dir, f));
    const fileBytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const source = dsscRawSource(0);
    const catCmd = `cat ${files.map((f) => `'${f}'`).join(' ')} > /dev/null`;
    execFileSync('bash', ['-c', catCmd]);

    let bytes = 0;
    const ours = await bestOf(3, async () => {
      const run = await runByPath(dir);
      bytes = 0;
      for await (const c of run.trainsChunks(source, 'image.data', { chunksize: chunk })) bytes += c.nbytes;
      run.close();
    });
    const py = runPython(`${PY_TIMER}
import h5py, sys
files = sys.argv[1:-2]; path = sys.argv[-2]; step = int(sys.argv[-1])
nbytes = [0]
def read():
    nbytes[0] = 0
    for fn in files:
        with h5py.File(fn, 'r') as f:
            d = f[path]
            for a in range(0, d.shape[0], step):
                nbytes[0] += d[a:a + step].nbytes
t = best(read, 3)
print(json.dumps({"seconds": t, "bytes": nbytes[0]}))
`, [...files, `INSTRUMENT/${source}/image/data`, String(chunk * frames)]);
    const cat = await bestOf(3, () => execFileSync('bash', ['-c', catCmd]));
    const gbps = (b: number, s: number) => `${(b / s / 1e9).toFixed(2)} GB/s`;
    const label = `${trains} trains × ${frames} frames (${(bytes / 1e9).toFixed(2)} GB), chunks of ${chunk} trains`;
    const rows: BenchRow[] = [
      { name: `DSSC module image.data, ${label}`, ours, reference: Number(py.seconds), referenceName: 'h5py, same slabs',
        note: `ours ${gbps(bytes, ours)}, h5py ${gbps(Number(py.bytes), Number(py.seconds))}; throughput ratio ${(Number(py.seconds) / ours * 100).toFixed(0)}% of h5py` },
      { name: 'same files, cat > /dev/null', ours, reference: cat, referenceName: 'cat', note: `cat ${gbps(fileBytes, cat)} over ${(fileBytes / 1e9).toFixed(2)} GB of files` },
    ];
    printRows('DSSC module read through the chunked iterator', rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
