/**
 * `scs submit` as a library call: validate everything, write the sbatch script
 * into OUTPUT/logs/, submit it (sbatch, or the --local launcher), record the
 * job. Nothing is created before validation passed; a refused submission
 * removes the script it wrote.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BatchOptionError } from './errors.js';
import { startLocal } from './local.js';
import { jobNameFor, outputNameFor, parseArraySpec, validateJobId, validateMailType, validateTimeLimit } from './options.js';
import { type JobRecord, allRecords, saveRecord } from './records.js';
import { batchScript } from './script.js';
import { sbatch } from './slurm.js';
import type { BatchSpec } from './spec.js';

/** What the user asks for; SLURM settings as in BatchSpec, validated before anything is written. */
export interface SubmitRequest extends Partial<Pick<BatchSpec, 'partition' | 'reservation' | 'time' | 'mailType' | 'mailUser' | 'after'>> {
  notebook: string;
  outputDir: string;
  /** default: output{value}.ipynb for arrays, {notebook}.ipynb otherwise */
  outputName?: string;
  jobName?: string;
  /** `scs run` options after INPUT OUTPUT */
  runArgs?: string[];
  /** `KEY=v1,v2,...` */
  array?: string;
  local?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Submission {
  spec: BatchSpec;
  scriptText: string;
  /** absent for a dry run */
  record?: JobRecord;
}

/** Variables the job script exports itself, so it runs the same when resubmitted from another shell. */
const CARRIED_ENV = ['JUPYTER_PATH', 'JUPYTER_DATA_DIR', 'EXFEL_DATA_ROOT'];

const SLURM_NAME = /^[A-Za-z0-9._-]+$/;

function buildSpec(req: SubmitRequest): BatchSpec {
  const env = req.env ?? process.env;
  const notebook = resolve(req.notebook);
  if (!existsSync(notebook) || !statSync(notebook).isFile()) throw new BatchOptionError(`notebook ${notebook} does not exist`, 'NOTEBOOK');
  const outputDir = resolve(req.outputDir);
  // #SBATCH lines are split on whitespace, and % is a SLURM file-name pattern
  if (/[\s%]/.test(outputDir)) throw new BatchOptionError(`--output-dir ${JSON.stringify(outputDir)}: SLURM cannot take a folder with spaces or % in #SBATCH --output`, '--output-dir');
  const array = req.array !== undefined ? parseArraySpec(req.array) : undefined;
  const outputName = req.outputName ?? (array ? 'output{value}.ipynb' : '{notebook}.ipynb');
  const nbBase = basename(notebook).replace(/\.ipynb$/, '');
  const names = (array?.values ?? [undefined]).map((value, task) => outputNameFor(outputName, { value, key: array?.key, task: array ? task : undefined, notebook: nbBase }));
  if (new Set(names).size !== names.length) throw new BatchOptionError(`--output-name '${outputName}' gives the same file name to several tasks; use {value} or {task}`, '--output-name');
  for (const [opt, v] of [['--partition', req.partition], ['--reservation', req.reservation]] as const) {
    if (v !== undefined && !SLURM_NAME.test(v)) throw new BatchOptionError(`${opt} '${v}' is not a SLURM name (letters, digits, . _ -)`, opt);
  }
  return {
    notebook,
    outputDir,
    jobName: jobNameFor(notebook, req.jobName),
    outputName,
    runArgs: req.runArgs ?? [],
    array,
    partition: req.partition,
    reservation: req.reservation,
    time: req.time !== undefined ? validateTimeLimit(req.time) : undefined,
    mailType: req.mailType !== undefined ? validateMailType(req.mailType) : undefined,
    mailUser: req.mailUser,
    after: req.after?.length ? req.after.map((a) => (req.local ? a : validateJobId(a))) : undefined,
    env: Object.fromEntries(CARRIED_ENV.filter((k) => env[k]).map((k) => [k, env[k]!])),
    node: process.execPath,
    scsCli: join(__dirname, '..', '..', 'scripts', 'scs.js'),
  };
}

function outputsOf(spec: BatchSpec): string[] {
  const nb = basename(spec.notebook).replace(/\.ipynb$/, '');
  return (spec.array?.values ?? [undefined]).map((value, task) => join(spec.outputDir,
    outputNameFor(spec.outputName, { value, key: spec.array?.key, task: spec.array ? task : undefined, notebook: nb })));
}

function logsOf(spec: BatchSpec, id: string): string[] {
  const dir = join(spec.outputDir, 'logs');
  return spec.array ? spec.array.values.map((_v, i) => join(dir, `${id}_${i}-${spec.jobName}.out`)) : [join(dir, `${id}-${spec.jobName}.out`)];
}

/** The script text only: nothing is written or submitted. */
export function dryRun(req: SubmitRequest): Submission {
  const spec = buildSpec(req);
  return { spec, scriptText: batchScript(spec, join(spec.outputDir, 'logs', `${spec.jobName}.sbatch`)) };
}

function prepareOutputDir(dir: string): void {
  // check the nearest existing ancestor first: mkdir -p on odd trees (/proc, a file) fails late or not at all
  let existing = dir;
  while (!existsSync(existing)) existing = dirname(existing);
  const fail = (why: string): never => {
    throw new BatchOptionError(`--output-dir ${dir} is not writable: ${why}`, '--output-dir');
  };
  if (!statSync(existing).isDirectory()) fail(`${existing} is not a folder`);
  try {
    accessSync(existing, constants.W_OK);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    accessSync(join(dir, 'logs'), constants.W_OK);
  } catch (err) {
    fail((err as Error).message);
  }
}

/** Upstream exit-status files of local --after jobs (they must be local jobs we recorded). */
function localUpstream(after: string[], env: NodeJS.ProcessEnv): string[] {
  const known = allRecords(env);
  return after.flatMap((id) => {
    const rec = known.find((r) => r.id === id);
    if (!rec?.exitFiles) throw new BatchOptionError(`--after ${id}: with --local, the upstream must be a --local job recorded by scs submit`, '--after');
    return rec.exitFiles;
  });
}

/** Local submissions of this process so far: two in the same second still get distinct ids. */
let localSubmissions = 0;

export async function submitNotebook(req: SubmitRequest): Promise<Submission> {
  const env = req.env ?? process.env;
  const spec = buildSpec(req);
  const upstream = req.local ? localUpstream(spec.after ?? [], env) : [];
  prepareOutputDir(spec.outputDir);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const scriptPath = join(spec.outputDir, 'logs', `${spec.jobName}-${stamp}-${process.pid}.sbatch`);
  const scriptText = batchScript(spec, scriptPath);
  writeFileSync(scriptPath, scriptText, { mode: 0o755 });
  const base = {
    backend: req.local ? 'local' as const : 'slurm' as const,
    name: spec.jobName,
    notebook: spec.notebook,
    outputDir: spec.outputDir,
    script: scriptPath,
    outputs: outputsOf(spec),
    array: spec.array,
    after: spec.after,
    partition: spec.partition,
    reservation: spec.reservation,
    submittedAt: new Date().toISOString(),
  };
  let record: JobRecord;
  if (req.local) {
    const seq = localSubmissions++;
    const id = `local-${stamp}-${process.pid}${seq ? `-${seq}` : ''}`;
    const logs = logsOf(spec, id);
    const exitFiles = logs.map((l) => l.replace(/\.out$/, '.exit'));
    const pid = startLocal({ id, script: scriptPath, outputDir: spec.outputDir, logs, exitFiles, upstreamExitFiles: upstream });
    record = { id, ...base, logs, pid, exitFiles };
  } else {
    let id: string;
    try {
      id = await sbatch(scriptPath, spec.outputDir, spec);
    } catch (err) {
      rmSync(scriptPath, { force: true });
      throw err;
    }
    record = { id, ...base, logs: logsOf(spec, id) };
  }
  saveRecord(record, env);
  return { spec, scriptText, record };
}
