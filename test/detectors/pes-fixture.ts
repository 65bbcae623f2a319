/**
 * A synthetic proposal for the PES tests: run 30 from writePesRun (truth in
 * its physics), run 31 a small XAS run without the PES digitizer, under a
 * temporary EXFEL_DATA_ROOT that mocha's hooks set and restore.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PesRunPhysics, writePesRun } from '../../toolbox/synthetic/run/pes-run.js';
import { writeXasRun } from '../../toolbox/synthetic/run/xas-run.js';

export const PROPOSAL = 2212;
export const RUN = 30;
export const NO_PES_RUN = 31;

export interface PesFixture {
  root: string;
  proposalDir: string;
  runDir: string;
  truth: PesRunPhysics;
}

/** Registers before/after hooks; the fixture is filled in before(). */
export function usePesProposal(): PesFixture {
  const fx = {} as PesFixture;
  let saved: string | undefined;
  before(async function () {
    this.timeout(120_000);
    saved = process.env.EXFEL_DATA_ROOT;
    fx.root = mkdtempSync(join(tmpdir(), 'scs-pes-'));
    fx.proposalDir = join(fx.root, 'SCS', '202601', `p${String(PROPOSAL).padStart(6, '0')}`);
    fx.runDir = join(fx.proposalDir, 'raw', `r${String(RUN).padStart(4, '0')}`);
    process.env.EXFEL_DATA_ROOT = fx.root;
    fx.truth = (await writePesRun(fx.runDir, { proposal: PROPOSAL, run: RUN })).physics;
    await writeXasRun(join(fx.proposalDir, 'raw', `r${String(NO_PES_RUN).padStart(4, '0')}`), { proposal: PROPOSAL, run: NO_PES_RUN, trains: 4, scanPoints: 2 });
  });
  after(() => {
    if (saved === undefined) delete process.env.EXFEL_DATA_ROOT;
    else process.env.EXFEL_DATA_ROOT = saved;
    if (fx.root) rmSync(fx.root, { recursive: true, force: true });
  });
  return fx;
}

/** The numpy reading of the run file shared by the Python snippets: traces of a channel and the SASE3 pulse IDs per train, by train ID. */
export const PY_READ = String.raw`
import h5py
def read_run(path, ch):
    src = 'SA3_XTD10_PES/ADC/1:network'
    with h5py.File(path, 'r') as f:
        tids = f['INDEX/trainId'][:]
        first = f['INDEX/' + src + '/digitizers/first'][:]
        count = f['INDEX/' + src + '/digitizers/count'][:]
        raw = f['INSTRUMENT/' + src + '/digitizers/channel_%s_%s/raw/samples' % (ch[0], ch[1])][:]
        dec = 'CONTROL/SCS_RR_UTC/MDL/BUNCH_DECODER/sase3/'
        dfirst = f['INDEX/SCS_RR_UTC/MDL/BUNCH_DECODER/first'][:]
        ids = f[dec + 'pulseIds/value'][:]
        n = f[dec + 'nPulses/value'][:]
    traces = {int(t): raw[first[i]] for i, t in enumerate(tids) if count[i] > 0}
    pulses = {int(t): [int(p) for p in ids[dfirst[i]][:n[dfirst[i]]]] for i, t in enumerate(tids)}
    return traces, pulses
`;
