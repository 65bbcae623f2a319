import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ToolBoxValueError } from 'scs-toolbox';
import { type FormatVersion, type MockRunOptions, ROUTINE_RUN_KINDS, type RoutineRunKind, writeBozRuns, writeMockRun, writeRoutineRun } from 'scs-toolbox/synthetic';

function int(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v.trim())) throw new ToolBoxValueError(`--${name} must be a non-negative integer, got '${v}'`);
    return Number(v);
  };
}

/** `SOURCE=ID,ID...`, repeatable; the source name itself may contain '=' only before the last one. */
function missing(v: string, acc: Record<string, number[]> = {}): Record<string, number[]> {
  const eq = v.lastIndexOf('=');
  if (eq <= 0) throw new ToolBoxValueError(`--missing expects SOURCE=ID,ID..., got '${v}'`);
  const ids = v.slice(eq + 1).split(',').filter(Boolean).map(int('missing'));
  (acc[v.slice(0, eq)] ??= []).push(...ids);
  return acc;
}

function nonNegative(name: string) {
  return (v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !(x >= 0)) throw new ToolBoxValueError(`--${name} must be a non-negative number, got '${v}'`);
    return x;
  };
}

function modulesArg(v: string): number | number[] {
  return v.includes(',') ? v.split(',').filter(Boolean).map(int('modules')) : int('modules')(v);
}

function pixels(v: string): [number, number] {
  const parts = v.split(/[,x]/).map(int('pixels'));
  if (parts.length !== 2) throw new ToolBoxValueError(`--pixels expects SLOW,FAST (e.g. 128,512), got '${v}'`);
  return [parts[0], parts[1]];
}

function undulatorOption(v: string | true | undefined): MockRunOptions['undulator'] {
  if (v === undefined) return undefined;
  if (v === true || v === '1') return true;
  if (v === '2') return { twoColor: true };
  throw new ToolBoxValueError(`--undulator takes 1 or 2 (colours), got '${v}'`);
}

interface Opts {
  out: string; proposal: number; run: number; trains: number; frames: number; modules: number | number[]; seed: number;
  formatVersion: string; scan: string; pixels?: [number, number]; trainsPerSequence?: number; dsscTrainsPerSequence?: number; missing?: Record<string, number[]>;
  firstTrainId?: number; scanPoints?: number; quiet?: boolean; undulator?: string | true; dark?: boolean; scattering?: boolean;
  routine?: string; field?: string; boz?: boolean; darkRun?: number; module?: number; absorption?: number;
}

function routineKind(v: string): RoutineRunKind {
  if (!(ROUTINE_RUN_KINDS as readonly string[]).includes(v)) throw new ToolBoxValueError(`--routine must be one of ${ROUTINE_RUN_KINDS.join(', ')}, got '${v}'`);
  return v as RoutineRunKind;
}

function fieldSign(v: string | undefined): 1 | -1 | undefined {
  if (v === undefined) return undefined;
  if (v === '+1' || v === '1') return 1;
  if (v === '-1') return -1;
  throw new ToolBoxValueError(`--field must be +1 or -1, got '${v}'`);
}

/** `scs mock-run --routine KIND`: a small run of one routine instead of the DSSC pump-probe run. */
async function writeRoutine(dir: string, o: Opts, explicit: (name: string) => boolean): Promise<void> {
  const kind = routineKind(o.routine ?? '');
  const truth = await writeRoutineRun(kind, dir, {
    proposal: o.proposal, run: o.run, seed: o.seed, field: fieldSign(o.field),
    ...(explicit('trains') ? { trains: o.trains } : {}), ...(o.scanPoints !== undefined ? { scanPoints: o.scanPoints } : {}),
  });
  console.log(`wrote ${kind} run to ${dir}: proposal ${truth.proposal} run ${truth.run}, ${truth.trainIds.length} trains; truth: ${resolve(dir, 'truth.json')}`);
}

/** `scs mock-run --boz`: a dark run and a three-beam run of one DSSC module below the data root --out. */
async function writeBoz(root: string, o: Opts, explicit: (name: string) => boolean): Promise<void> {
  const r = await writeBozRuns(root, {
    proposal: o.proposal, seed: o.seed, ...(explicit('run') ? { run: o.run } : {}), ...(o.darkRun !== undefined ? { darkRun: o.darkRun } : {}),
    ...(o.module !== undefined ? { module: o.module } : {}), ...(explicit('trains') ? { trains: o.trains } : {}), ...(explicit('frames') ? { frames: o.frames } : {}),
    ...(o.scanPoints !== undefined ? { scanPoints: o.scanPoints } : {}), ...(explicit('scan') ? { scan: o.scan as 'energy' | 'delay' } : {}),
    ...(o.trainsPerSequence !== undefined ? { trainsPerSequence: o.trainsPerSequence } : {}), ...(o.absorption !== undefined ? { absorption: o.absorption } : {}),
    progress: (msg) => { if (!o.quiet) console.log(`  ${msg}`); },
  });
  console.log(`wrote BOZ runs of proposal ${r.proposal} below ${r.root} (EXFEL_DATA_ROOT): dark run ${r.darkRun} and run ${r.run}, DSSC module ${r.module}, ` +
    `${r.truth.trainIds.length} trains x ${r.truth.framesPerTrain} frames; truth: ${resolve(r.runDir, 'truth.json')}`);
}

