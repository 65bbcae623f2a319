/**
 * Peak integration of a 1000-train × 100k-sample int16 digitizer trace held
 * in memory (the per-chunk kernel of getPeaks): 56 pulses per train at
 * 1.1 MHz (1760 samples apart), 160-sample pulse windows and 400-sample
 * baselines. Ours (integrateRows) vs the same integration in numpy with
 * gathered index windows (trace[:, idx].sum), both reading the same bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrateRows } from '../toolbox/detectors/digitizers/integrate.js';
import { type BenchRow, PY_TIMER, bestOf, printRows, runPython } from './harness.js';

const TRAINS = 1000, SAMPLES = 100_000, PERIOD = 1760, NPULSES = 56;
const W = { pulseStart: 1000, pulseStop: 1160, baseStart: 560, baseStop: 960 };
const REPEATS = 5;

function makeTrace(): Int16Array {
  const t = new Int16Array(TRAINS * SAMPLES);
  let h = 987654321;
  for (let i = 0; i < t.length; i++) {
    h = (Math.imul(h, 1103515245) + 12345) | 0;
    t[i] = 100 + ((h >>> 24) & 7);
  }
  for (let r = 0; r < TRAINS; r++) {
    for (let k = 0; k < NPULSES; k++) {
      const at = r * SAMPLES + W.pulseStart + 10 + k * PERIOD;
      for (let s = 0; s < 40; s++) t[at + s] -= 500 + k;
    }
  }
  return t;
}

const PY = `${PY_TIMER}
import sys, numpy as np
tr = np.fromfile(sys.argv[1], dtype=np.int16).reshape(${TRAINS}, ${SAMPLES})
off = np.arange(${NPULSES}) * ${PERIOD}
pidx = off[:, None] + np.arange(${W.pulseStart}, ${W.pulseStop})[None, :]
bidx = off[:, None] + np.arange(${W.baseStart}, ${W.baseStop})[None, :]
def integ():
    s = tr[:, pidx].sum(axis=2, dtype=np.float64)
    b = tr[:, bidx].mean(axis=2, dtype=np.float64)
    return -(s - b * ${W.pulseStop - W.pulseStart})
res = integ()
r = {'seconds': best(integ, ${REPEATS}), 'check': float(res.sum())}
print(json.dumps(r))
`;

async function main(): Promise<void> {
  const trace = makeTrace();
  const offs = Array.from({ length: NPULSES }, (_, k) => k * PERIOD);
  const cols = Array.from({ length: NPULSES }, (_, k) => k);
  const offsets = Array.from({ length: TRAINS }, () => offs);
  const columns = Array.from({ length: TRAINS }, () => cols);
  const out = new Float64Array(TRAINS * NPULSES);
  const run = (): void => integrateRows(trace, TRAINS, SAMPLES, W, -1, offsets, columns, out, 0, NPULSES);
  const ours = await bestOf(REPEATS, run);
  let check = 0;
  for (const v of out) check += v;
  const dir = mkdtempSync(join(tmpdir(), 'scs-bench-'));
  let py: Record<string, number | string>;
  try {
    const f = join(dir, 'trace.i2');
    writeFileSync(f, trace);
    py = runPython(PY, [f]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const note = `${TRAINS}×${SAMPLES} int16, ${NPULSES} pulses/train; area totals ${check.toExponential(6)} vs ${Number(py.check).toExponential(6)}`;
  const rows: BenchRow[] = [{ name: 'peak integration (in memory)', ours, reference: Number(py.seconds), referenceName: 'numpy fancy-index sum', note }];
  printRows('digitizer peak integration', rows);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
