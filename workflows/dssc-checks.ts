/**
 * What `scs bin-dssc` checks before it submits (and with --dry-run): every
 * problem the jobs would otherwise meet minutes later on a node, all of them
 * at once. The proposal, run and dark run exist; the x axis resolves in the
 * run to more than one value; every module group asked for has a module;
 * the dark run matches (docs/dssc-binning.md, "scs bin-dssc"); the kernel of
 * the notebooks is installed where the jobs will look.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKernelSpec, listKernelSpecs } from '../runner/engine/index.js';
import {
  type DataCollection, type DsscInfo, type KeyData, ToolBoxValueError, findProposal, getArray, loadDsscInfo, openRun, packageRoot, positionToDelay,
} from '../toolbox/index.js';

/** The checks failed: `problems` lists each, the message all of them. */
export class DsscWorkflowCheckError extends ToolBoxValueError {
  constructor(readonly problems: string[]) {
    super(`cannot bin the DSSC run, ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface DsscCheckRequest {
  proposal: number;
  run: number;
  darkRun: number;
  xaxis?: string;
  binWidth?: number;
  moduleGroups?: number[];
  kernel?: string;
  /** Parameters of the binning notebook: data_root and maxframes change what is checked. */
  binningParameters?: [string, string][];
  binningNotebook?: string;
  summaryNotebook?: string;
  env?: NodeJS.ProcessEnv;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function parameter(req: DsscCheckRequest, name: string): string | undefined {
  return req.binningParameters?.filter(([n]) => n === name).pop()?.[1];
}

async function openOrReport(req: DsscCheckRequest, run: number, what: string, problems: string[]): Promise<DataCollection | null> {
  try {
    return await openRun(req.proposal, run, { data: 'raw', dataRoot: parameter(req, 'data_root') });
  } catch (err) {
    problems.push(`${what}: ${message(err)}`);
    return null;
  }
}

async function dsscInfo(run: DataCollection, what: string, problems: string[]): Promise<DsscInfo | null> {
  try {
    return await loadDsscInfo(run);
  } catch (err) {
    problems.push(`${what}: ${message(err)}`);
    return null;
  }
}

/** The scan variable as the binning notebook reads it (the delay before its BAM correction). */
async function checkXaxis(run: DataCollection, req: DsscCheckRequest, problems: string[]): Promise<void> {
  const xaxis = req.xaxis ?? 'delay';
  const mnemonic = xaxis === 'delay' ? 'PP800_DelayLine' : xaxis;
  let values: number[];
  try {
    const arr = await getArray(run, mnemonic);
    values = Array.from((xaxis === 'delay' ? positionToDelay(arr) : arr).values as ArrayLike<number>, Number).filter(Number.isFinite);
  } catch (err) {
    problems.push(`x axis '${xaxis}'${xaxis === 'delay' ? ` (mnemonic ${mnemonic})` : ''} does not resolve in run ${req.run}: ${message(err)}`);
    return;
  }
  const lo = Math.min(...values), hi = Math.max(...values);
  if (values.length === 0) problems.push(`x axis '${xaxis}' has no finite value in run ${req.run}`);
  else if (lo === hi) problems.push(`x axis '${xaxis}' has a single value (${lo}) in run ${req.run}: there is nothing to bin along it`);
  else if (req.binWidth !== undefined && req.binWidth > hi - lo) {
    problems.push(`bin width ${req.binWidth} is larger than the range of '${xaxis}' in run ${req.run} (${lo.toPrecision(6)} to ${hi.toPrecision(6)})`);
  }
}

/** Memory cells of the first train with frames, of one module: the frames the per-frame dark stands for. */
async function firstCells(run: DataCollection, module: number): Promise<number[] | null> {
  const source = `SCS_DET_DSSC1M-1/DET/${module}CH0:xtdf`;
  if (!run.allSources.includes(source) || !run.keysForSource(source).includes('image.cellId')) return null;
  const key = run.get(source, 'image.cellId') as KeyData;
  const counts = key.dataCounts({ labelled: false });
  const n = counts.find((c) => c > 0) ?? 0;
  const values = (await key.ndarray()) as ArrayLike<number>;
  return Array.from({ length: n }, (_, i) => Number(values[i]));
}

/** The module groups asked for each have a module in the run; the dark run has the same modules, frames, pixels and memory cells. */
async function checkModulesAndDark(req: DsscCheckRequest, run: DataCollection, info: DsscInfo, dark: DataCollection, darkInfo: DsscInfo, problems: string[]): Promise<void> {
  const before = problems.length;
  const used: number[] = [];
  for (const g of req.moduleGroups ?? [0, 1, 2, 3]) {
    const group = [0, 1, 2, 3].map((i) => 4 * g + i);
    const present = group.filter((m) => info.modules.includes(m));
    if (!present.length) problems.push(`module group ${g} (modules ${group.join(', ')}): run ${req.run} has none of them (its DSSC modules: ${info.modules.join(', ')}); leave the group out with --module-groups`);
    used.push(...present);
  }
  const d = `dark run ${req.darkRun}`;
  const missing = used.filter((m) => !darkInfo.modules.includes(m));
  if (missing.length) problems.push(`${d} has no data for DSSC module(s) ${missing.join(', ')}, which run ${req.run} has: no dark image for them`);
  const maxframes = Number(parameter(req, 'maxframes') ?? NaN);
  const frames = (f: number) => (maxframes > 0 ? Math.min(f, maxframes) : f);
  if (frames(darkInfo.framesPerTrain) !== frames(info.framesPerTrain)) {
    problems.push(`${d} has ${darkInfo.framesPerTrain} frames per train, run ${req.run} has ${info.framesPerTrain}: a per-frame dark image needs the same frames`);
  }
  if (darkInfo.dims.join() !== info.dims.join()) problems.push(`${d} has module images of ${darkInfo.dims.join(' × ')} pixels, run ${req.run} of ${info.dims.join(' × ')}`);
  const common = used.find((m) => darkInfo.modules.includes(m));
  if (common === undefined || problems.length > before) return;
  const [cells, darkCells] = await Promise.all([firstCells(run, common), firstCells(dark, common)]);
  const n = frames(info.framesPerTrain);
  if (cells && darkCells && cells.slice(0, n).join() !== darkCells.slice(0, n).join()) {
    const show = (c: number[]) => (c.length > 12 ? `${c.slice(0, 12).join(', ')}, …` : c.join(', '));
    problems.push(`${d} records other memory cells than run ${req.run} (module ${common}, first train: ${show(darkCells)} against ${show(cells)}): its per-frame dark does not apply`);
  }
}

function notebookKernel(path: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { metadata?: { kernelspec?: { name?: string; language?: string } } }).metadata?.kernelspec?.name;
  } catch {
    return undefined;
  }
}

/** -k, else each notebook's kernel, as the jobs will look for it (the runner also accepts another TypeScript kernel then). */
function checkKernel(req: DsscCheckRequest, problems: string[]): void {
  const env = req.env ?? process.env;
  const notebooks = join(packageRoot(), 'notebooks');
  const names = req.kernel ? [req.kernel]
    : [...new Set([req.binningNotebook ?? join(notebooks, 'DSSC module binning.ipynb'), req.summaryNotebook ?? join(notebooks, 'DSSC summary.ipynb')]
      .map(notebookKernel).filter((n): n is string => !!n))];
  const installed = listKernelSpecs(env, () => undefined);
  for (const name of names) {
    try {
      findKernelSpec(name, env);
    } catch {
      if (!req.kernel && installed.some((s) => s.language.toLowerCase() === 'typescript')) continue;
      problems.push(`kernel '${name}' is not installed (installed: ${installed.map((s) => s.name).join(', ') || 'none'}): run \`scs kernel install${name === 'scs-toolbox' ? '' : ` ${name}`}\` or name one with -k`);
    }
  }
}

/** Every problem found, in the order above; empty when the jobs can start. */
export async function checkDsscWorkflow(req: DsscCheckRequest): Promise<string[]> {
  const problems: string[] = [];
  try {
    findProposal(req.proposal, parameter(req, 'data_root'));
  } catch (err) {
    problems.push(`proposal ${req.proposal}: ${message(err)}`);
    checkKernel(req, problems);
    return problems;
  }
  const run = await openOrReport(req, req.run, 'run', problems);
  const dark = await openOrReport(req, req.darkRun, 'dark run', problems);
  try {
    if (run) await checkXaxis(run, req, problems);
    const info = run && await dsscInfo(run, `run ${req.run}`, problems);
    const darkInfo = dark && await dsscInfo(dark, `dark run ${req.darkRun}`, problems);
    if (run && info && dark && darkInfo) await checkModulesAndDark(req, run, info, dark, darkInfo, problems);
  } finally {
    run?.close();
    dark?.close();
  }
  checkKernel(req, problems);
  return problems;
}
