/**
 * getPesParams and the average traces on the synthetic PES run: the gas,
 * binding energy, retardation and MPOD voltages the generator wrote; the
 * saved file at the documented place, equal to a numpy mean of the raw
 * traces (h5py) and read back the same by xarray (h5netcdf and netCDF4);
 * bad channels and a missing file.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, getPesParams, loadPesAvgTraces, openRun, savePesAvgTraces } from '../../toolbox/index.js';
import { type PyDataset, requirePython, runPython } from '../helpers/python.js';
import { NO_PES_RUN, PROPOSAL, PY_READ, RUN, usePesProposal } from './pes-fixture.js';

/** Warnings emitted (ToolBoxWarning) while `f` runs. */
function warningsOf<T>(f: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const listener = (w: Error) => { if (w.name === 'ToolBoxWarning') warnings.push(w.message); };
  const orig = process.emitWarning;
  process.emitWarning = ((msg: string | Error, type?: string) => listener(Object.assign(new Error(String(msg)), { name: type ?? 'Warning' }))) as typeof process.emitWarning;
  try {
    return { value: f(), warnings };
  } finally {
    process.emitWarning = orig;
  }
}

describe('PES: getPesParams and the average traces', function () {
  this.timeout(120_000);
  const fx = usePesProposal();

  describe('getPesParams', () => {
    it('gives gas, binding energy, the channel retardation (by name or mnemonic) and all MPOD voltages', async () => {
      const run = await openRun(PROPOSAL, RUN);
      const t = fx.truth;
      const p = getPesParams(run, { channel: '2A' });
      assert.equal(p.gas, 'N2');
      assert.equal(p.binding_energy, 409.9);
      assert.equal(p.ret_voltage, t.retardation['2A']);
      assert.equal(p.channel, '2A');
      assert.deepEqual(p.mpod, Object.fromEntries(t.mpod.map((v, i) => [`U${i}`, v])));
      assert.equal(getPesParams(run, { channel: 'PES_3Braw' }).ret_voltage, t.retardation['3B']);
    });

    it('without a channel, or with one it cannot find (warned), gives every channel its retardation voltage', async () => {
      const run = await openRun(PROPOSAL, RUN);
      assert.deepEqual(getPesParams(run).ret_voltage, fx.truth.retardation);
      const { value, warnings } = warningsOf(() => getPesParams(run, { channel: '7Q' }));
      assert.deepEqual(value.ret_voltage, fx.truth.retardation);
      assert.equal(value.channel, undefined);
      assert.match(warnings[0], /^getPesParams: channel '7Q' is not a PES channel; ret_voltage holds every channel's retardation voltage \(1A, 1B, .*, 4D\)$/);
    });
  });

  describe('savePesAvgTraces / loadPesAvgTraces', () => {
    let file: string;
    before(async () => {
      file = await savePesAvgTraces(PROPOSAL, RUN, { channels: ['2A', 'PES_4Draw'] });
    });

    it('writes <proposal>/usr/processed_runs/r0030/r0030-pes-data.h5 and no temporary file', () => {
      const dir = join(fx.proposalDir, 'usr', 'processed_runs', 'r0030');
      assert.equal(file, join(dir, 'r0030-pes-data.h5'));
      assert.deepEqual(readdirSync(dir), ['r0030-pes-data.h5']);
    });

    it('holds the mean raw trace of each channel, equal to numpy on the run file; xarray reads the same values', async function () {
      await requirePython(this);
      const ours = await loadPesAvgTraces(PROPOSAL, RUN);
      assert.deepEqual(ours.dataVars, ['PES_2Araw', 'PES_4Draw']);
      assert.deepEqual(ours.get('PES_2Araw').dims, ['sampleId']);
      const py = await runPython<{ mean: Record<string, number[]>; h5netcdf: PyDataset; netcdf4: PyDataset }>(PY_READ + String.raw`
mean = {}
for ch in ['2A', '4D']:
    traces, _ = read_run(sys.argv[1], ch)
    mean['PES_' + ch + 'raw'] = np.stack([traces[t] for t in sorted(traces)]).astype(np.float64).mean(axis=0).tolist()
emit({'mean': mean, 'h5netcdf': describe(xr.open_dataset(sys.argv[2], engine='h5netcdf')), 'netcdf4': describe(xr.open_dataset(sys.argv[2], engine='netcdf4'))})
`, [join(fx.runDir, 'RAW-R0030-DA01-S00000.h5'), file]);
      for (const v of ['PES_2Araw', 'PES_4Draw']) {
        const mine = Array.from(ours.get(v).values as Float64Array);
        assert.deepEqual(mine, py.mean[v], `${v} vs numpy`);
        assert.deepEqual(py.h5netcdf.data_vars[v].values, mine, `${v} through h5netcdf`);
        assert.deepEqual(py.netcdf4.data_vars[v].values, mine, `${v} through netCDF4`);
        assert.deepEqual(py.h5netcdf.data_vars[v].dims, ['sampleId']);
      }
      assert.equal(py.h5netcdf.attrs.runNB.value, '30');
      assert.equal(py.h5netcdf.data_vars.PES_2Araw.attrs.trains.value, '40');
    });

    it('keeps channels saved before; loads a selection by name or mnemonic; a custom subdir', async () => {
      await savePesAvgTraces(PROPOSAL, RUN, { channels: '1A' });
      const all = await loadPesAvgTraces(PROPOSAL, RUN);
      assert.deepEqual(all.dataVars, ['PES_1Araw', 'PES_2Araw', 'PES_4Draw']);
      const some: Dataset = await loadPesAvgTraces(PROPOSAL, RUN, { channels: ['4D', 'PES_1Araw'] });
      assert.deepEqual(some.dataVars.sort(), ['PES_1Araw', 'PES_4Draw']);
      const other = await savePesAvgTraces(PROPOSAL, RUN, { subdir: 'scratch/pes' });
      assert.equal(other, join(fx.proposalDir, 'scratch', 'pes', 'r0030', 'r0030-pes-data.h5'));
      assert.deepEqual((await loadPesAvgTraces(PROPOSAL, RUN, { subdir: 'scratch/pes' })).dataVars, ['PES_1Araw', 'PES_2Araw', 'PES_3Braw', 'PES_4Draw']);
    });

    it('bad input: a channel the run lacks, a run without the PES digitizer, a channel the file lacks, a run never saved', async () => {
      await assert.rejects(savePesAvgTraces(PROPOSAL, RUN, { channels: ['2A', '2C'] }), /^ToolBoxValueError: run 30 of proposal 2212 has no PES channel 2C .*; channels it has: 1A, 2A, 3B, 4D$/);
      await assert.rejects(loadPesAvgTraces(PROPOSAL, RUN, { channels: '3B' }), new RegExp(`has no average trace of PES_3Braw; it holds PES_1Araw, PES_2Araw, PES_4Draw$`));
      await assert.rejects(savePesAvgTraces(PROPOSAL, NO_PES_RUN), /^ToolBoxValueError: run 31 of proposal 2212 has no PES digitizer \(SA3_XTD10_PES\/ADC\/1:network is not among its \d+ sources\)$/);
      await assert.rejects(loadPesAvgTraces(PROPOSAL, 32), /^ToolBoxPathError: no PES average traces for run 32 of proposal 2212: .*r0032-pes-data\.h5 does not exist \(savePesAvgTraces writes it\)$/);
      assert.ok(!existsSync(join(fx.proposalDir, 'usr', 'processed_runs', 'r0032')));
    });
  });
});
