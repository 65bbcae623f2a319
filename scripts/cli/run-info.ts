/**
 * `scs run-info <run folder | proposal run> [--json]`: what a run holds —
 * sources, keys, shapes, dtypes, trains and how many trains have data.
 * The JSON form is a contract used by acceptance checks: { trainIds, sources:
 * { <source>: { keys: { <key>: { shape, dtype, trainsWithData } } } } }.
 */
import type { Command } from 'commander';
import { ToolBoxValueError, openRun, runByPath, type DataCollection, type RunOptions } from 'scs-toolbox';

export interface RunInfoJson {
  trainIds: number[];
  sources: Record<string, { section: 'CONTROL' | 'INSTRUMENT'; keys: Record<string, { shape: number[]; dtype: string; trainsWithData: number }> }>;
}

export function runInfoJson(dc: DataCollection): RunInfoJson {
  const sources: RunInfoJson['sources'] = {};
  for (const src of dc.allSources) {
    const keys: RunInfoJson['sources'][string]['keys'] = {};
    for (const k of dc.keysForSource(src)) keys[k] = dc.keyInfo(src, k);
    sources[src] = { section: dc.controlSources.includes(src) ? 'CONTROL' : 'INSTRUMENT', keys };
  }
  return { trainIds: [...dc.trainIds], sources };
}

export function runInfoText(dc: DataCollection): string {
  const n = dc.trainIdsExact.length;
  const lines = [dc.info(), '', 'Keys (shape over the run, dtype, trains with data):'];
  for (const [src, s] of Object.entries(runInfoJson(dc).sources)) {
    lines.push(`  ${src} [${s.section}]`);
    for (const [k, v] of Object.entries(s.keys)) {
      const pct = n ? ((100 * v.trainsWithData) / n).toFixed(0) : '0';
      lines.push(`    ${k}: (${v.shape.join(', ')}) ${v.dtype}, ${v.trainsWithData}/${n} trains (${pct}%)`);
    }
  }
  return lines.join('\n');
}

export async function openFromArgs(args: string[], opts: RunOptions = {}): Promise<DataCollection> {
  if (args.length === 1) return runByPath(args[0], opts);
  if (args.length === 2) return openRun(args[0], args[1], opts);
  throw new ToolBoxValueError(`run-info expects a run folder or a proposal and a run number, got ${args.length} arguments`);
}

export function registerRunInfo(program: Command): void {
  program
    .command('run-info')
    .description('summarise a run: sources, keys, shapes, dtypes, trains with data')
    .argument('<run...>', 'run folder, or proposal and run number (e.g. 2719 17)')
    .option('--json', 'print one JSON object (trainIds, sources → keys → shape, dtype, trainsWithData)')
    .option('--include <glob>', "only files whose name matches, e.g. '*DA01*'")
    .option('--skip-bad-files', 'skip unreadable files with a warning instead of failing')
    .action(async (args: string[], opts: { json?: boolean; include?: string; skipBadFiles?: boolean }) => {
      const dc = await openFromArgs(args, { include: opts.include, skipBadFiles: opts.skipBadFiles });
      try {
        console.log(opts.json ? JSON.stringify(runInfoJson(dc)) : runInfoText(dc));
      } finally {
        dc.close();
      }
    });
}
