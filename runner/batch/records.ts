/**
 * The job records: a small JSON registry of what `scs submit` submitted, so
 * `scs jobs` and `scs cancel` know which SLURM jobs are ours, where their
 * logs and notebooks are, without accounting (sacct) on the cluster. Kept in
 * $XDG_STATE_HOME/scs-toolbox/jobs.json (~/.local/state) for the user and as
 * scs-jobs.json in each output folder, next to what the jobs write.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArraySpec } from './options.js';

export interface JobRecord {
  /** SLURM job id (array master id), or `local-...` for --local */
  id: string;
  backend: 'slurm' | 'local';
  name: string;
  notebook: string;
  outputDir: string;
  script: string;
  /** one output notebook per task, in task order */
  outputs: string[];
  /** one log file per task, in task order (known at submit time: the id is in the name) */
  logs: string[];
  array?: ArraySpec;
  after?: string[];
  partition?: string;
  reservation?: string;
  submittedAt: string;
  /** --local: process group of the launcher, and the per-task exit-status files */
  pid?: number;
  exitFiles?: string[];
  /** set by `scs cancel` */
  cancelledAt?: string;
}

const OUTPUT_DIR_REGISTRY = 'scs-jobs.json';

/** The user's registry file. */
export function userRegistry(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'scs-toolbox', 'jobs.json');
}

function readRecords(file: string): JobRecord[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { jobs?: JobRecord[] };
  return Array.isArray(parsed.jobs) ? parsed.jobs : [];
}

function writeRecords(file: string, jobs: JobRecord[]): void {
  mkdirSync(dirname(file), { recursive: true });
  // temporary name + rename: a reader never sees a half-written registry
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ jobs }, null, 1)}\n`);
  renameSync(tmp, file);
}

/** Adds or replaces (same id) a record in the user registry and the output folder's. */
export function saveRecord(rec: JobRecord, env: NodeJS.ProcessEnv = process.env): void {
  for (const file of [userRegistry(env), join(rec.outputDir, OUTPUT_DIR_REGISTRY)]) {
    writeRecords(file, [...readRecords(file).filter((r) => r.id !== rec.id), rec]);
  }
}

/** Records by id from the user registry (and an output folder's, if given). */
export function allRecords(env: NodeJS.ProcessEnv = process.env, outputDir?: string): JobRecord[] {
  const byId = new Map<string, JobRecord>();
  for (const r of readRecords(userRegistry(env))) byId.set(r.id, r);
  if (outputDir) for (const r of readRecords(join(outputDir, OUTPUT_DIR_REGISTRY))) byId.set(r.id, r);
  return [...byId.values()];
}