export function registerMockRun(program: Command): void {
  program
    .command('mock-run')
    .description('write a synthetic raw SCS run folder (DA01 + DSSC module files, EuXFEL layout) and its truth.json')
    .requiredOption('-o, --out <dir>', 'run folder to write')
    .option('--proposal <n>', 'proposal number', int('proposal'), 2212)
    .option('--run <n>', 'run number', int('run'), 1)
    .option('--trains <n>', 'number of trains', int('trains'), 20)
    .option('--frames <n>', 'DSSC frames per train', int('frames'), 20)
    .option('--modules <n|list>', 'number of DSSC modules (0..n-1), or a list of module numbers like 0,3,7', modulesArg, 1)
    .option('--seed <n>', 'random seed', int('seed'), 1)
    .option('--format-version <v>', 'file format version: 0.5, 1.0, 1.1 or 1.2', '1.0')
    .option('--scan <kind>', 'delay or energy', 'delay')
    .option('--scan-points <n>', 'number of scan points', int('scan-points'))
    .option('--pixels <slow,fast>', 'DSSC module image size (real: 128,512)', pixels)
    .option('--trains-per-sequence <n>', 'trains per sequence file', int('trains-per-sequence'))
    .option('--dssc-trains-per-sequence <n>', 'trains per DSSC sequence file (default: --trains-per-sequence)', int('dssc-trains-per-sequence'))
    .option('--first-train-id <n>', 'first train ID', int('first-train-id'))
    .option('--missing <source=ids>', 'train IDs a source lacks (repeatable)', missing)
    .option('--undulator [colours]', 'also write SASE3 undulator cells (1 or 2 colours; default 1)')
    .option('--dark', 'a dark run: same sources and frames, no X-rays on the sample (DSSC frames hold only baseline, dark photons and hot pixels)')
    .option('--scattering', 'draw the DSSC ring through the DSSC 1M geometry at a known q (defaults of docs/mock-run.md; truth.json → scattering)')
    .option('--routine <kind>', `write the small run of a routine instead: ${ROUTINE_RUN_KINDS.join(', ')} (DA01 only; docs/mock-run.md)`)
    .option('--field <sign>', 'with --routine xas: magnetic field direction +1 or -1')
    .option('--boz', 'write a BOZ dark run and a three-beam run of one 128x512 DSSC module below the data root --out (<out>/SCS/<cycle>/p<proposal>/raw/r<run>; --run defaults to 2; docs/boz.md)')
    .option('--dark-run <n>', 'with --boz: the dark run number (default 1)', int('dark-run'))
    .option('--module <n>', 'with --boz: the DSSC module (default 15)', int('module'))
    .option('--absorption <x>', 'with --boz: a sample in beam n absorbing exp(-x·mu(E)) (an L3 edge; default 0: empty membranes)', nonNegative('absorption'))
    .option('-q, --quiet', 'print only the summary')
    .action(async (o: Opts, cmd: Command) => {
      const dir = resolve(o.out);
      if (o.routine !== undefined) return writeRoutine(dir, o, (name) => cmd.getOptionValueSource(name) === 'cli');
      if (o.boz) return writeBoz(dir, o, (name) => cmd.getOptionValueSource(name) === 'cli');
      const started = Date.now();
      const opts: MockRunOptions = {
        proposal: o.proposal, run: o.run, trains: o.trains, frames: o.frames, modules: o.modules, seed: o.seed,
        formatVersion: o.formatVersion as FormatVersion, scan: o.scan as MockRunOptions['scan'], pixels: o.pixels,
        trainsPerSequence: o.trainsPerSequence, dsscTrainsPerSequence: o.dsscTrainsPerSequence, missingTrains: o.missing, firstTrainId: o.firstTrainId, scanPoints: o.scanPoints,
        undulator: undulatorOption(o.undulator), dark: o.dark === true, scattering: o.scattering === true,
        progress: (msg) => {
          if (!o.quiet) console.log(`  [${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);
        },
      };
      const truth = await writeMockRun(dir, opts);
      const secs = (Date.now() - started) / 1000;
      const mb = truth.dsscImageBytes / 2 ** 20;
      console.log(`wrote ${truth.files.length} files to ${dir}: proposal ${truth.proposal} run ${truth.run}, ${truth.trainIds.length} trains ` +
        `(${truth.trainIds[0]}-${truth.trainIds[truth.trainIds.length - 1]}), ${truth.dssc.modules.length} DSSC modules x ` +
        `${truth.dssc.framesPerTrain} frames, format ${truth.formatVersion}, ${truth.dark ? 'dark run' : `${truth.physics.scan.kind} scan`}`);
      console.log(`DSSC image data ${mb.toFixed(1)} MiB in ${secs.toFixed(1)} s (${(mb / Math.max(secs, 1e-3)).toFixed(0)} MiB/s); truth: ${resolve(dir, 'truth.json')}`);
    });
}
