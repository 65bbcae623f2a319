/**
 * The job records: a small registry of what `scs submit` submitted, so
 * `scs jobs` and `scs cancel` know which SLURM jobs are ours, where their
 * logs and notebooks are, without accounting (sacct) on the cluster. Kept in
 * $XDG_STATE_HOME/scs-toolbox/jobs.jsonl (~/.local/state) for the user and as
 * scs-jobs.jsonl in each output folder, next to what the jobs write.
 *
 * Each registry is an append-only JSON-lines log: a submission appends its
 * record as one line in one O_APPEND write, and `scs cancel` appends the
 * updated record; readers fold the lines by id, the last line of an id
 * winning. Concurrent submitters never read-modify-write a shared file, so
 * none can drop another's record (a whole-file rewrite did, under a race);
 * the kernel serialises O_APPEND writes to a local file. A line a killed or
 * disk-starved writer left incomplete is skipped with a warning. Registries
 * of the older format (jobs.json, scs-jobs.json: one JSON object rewritten
 * whole) are still read, below the log's lines, and never written again.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Warn, defaultWarn } from '../warnings.js';
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

const OUTPUT_DIR_LOG = 'scs-jobs.jsonl';
/** the registries' names before the append-only log: read, never written */
const OUTPUT_DIR_LEGACY = 'scs-jobs.json';
const USER_LEGACY = 'jobs.json';

/** The user's registry file (the append-only log). */
export function userRegistry(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'scs-toolbox', 'jobs.jsonl');
}

/** The registry log of an output folder. */
export function outputDirRegistry(outputDir: string): string {
  return join(outputDir, OUTPUT_DIR_LOG);
}

function isRecord(v: unknown): v is JobRecord {
  const r = v as Partial<JobRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && (r.backend === 'slurm' || r.backend === 'local')
    && Array.isArray(r.outputs) && Array.isArray(r.logs);
}

/** Records of an old-format registry (one JSON object `{jobs: [...]}`), oldest first. */
function readLegacy(file: string, warn: Warn): JobRecord[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { jobs?: unknown[] };
    return Array.isArray(parsed.jobs) ? parsed.jobs.filter(isRecord) : [];
  } catch (err) {
    warn(`job registry ${file} is not readable JSON, its records are skipped: ${(err as Error).message}`);
    return [];
  }
}

/** Lines of a registry log, in the order they were appended; incomplete or foreign lines are skipped with a warning. */
export function readRegistryLog(file: string, warn: Warn = defaultWarn): JobRecord[] {
  if (!existsSync(file)) return [];
  let text = readFileSync(file, 'utf8');
  // an unterminated last line is most likely an append in progress (it grows page by page): one more look
  if (!text.endsWith('\n') && text.length) text = readFileSync(file, 'utf8');
  const records: JobRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      warn(`job registry ${file}: line ${i + 1} is incomplete or corrupt (a writer killed mid-write?), skipped: ${line.length > 80 ? `${line.slice(0, 80)}...` : line}`);
      return;
    }
    if (isRecord(parsed)) records.push(parsed);
    else warn(`job registry ${file}: line ${i + 1} is not a job record, skipped`);
  });
  return records;
}

/**
 * Appends one line in one write (O_APPEND: the kernel places it at the end
 * atomically with respect to other appenders on a local filesystem). When the
 * log does not end in a newline, a killed writer left a partial line (or
 * another append is in progress: then the newline only makes a blank line,
 * which readers skip): a newline first keeps this record off that line.
 */
export function appendRecord(file: string, rec: JobRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a+', 0o644);
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    const data = Buffer.from(`${torn ? '\n' : ''}${JSON.stringify(rec)}\n`);
    let done = writeSync(fd, data);
    // a short write only happens on a full disk or a signal; finish the line rather than leave it torn
    while (done < data.length) done += writeSync(fd, data, done);
  } finally {
    closeSync(fd);
  }
}

/** Adds a record, or a newer version of one (same id), to the user registry and the output folder's. */
export function saveRecord(rec: JobRecord, env: NodeJS.ProcessEnv = process.env): void {
  for (const file of [userRegistry(env), outputDirRegistry(rec.outputDir)]) appendRecord(file, rec);
}

/**
 * Records by id from the user registry (and an output folder's, if given),
 * in the order they were first submitted; the last version of each wins.
 */
export function allRecords(env: NodeJS.ProcessEnv = process.env, outputDir?: string, warn: Warn = defaultWarn): JobRecord[] {
  const byId = new Map<string, JobRecord>();
  const user = userRegistry(env);
  // the old format first: its records are older than any line of the logs
  const records = [
    ...readLegacy(join(dirname(user), USER_LEGACY), warn),
    ...(outputDir ? readLegacy(join(outputDir, OUTPUT_DIR_LEGACY), warn) : []),
    ...readRegistryLog(user, warn),
    ...(outputDir ? readRegistryLog(outputDirRegistry(outputDir), warn) : []),
  ];
  for (const r of records) byId.set(r.id, { ...byId.get(r.id), ...r });
  return [...byId.values()];
}
