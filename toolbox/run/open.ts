/**
 * Opening runs: a folder of .h5 files (or a single file) becomes a
 * DataCollection. Train IDs are the sorted union over all files; a source
 * found with the same train in two files is an error, as in EXtra-data.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ParameterError, ToolBoxError, ToolBoxFileError, ToolBoxPathError, ToolBoxValueError } from '../errors.js';
import { reason } from '../io/h5file.js';
import { checkOptions, mergeOptionNames, optionNames } from '../options.js';
import { DataCollection, type RunFiles, type SourceInfo } from './data-collection.js';
import { FileAccess } from './file-access.js';
import { globToRegExp } from './glob.js';
import { findRunPath } from './paths.js';
import type { TrainSelection } from './train-select.js';

export interface RunOptions {
  /** Glob on file names, e.g. '*DA01*' (default all .h5 files). */
  include?: string;
  /** Skip unreadable files with a warning instead of failing (default false). */
  skipBadFiles?: boolean;
  /** Include trains flagged suspect in INDEX/flag (default true, like EXtra-data >= 1.6). */
  incSuspectTrains?: boolean;
}
const RUN_OPTIONS = optionNames<RunOptions>({ include: true, skipBadFiles: true, incSuspectTrains: true });

export interface OpenRunOptions extends RunOptions {
  /** 'raw' (default), 'proc', 'all' (both) or 'default' (EXtra-data's: proc where a source has it, else raw; proc may be absent). */
  data?: 'raw' | 'proc' | 'all' | 'default';
  /** Train selection applied after opening, e.g. byIndex(slice(0, 5)). */
  subset?: TrainSelection;
  /** Root of the proposal folders (default: EXFEL_DATA_ROOT, else /gpfs/exfel/exp). */
  dataRoot?: string;
}
const OPEN_RUN_OPTIONS = mergeOptionNames<OpenRunOptions>(RUN_OPTIONS, optionNames<Omit<OpenRunOptions, keyof RunOptions>>({ data: true, subset: true, dataRoot: true }));

function listRunFiles(dir: string, include: string | undefined): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new ToolBoxPathError(`cannot list run folder ${dir}: ${reason(err)}`, dir, { cause: err });
  }
  // Virtual overview files only point at the others: read the real ones.
  let h5 = names.filter((n) => n.endsWith('.h5') && n !== 'overview.h5' && !/-OVERVIEW\.h5$/.test(n));
  if (include) {
    const re = globToRegExp(include);
    h5 = h5.filter((n) => re.test(n));
  }
  if (!h5.length) {
    const what = include ? ` matching '${include}'` : '';
    throw new ToolBoxPathError(`run folder ${dir} contains no .h5 files${what} (${names.length} entries in all)`, dir);
  }
  return h5.sort().map((n) => join(dir, n));
}

/**
 * Open `paths` and group their sources. A source found in a `preferred` file
 * takes its data only from preferred files (data: 'default' prefers proc).
 */
async function openFiles(paths: string[], opts: RunOptions, where: string, preferred?: ReadonlySet<string>): Promise<RunFiles> {
  const files: FileAccess[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const p of paths) {
    try {
      files.push(await FileAccess.open(p));
    } catch (err) {
      if (!opts.skipBadFiles || !(err instanceof ToolBoxError)) throw err;
      skipped.push({ file: p, reason: err.message });
    }
  }
  if (skipped.length) {
    process.emitWarning(`skipped ${skipped.length} unreadable file(s) in ${where}: ${skipped.map((s) => `${basename(s.file)} (${s.reason})`).join('; ')}`, 'ToolBoxWarning');
  }
  if (!files.length) throw new ToolBoxFileError(`no readable run file in ${where} (${skipped.length} skipped)`, where);
  const sources = new Map<string, SourceInfo>();
  for (const fa of files) {
    const isPreferred = preferred?.has(fa.path) ?? false;
    const add = (src: string, section: SourceInfo['section']) => {
      const info = sources.get(src);
      const infoPreferred = info ? preferred?.has(info.files[0].path) ?? false : false;
      if (info && infoPreferred && !isPreferred) return;
      if (!info || (isPreferred && !infoPreferred)) sources.set(src, { section, files: [fa] });
      else if (info.section !== section) throw new ToolBoxValueError(`source ${src} is CONTROL in one file and INSTRUMENT in ${fa.path}`);
      else info.files.push(fa);
    };
    fa.controlSources.forEach((s) => add(s, 'CONTROL'));
    fa.instrumentSources.forEach((_, s) => add(s, 'INSTRUMENT'));
  }
  for (const [src, info] of sources) checkConflicts(src, info.files);
  // Legacy names (soft links in proc files) alias the source they point to; a
  // real source of the same name (the raw DET source with data 'all') wins.
  const legacy = new Map<string, string>();
  for (const fa of files) {
    for (const [alias, target] of fa.legacySources) {
      if (!sources.has(alias) && sources.get(target)?.files.includes(fa)) legacy.set(alias, target);
    }
  }
  return { files, sources, incSuspectTrains: opts.incSuspectTrains ?? true, skipped, where, legacy };
}

