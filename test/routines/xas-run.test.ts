import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, load, xas, xasxmcd } from '../../toolbox/index.js';
import { writeRoutineRun } from '../../toolbox/synthetic/run/routine-runs.js';
import type { XasRunPhysics } from '../../toolbox/synthetic/run/xas-run.js';

/**
 * The generator's truth recovered through load(): the two field directions
 * of the XAS run (scs mock-run --routine xas --field ±1), loaded as a user
 * does, binned on the scan points.
 */
describe('xas() and xasxmcd() recover the synthetic XAS runs', function () {
  this.timeout(300_000);
  let root: string;
  const truth: XasRunPhysics[] = [];
  const savedRoot = process.env.EXFEL_DATA_ROOT;
  let P: Dataset, N: Dataset, edges: number[];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'scs-xas-run-'));
    for (const [field, run] of [[1, 1], [-1, 2]] as const) {
      const t = await writeRoutineRun('xas', join(root, 'SCS', '202601', 'p002212', 'raw', `r000${run}`), { field, run });
      truth.push(t.physics as XasRunPhysics);
    }
    process.env.EXFEL_DATA_ROOT = root;
    const pts = truth[0].energies, step = pts[1] - pts[0];
    edges = [...pts.map((e) => e - step / 2), pts[pts.length - 1] + step / 2];
    P = xas((await load(2212, 1, ['SCS_SA3', 'MCP3apd', 'nrj'])).ds, { bins: edges });
    N = xas((await load(2212, 2, ['SCS_SA3', 'MCP3apd', 'nrj'])).ds, { bins: edges });
  });
  after(() => {
    if (savedRoot === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = savedRoot;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const values = (ds: Dataset, f: string) => Array.from(ds.get(f).values as ArrayLike<number>);

  it('μA per scan point is μ(E) of the field drawn (less ln of the MCP gain), within the standard error', () => {
    for (const [k, ds] of [P, N].entries()) {
      const t = truth[k];
      const want = (t.field === 1 ? t.muPlus : t.muMinus).map((m) => m - Math.log(t.gain));
      const mu = values(ds, 'muA'), sterr = values(ds, 'sterrA');
      assert.deepEqual(values(ds, 'counts'), want.map(() => 4 * t.sase3PulsesPerTrain));
      // the energy jitter (0.01 eV, shared by a train's pulses) adds up to ~0.02 on the steep edge
      mu.forEach((m, i) => assert.ok(Math.abs(m - want[i]) < 5 * sterr[i] + 0.02, `field ${t.field}, ${t.energies[i]} eV: ${m} vs ${want[i]} ± ${sterr[i]}`));
    }
  });

  it('the edge (steepest rise of XAS) and the XMCD peak are where the truth has them, within a bin', () => {
    const { xas: sum, xmcd } = xasxmcd(P, N);
    const nrj = values(sum, 'nrj'), mu = values(sum, 'muA'), bin = nrj[1] - nrj[0];
    let steepest = 0;
    for (let i = 1; i < mu.length - 1; i++) if (mu[i + 1] - mu[i] > mu[steepest + 1] - mu[steepest]) steepest = i;
    const edge = (nrj[steepest] + nrj[steepest + 1]) / 2;
    assert.ok(Math.abs(edge - truth[0].edgeEv) <= bin, `edge at ${edge} eV, truth ${truth[0].edgeEv}`);
    const d = values(xmcd, 'muA'), k = d.indexOf(Math.max(...d));
    assert.ok(Math.abs(nrj[k] - truth[0].xmcdPeakEv) <= bin, `XMCD peak at ${nrj[k]} eV, truth ${truth[0].xmcdPeakEv}`);
    assert.ok(d[k] > 0, 'A⁺ − A⁻ is positive at the white line (the field +1 white line is higher)');
    assert.ok(Math.abs(d[k] - truth[0].sample.dichroism) < 0.1 * truth[0].sample.dichroism, `XMCD height ${d[k]}, truth ${truth[0].sample.dichroism}`);
    const far = d.filter((_, i) => Math.abs(nrj[i] - truth[0].xmcdPeakEv) > 6);
    far.forEach((v) => assert.ok(Math.abs(v) < 0.05, `XMCD far from the edge ${v}`));
  });

  it('the integrated raw MCP trace (MCP3raw) gives the same spectrum within 1%', async () => {
    const raw = xas((await load(2212, 1, ['SCS_SA3', 'MCP3raw', 'nrj'])).ds, { bins: edges });
    const a = values(P, 'muA'), b = values(raw, 'muA');
    a.forEach((v, i) => assert.ok(Math.abs(Math.exp(-v) - Math.exp(-b[i])) < 0.01 * Math.exp(-v), `${i}: ${v} vs ${b[i]}`));
  });

  it('any scan variable bins the spectrum (nrjkey), and the default bins cover the scan', async () => {
    const { ds } = await load(2212, 1, ['SCS_SA3', 'MCP3apd', 'nrj']);
    const renamed = xas(ds.rename({ nrj: 'mono_energy' }), { nrjkey: 'mono_energy', bins: edges });
    assert.deepEqual(values(renamed, 'muA'), values(P, 'muA'));
    const def = xas(ds);
    assert.equal(def.sizes.nrj, 80);
    // numpy.digitize drops the scan's maximum with linspace edges: the last train's pulses at the top energy
    const counts = values(def, 'counts').reduce((a, b) => a + b, 0);
    assert.ok(counts < 164 * 10 && counts >= 160 * 10, `${counts} pulses binned`);
  });
});
