import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ToolBoxValueError, getUndulatorConfig, saveXarray, undulatorK, undulatorPhotonEnergy } from '../../toolbox/index.js';
import { useMockRun } from '../helpers/mock-run.js';
import { requirePython, runPython } from '../helpers/python.js';

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const nums = (v: ArrayLike<number | bigint>) => Array.from(v, Number);

describe('getUndulatorConfig', () => {
  describe('two-colour synthetic run', () => {
    const fx = useMockRun({ trains: 4, frames: 4, pixels: [4, 4], undulator: { twoColor: true, photonEnergy: 780, photonEnergy2: 930 } }, 'scs-und2-');

    it('recovers cell gaps, K, parked flags and colours', () => {
      const u = fx.truth.undulator!;
      const ds = getUndulatorConfig(fx.run);
      assert.deepEqual(ds.get('gap').dims, ['cell']);
      assert.deepEqual(nums(ds.coords.cell.values as Int32Array), u.cells);
      nums(ds.get('gap').values as Float64Array).forEach((g, i) => close(g, u.gapMm[i]));
      nums(ds.get('K').values as Float64Array).forEach((k, i) => close(k, u.K[i]));
      assert.deepEqual(Array.from(ds.get('parked').values as Uint8Array, Boolean), u.parked);
      assert.deepEqual(nums(ds.get('cellColor').values as Int32Array), u.color);
      assert.ok(u.parked.some(Boolean) && u.color.includes(2), 'the fixture has parked cells and two colours');
      assert.equal(ds.get('gap').attrs.units, 'mm');
    });

    it('recovers the colour energies, the electron energy and the chicane delay', () => {
      const u = fx.truth.undulator!;
      const ds = getUndulatorConfig(fx.run);
      assert.deepEqual(nums(ds.coords.color.values as Int32Array), [1, 2]);
      const e = nums(ds.get('photonEnergy').values as Float64Array);
      close(e[0], 780, 1e-9);
      close(e[1], 930, 1e-9);
      u.colorEnergies.forEach((t, i) => close(e[i], t, 1e-9));
      assert.deepEqual(nums(ds.get('recordedPhotonEnergy').values as Float64Array).map((x) => Math.round(x * 1e6) / 1e6), [780, 930]);
      close(ds.attrs.electronEnergyGeV as number, u.electronEnergyGeV, 1e-9);
      assert.equal(ds.attrs.chicaneDelayFs, u.chicaneDelayFs);
      assert.equal(ds.attrs.parkPos, 62);
    });

    it('takes the park position and explicit colour sections as options', () => {
      const u = fx.truth.undulator!;
      // every cell parked below a 10 mm park position: no colour at all
      const all = getUndulatorConfig(fx.run, { parkPos: 10 });
      assert.ok(Array.from(all.get('parked').values as Uint8Array).every((p) => p === 1));
      assert.equal(all.sizes.color, 0);
      // a split in the middle of colour 1 makes three sections
      const lasing1 = u.cells.filter((_, i) => u.color[i] === 1);
      const three = getUndulatorConfig(fx.run, { colorSplits: [lasing1[2]] });
      assert.deepEqual(nums(three.coords.color.values as Int32Array), [1, 2, 3]);
      // only some cells
      const some = getUndulatorConfig(fx.run, { cells: [u.cells[0], u.cells[5]] });
      assert.deepEqual(nums(some.coords.cell.values as Int32Array), [u.cells[0], u.cells[5]]);
    });

    it('computes K from the colour energy where K is not recorded', () => {
      const u = fx.truth.undulator!;
      const ds = getUndulatorConfig(fx.run, { kKey: 'noSuchKey', colorSplits: [u.cells[u.color.indexOf(2)]], electronEnergyGeV: u.electronEnergyGeV });
      assert.deepEqual(nums(ds.get('cellColor').values as Int32Array), u.color);
      const K = nums(ds.get('K').values as Float64Array);
      u.color.forEach((c, i) => {
        if (c === 0) assert.ok(Number.isNaN(K[i]));
        else close(K[i], undulatorK(u.colorEnergies[c - 1], u.electronEnergyGeV), 1e-9);
      });
      assert.ok(Array.from(ds.get('kRecorded').values as Uint8Array).every((x) => x === 0));
    });

    it('names the cell source and key when the gap is not recorded', () => {
      const first = fx.truth.undulator!.cells[0];
      assert.throws(() => getUndulatorConfig(fx.run, { gapKey: 'gapMissing' }),
        (e: Error) => e instanceof ToolBoxValueError && e.message.includes(`no RUN value 'gapMissing' for source SA3_XTD10_UND/DOOCS/CELL${first}`));
    });

    it('writes RUN values h5py reads, and a result xarray opens', async function () {
      await requirePython(this);
      const u = fx.truth.undulator!;
      const out = join(fx.dir, 'undulator.h5');
      await saveXarray(out, getUndulatorConfig(fx.run), { mode: 'w' });
      const cell = u.cells[5];
      const got = await runPython<{ gap: number; k: number; ds: { gap: number[]; cellColor: string[]; energy: number[]; dims: string[] } }>(String.raw`
import glob, h5py
f = h5py.File(glob.glob(sys.argv[1] + '/RAW-*-DA01-S00000.h5')[0], 'r')
run = f['RUN/SA3_XTD10_UND/DOOCS/CELL' + sys.argv[2]]
ds = xr.open_dataset(sys.argv[3], group='data', engine='h5netcdf')
emit({'gap': float(run['actualGap/value'][0]), 'k': float(run['kParameter/value'][0]),
      'ds': {'gap': ds.gap.values.tolist(), 'cellColor': _vals(ds.cellColor), 'energy': ds.photonEnergy.values.tolist(), 'dims': list(ds.gap.dims)}})
`, [fx.dir, String(cell), out]);
      close(got.gap, u.gapMm[5]);
      close(got.k, u.K[5]);
      assert.deepEqual(got.ds.dims, ['cell']);
      got.ds.gap.forEach((g, i) => close(g, u.gapMm[i]));
      assert.deepEqual(got.ds.cellColor.map(Number), u.color);
      u.colorEnergies.forEach((e, i) => close(got.ds.energy[i], e));
    });
  });

  describe('one-colour synthetic run with taper', () => {
    const fx = useMockRun({ trains: 3, frames: 4, pixels: [4, 4], undulator: { photonEnergy: 700, taper: 0.003, electronEnergyGeV: 16 } }, 'scs-und1-');

    it('keeps a tapered undulator as one colour and has no second recorded energy', () => {
      const u = fx.truth.undulator!;
      const ds = getUndulatorConfig(fx.run);
      assert.deepEqual(nums(ds.coords.color.values as Int32Array), [1]);
      close((ds.get('photonEnergy').values as Float64Array)[0], 700);
      close(ds.attrs.electronEnergyGeV as number, 16);
      assert.equal(ds.attrs.chicaneDelayFs, 0);
      assert.deepEqual(nums(ds.get('cellColor').values as Int32Array), u.color);
    });
  });

  describe('run without undulator sources', () => {
    const fx = useMockRun({ trains: 2, frames: 4, pixels: [4, 4] }, 'scs-und0-');

    it('throws a ToolBoxValueError naming the missing source', () => {
      assert.throws(() => getUndulatorConfig(fx.run), (e: Error) => e instanceof ToolBoxValueError
        && /no undulator cell source matching 'SA3_XTD10_UND\/DOOCS\/CELL\{cell\}'/.test(e.message) && /cellSourceTemplate/.test(e.message));
      assert.throws(() => getUndulatorConfig(fx.run, { cellSourceTemplate: 'SA3_XTD10_UND/DOOCS/SEGMENT' }), /must contain '\{cell\}'/);
    });
  });

  it('has the undulator equation for SASE3 (U68)', () => {
    // 950 · 14² / (6.8 · (1 + 8²/2)) eV
    close(undulatorPhotonEnergy(8, 14), (950 * 196) / (6.8 * 33));
    close(undulatorK(undulatorPhotonEnergy(7.5, 16), 16), 7.5);
    assert.ok(Number.isNaN(undulatorK(1e6, 14)));
  });
});