function checkConflicts(source: string, files: FileAccess[]): void {
  if (files.length < 2) return;
  const seen = new Map<bigint, FileAccess>();
  for (const fa of files) {
    for (const t of fa.trainIds) {
      const other = seen.get(t);
      if (other && other !== fa) {
        throw new ToolBoxValueError(`conflicting data: source ${source} has train ${t} in both ${other.path} and ${fa.path}`);
      }
      seen.set(t, fa);
    }
  }
}

/** Sorted union of the files' train IDs (only trusted ones when suspect trains are excluded). */
function unionTrains(run: RunFiles): BigUint64Array {
  const all = new Set<bigint>();
  for (const f of run.files) f.trainIds.forEach((t, i) => { if (run.incSuspectTrains || f.validTrains[i]) all.add(t); });
  return BigUint64Array.from(all).sort();
}

/** Open a run folder (or one run file). */
export async function runByPath(path: string, opts: RunOptions = {}): Promise<DataCollection> {
  checkOptions('runByPath', opts, RUN_OPTIONS);
  const p = resolve(path);
  let st;
  try {
    st = statSync(p);
  } catch {
    throw new ToolBoxPathError(`run folder not found: ${p}`, p);
  }
  const paths = st.isDirectory() ? listRunFiles(p, opts.include) : [p];
  const run = await openFiles(paths, opts, p);
  return new DataCollection(run, unionTrains(run));
}

const DATA_CHOICES = ['raw', 'proc', 'all', 'default'];

/** Open run `run` of `proposal` below `opts.dataRoot` or EXFEL_DATA_ROOT (see paths.ts). */
export async function openRun(proposal: number | string, run: number | string, opts: OpenRunOptions = {}): Promise<DataCollection> {
  checkOptions('openRun', opts, OPEN_RUN_OPTIONS);
  const data = opts.data ?? 'raw';
  if (!DATA_CHOICES.includes(data)) {
    throw new ParameterError(`invalid data '${data}': expected 'raw', 'proc', 'all' or 'default'`, { parameter: 'data', value: data, expected: DATA_CHOICES });
  }
  const root = opts.dataRoot;
  let preferred: Set<string> | undefined;
  let paths: string[];
  let dirs: string[];
  if (data === 'default' || data === 'all') {
    // Both: a source found in proc takes its data from proc only (EXtra-data's and the Python toolbox's 'all').
    const raw = findRunPath(proposal, run, 'raw', root);
    dirs = [raw];
    let procFiles: string[] = [];
    try {
      const proc = findRunPath(proposal, run, 'proc', root);
      procFiles = listRunFiles(proc, opts.include);
      dirs.push(proc);
    } catch (err) {
      // 'default' reads raw alone when there is no (or an empty) proc folder; 'all' asks for proc
      if (!(err instanceof ToolBoxPathError) || data === 'all') throw err;
    }
    preferred = new Set(procFiles);
    paths = [...listRunFiles(raw, opts.include), ...procFiles];
  } else {
    dirs = [findRunPath(proposal, run, data, root)];
    paths = listRunFiles(dirs[0], opts.include);
  }
  const rf = await openFiles(paths, opts, dirs.join(' + '), preferred);
  const dc = new DataCollection(rf, unionTrains(rf));
  return opts.subset === undefined ? dc : dc.selectTrains(opts.subset);
}

/**
 * Open exactly these run files as one collection: a worker thread reopens
 * the files holding one source this way, without listing the run folder.
 */
export async function runByFiles(paths: string[], opts: RunOptions = {}): Promise<DataCollection> {
  if (!paths.length) throw new ParameterError('runByFiles needs at least one file', { parameter: 'paths', value: paths });
  const abs = paths.map((p) => resolve(p));
  const run = await openFiles(abs, opts, abs.length === 1 ? abs[0] : `${abs.length} files in ${[...new Set(abs.map((p) => dirname(p)))].join(', ')}`);
  return new DataCollection(run, unionTrains(run));
}
