import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockRunTruth } from '../../toolbox/synthetic/run/mock-run.js';

const cli = join(__dirname, '..', '..', 'scripts', 'scs.js');

describe('scs mock-run (command-line contract)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'scs-mockrun-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the run folder and truth.json from the acceptance-check arguments', () => {
    const out = join(dir, 'r0007');
    const stdout = execFileSync(process.execPath, [cli, 'mock-run', '--out', out, '--proposal', '900', '--run', '7', '--trains', '6',
      '--frames', '4', '--modules', '2', '--seed', '3'], { encoding: 'utf8' });
    assert.match(stdout, /wrote 3 files to .*r0007: proposal 900 run 7, 6 trains \(10000-10005\), 2 DSSC modules x 4 frames/);
    assert.deepEqual(readdirSync(out).sort(), ['RAW-R0007-DA01-S00000.h5', 'RAW-R0007-DSSC00-S00000.h5', 'RAW-R0007-DSSC01-S00000.h5', 'truth.json']);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as MockRunTruth;
    assert.equal(truth.proposal, 900);
    assert.equal(truth.run, 7);
    assert.equal(truth.seed, 3);
    assert.equal(truth.trainIds.length, 6);
    assert.deepEqual(truth.dssc.modules, [0, 1]);
    assert.equal(truth.dssc.framesPerTrain, 4);
  });

  it('writes the undulator cells with --undulator 2 and rejects other colour counts', () => {
    const out = join(dir, 'r');
    execFileSync(process.execPath, [cli, 'mock-run', '--out', out, '--trains', '2', '--frames', '2', '--undulator', '2', '--quiet'], { encoding: 'utf8' });
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as MockRunTruth;
    assert.ok(truth.undulator, 'truth.undulator is written');
    assert.deepEqual(truth.undulator.colorEnergies.length, 2);
    assert.equal(new Set(truth.undulator.color.filter((c) => c > 0)).size, 2);
    assert.throws(() => execFileSync(process.execPath, [cli, 'mock-run', '--out', join(dir, 'x'), '--undulator', '3'], { encoding: 'utf8', stdio: 'pipe' }),
      (e: { stderr: string }) => /--undulator takes 1 or 2 \(colours\), got '3'/.test(e.stderr));
  });

  it('takes the optional layout arguments', () => {
    const out = join(dir, 'r');
    execFileSync(process.execPath, [cli, 'mock-run', '--out', out, '--trains', '5', '--frames', '4', '--modules', '2,5', '--seed', '1',
      '--format-version', '1.2', '--scan', 'energy', '--pixels', '8,12', '--trains-per-sequence', '2', '--quiet',
      '--missing', 'SCS_BLU_XGM/XGM/DOOCS:output=10001,10002', '--missing', 'SCS_ILH_LAS/MOTOR/LT3=10004'], { encoding: 'utf8' });
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as MockRunTruth;
    assert.equal(truth.formatVersion, '1.2');
    assert.equal(truth.physics.scan.kind, 'energy');
    assert.deepEqual(truth.dssc.pixels, [8, 12]);
    assert.deepEqual(truth.dssc.modules, [2, 5]);
    assert.equal(truth.files.length, 9);
    assert.ok(truth.files.some((f) => f.name === 'RAW-R0001-DSSC05-S00002.h5'));
    assert.deepEqual(truth.missingTrains, { 'SCS_BLU_XGM/XGM/DOOCS:output': [10001, 10002], 'SCS_ILH_LAS/MOTOR/LT3': [10004] });
  });

  it('prints a readable error and exits 1 on bad arguments', () => {
    for (const args of [['--trains', 'many'], ['--scan', 'angle'], ['--missing', 'nonsense'], ['--format-version', '2.0']]) {
      assert.throws(
        () => execFileSync(process.execPath, [cli, 'mock-run', '--out', join(dir, 'x'), ...args], { encoding: 'utf8', stdio: 'pipe' }),
        (e: { status: number; stderr: string }) => e.status === 1 && /^scs: ToolBoxValueError: /.test(e.stderr),
        args.join(' '),
      );
    }
  });
});
