/**
 * getPesTof on the synthetic PES run: the generator's peaks come back at
 * their times of flight, the spectra equal a direct numpy cut of the same
 * file (h5py), and bad input (a channel the run lacks, a run without the
 * PES digitizer, windows beyond the trace) fails with the numbers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DataArray, Dataset, getPesTof } from '../../toolbox/index.js';
import { cutSpectra, pesWindows } from '../../toolbox/detectors/pes/tof.js';
import { requirePython, runPython } from '../helpers/python.js';
import { NO_PES_RUN, PROPOSAL, PY_READ, RUN, usePesProposal } from './pes-fixture.js';

const nums = (a: DataArray) => Array.from(a.values as ArrayLike<number | bigint>, Number);

describe('PES: getPesTof', function () {
  this.timeout(120_000);
  const fx = usePesProposal();

  describe('spectra of PES_2Araw with start, origin and baseline subtraction', () => {
    let pes: DataArray;
    before(async () => {
      const t = fx.truth;
      pes = await getPesTof(PROPOSAL, RUN, 'PES_2Araw', { start: t.start, origin: t.origin, subtractBaseline: true, baseStart: t.baseStart, baseWidth: t.baseWidth });
    });

    it('has one spectrum per train and SASE3 pulse, one 4.5 MHz slot wide, with time_ns from the origin', () => {
      const t = fx.truth;
      assert.deepEqual(pes.dims, ['trainId', 'sa3_pId', 'sampleId']);
      assert.deepEqual(pes.shape, [40, 4, 440]);
      assert.equal(pes.name, 'PES_2Araw');
      assert.deepEqual(nums(pes.coords.sa3_pId), t.sase3PulseIds);
      assert.deepEqual(nums(pes.coords.sampleId).slice(0, 2), [t.start, t.start + 1]);
      const tns = nums(pes.coords.time_ns);
      assert.ok(Math.abs(tns[0] - (t.start - t.origin) / t.digitizer.samplingRateGHz) < 1e-9, `time_ns[0] ${tns[0]}`);
      assert.ok(Math.abs(tns[t.origin - t.start]) < 1e-12);
    });

    it('puts every peak of the generator at its time of flight (within one sample) for every pulse', () => {
      const t = fx.truth;
      const [nt, np, w] = pes.shape;
      const v = pes.values as Float32Array;
      const tns = nums(pes.coords.time_ns);
      for (let k = 0; k < np; k++) {
        const mean = new Float64Array(w);
        for (let r = 0; r < nt; r++) for (let i = 0; i < w; i++) mean[i] += v[(r * np + k) * w + i] / nt;
        for (const peak of t.channels['2A'].peaks) {
          const at = t.origin - t.start + peak.offsetSamples;
          let best = at - 10;
          for (let i = at - 10; i <= at + 10; i++) if (mean[i] < mean[best]) best = i;
          assert.ok(Math.abs(tns[best] - peak.tofNs) < 1 / t.digitizer.samplingRateGHz, `pulse ${k}: peak at ${tns[best]} ns, truth ${peak.tofNs} ns`);
          // depth ≈ amplitude at the mean pulse energy (XGM spread 30 %, 40 trains)
          assert.ok(Math.abs(-mean[best] - peak.amplitude) < 0.3 * peak.amplitude, `pulse ${k}: depth ${-mean[best]}, truth ${peak.amplitude}`);
        }
        // the baseline window is flat: its mean after subtraction is 0 by construction
        let base = 0;
        for (let i = 0; i < t.baseWidth; i++) base += mean[t.baseStart - t.start + i];
        assert.ok(Math.abs(base / t.baseWidth) < 1e-4);
      }
    });

    it('equals a direct numpy implementation on the same file (h5py)', async function () {
      await requirePython(this);
      const t = fx.truth;
      const py = await runPython<{ trains: number[]; values: number[] }>(PY_READ + String.raw`
start, width, bs, bw = [int(x) for x in sys.argv[2:6]]
traces, pulses = read_run(sys.argv[1], '2A')
trains = sorted(t for t in traces if pulses.get(t))
ids = sorted({p for t in trains for p in pulses[t]})
out = np.full((len(trains), len(ids), width), np.nan, dtype=np.float32)
for r, t in enumerate(trains):
    for p in pulses[t]:
        k = ids.index(p); off = (p - ids[0]) * 440
        tr = traces[t]
        out[r, k] = (tr[start + off:start + off + width] - tr[bs + off:bs + off + bw].mean()).astype(np.float32)
emit({'trains': trains, 'values': [float(x) for x in out.ravel()]})
`, [join(fx.runDir, 'RAW-R0030-DA01-S00000.h5'), String(t.start), String(t.width), String(t.baseStart), String(t.baseWidth)]);
      assert.deepEqual(nums(pes.coords.trainId), py.trains);
      const ours = Array.from(pes.values as Float32Array);
      assert.equal(ours.length, py.values.length);
      const diff = ours.findIndex((x, i) => x !== py.values[i]);
      assert.equal(diff, -1, `first difference at ${diff}: ${ours[diff]} vs ${py.values[diff]}`);
    });
  });

  it('without baseline subtraction gives the raw samples; the channel may be named 2A; mergeWith adds it to a Dataset', async () => {
    const t = fx.truth;
    const raw = await getPesTof(PROPOSAL, RUN, '2A', { start: t.start, width: 100 });
    assert.deepEqual(raw.shape, [40, 4, 100]);
    assert.ok(!('time_ns' in raw.coords));
    const v = raw.values as Float32Array;
    assert.ok(v.every((x) => Number.isInteger(x)), 'raw int16 samples');
    const other = new Dataset({ x: new DataArray(Float64Array.from(nums(raw.coords.trainId)), { dims: ['trainId'], coords: { trainId: raw.coords.trainId } }) });
    const merged = await getPesTof(PROPOSAL, RUN, 'PES_4Draw', { start: t.start, width: 100, mergeWith: other });
    assert.deepEqual(merged.dataVars.sort(), ['PES_4Draw', 'x']);
  });

  it('aligns by pulse ID when the pattern changes between trains: absent pulses are NaN, present ones keep their offset', () => {
    const ch = { channel: '2A', mnemonic: 'PES_2Araw', source: 's', key: 'k', samplesPerBucket: 4, samplingRateGHz: 1 };
    // pulses 10 and 12 → offsets 0 and 8 samples; train 0 has both, train 1 only 12
    const w = pesWindows({ start: 1, width: 3, subtractBaseline: true, baseStart: 0, baseWidth: 1 }, ch, 16, [10, 12]);
    const traces = Float64Array.from({ length: 32 }, (_, i) => i);
    const out = new Float32Array(2 * 2 * 3).fill(NaN);
    cutSpectra(traces, 2, 16, [[10, 12], [12]], w, out, 0);
    // each spectrum minus its baseline sample: 1, 2, 3 everywhere a pulse is
    assert.deepEqual(Array.from(out), [1, 2, 3, 1, 2, 3, NaN, NaN, NaN, 1, 2, 3]);
    assert.throws(() => pesWindows({ start: 6 }, ch, 16, [10, 12]), /the spectrum window \[6, 10\) shifted by 8 samples for the last SASE3 pulse \(ID 12\) ends at sample 18 but the trace has 16 samples$/);
  });

  describe('bad input', () => {
    it('a channel the run lacks lists the channels it has', async () => {
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'PES_1Braw'), (err: Error) => {
        assert.equal(err.name, 'ToolBoxValueError');
        assert.equal(err.message, 'run 30 of proposal 2212 has no PES channel 1B (PES_1Braw, SA3_XTD10_PES/ADC/1:network digitizers.channel_1_B.raw.samples); channels it has: 1A, 2A, 3B, 4D');
        return true;
      });
    });

    it('a name that is no PES channel is a ParameterError', async () => {
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'MCP2raw'), /^ParameterError: 'MCP2raw' is not a PES channel: use a name '1A'…'4D' or a mnemonic 'PES_1Araw'…'PES_4Draw'$/);
    });

    it('a run without the PES digitizer says so', async () => {
      await assert.rejects(getPesTof(PROPOSAL, NO_PES_RUN, 'PES_2Araw'), (err: Error) => {
        assert.equal(err.name, 'ToolBoxValueError');
        assert.match(err.message, /^run 31 of proposal 2212 has no PES digitizer \(SA3_XTD10_PES\/ADC\/1:network is not among its \d+ sources\)$/);
        return true;
      });
    });

    it('start and width beyond the trace give the window, the shift and the trace length', async () => {
      const n = fx.truth.digitizer.samples;
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'PES_2Araw', { start: n - 1000 }),
        new RegExp(`^ToolBoxValueError: getPesTof: PES_2Araw: the spectrum window \\[${n - 1000}, ${n - 560}\\) shifted by 2640 samples for the last SASE3 pulse \\(ID 206\\) ends at sample ${n + 2080} but the trace has ${n} samples$`));
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'PES_2Araw', { width: n }), new RegExp(`the spectrum window \\[0, ${n}\\) shifted by 2640 samples .* ends at sample ${n + 2640} but the trace has ${n} samples$`));
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'PES_2Araw', { subtractBaseline: true, baseStart: n - 10 }), /the baseline window \[\d+, \d+\) shifted by 2640 samples/);
      await assert.rejects(getPesTof(PROPOSAL, RUN, 'PES_2Araw', { width: 0 }), /^ParameterError: getPesTof: width must be an integer ≥ 1, got 0$/);
    });
  });
});
